//! Malformed and odd mail never breaks a scan: CPython's email test corpus plus our own bombs are
//! all cached, each with its raw header bytes, and a missing or broken Date leaves INTERNALDATE.
//! Folder names that are not valid modified UTF-7 are reported, not fatal.

use std::path::Path;

use chrono::{TimeZone, Utc};
use mailhound_tests::corpus::CorpusMessage;
use mailhound_tests::dovecot::TestServer;

use crate::mailbox::Mailbox;

fn raw_message(folder: &str, index: u32, bytes: Vec<u8>) -> CorpusMessage {
    CorpusMessage {
        folder: folder.to_string(),
        flags: Vec::new(),
        internal_date: Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, index % 60).single().expect("date"),
        message_id: None,
        from_name: String::new(),
        from_address: String::new(),
        subject: String::new(),
        date: None,
        defect: None,
        bytes,
    }
}

fn cpython_corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eml/cpython");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).expect("fixture")).collect()
}

/// Our own nasty cases: each a whole message, LF line endings.
fn bombs() -> Vec<Vec<u8>> {
    let mut nested = String::from("From: nest@example.com\nSubject: deep nesting\nContent-Type: multipart/mixed; boundary=b0\n\n");
    for depth in 1..2000 {
        nested.push_str(&format!("--b{}\nContent-Type: multipart/mixed; boundary=b{depth}\n\n", depth - 1));
    }
    vec![
        nested.into_bytes(),
        format!("From: long@example.com\nSubject: {}\n\nbody\n", "x".repeat(10 * 1024 * 1024)).into_bytes(),
        format!("From: {}\nSubject: colons\n\nbody\n", ":".repeat(99_999)).into_bytes(),
        format!(
            "From: {}{} c@example.com\nSubject: comments\n\nbody\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        )
        .into_bytes(),
        format!("Subject: {}\n\nbody\n", "=?utf-8?q?a?= ".repeat(100_000)).into_bytes(),
        b"From: nul@example.com\nSubject: a\0b\nX-\0Bad: y\n\nbody\0\n".to_vec(),
        b"From: Ren\xe9 <r@example.com>\nSubject: caf\xe9 \xff\xfe raw 8-bit\n\nbody\n".to_vec(),
        "From: =?x-unknown?Q?Anna?= <a@example.com>\nSubject: =?utf-8?B?####?= =?utf-8?Q?unterminated\n\nbody\n"
            .as_bytes()
            .to_vec(),
        b"From: nodate@example.com\nSubject: no date at all\n\nbody\n".to_vec(),
        b"From: baddate@example.com\nDate: the third of never\nSubject: bad date\n\nbody\n".to_vec(),
        b"Subject: no separator\nFrom: sep@example.com\nthis line is body\n".to_vec(),
        b"\n\nno header at all\n".to_vec(),
    ]
}

#[test]
fn every_malformed_message_is_cached_with_its_raw_header() {
    let server = TestServer::shared();
    let mut messages = Vec::new();
    for (i, bytes) in cpython_corpus().into_iter().enumerate() {
        messages.push(raw_message("CPython", i as u32, bytes));
    }
    let corpus = messages.len();
    assert!(corpus >= 40, "the CPython corpus is missing ({corpus} files)");
    for (i, bytes) in bombs().into_iter().enumerate() {
        messages.push(raw_message("Bombs", i as u32, bytes));
    }
    let mut mailbox = Mailbox::new(server, &messages);
    let summary = mailbox.sync();
    assert_eq!(summary.messages as usize, messages.len());
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());

    let account = mailbox.account_id();
    let mut seen = 0;
    let mut rows = Vec::new();
    mailbox.store.for_each_message(|m| rows.push(m)).expect("read cache");
    for m in &rows {
        let raw = mailbox
            .store
            .raw_header(account, &m.folder, m.uidvalidity, m.uid)
            .expect("raw header")
            .expect("row");
        assert!(
            !raw.is_empty() || m.subject.is_empty(),
            "{} uid {} lost its raw header",
            m.folder,
            m.uid
        );
        assert!(m.internal_date.is_some(), "INTERNALDATE is always kept");
        if m.subject == "no date at all" || m.subject == "bad date" {
            assert_eq!(m.date, None);
            seen += 1;
        }
        assert!(!m.subject.contains('\0') && !m.from_name.contains('\0'));
    }
    assert_eq!(seen, 2, "both undated messages are cached");
    assert!(rows.iter().any(|m| m.subject.starts_with("xxxx")), "the 10 MB subject is cached");
}

#[test]
fn folder_names_that_are_not_valid_modified_utf7_are_scanned_without_panics() {
    let server = TestServer::shared();
    let messages: Vec<CorpusMessage> = ["Placeholder", "Second"]
        .iter()
        .enumerate()
        .map(|(i, folder)| {
            raw_message(
                folder,
                i as u32,
                format!("From: f@example.com\nSubject: in {folder}\n\nbody\n").into_bytes(),
            )
        })
        .collect();
    let mut mailbox = Mailbox::new(server, &messages);
    // NOTE: written straight into the Maildir, as another program might: an unterminated shift
    // and a shift holding something that is not UTF-16.
    for (from, to) in [(".Placeholder", ".Bad&Jjo"), (".Second", ".Odd&ZZZ-Name")] {
        std::fs::rename(mailbox.user.maildir.join(from), mailbox.user.maildir.join(to)).expect("rename folder dir");
    }
    // NOTE: Dovecot 2.3 lists such folders but cannot open them ("Mailbox doesn't exist"), so its
    // own resync fails on them too; the scan must report them, not fail or panic.
    let _ = server.doveadm(&["force-resync", "-u", &mailbox.user.name, "*"]);
    let summary = mailbox.sync();
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
    assert_eq!(summary.problems.len(), 2, "{:?}", summary.problems);
}
