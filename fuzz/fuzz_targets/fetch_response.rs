//! The scan's FETCH-response path: one untagged response (line plus literals) in, the cached fields
//! or a salvaged UID out, then header decoding of whatever body came back. Never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailhound_core::source::wire::{literal_length, parse_fetch};

fuzz_target!(|data: &[u8]| {
    let _ = literal_length(data);
    let body = match parse_fetch(data) {
        Ok(Some(fetch)) => fetch.body,
        Ok(None) => None,
        Err(salvaged) => salvaged.body,
    };
    if let Some(body) = body {
        let _ = mailhound_core::message::parse_header(&body);
    }
});
