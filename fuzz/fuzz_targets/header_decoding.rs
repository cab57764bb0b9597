//! Header decoding never panics outward, whatever the bytes: `parse_header` is what a scan runs on
//! every fetched header block. Where the scan reads a value directly instead of through
//! mailparse, both readings must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailhound_core::message::parse::read_both_ways;

#[path = "panics.rs"]
mod panics;

fuzz_target!(|data: &[u8]| {
    panics::unwind_as_usual();
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
