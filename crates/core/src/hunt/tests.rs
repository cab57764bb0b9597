use super::*;
use crate::store::AccountRecord;

fn record(key: &str) -> AccountRecord {
    AccountRecord {
        key: key.to_string(),
        kind: "imap".to_string(),
        location: format!("imaps://{key}"),
        ca_file: None,
        plaintext: false,
    }
}

use crate::folder::FolderRole;
use crate::message::parse_header;
use crate::store::NewMessage;

const NOV_3_2026: i64 = 1_793_664_000;

struct Mailbox {
    _dir: tempfile::TempDir,
    store: Store,
    account: AccountId,
}

fn mailbox(messages: &[(&str, FolderRole, u32, &str)]) -> Mailbox {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("m.sqlite")).unwrap();
    let account = store.account(&record("a")).unwrap();
    for (folder, role, uid, header) in messages {
        let id = store.folder(account, folder, folder, *role).unwrap();
        let parsed = parse_header(header.as_bytes());
        let row = NewMessage {
            uid: *uid,
            flags: "",
            internal_date: parsed.date.map(|d| d + 30),
            size: None,
            raw_header: header.as_bytes(),
            parsed: &parsed,
        };
        store.insert_messages(id, 1, &[row]).unwrap();
    }
    Mailbox { _dir: dir, store, account }
}

fn query(from: Option<&str>, subject: Option<&str>, date: Option<i64>, slack: u32) -> HuntQuery {
    HuntQuery {
        account: None,
        from: from.map(String::from),
        subject: subject.map(String::from),
        date,
        date_slack_days: slack,
        limit: 10,
    }
}

fn corpus() -> Mailbox {
    mailbox(&[
        (
            "Junk",
            FolderRole::Junk,
            1,
            "From: Margaret Hollins <m.hollins@brightwater.example>\r\nSubject: Re: [Quotes] Your roofing quote, revised\r\nDate: Thu, 5 Nov 2026 10:00:00 +0000\r\nMessage-ID: <roof@bw>\r\n\r\n",
        ),
        (
            "INBOX",
            FolderRole::Inbox,
            1,
            "From: Margaret Collins <mc@example.org>\r\nSubject: Garden party\r\nDate: Thu, 5 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
        (
            "INBOX",
            FolderRole::Inbox,
            2,
            "From: Roofs R Us <offers@roofs.example>\r\nSubject: Cheap roofing quote!\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
        (
            "Trash",
            FolderRole::Trash,
            1,
            "From: St Mary's School <office@stmarys.example>\r\nSubject: School trip consent form\r\nDate: Fri, 30 Oct 2026 08:00:00 +0000\r\nMessage-ID: <trip@school>\r\n\r\n",
        ),
        (
            "Archive",
            FolderRole::Archive,
            1,
            "From: Margaret Hollins <m.hollins@brightwater.example>\r\nSubject: Re: [Quotes] Your roofing quote, revised\r\nDate: Thu, 5 Nov 2026 10:00:00 +0000\r\nMessage-ID: <roof@bw>\r\n\r\n",
        ),
    ])
}

#[test]
fn misspelt_name_and_subject_find_the_message_in_junk() {
    let m = corpus();
    let hits = hunt(&m.store, &query(Some("margret hollis"), Some("roof qoute"), Some(NOV_3_2026), 1)).unwrap();
    let top = &hits[0];
    assert_eq!(top.message.message_id.as_deref(), Some("<roof@bw>"));
    assert_eq!(top.message.role, FolderRole::Junk);
    assert_eq!(
        top.also_in.len(),
        1,
        "the Archive copy is the same message, listed as a second place"
    );
    assert_eq!(top.also_in[0].folder, "Archive");
    let why = top.why.join(" | ");
    assert!(why.contains("“hollis” ≈ “hollins” (one letter differs)"), "{why}");
    assert!(why.contains("“qoute” ≈ “quote”"), "{why}");
    assert!(why.contains("sent 2 days after the date you gave"), "{why}");
    assert_eq!(
        top.where_text(),
        "In Junk: your spam filter put it there. A copy is also in Archive."
    );
    assert!(
        hits.iter().all(|h| h.message.from_address != "mc@example.org"),
        "Collins is not Hollins"
    );
}

#[test]
fn word_order_case_and_partial_words_do_not_matter() {
    let m = corpus();
    let hits = hunt(&m.store, &query(None, Some("FORM trip consent"), None, 0)).unwrap();
    assert_eq!(hits[0].message.role, FolderRole::Trash);
    let hits = hunt(&m.store, &query(Some("hollins"), Some("roofing"), None, 0)).unwrap();
    assert_eq!(hits.len(), 1);
    let hits = hunt(&m.store, &query(Some("st mary"), None, None, 0)).unwrap();
    assert_eq!(hits[0].message.message_id.as_deref(), Some("<trip@school>"));
}

#[test]
fn a_date_just_outside_the_slack_ranks_lower_but_stays() {
    let m = corpus();
    let hits = hunt(&m.store, &query(None, Some("roofing quote"), Some(NOV_3_2026), 0)).unwrap();
    assert_eq!(hits.len(), 2);
    // The cheap offer is one day off, the revised quote two: closer date first at equal words.
    assert_eq!(hits[0].message.from_address, "offers@roofs.example");
    assert!(hits[1].score < hits[0].score);
}

#[test]
fn date_only_hunt_lists_messages_of_that_window() {
    let m = corpus();
    let hits = hunt(&m.store, &query(None, None, Some(NOV_3_2026 + 2 * DAY), 0)).unwrap();
    let mut folders: Vec<&str> = hits.iter().map(|h| h.message.folder.as_str()).collect();
    folders.sort();
    assert_eq!(folders, ["INBOX", "Junk"]);
}

#[test]
fn an_empty_hunt_is_refused() {
    let m = corpus();
    let err = hunt(&m.store, &query(Some("  "), Some("re:"), None, 0)).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let _ = m.account;
}
