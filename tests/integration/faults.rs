//! Scans through the fault proxy: a cut at every phase (LIST, EXAMINE, the UID listing, inside a
//! FETCH literal, between chunks) and a stall. Each scan ends in a plain error or a retried success;
//! no folder is stored as complete unless it is; the next scan makes the cache equal the server.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mailhound_core::ErrorKind;
use mailhound_core::account::{Account, Timeouts};
use mailhound_core::cancel::CancelToken;
use mailhound_core::sync::{SyncOptions, SyncSummary, sync_account};
use mailhound_tests::corpus::{Corpus, Layout};
use mailhound_tests::dovecot::TestServer;
use mailhound_tests::proxy::{Proxy, Rule};

use crate::mailbox::Mailbox;

/// A mailbox whose account goes through a proxy with `rules` to Dovecot's plain port.
fn through_proxy<'s>(server: &'s TestServer, seed: u64, rules: Vec<Rule>) -> (Mailbox<'s>, Proxy) {
    let mailbox = Mailbox::new(server, &Corpus::generate(seed, 600, &Layout::standard()));
    let endpoint = server.endpoint();
    let proxy = Proxy::start(SocketAddr::from((endpoint.ip, endpoint.imap_port)), rules).expect("start proxy");
    let mut mailbox = mailbox;
    if let Account::Imap(imap) = &mut mailbox.account {
        imap.host = "127.0.0.1".to_string();
        imap.port = proxy.port();
        imap.allow_plaintext_on_loopback().expect("loopback plaintext");
        imap.timeouts = Timeouts {
            connect: Duration::from_secs(5),
            // NOTE: generous, because the whole suite shares two cores; the stall test lowers it.
            read_write: Duration::from_secs(10),
        };
    }
    (mailbox, proxy)
}

fn scan(mailbox: &mut Mailbox<'_>, cancel: &CancelToken) -> mailhound_core::Result<SyncSummary> {
    sync_account(
        &mut mailbox.store,
        &mailbox.account,
        Some(&mailbox.password),
        SyncOptions { chunk: 40 },
        cancel,
        &mut |_| {},
    )
}

/// Folders marked complete hold exactly the server's messages; nothing cached is unknown to it.
fn assert_consistent(mailbox: &Mailbox<'_>) {
    let server = mailbox.server_listing();
    let cached = mailbox.cached_listing();
    assert!(cached.is_subset(&server), "the cache holds messages the server does not");
    for folder in mailbox.store.folders(mailbox.account_id()).expect("folders") {
        if folder.uidnext.is_some() {
            let of = |set: &BTreeSet<(String, u32, String)>| set.iter().filter(|(f, _, _)| *f == folder.name).count();
            assert_eq!(of(&cached), of(&server), "{} is marked complete but is not", folder.name);
        }
    }
}

fn cut_then_resume(seed: u64, rule: Rule) {
    cut_then_resume_with(seed, rule, Duration::from_secs(10));
}

fn cut_then_resume_with(seed: u64, rule: Rule, read_write: Duration) {
    let server = TestServer::shared();
    let (mut mailbox, proxy) = through_proxy(server, seed, vec![rule.clone()]);
    if let Account::Imap(imap) = &mut mailbox.account {
        imap.timeouts.read_write = read_write;
    }
    scan_through_the_cut(&mut mailbox, &proxy, &rule);
}

/// Scans until `rule` fired, then checks the cache and that the next scan completes it.
fn scan_through_the_cut(mailbox: &mut Mailbox<'_>, proxy: &Proxy, rule: &Rule) {
    match scan(mailbox, &CancelToken::new()) {
        Ok(summary) => assert!(!summary.cancelled),
        Err(e) => {
            eprintln!("{rule:?}: the scan failed: {}", e.detail());
            assert_eq!(e.kind(), ErrorKind::Network, "{rule:?}: {}", e.detail());
        }
    }
    assert!(proxy.all_fired(), "{rule:?} never fired");
    assert_consistent(mailbox);
    let resumed = scan(mailbox, &CancelToken::new()).unwrap_or_else(|e| panic!("{rule:?}: {}", e.detail()));
    assert!(!resumed.cancelled);
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing(), "{rule:?}");
}

#[test]
fn a_cut_during_list_is_a_plain_error_and_the_next_scan_completes() {
    cut_then_resume(
        41,
        Rule::CutAtCommand {
            needle: "LIST".into(),
            nth: 1,
        },
    );
}

#[test]
fn a_cut_at_examine_is_survived() {
    cut_then_resume(
        42,
        Rule::CutAtCommand {
            needle: "EXAMINE".into(),
            nth: 3,
        },
    );
}

