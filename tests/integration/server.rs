//! Checks that the Dovecot harness serves what it was told to: loaded mail, layouts, folder names
//! and capability variants, seen through a raw IMAP session.

use std::collections::BTreeMap;

use mailhound_tests::corpus::{Corpus, CorpusMessage, Flag, Layout};
use mailhound_tests::dovecot::{Capabilities, ServerOptions, TestServer, UserKind};
use mailhound_tests::raw_imap::{RawSession, mailbox_argument};

fn count_by_folder(messages: &[CorpusMessage]) -> BTreeMap<&str, u32> {
    let mut counts = BTreeMap::new();
    for message in messages {
        *counts.entry(message.folder.as_str()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn loaded_mail_shows_up_in_examine_over_implicit_tls() {
    let server = TestServer::shared();
    let user = server.fresh_user();
    let messages = Corpus::generate(50, 50, &Layout::standard());
    let delivery = server.deliver_maildir(&user, &messages).unwrap();
    assert_eq!(delivery.files, messages.len());

    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&user).unwrap();
    let inbox = session.command("EXAMINE INBOX").unwrap();
    assert!(inbox.is_ok(), "{inbox:?}");
    let expected = count_by_folder(&messages);
    assert_eq!(inbox.number_before("EXISTS"), expected.get("INBOX").copied());
    for (folder, count) in &expected {
        let status = session.command(&format!("STATUS {} (MESSAGES)", mailbox_argument(folder))).unwrap();
        let line = status.untagged.join(" ");
        assert!(line.contains(&format!("(MESSAGES {count})")), "{folder}: {line}");
    }
    let seen_in_inbox = messages
        .iter()
        .filter(|m| m.folder == "INBOX" && m.flags.contains(&Flag::Seen))
        .count();
    let search = session.command("UID SEARCH SEEN").unwrap();
    let found = search.untagged[0].split_whitespace().count() - 2;
    assert_eq!(found, seen_in_inbox);
}

#[test]
fn a_planted_message_keeps_its_folder_date_and_message_id() {
    let server = TestServer::shared();
    let user = server.fresh_user();
    let date = chrono::DateTime::parse_from_rfc3339("2026-11-03T09:14:00+01:00").unwrap();
    let planted = CorpusMessage::builder()
        .folder("Junk")
        .from("Margaret Hollins", "m.hollins@brightwater.example")
        .subject("Your roofing quote, revised")
        .date(date)
        .message_id("<roof-quote-2026@brightwater.example>")
        .build();
    let mut messages = Corpus::generate(9, 40, &Layout::standard());
    messages.push(planted);
    server.deliver_maildir(&user, &messages).unwrap();

    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&user).unwrap();
    assert!(session.command("EXAMINE Junk").unwrap().is_ok());
    let search = session
        .command("UID SEARCH HEADER Message-ID roof-quote-2026@brightwater.example")
        .unwrap();
    let uid = search.untagged[0].strip_prefix("* SEARCH ").unwrap().trim().to_owned();
    let fetch = session
        .command(&format!("UID FETCH {uid} (INTERNALDATE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])"))
        .unwrap();
    let text = fetch.untagged.join("\n");
    assert!(text.contains("INTERNALDATE \"03-Nov-2026 08:14:30 +0000\""), "{text}");
    assert!(text.contains("Subject: Your roofing quote, revised"), "{text}");
}

#[test]
fn non_ascii_and_nested_folders_are_listed_in_modified_utf7() {
    let server = TestServer::shared();
    let user = server.fresh_user();
    let messages = Corpus::generate(4, 120, &Layout::international());
    server.deliver_maildir(&user, &messages).unwrap();

    let mut session = RawSession::connect_plain(server.endpoint()).unwrap();
    assert!(session.greeting.contains("STARTTLS"), "{}", session.greeting);
    session.login(&user).unwrap();
    let list = session.command("LIST \"\" \"*\"").unwrap();
    let names = list.untagged.join("\n");
    for wire_name in ["Re&AOc-us", "Work/Projects", "BACKUP", "R&-D", "&BBcEMAQ8BDUEQgQ6BDg-"] {
        assert!(names.contains(wire_name), "{wire_name} missing from\n{names}");
    }
    let subscribed = session.command("LSUB \"\" \"*\"").unwrap().untagged.join("\n");
    assert!(subscribed.contains("Re&AOc-us"), "{subscribed}");
    for (folder, count) in count_by_folder(&messages) {
        let reply = session.command(&format!("EXAMINE {}", mailbox_argument(folder))).unwrap();
        assert_eq!(reply.number_before("EXISTS"), Some(count), "{folder}");
    }
}

#[test]
fn gmail_users_see_gmail_names_with_special_use() {
    let server = TestServer::shared();
    let user = server.fresh_gmail_user();
    assert_eq!(user.kind, UserKind::Gmail);
    let messages = Corpus::generate(6, 200, &Layout::gmail());
    server.deliver_maildir(&user, &messages).unwrap();

    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&user).unwrap();
    let list = session.command("LIST \"\" \"*\" RETURN (SPECIAL-USE)").unwrap();
    let names = list.untagged.join("\n");
    for expected in [
        "(\\All) \"/\" \"[Gmail]/All Mail\"",
        "\\Junk) \"/\" [Gmail]/Spam",
        "\\Sent) \"/\" \"[Gmail]/Sent Mail\"",
    ] {
        assert!(names.contains(expected), "{expected} missing from\n{names}");
    }
    assert!(!names.contains("\"Sent\""), "{names}");
    let all_mail = count_by_folder(&messages)["[Gmail]/All Mail"];
    let reply = session.command("EXAMINE \"[Gmail]/All Mail\"").unwrap();
    assert_eq!(reply.number_before("EXISTS"), Some(all_mail));
}

