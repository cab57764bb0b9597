//! The panic hook both fuzz targets install.
//!
//! libfuzzer-sys's own hook aborts on any panic, even one the code under test catches on purpose
//! (a library parser's crash becomes an unreadable message). This hook only reports panics, so a
//! caught one is survived and an uncaught one still aborts the run.

use std::sync::Once;

static INSTALLED: Once = Once::new();

/// Installs the hook once per process.
pub fn unwind_as_usual() {
    INSTALLED.call_once(|| std::panic::set_hook(Box::new(report)));
}

fn report(info: &std::panic::PanicHookInfo<'_>) {
    let in_a_parser = info
        .location()
        .is_some_and(|l| l.file().contains("/imap-proto-") || l.file().contains("/mailparse-"));
    if !in_a_parser {
        eprintln!("{info}");
    }
}
