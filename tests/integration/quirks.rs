//! Answers Dovecot never sends, from the scripted fake server: one malformed FETCH response costs
//! only that message (cached with its raw bytes), a server without UIDNEXT or CONDSTORE still
//! resyncs correctly, and a `BYE` mid-FETCH is a plain error that marks nothing complete.

use mailhound_core::account::{Account, ImapAccount, Secret, Security, Timeouts};
use mailhound_core::cancel::CancelToken;
use mailhound_core::store::Store;
use mailhound_core::sync::{SyncOptions, sync_account};
use mailhound_tests::fake_server::{Answer, FakeServer};

const HEADERS: &[u8] = b"* 1 FETCH (UID 1 FLAGS () INTERNALDATE \"04-Dec-2026 09:15:00 +0000\" RFC822.SIZE 100 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: first\r\n\r\n)\r\n\
* 2 FETCH (UID 2 FLAGS (\\Seen INTERNALDATE \"garbage BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: broken\r\n\r\n)\r\n\
* 3 FETCH (UID 3 FLAGS () INTERNALDATE \"04-Dec-2026 09:17:00 +0000\" RFC822.SIZE 100 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: third\r\n\r\n)\r\n";

#[test]
fn a_malformed_fetch_costs_one_message_and_a_server_without_uidnext_or_condstore_resyncs() {
    let server = FakeServer::start(vec![
        // NOTE: no CONDSTORE, and EXAMINE reports no UIDNEXT.
        Answer::new("CAPABILITY", b"* CAPABILITY IMAP4rev1 LITERAL+\r\n"),
        Answer::new("LIST", b"* LIST (\\HasNoChildren) \"/\" INBOX\r\n"),
        Answer::new("EXAMINE", b"* 3 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n"),
        Answer::new(
            "UID FETCH 1:* (UID FLAGS)",
            b"* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\n* 3 FETCH (UID 3 FLAGS ())\r\n",
        ),
        Answer::new("UID FETCH", HEADERS),
    ])
    .expect("fake server");
    let mut account = ImapAccount {
        host: "127.0.0.1".to_string(),
        port: server.port(),
        user: "quirky".to_string(),
        security: Security::Tls,
        ca_file: None,
        timeouts: Timeouts::default(),
    };
    account.allow_plaintext_on_loopback().expect("loopback");
    let account = Account::Imap(account);
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("cache.sqlite")).expect("store");
    let password = Secret::new("secret".to_string());
    let scan = |store: &mut Store| {
        sync_account(
            store,
            &account,
            Some(&password),
            SyncOptions::default(),
            &CancelToken::new(),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("scan failed: {}", e.detail()))
    };

    let first = scan(&mut store);
    assert_eq!(first.messages, 3, "the malformed message is still listed and cached");
    assert_eq!(first.fetched, 3);
    let mut rows = Vec::new();
    store.for_each_message(|m| rows.push(m)).expect("read cache");
    rows.sort_by_key(|m| m.uid);
    let subjects: Vec<&str> = rows.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["first", "broken", "third"]);
    let broken = rows.get(1).expect("uid 2");
    let raw = store
        .raw_header(broken.account_id, &broken.folder, broken.uidvalidity, 2)
        .expect("raw")
        .expect("row");
    assert_eq!(raw, b"Subject: broken\r\n\r\n", "the bytes the server sent are kept");

    // No UIDNEXT and no HIGHESTMODSEQ: the folder is listed again, nothing is fetched twice, and
    // the flags the broken response hid arrive from the listing.
    let second = scan(&mut store);
    assert_eq!(second.messages, 3);
    assert_eq!(second.fetched, 0);
    let mut flags = Vec::new();
    store.for_each_message(|m| flags.push((m.uid, m.flags))).expect("read cache");
    flags.sort();
    assert_eq!(flags, [(1, String::new()), (2, "\\Seen".to_string()), (3, String::new())]);
}

#[test]
fn a_bye_in_the_middle_of_a_fetch_is_a_plain_error_and_nothing_is_marked_complete() {
    let server = FakeServer::start(vec![
        Answer::new("CAPABILITY", b"* CAPABILITY IMAP4rev1\r\n"),
        Answer::new("LIST", b"* LIST () \"/\" INBOX\r\n"),
        Answer::new("EXAMINE", b"* 2 EXISTS\r\n* OK [UIDVALIDITY 9] UIDs valid\r\n* OK [UIDNEXT 3] next\r\n"),
        Answer::new("UID FETCH 1:* (UID FLAGS)", b"* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS ())\r\n"),
        // NOTE: Dovecot says this when another client renames the open folder (imap-test-server.md §11.7).
        Answer::new(
            "UID FETCH",
            b"* 1 FETCH (UID 1 FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: first\r\n\r\n)\r\n* BYE IMAP session state is inconsistent, please relogin.\r\n",
        ),
    ])
    .expect("fake server");
    let mut account = ImapAccount {
        host: "127.0.0.1".to_string(),
        port: server.port(),
        user: "bye".to_string(),
        security: Security::Tls,
        ca_file: None,
        timeouts: Timeouts::default(),
    };
    account.allow_plaintext_on_loopback().expect("loopback");
    let account = Account::Imap(account);
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("cache.sqlite")).expect("store");
    let error = sync_account(
        &mut store,
        &account,
        Some(&Secret::new("secret".to_string())),
        SyncOptions::default(),
        &CancelToken::new(),
        &mut |_| {},
    )
    .expect_err("every retry meets the same BYE");
    assert_eq!(error.kind(), mailhound_core::ErrorKind::Network, "{}", error.detail());
    let account_id = store.accounts().expect("accounts").first().expect("account").id;
    let inbox = store.folders(account_id).expect("folders");
    assert!(
        inbox.iter().all(|f| f.uidnext.is_none()),
        "a folder cut short is not complete: {inbox:?}"
    );
}
