//! The scan's FETCH-response path: one untagged response (line plus literals) in, the cached fields
//! or a salvaged UID out, then header decoding of whatever body came back. Never panics outward, and the
//! direct reader agrees with imap-proto whenever it answers.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use mailhound_core::source::wire::{literal_length, parse_fetch, parse_fetch_with_imap_proto, read_plain_fetch};

/// libfuzzer-sys's panic hook aborts on any panic, even one the code under test catches on
/// purpose (a library parser's crash becomes an unreadable message). This hook only reports
/// panics, so a caught one is survived and an uncaught one still aborts the run.
static UNWIND_AS_USUAL: Once = Once::new();

fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let in_a_parser = info
        .location()
        .is_some_and(|l| l.file().contains("/imap-proto-") || l.file().contains("/mailparse-"));
    if !in_a_parser {
        eprintln!("{info}");
    }
}

fuzz_target!(|data: &[u8]| {
    UNWIND_AS_USUAL.call_once(|| std::panic::set_hook(Box::new(report_panic)));
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