#[test]
fn virtual_all_holds_everything_but_trash_and_junk() {
    let server = TestServer::shared();
    let user = server.user("alice");
    assert_eq!(user.kind, UserKind::StandardWithVirtualAll);
    let messages = Corpus::generate(12, 300, &Layout::standard());
    server.deliver_maildir(&user, &messages).unwrap();
    let expected = messages.iter().filter(|m| m.folder != "Trash" && m.folder != "Junk").count() as u32;

    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&user).unwrap();
    let list = session.command("LIST \"\" \"Virtual/*\" RETURN (SPECIAL-USE)").unwrap();
    assert!(list.untagged.join("\n").contains("\\All"), "{list:?}");
    let reply = session.command("EXAMINE Virtual/All").unwrap();
    assert_eq!(reply.number_before("EXISTS"), Some(expected), "{reply:?}");
}

#[test]
fn doveadm_changes_are_visible_to_clients() {
    let server = TestServer::shared();
    let user = server.fresh_user();
    let messages: Vec<CorpusMessage> = Corpus::generate(13, 80, &Layout::standard())
        .into_iter()
        .filter(|m| m.folder == "INBOX")
        .collect();
    server.deliver_maildir(&user, &messages).unwrap();

    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&user).unwrap();
    let before = session.command("STATUS INBOX (MESSAGES UIDVALIDITY)").unwrap();
    server
        .doveadm(&["expunge", "-u", &user.name, "mailbox", "INBOX", "uid", "1"])
        .unwrap();
    let after = session.command("STATUS INBOX (MESSAGES)").unwrap();
    let count = messages.len();
    assert!(before.untagged[0].contains(&format!("MESSAGES {count}")), "{before:?}");
    assert!(after.untagged[0].contains(&format!("MESSAGES {}", count - 1)), "{after:?}");
}

fn capabilities_after_login(server: &TestServer) -> Vec<String> {
    let user = server.fresh_user();
    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&user).unwrap();
    session.command("CAPABILITY").unwrap().capabilities().unwrap()
}

#[test]
fn capability_variants_hide_exactly_move_and_uidplus_after_login() {
    let default = capabilities_after_login(TestServer::shared());
    for cap in ["MOVE", "UIDPLUS", "IDLE", "SPECIAL-USE", "LITERAL+", "CONDSTORE", "QRESYNC"] {
        assert!(default.iter().any(|c| c == cap), "default lacks {cap}: {default:?}");
    }
    for variant in [Capabilities::WithoutMove, Capabilities::WithoutMoveAndUidplus] {
        let server = TestServer::start(ServerOptions { capabilities: variant }).unwrap();
        let caps = capabilities_after_login(&server);
        let expected: Vec<String> = default
            .iter()
            .filter(|cap| !variant.hidden().contains(&cap.as_str()))
            .cloned()
            .collect();
        assert_eq!(caps, expected, "{variant:?}");
        server.stop().unwrap();
        assert!(!server.dir().exists());
    }
}

#[test]
fn users_added_while_running_can_log_in_and_the_pool_grows_on_demand() {
    let server = TestServer::start(ServerOptions::default()).unwrap();
    let dave = server.add_user("dave", UserKind::StandardWithVirtualAll).unwrap();
    assert!(server.add_user("dave", UserKind::Standard).is_err());
    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(&dave).unwrap();
    assert!(session.command("EXAMINE Virtual/All").unwrap().is_ok());

    let pool: Vec<_> = (0..=mailhound_tests::dovecot::STANDARD_POOL).map(|_| server.fresh_user()).collect();
    let beyond = pool.last().unwrap();
    assert_eq!(beyond.name, "user-41");
    server
        .deliver_maildir(beyond, &Corpus::generate(1, 5, &Layout::standard()))
        .unwrap();
    let mut session = RawSession::connect_tls(server.endpoint()).unwrap();
    session.login(beyond).unwrap();
}
