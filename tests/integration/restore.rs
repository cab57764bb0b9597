use mailhound_core::recovery::restore::{RestoreMethod, restore_to_inbox};
use mailhound_core::store::{CachedMessage, RestoreIntent};
use mailhound_tests::corpus::{CorpusMessage, Flag};
use mailhound_tests::dovecot::{Capabilities, ServerOptions, TestServer};
use mailhound_tests::raw_imap::quoted;

use crate::mailbox::Mailbox;

const TARGET: &str = "<restore-me@brightwater.example>";
const VICTIM: &str = "<marked-deleted-by-someone-else@example.org>";

fn junk_with_target_and_victim<'s>(server: &'s TestServer, target_flags: &[Flag]) -> Mailbox<'s> {
    let messages = vec![
        CorpusMessage::builder()
            .folder("Junk")
            .subject("Roofing quote")
            .message_id(TARGET)
            .flags(target_flags)
            .build(),
        CorpusMessage::builder()
            .folder("Junk")
            .subject("Someone else's deleted mail")
            .message_id(VICTIM)
            .flags(&[Flag::Deleted, Flag::Seen])
            .build(),
        CorpusMessage::builder().folder("INBOX").subject("Unrelated").build(),
    ];
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();
    mailbox
}

fn cached(mailbox: &Mailbox<'_>, message_id: &str) -> CachedMessage {
    mailbox.cached(|m| m.message_id.as_deref() == Some(message_id))
}

/// UIDs of messages with this Message-ID in `folder`, with their flags, as the server says.
fn on_server(mailbox: &Mailbox<'_>, folder: &str, message_id: &str) -> Vec<(u32, String)> {
    let mut session = mailbox.raw();
    session.command(&format!("EXAMINE {}", quoted(folder))).unwrap();
    let search = session
        .command(&format!("UID SEARCH HEADER Message-ID {}", quoted(message_id)))
        .unwrap();
    let uids: Vec<u32> = search
        .untagged
        .iter()
        .filter_map(|l| l.strip_prefix("* SEARCH"))
        .flat_map(|rest| rest.split_whitespace().filter_map(|n| n.parse().ok()).collect::<Vec<u32>>())
        .collect();
    uids.into_iter()
        .map(|uid| {
            let fetched = session.command(&format!("UID FETCH {uid} (FLAGS)")).unwrap();
            let flags = fetched
                .untagged
                .first()
                .and_then(|l| l.split("FLAGS (").nth(1))
                .and_then(|f| f.split(')').next())
                .unwrap_or("")
                .to_string();
            (uid, flags)
        })
        .collect()
}

/// The intent an earlier, interrupted attempt would have written down before sending anything.
fn pending_intent(target: &CachedMessage) -> RestoreIntent {
    RestoreIntent {
        account: target.account_id,
        source_folder: target.folder.clone(),
        uidvalidity: target.uidvalidity,
        uid: target.uid,
        message_id: target.message_id.clone(),
        size: target.size,
        internal_date: target.internal_date,
        destination: "INBOX".into(),
    }
}

fn server_without(capabilities: Capabilities) -> TestServer {
    TestServer::start(ServerOptions { capabilities }).unwrap()
}

/// Replays an earlier attempt that wrote its intent and sent `command` (`UID MOVE`/`UID COPY`) to
/// the server, then lost the connection before hearing back.
fn interrupted_after(mailbox: &mut Mailbox<'_>, target: &CachedMessage, command: &str) {
    mailbox.store.begin_restore(&pending_intent(target)).unwrap();
    let mut raw = mailbox.raw();
    raw.command("SELECT Junk").unwrap();
    assert!(raw.command(&format!("{command} {} INBOX", target.uid)).unwrap().is_ok());
}

fn restore_and_check(server: &TestServer, expected: RestoreMethod) {
    let mut mailbox = junk_with_target_and_victim(server, &[Flag::Seen, Flag::Deleted]);
    let target = cached(&mailbox, TARGET);
    let restored = restore_to_inbox(&mut mailbox.store, &mailbox.account, Some(&mailbox.password), &target).unwrap();
    assert_eq!(restored.method, expected);

    let in_inbox = on_server(&mailbox, "INBOX", TARGET);
    assert_eq!(in_inbox.len(), 1, "exactly one copy in INBOX");
    assert_eq!(restored.inbox_uid, Some(in_inbox[0].0), "the reported Inbox UID is the real one");
    assert!(
        !in_inbox[0].1.contains("\\Deleted"),
        "the restored copy does not keep \\Deleted: {}",
        in_inbox[0].1
    );
    let left_in_junk = on_server(&mailbox, "Junk", TARGET);
    assert_eq!(left_in_junk.is_empty(), !restored.original_kept);
    assert_eq!(restored.original_kept, expected == RestoreMethod::Copy);

    let victim = on_server(&mailbox, "Junk", VICTIM);
    assert_eq!(victim.len(), 1, "another client's \\Deleted message survives the restore");
    assert!(victim[0].1.contains("\\Deleted"));

    mailbox.sync();
    assert_eq!(mailbox.cached_listing(), mailbox.server_listing());
}

