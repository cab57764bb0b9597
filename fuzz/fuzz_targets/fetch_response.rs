//! The scan's FETCH-response path: one untagged response (line plus literals) in, the cached fields
//! or a salvaged UID out, then header decoding of whatever body came back. Never panics outward, and the
//! direct reader agrees with imap-proto whenever it answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailhound_core::source::wire::{literal_length, parse_fetch, parse_fetch_with_imap_proto, read_plain_fetch};

#[path = "panics.rs"]
mod panics;

fuzz_target!(|data: &[u8]| {
    panics::unwind_as_usual();
    let _ = literal_length(data);
    if let Some(direct) = read_plain_fetch(data) {
        assert_eq!(Ok(Some(direct)), parse_fetch_with_imap_proto(data), "{:?}", String::from_utf8_lossy(data));
    }
    let body = match parse_fetch(data) {
        Ok(Some(fetch)) => fetch.body,
        Ok(None) => None,
        Err(salvaged) => salvaged.body,
    };
    if let Some(body) = body {
        let _ = mailhound_core::message::parse_header(&body);
    }
});
