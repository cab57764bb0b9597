//! Header decoding never panics outward, whatever the bytes: `parse_header` is what a scan runs on
//! every fetched header block. Where the scan reads a value directly instead of through
//! mailparse, both readings must agree.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use mailhound_core::message::parse::read_both_ways;

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
    let parsed = mailhound_core::message::parse_header(data);
    assert!(!parsed.subject.contains('\0'));
    // NOTE: a value as the field splitter hands it on has only continuation lines.
    let value_like = data.windows(2).all(|w| w[0] != b'\n' || matches!(w[1], b' ' | b'\t')) && !data.ends_with(b"\n");
    if value_like {
        let (direct, reference) = read_both_ways(data);
        assert_eq!(direct.sender, reference.sender, "sender of {:?}", String::from_utf8_lossy(data));
        if reference.text.is_some() {
            assert_eq!(direct.text, reference.text, "text of {:?}", String::from_utf8_lossy(data));
        }
    }
});
