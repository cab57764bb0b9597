//! Runs a private Dovecot with a filled `e2e` account, for the WebDriver E2E test and manual
//! runs: prints one JSON line with the connection facts (`sievePort` is null without
//! Pigeonhole), then serves until stdin closes or a SIGTERM/SIGINT/SIGHUP arrives, and stops
//! Dovecot cleanly.
//!
//! Usage: `test-mail-server [--seed N] [--messages N]` (defaults 42 and 300).

use std::io::{self, Read as _, Write as _};
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;

use chrono::DateTime;
use mailhound_tests::corpus::{Corpus, CorpusMessage, Flag, Layout};
use mailhound_tests::dovecot::{ServerOptions, TestServer};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

const TARGET_MESSAGE_ID: &str = "<roof-quote-2026@brightwater.example>";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("test-mail-server: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let (seed, count) = parse_args()?;
    // NOTE: signals are caught before Dovecot starts, so an early SIGTERM still stops it.
    let (stop_tx, stop_rx) = mpsc::channel::<String>();
    let mut signals = Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    let signal_tx = stop_tx.clone();
    thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = signal_tx.send(format!("signal {signal}"));
        }
    });

    let server = TestServer::start(ServerOptions::default())?;
    let user = server.user("e2e");
    let mut messages = Corpus::generate(seed, count, &Layout::standard());
    messages.push(roofing_quote()?);
    server.deliver_maildir(&user, &messages)?;

    let endpoint = server.endpoint();
    let ready = serde_json::json!({
        "host": endpoint.host,
        "imapsPort": endpoint.imaps_port,
        "imapPort": endpoint.imap_port,
        "sievePort": endpoint.sieve_port,
        "caFile": endpoint.ca_file,
        "user": user.name,
        "password": user.password,
        "targetMessageId": TARGET_MESSAGE_ID,
    });
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{ready}")?;
    stdout.flush()?;
    drop(stdout);

    thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = io::stdin().lock().read_to_end(&mut sink);
        let _ = stop_tx.send("stdin closed".to_owned());
    });
    let reason = stop_rx.recv().unwrap_or_else(|_| "no stop source left".to_owned());
    eprintln!("test-mail-server: {reason}; stopping Dovecot");
    server.stop()
}

/// The message the E2E test hunts for: filed in Junk by a spam filter.
fn roofing_quote() -> io::Result<CorpusMessage> {
    let date = DateTime::parse_from_rfc3339("2026-11-03T09:14:00+01:00").map_err(|e| io::Error::other(format!("target date: {e}")))?;
    Ok(CorpusMessage::builder()
        .folder("Junk")
        .flags(&[Flag::Seen])
        .from("Margaret Hollins", "m.hollins@brightwater.example")
        .subject("Your roofing quote, revised")
        .date(date)
        .message_id(TARGET_MESSAGE_ID)
        .header("X-Spam-Flag", "YES")
        .text(
            "Dear Robin,\n\nas promised after Tuesday's visit, here is the revised quote for the \
             roof: re-battening and new slate on the north side, and the lead flashing around \
             the chimney.\n\nThe total is now 8,450 EUR including scaffolding; it is valid \
             until the end of January.\n\nKind regards,\nMargaret Hollins\nBrightwater Roofing\n",
        )
        .attachment(
            "Brightwater quote 2026-117 rev2.pdf",
            "application/pdf",
            b"%PDF-1.4\n% revised quote\n",
        )
        .build())
}

fn parse_args() -> io::Result<(u64, usize)> {
    let mut seed = 42;
    let mut count = 300;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        let invalid = || io::Error::new(io::ErrorKind::InvalidInput, format!("bad {flag} {value:?}"));
        match flag.as_str() {
            "--seed" => seed = value.parse().map_err(|_| invalid())?,
            "--messages" => count = value.parse().map_err(|_| invalid())?,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("unknown argument {flag:?}; usage: test-mail-server [--seed N] [--messages N]"),
                ));
            }
        }
    }
    Ok((seed, count))
}
