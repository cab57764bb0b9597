use super::*;
use crate::store::test_record as record;

use crate::message::parse_header;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache").join("mailhound.sqlite")).unwrap();
    (dir, store)
}

fn add(store: &mut Store, folder: FolderId, uid: u32, header: &str) {
    let parsed = parse_header(header.as_bytes());
    let msg = NewMessage {
        uid,
        flags: "\\Seen",
        internal_date: Some(1_700_000_000),
        size: Some(1234),
        raw_header: header.as_bytes(),
        parsed: &parsed,
    };
    store.insert_messages(folder, 7, &[msg]).unwrap();
}

#[test]
fn open_creates_private_file_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mailhound.sqlite");
    drop(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mailhound.sqlite");
    std::fs::write(&path, b"this is not sqlite, and it is somebody's only copy").unwrap();
    let err = Store::open(&path).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert_eq!(std::fs::read(&path).unwrap(), b"this is not sqlite, and it is somebody's only copy");
}

#[test]
fn messages_round_trip_with_decoded_fields() {
    let (_dir, mut store) = store();
    let account = store.account(&record("u@h:993")).unwrap();
    let junk = store.folder(account, "Junk", "Junk", FolderRole::Junk).unwrap();
    add(
        &mut store,
        junk,
        42,
        "From: Zoë Müller <ZOE@Example.com>\r\nSubject: Re: Ça va?\r\nMessage-ID: <1@x>\r\n\r\n",
    );
    let m = store.message(account, "Junk", 7, 42).unwrap().unwrap();
    assert_eq!((m.role, m.uid, m.flags.as_str()), (FolderRole::Junk, 42, "\\Seen"));
    assert_eq!((m.from_name.as_str(), m.from_address.as_str()), ("Zoë Müller", "zoe@example.com"));
    assert_eq!(m.subject, "Re: Ça va?");
    assert_eq!(store.folders(account).unwrap()[0].messages, 1);
}

#[test]
fn changes_and_uidvalidity_reset_touch_only_their_folder() {
    let (_dir, mut store) = store();
    let account = store.account(&record("u@h:993")).unwrap();
    let inbox = store.folder(account, "INBOX", "INBOX", FolderRole::Inbox).unwrap();
    let trash = store.folder(account, "Trash", "Trash", FolderRole::Trash).unwrap();
    for uid in 1..=3 {
        add(&mut store, inbox, uid, "Subject: a\r\n\r\n");
        add(&mut store, trash, uid, "Subject: b\r\n\r\n");
    }
    store.apply_changes(inbox, 7, &[(1, "\\Flagged".to_string())], &[2]).unwrap();
    let flags = store.cached_flags(inbox, 7).unwrap();
    assert_eq!(flags.len(), 2);
    assert_eq!(flags.get(&1).map(String::as_str), Some("\\Flagged"));
    store.reset_folder(inbox).unwrap();
    assert!(store.cached_flags(inbox, 7).unwrap().is_empty());
    assert_eq!(store.cached_flags(trash, 7).unwrap().len(), 3);
}

#[test]
fn restore_intent_is_resumed_not_duplicated() {
    let (_dir, mut store) = store();
    let account = store.account(&record("k")).unwrap();
    let intent = RestoreIntent {
        account,
        source_folder: "Junk".into(),
        uidvalidity: 7,
        uid: 3,
        message_id: Some("<m@x>".into()),
        size: None,
        internal_date: None,
        destination: "INBOX".into(),
    };
    let (first, resumed) = store.begin_restore(&intent).unwrap();
    assert!(!resumed);
    let (again, resumed) = store.begin_restore(&intent).unwrap();
    assert_eq!((again, resumed), (first, true));
    store.finish_restore(first, "move", Some(9), 0).unwrap();
    let (next, resumed) = store.begin_restore(&intent).unwrap();
    assert!(!resumed);
    assert_ne!(next, first);
}
