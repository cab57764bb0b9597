use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use mailhound_core::folder::FolderRole;
use mailhound_core::sync::SyncEvent;
use mailhound_tests::corpus::{Corpus, CorpusMessage, Layout};
use mailhound_tests::dovecot::TestServer;

use crate::mailbox::Mailbox;

fn roles(mailbox: &Mailbox<'_>) -> BTreeMap<String, FolderRole> {
    mailbox
        .store
        .folders(mailbox.account_id())
        .unwrap()
        .into_iter()
        .map(|f| (f.name, f.role))
        .collect()
}

#[test]
fn every_folder_is_found_with_its_role() {
    let server = TestServer::shared();
    let mut mailbox = Mailbox::new(server, &Corpus::generate(11, 400, &Layout::standard()));
    let summary = mailbox.sync();
    let roles = roles(&mailbox);
    for (folder, role) in [
        ("INBOX", FolderRole::Inbox),
        ("Junk", FolderRole::Junk),
        ("Trash", FolderRole::Trash),
        ("Archive", FolderRole::Archive),
        ("Sent", FolderRole::Sent),
        ("Drafts", FolderRole::Drafts),
        ("Work/Projects", FolderRole::Other),
    ] {
        assert_eq!(roles.get(folder), Some(&role), "{folder} in {roles:?}");
    }
    assert!(!roles.contains_key("Lists"), "a \\NonExistent parent is not a folder");
    assert_eq!(summary.messages as usize, mailbox.server_listing().len());
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn gmail_layout_roles_come_from_special_use() {
    let server = TestServer::shared();
    let user = server.fresh_gmail_user();
    let mut mailbox = Mailbox::for_user(server, user, &Corpus::generate(12, 200, &Layout::gmail()));
    mailbox.sync();
    let roles = roles(&mailbox);
    assert_eq!(roles.get("[Gmail]/Spam"), Some(&FolderRole::Junk));
    assert_eq!(roles.get("[Gmail]/Trash"), Some(&FolderRole::Trash));
    assert_eq!(roles.get("[Gmail]/All Mail"), Some(&FolderRole::All));
    assert_eq!(roles.get("[Gmail]/Sent Mail"), Some(&FolderRole::Sent));
    assert!(!roles.contains_key("[Gmail]"));
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn nested_and_non_ascii_folders_are_scanned_by_their_exact_names() {
    let server = TestServer::shared();
    let mut mailbox = Mailbox::new(server, &Corpus::generate(13, 200, &Layout::international()));
    mailbox.sync();
    let folders = mailbox.store.folders(mailbox.account_id()).unwrap();
    let recus = folders
        .iter()
        .find(|f| f.display_name == "Reçus")
        .expect("Reçus is listed, decoded");
    assert_eq!(recus.name, "Re&AOc-us", "the server's exact name is kept for commands");
    assert!(recus.messages > 0);
    assert!(folders.iter().any(|f| f.role == FolderRole::Backup), "{folders:?}");
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn scanning_never_marks_anything_read() {
    let server = TestServer::shared();
    let unread = CorpusMessage::builder().folder("INBOX").subject("Still unread").build();
    let mut mailbox = Mailbox::new(server, &[unread]);
    let before = mailbox.server_listing();
    assert!(before.iter().all(|(_, _, flags)| !flags.contains("\\Seen")));
    mailbox.sync();
    assert_eq!(mailbox.server_listing(), before);
}

#[test]
fn resync_follows_new_mail_flag_changes_expunges_and_uidvalidity_changes() {
    let server = TestServer::shared();
    let mut mailbox = Mailbox::new(server, &Corpus::generate(14, 300, &Layout::standard()));
    let mut progress = 0;
    let first = mailbox.sync_with_events(&mut |e| {
        if matches!(e, SyncEvent::FolderProgress { .. }) {
            progress += 1;
        }
    });
    assert!(progress > 3, "progress is reported within folders, not only at their ends");
    assert_eq!(first.fetched, first.messages);

    // Nothing changed: nothing is downloaded again.
    let again = mailbox.sync();
    assert_eq!(again.fetched, 0);
    assert_eq!(again.messages, first.messages);

    // New mail, a flag set by another client, and another client's expunge.
    let new_mail: Vec<CorpusMessage> = (0..5)
        .map(|i| {
            CorpusMessage::builder()
                .folder("INBOX")
                .subject(&format!("New arrival {i}"))
                .internal_date(Utc.with_ymd_and_hms(2026, 11, 20, 9, i, 0).unwrap())
                .build()
        })
        .collect();
    server.deliver_maildir(&mailbox.user, &new_mail).unwrap();
    let user = mailbox.user.name.clone();
    server
        .doveadm(&["flags", "add", "-u", &user, "\\Flagged", "mailbox", "Archive", "uid", "1"])
        .unwrap();
    server.doveadm(&["expunge", "-u", &user, "mailbox", "Junk", "uid", "2"]).unwrap();
    let third = mailbox.sync();
    assert_eq!(third.fetched, 5, "only the new messages are fetched");
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
    assert!(
        mailbox
            .cached_listing()
            .iter()
            .any(|(f, uid, flags)| f == "Archive" && *uid == 1 && flags.contains("\\Flagged"))
    );

    // The Junk folder is recreated: new UIDVALIDITY; only Junk is rebuilt.
    let junk_before = mailbox.cached_folder("Junk");
    server.doveadm(&["mailbox", "delete", "-u", &user, "Junk"]).unwrap();
    server.doveadm(&["mailbox", "create", "-u", &user, "Junk"]).unwrap();
    let respawned = CorpusMessage::builder().folder("Junk").subject("Fresh spam").build();
    server.deliver_maildir(&mailbox.user, &[respawned]).unwrap();
    let fourth = mailbox.sync();
    let junk_after = mailbox.cached_folder("Junk");
    assert_ne!(junk_before.uidvalidity, junk_after.uidvalidity);
    assert_eq!(junk_after.messages, 1);
    assert_eq!(fourth.fetched, 1, "only the rebuilt folder is fetched again");
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn a_folder_deleted_on_the_server_is_forgotten() {
    let server = TestServer::shared();
    let messages = vec![
        CorpusMessage::builder().folder("Projects").subject("Kick-off").build(),
        CorpusMessage::builder().folder("INBOX").subject("Hello").build(),
    ];
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();
    assert!(mailbox.cached_listing().iter().any(|(f, _, _)| f == "Projects"));
    server
        .doveadm(&["mailbox", "delete", "-u", &mailbox.user.name, "Projects"])
        .unwrap();
    mailbox.sync();
    assert!(!roles(&mailbox).contains_key("Projects"));
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn cancelling_stops_between_chunks_and_the_next_scan_completes() {
    let server = TestServer::shared();
    let mut mailbox = Mailbox::new(server, &Corpus::generate(15, 400, &Layout::standard()));
    let cancel = mailhound_core::cancel::CancelToken::new();
    let mut seen = 0;
    let summary = mailhound_core::sync::sync_account(
        &mut mailbox.store,
        &mailbox.account,
        Some(&mailbox.password),
        mailhound_core::sync::SyncOptions { chunk: 20 },
        &cancel,
        &mut |e| {
            if let SyncEvent::FolderProgress { done, .. } = e
                && done > 0
            {
                seen += 1;
                if seen == 3 {
                    cancel.cancel();
                }
            }
        },
    )
    .unwrap();
    assert!(summary.cancelled);
    let partial = mailbox.cached_listing().len();
    assert!(partial > 0 && partial < 400, "{partial} cached before the cancel took effect");
    let resumed = mailbox.sync();
    assert!(!resumed.cancelled);
    assert_eq!(
        resumed.fetched as usize,
        mailbox.server_listing().len() - partial,
        "the resumed scan fetches only what is missing"
    );
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn starttls_and_loopback_plaintext_reach_the_same_mail() {
    let server = TestServer::shared();
    let mut mailbox = Mailbox::new(server, &[CorpusMessage::builder().folder("INBOX").subject("Over STARTTLS").build()]);
    if let mailhound_core::account::Account::Imap(imap) = &mut mailbox.account {
        imap.port = server.endpoint().imap_port;
        imap.security = mailhound_core::account::Security::StartTls;
    }
    assert_eq!(mailbox.sync().messages, 1);
    if let mailhound_core::account::Account::Imap(imap) = &mut mailbox.account {
        imap.host = "127.0.0.1".to_string();
        imap.allow_plaintext_on_loopback().unwrap();
    }
    assert_eq!(mailbox.sync().messages, 1);
}

#[test]
fn a_folder_renamed_on_the_server_is_read_under_its_new_name() {
    let server = TestServer::shared();
    let messages: Vec<CorpusMessage> = (0..30)
        .map(|i| CorpusMessage::builder().folder("Projects").subject(&format!("Plan {i}")).build())
        .collect();
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();
    server
        .doveadm(&["mailbox", "rename", "-u", &mailbox.user.name, "Projects", "Done"])
        .unwrap();
    let summary = mailbox.sync();
    let roles = roles(&mailbox);
    assert!(!roles.contains_key("Projects"), "the old name is forgotten");
    assert!(roles.contains_key("Done"));
    assert_eq!(summary.messages, 30);
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

/// Dovecot lists INBOX last; the folder sizes from LIST-STATUS let a first scan start with the
/// biggest folder instead of leaving it, alone on one connection, for the end.
#[test]
fn a_first_scan_starts_with_the_biggest_folders() {
    let server = TestServer::shared();
    let mut mailbox = Mailbox::new(server, &Corpus::generate(15, 400, &Layout::standard()));
    let mut on_server = BTreeMap::<String, u32>::new();
    for (folder, _, _) in mailbox.server_listing() {
        *on_server.entry(folder).or_default() += 1;
    }
    let listed = mailhound_core::source::open(&mailbox.account, Some(&mailbox.password))
        .and_then(|mut source| source.folders_with_sizes())
        .expect("list folders");
    for folder in &listed {
        assert_eq!(
            folder.messages,
            Some(on_server.get(&folder.name).copied().unwrap_or(0)),
            "{}",
            folder.name
        );
    }
    let biggest = listed.iter().max_by_key(|f| f.messages).map(|f| f.name.clone()).expect("folders");
    let mut started = Vec::new();
    mailbox.sync_with_events(&mut |event| {
        if let SyncEvent::FolderStarted { folder, .. } = event {
            started.push(folder);
        }
    });
    let position = started.iter().position(|f| *f == biggest);
    assert!(position.is_some_and(|p| p < 3), "{biggest} started at {position:?} of {started:?}");
}
