//! Header decoding never panics outward, whatever the bytes: `parse_header` is what a scan runs on
//! every fetched header block.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = mailhound_core::message::parse_header(data);
    assert!(!parsed.subject.contains('\0'));
});