#[test]
fn restore_uses_move_when_the_server_has_it() {
    restore_and_check(TestServer::shared(), RestoreMethod::Move);
}

#[test]
fn restore_without_move_copies_then_expunges_only_that_uid() {
    let server = server_without(Capabilities::WithoutMove);
    restore_and_check(&server, RestoreMethod::CopyExpunge);
}

#[test]
fn restore_without_move_or_uidplus_copies_and_keeps_the_original() {
    let server = server_without(Capabilities::WithoutMoveAndUidplus);
    restore_and_check(&server, RestoreMethod::Copy);
}

#[test]
fn a_retry_after_a_lost_move_reply_does_not_duplicate() {
    let server = TestServer::shared();
    let mut mailbox = junk_with_target_and_victim(server, &[Flag::Seen]);
    let target = cached(&mailbox, TARGET);
    // The first attempt was written down and its MOVE reached the server, but the reply was lost.
    interrupted_after(&mut mailbox, &target, "UID MOVE");

    let restored = restore_to_inbox(&mut mailbox.store, &mailbox.account, Some(&mailbox.password), &target).unwrap();
    assert!(!restored.original_kept);
    assert_eq!(on_server(&mailbox, "INBOX", TARGET).len(), 1);
    assert!(on_server(&mailbox, "Junk", TARGET).is_empty());
}

#[test]
fn a_retry_after_a_cut_between_copy_and_expunge_finishes_the_job() {
    let server = server_without(Capabilities::WithoutMove);
    let mut mailbox = junk_with_target_and_victim(&server, &[Flag::Seen]);
    let target = cached(&mailbox, TARGET);
    interrupted_after(&mut mailbox, &target, "UID COPY");

    let restored = restore_to_inbox(&mut mailbox.store, &mailbox.account, Some(&mailbox.password), &target).unwrap();
    assert_eq!(restored.method, RestoreMethod::CopyExpunge);
    assert_eq!(on_server(&mailbox, "INBOX", TARGET).len(), 1, "no second copy");
    assert!(on_server(&mailbox, "Junk", TARGET).is_empty(), "the original is removed this time");
    assert_eq!(on_server(&mailbox, "Junk", VICTIM).len(), 1);
}

#[test]
fn a_message_already_in_the_inbox_is_left_alone() {
    let server = TestServer::shared();
    let messages = vec![
        CorpusMessage::builder().folder("Junk").subject("Dup").message_id(TARGET).build(),
        CorpusMessage::builder().folder("INBOX").subject("Dup").message_id(TARGET).build(),
    ];
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();
    let junk_copy = mailbox.cached(|m| m.folder == "Junk");
    let restored = restore_to_inbox(&mut mailbox.store, &mailbox.account, Some(&mailbox.password), &junk_copy).unwrap();
    assert_eq!(restored.method, RestoreMethod::AlreadyThere);
    assert_eq!(on_server(&mailbox, "INBOX", TARGET).len(), 1);
    assert_eq!(on_server(&mailbox, "Junk", TARGET).len(), 1);
}

#[test]
fn a_message_without_message_id_is_recognised_by_size_date_and_headers() {
    let server = server_without(Capabilities::WithoutMove);
    let messages = vec![
        CorpusMessage::builder()
            .folder("Junk")
            .subject("No id, please restore")
            .without_message_id()
            .build(),
        CorpusMessage::builder()
            .folder("INBOX")
            .subject("No id either, but another message")
            .without_message_id()
            .build(),
    ];
    let mut mailbox = Mailbox::new(&server, &messages);
    mailbox.sync();
    let target = mailbox.cached(|m| m.folder == "Junk");
    assert_eq!(target.message_id, None);
    interrupted_after(&mut mailbox, &target, "UID COPY");

    let restored = restore_to_inbox(&mut mailbox.store, &mailbox.account, Some(&mailbox.password), &target).unwrap();
    assert_eq!(restored.method, RestoreMethod::CopyExpunge);
    let inbox = mailbox.server_listing().into_iter().filter(|(f, _, _)| f == "INBOX").count();
    assert_eq!(inbox, 2, "the earlier copy was recognised, so no third message appeared");
    assert!(
        mailbox.server_listing().iter().all(|(f, _, _)| f != "Junk"),
        "the original left Junk"
    );
}