#[test]
fn a_cut_during_the_uid_listing_is_survived() {
    let server = TestServer::shared();
    let rule = Rule::CutAtCommand {
        needle: "(UID FLAGS)".into(),
        nth: 2,
    };
    let (mut mailbox, proxy) = through_proxy(server, 43, vec![rule.clone()]);
    scan(&mut mailbox, &CancelToken::new()).unwrap_or_else(|e| panic!("first scan: {}", e.detail()));
    // NOTE: a first scan reads each folder in one pass; listing UIDs is what a resync does.
    assert!(!proxy.all_fired(), "a first scan listed UIDs");
    let user = mailbox.user.name.clone();
    for folder in ["INBOX", "Archive", "Junk"] {
        server
            .doveadm(&["flags", "add", "-u", &user, "\\Flagged", "mailbox", folder, "uid", "1:5"])
            .expect("flag messages");
    }
    server
        .doveadm(&["expunge", "-u", &user, "mailbox", "INBOX", "uid", "3"])
        .expect("expunge");
    scan_through_the_cut(&mut mailbox, &proxy, &rule);
}

#[test]
fn a_cut_between_chunks_is_survived() {
    cut_then_resume(
        44,
        Rule::CutAtCommand {
            needle: "BODY.PEEK".into(),
            nth: 4,
        },
    );
}

#[test]
fn a_cut_inside_a_fetch_literal_is_survived() {
    // NOTE: connection 0 logs in, lists and then reads folders; 30 kB lands inside a FETCH.
    for bytes in [30_000, 30_123, 55_555] {
        cut_then_resume(45, Rule::CutAfterBytes { connection: 0, bytes });
    }
}

#[test]
fn a_stalled_connection_times_out_and_is_retried() {
    cut_then_resume_with(
        46,
        Rule::StallAfterBytes {
            connection: 0,
            bytes: 40_000,
        },
        Duration::from_secs(3),
    );
}

#[test]
fn cancel_takes_effect_within_a_second_even_when_the_server_stalls() {
    let server = TestServer::shared();
    let (mut mailbox, _proxy) = through_proxy(
        server,
        47,
        vec![Rule::StallAfterBytes {
            connection: 0,
            bytes: 40_000,
        }],
    );
    if let Account::Imap(imap) = &mut mailbox.account {
        imap.timeouts.read_write = Duration::from_secs(30);
    }
    let cancel = CancelToken::new();
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(600));
            cancel.cancel();
            Instant::now()
        })
    };
    let summary = scan(&mut mailbox, &cancel).expect("a cancelled scan is not an error");
    let returned = Instant::now();
    let cancelled_at = canceller.join().expect("canceller");
    assert!(summary.cancelled);
    assert!(
        returned.duration_since(cancelled_at) < Duration::from_secs(1),
        "cancel took too long"
    );
    assert_consistent(&mailbox);
}

/// Another client changes the mailbox while a folder is open and its headers not yet read: flags,
/// expunges, new mail, a folder recreated (new UIDVALIDITY) and one renamed. The scan ends in a
/// success or a plain error, stores no unasked-for flag update as a message, and the next scan
/// makes the cache equal to the server.
#[test]
fn changes_by_another_client_during_a_scan_are_caught_by_the_next_scan() {
    let server = TestServer::shared();
    let rule = Rule::HoldAtCommand {
        needle: "BODY.PEEK".into(),
        nth: 1,
    };
    let (mut mailbox, proxy) = through_proxy(server, 47, vec![rule]);
    let user = mailbox.user.name.clone();
    let first = std::thread::scope(|scope| {
        let scanning = scope.spawn(|| scan(&mut mailbox, &CancelToken::new()));
        assert!(proxy.wait_until_held(Duration::from_secs(30)), "the scan never fetched headers");
        for folder in ["INBOX", "Archive", "Sent", "Junk", "Work"] {
            server
                .doveadm(&["flags", "add", "-u", &user, "\\Flagged", "mailbox", folder, "uid", "1:3"])
                .expect("flag messages");
            server
                .doveadm(&["expunge", "-u", &user, "mailbox", folder, "uid", "4:5"])
                .expect("expunge");
        }
        let arrivals = Corpus::generate(4700, 30, &Layout::standard());
        server.deliver_maildir(&server.user(&user), &arrivals).expect("deliver new mail");
        server.doveadm(&["mailbox", "delete", "-u", &user, "Trash"]).expect("delete Trash");
        server
            .doveadm(&["mailbox", "create", "-u", &user, "Trash"])
            .expect("recreate Trash");
        server
            .doveadm(&["mailbox", "rename", "-u", &user, "Work/Projects", "Work/Done"])
            .expect("rename");
        proxy.release();
        scanning.join().expect("scan thread")
    });
    match first {
        Ok(summary) => assert!(!summary.cancelled),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Network, "{}", e.detail()),
    }
    let mut cached = Vec::new();
    mailbox.store.for_each_message(|m| cached.push(m)).expect("read cache");
    for m in &cached {
        let raw = mailbox
            .store
            .raw_header(m.account_id, &m.folder, m.uidvalidity, m.uid)
            .expect("raw header");
        assert!(
            raw.is_some_and(|raw| !raw.is_empty()),
            "{} UID {}: a flag update the server sent unasked was stored as a message",
            m.folder,
            m.uid
        );
    }
    let second = scan(&mut mailbox, &CancelToken::new()).unwrap_or_else(|e| panic!("{}", e.detail()));
    assert!(!second.cancelled);
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
    let folders: Vec<String> = mailbox
        .store
        .folders(mailbox.account_id())
        .expect("folders")
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert!(folders.contains(&"Work/Done".to_string()) && !folders.contains(&"Work/Projects".to_string()));
}
