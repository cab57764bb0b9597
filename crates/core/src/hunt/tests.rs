use super::query::TIED_WITH_ABOVE;
use super::*;
use crate::ErrorKind;
use crate::store::test_record as record;

use crate::folder::FolderRole;
use crate::message::parse_header;
use crate::store::NewMessage;

const NOV_3_2026: i64 = 1_793_664_000;

struct Mailbox {
    _dir: tempfile::TempDir,
    store: Store,
    account: AccountId,
}

/// A mailbox with `headers` in INBOX, UIDs in order.
fn inbox(headers: &[String]) -> Mailbox {
    let messages: Vec<(&str, FolderRole, u32, &str)> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| ("INBOX", FolderRole::Inbox, i as u32 + 1, h.as_str()))
        .collect();
    mailbox(&messages)
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
        from: from.map(String::from),
        subject: subject.map(String::from),
        when: date.map_or(When::Any, |day| When::Around { day, slack_days: slack }),
        limit: 10,
        ..HuntQuery::default()
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

#[test]
fn roles_attachments_recipients_and_ranges_narrow_the_hunt() {
    let m = mailbox(&[
        (
            "INBOX",
            FolderRole::Inbox,
            1,
            "From: Ann <ann@x.example>\r\nTo: Robin <robin@home.example>\r\nSubject: Photos from the trip\r\nContent-Type: multipart/mixed; boundary=b\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
        (
            "Trash",
            FolderRole::Trash,
            1,
            "From: Ann <ann@x.example>\r\nTo: Sam <sam@work.example>\r\nSubject: Photos from the trip\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
    ]);
    let base = query(Some("ann"), Some("photos"), None, 0);
    assert_eq!(hunt(&m.store, &base).unwrap().len(), 2);
    let in_trash = HuntQuery {
        roles: vec![FolderRole::Trash, FolderRole::Junk],
        ..base.clone()
    };
    assert_eq!(hunt(&m.store, &in_trash).unwrap()[0].message.folder, "Trash");
    let attached = HuntQuery {
        has_attachment: Some(true),
        ..base.clone()
    };
    let hits = hunt(&m.store, &attached).unwrap();
    assert_eq!((hits.len(), hits[0].message.folder.as_str()), (1, "INBOX"));
    let unattached = HuntQuery {
        has_attachment: Some(false),
        ..base.clone()
    };
    let hits = hunt(&m.store, &unattached).unwrap();
    assert_eq!((hits.len(), hits[0].message.folder.as_str()), (1, "Trash"));
    let to_sam = HuntQuery {
        to: Some("sam".into()),
        ..base.clone()
    };
    let hits = hunt(&m.store, &to_sam).unwrap();
    assert_eq!((hits.len(), hits[0].message.folder.as_str()), (1, "Trash"));
    let range = HuntQuery {
        when: When::Between {
            first_day: NOV_3_2026 + 4 * DAY,
            last_day: NOV_3_2026 + 8 * DAY,
        },
        ..base
    };
    let hits = hunt(&m.store, &range).unwrap();
    assert_eq!(hits[0].message.folder, "Trash", "inside the range ranks above one day outside it");
    assert!(
        hits[0].why.iter().any(|w| w == "sent between the dates you gave"),
        "{:?}",
        hits[0].why
    );
}

fn people() -> Mailbox {
    mailbox(&[
        (
            "INBOX",
            FolderRole::Inbox,
            1,
            "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@kestrel.example>\r\nSubject: Angebot Dach\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <dach@kestrel>\r\n\r\n",
        ),
        (
            "[Gmail]/All Mail",
            FolderRole::All,
            7,
            "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@kestrel.example>\r\nSubject: Angebot Dach\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <dach@kestrel>\r\n\r\n",
        ),
        (
            "Work",
            FolderRole::Other,
            1,
            "From: Anna Lindqvist <anna@brightwater.example>\r\nSubject: [PATCH 3/7] net: fix the queue\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
        (
            "Work",
            FolderRole::Other,
            2,
            "From: Anna Berg <anna@northwind.example>\r\nSubject: Queue numbers\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
        (
            "INBOX",
            FolderRole::Inbox,
            2,
            "From: Grace Hollis <grace_hollis84@shop.example>\r\nSubject: Can you review PR 86010?\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n",
        ),
    ])
}

#[test]
fn diacritics_typed_or_spelt_out_find_the_same_person_once() {
    let m = people();
    for typed in ["Jürgen Müller", "jurgen muller", "juergen mueller", "mueller jürgen"] {
        let hits = hunt(&m.store, &query(Some(typed), None, None, 0)).unwrap();
        assert_eq!(hits.len(), 1, "{typed}: one hit for the message in two folders");
        assert_eq!(hits[0].message.folder, "INBOX", "{typed}");
        assert_eq!(hits[0].also_in.len(), 1);
        assert_eq!(hits[0].also_in[0].folder, "[Gmail]/All Mail");
    }
}

#[test]
fn first_name_at_organisation_and_run_together_addresses() {
    let m = people();
    let hits = hunt(&m.store, &query(Some("anna at brightwater"), None, None, 0)).unwrap();
    assert_eq!(hits[0].message.from_name, "Anna Lindqvist");
    let hits = hunt(&m.store, &query(Some("gracehollis84"), None, None, 0)).unwrap();
    assert_eq!(hits[0].message.from_name, "Grace Hollis");
    let hits = hunt(&m.store, &query(None, Some("patch queue fix"), None, 0)).unwrap();
    assert_eq!(hits[0].message.from_name, "Anna Lindqvist", "the list tag is a word like any other");
}

#[test]
fn a_kept_index_sees_new_messages_and_skips_removed_ones() {
    let mut m = people();
    let index = HuntIndex::build(&m.store, None).unwrap();
    assert!(index.is_current(&m.store).unwrap());
    let folder = m.store.folder(m.account, "Junk", "Junk", FolderRole::Junk).unwrap();
    let header = "From: Anna Berg <anna@northwind.example>\r\nSubject: Queue numbers again\r\n\r\n";
    let parsed = parse_header(header.as_bytes());
    let row = NewMessage {
        uid: 1,
        flags: "",
        internal_date: None,
        size: None,
        raw_header: header.as_bytes(),
        parsed: &parsed,
    };
    m.store.insert_messages(folder, 1, &[row]).unwrap();
    assert!(!index.is_current(&m.store).unwrap(), "a new message needs a new index");

    let work = m.store.folder(m.account, "Work", "Work", FolderRole::Other).unwrap();
    m.store.apply_changes(work, 1, &[], &[2]).unwrap();
    let hits = index.hunt(&m.store, &query(Some("anna berg"), None, None, 0)).unwrap();
    assert!(
        hits.iter().all(|h| h.message.from_name != "Anna Berg"),
        "the removed message is left out"
    );

    let inbox = m.store.folder(m.account, "INBOX", "INBOX", FolderRole::Inbox).unwrap();
    m.store.apply_changes(inbox, 1, &[], &[1]).unwrap();
    let hits = index.hunt(&m.store, &query(Some("muller"), None, None, 0)).unwrap();
    assert_eq!(
        hits[0].message.folder, "[Gmail]/All Mail",
        "the surviving copy takes the removed one's place"
    );
    assert!(hits[0].also_in.is_empty());
}

#[test]
fn explains_in_plain_words_with_the_folder_beside() {
    let m = corpus();
    let hits = hunt(&m.store, &query(Some("margret hollis"), Some("roofs"), Some(NOV_3_2026), 3)).unwrap();
    let why = hits[0].why.join(" | ");
    assert!(
        why.contains("sender Margaret Hollins <m.hollins@brightwater.example> ≈ “margret hollis”"),
        "{why}"
    );
    assert!(why.contains("“roofs” ≈ “roofing” (another form of the word)"), "{why}");
    assert!(why.contains("sent 2 days after the date you gave"), "{why}");
    assert!(hits[0].where_text().starts_with("In Junk"), "{why}");
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter()
        .filter_map(|h| h.message.message_id.as_deref())
        .map(|id| id.trim_matches(['<', '>']))
        .collect()
}

#[test]
fn exact_ties_put_the_original_and_the_first_part_first() {
    let header = |from: &str, subject: &str, date: &str, id: &str| {
        format!("From: {from}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n\r\n")
    };
    let headers = [
        header(
            "Anna <anna@a.example>",
            "Re: Budget for the garden",
            "Thu, 5 Nov 2026 18:00:00 +0000",
            "reply",
        ),
        header(
            "Anna <anna@a.example>",
            "Budget for the garden",
            "Thu, 5 Nov 2026 09:00:00 +0000",
            "original",
        ),
        header(
            "Dev <dev@d.example>",
            "[PATCH v2 2/2] net: fix the queue",
            "Thu, 5 Nov 2026 11:00:00 +0000",
            "part2",
        ),
        header(
            "Dev <dev@d.example>",
            "[PATCH v2 1/2] net: fix the queue",
            "Thu, 5 Nov 2026 10:00:00 +0000",
            "part1",
        ),
        header(
            "Dev <dev@d.example>",
            "[PATCH v2 0/2] net: fix the queue",
            "Thu, 5 Nov 2026 09:00:00 +0000",
            "cover",
        ),
    ];
    let m = inbox(&headers);
    // Nothing remembered tells them apart, so the scores tie exactly.
    let hits = hunt(&m.store, &query(Some("anna"), Some("garden budget"), None, 0)).unwrap();
    assert_eq!(hits[0].score, hits[1].score);
    assert_eq!(ids(&hits), ["original", "reply"], "remembered without “Re:”: the original");
    let tied = |hit: &Hit| hit.why.iter().any(|w| w == TIED_WITH_ABOVE);
    assert!(
        !tied(&hits[0]) && tied(&hits[1]),
        "the tie is said on the second: {:?}",
        hits[1].why
    );
    let hits = hunt(&m.store, &query(Some("anna"), Some("Re: garden budget"), None, 0)).unwrap();
    assert_eq!(ids(&hits), ["reply", "original"], "remembered as a reply: the reply");
    let hits = hunt(&m.store, &query(Some("anna"), None, Some(NOV_3_2026 + 2 * DAY), 0)).unwrap();
    assert_eq!(ids(&hits), ["reply", "original"], "same day and no subject: the newer");
    let hits = hunt(&m.store, &query(Some("dev"), Some("queue fix"), Some(NOV_3_2026 + 2 * DAY), 3)).unwrap();
    assert_eq!(ids(&hits), ["cover", "part1", "part2"]);
    // A day off in either direction: the one closer in time wins the tie.
    let hits = hunt(&m.store, &query(Some("anna"), Some("garden budget"), Some(NOV_3_2026 + DAY), 3)).unwrap();
    assert_eq!(ids(&hits), ["original", "reply"]);
    let hits = hunt(&m.store, &query(Some("anna"), Some("garden budget"), Some(NOV_3_2026 + 3 * DAY), 3)).unwrap();
    assert_eq!(ids(&hits), ["reply", "original"]);
}

#[test]
fn a_hit_that_fits_exactly_as_well_as_the_one_above_says_so() {
    let header = |subject: &str, date: &str, id: &str| {
        format!("From: Anna <anna@a.example>\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n\r\n")
    };
    let headers = [
        header("Budget for the garden", "Thu, 5 Nov 2026 09:00:00 +0000", "original"),
        header("Odp: Budget for the garden", "Thu, 5 Nov 2026 18:00:00 +0000", "reply"),
        header("Budget for the garden shed", "Thu, 5 Nov 2026 12:00:00 +0000", "shed"),
    ];
    let m = inbox(&headers);
    let hits = hunt(&m.store, &query(Some("anna"), Some("garden budget"), Some(NOV_3_2026 + 2 * DAY), 0)).unwrap();
    assert_eq!(ids(&hits), ["original", "reply", "shed"]);
    let tied: Vec<bool> = hits.iter().map(|h| h.why.iter().any(|w| w == TIED_WITH_ABOVE)).collect();
    // NOTE: the reply's Polish marker is no subject word, so it ties with the original; "shed" is
    // one word the person did not give, a worse fit.
    assert_eq!(tied, [false, true, false], "{:?}", hits.iter().map(|h| &h.why).collect::<Vec<_>>());
}

#[test]
fn reply_markers_and_series_parts_are_read_from_the_subject() {
    for subject in [
        "Re: x",
        "RE : x",
        "AW: x",
        "Fwd: x",
        "[list] Re: x",
        "Re[2]: x",
        "Réf: x",
        "Odp: x",
        "ΑΠ: x",
        "İLT: x",
        "回复：x",
    ] {
        assert!(score::is_reply(subject), "{subject}");
    }
    // NOTE: a Polish or Turkish reply holds no more words than its original, and a list tag stays.
    assert_eq!(
        score::subject_words("Odp: Spotkanie w czwartek"),
        score::subject_words("Spotkanie w czwartek")
    );
    assert_eq!(score::subject_words("YNT: RE: Fatura no. 42139"), ["fatura", "no", "42139"]);
    // NOTE: a marker typed into a hunt is no word either.
    assert_eq!(score::subject_words("回复 季度报告"), ["季度报告"]);
    assert_eq!(score::subject_words("odp spotkanie İLT"), ["spotkanie"]);
    assert_eq!(
        score::subject_words("[rust-users] AW: Async traits"),
        ["rust", "users", "async", "traits"]
    );
    for subject in ["Re-roofing quote", "Budget: Q3", "[PATCH 1/2] fix: re", "Regarding: x", ""] {
        assert!(!score::is_reply(subject), "{subject}");
    }
    assert_eq!(score::series_part("[PATCH v3 2/7] usb: fix"), Some(2));
    assert_eq!(score::series_part("[PATCH 0/4] cover"), Some(0));
    assert_eq!(score::series_part("[RFC] no parts"), None);
    assert_eq!(score::series_part("Budget 1/2"), None);
}

#[test]
fn a_date_header_from_a_wrong_clock_does_not_make_a_message_newer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("m.sqlite")).unwrap();
    let account = store.account(&record("a")).unwrap();
    let folder = store.folder(account, "INBOX", "INBOX", FolderRole::Inbox).unwrap();
    let headers = [
        // Received on 2 Nov 2026 but dated a year ahead: the sender's clock was wrong.
        (
            "From: Ann <ann@x.example>\r\nSubject: Budget\r\nDate: Tue, 2 Nov 2027 10:00:00 +0000\r\nMessage-ID: <clock>\r\n\r\n",
            NOV_3_2026 - DAY,
        ),
        (
            "From: Ann <ann@x.example>\r\nSubject: Budget\r\nDate: Thu, 5 Nov 2026 10:00:00 +0000\r\nMessage-ID: <later>\r\n\r\n",
            NOV_3_2026 + 2 * DAY,
        ),
    ];
    for (uid, (header, received)) in headers.iter().enumerate() {
        let parsed = parse_header(header.as_bytes());
        let row = NewMessage {
            uid: uid as u32 + 1,
            flags: "",
            internal_date: Some(*received),
            size: None,
            raw_header: header.as_bytes(),
            parsed: &parsed,
        };
        store.insert_messages(folder, 1, &[row]).unwrap();
    }
    let hits = hunt(&store, &query(Some("ann"), Some("budget"), None, 0)).unwrap();
    assert_eq!(hits[0].score, hits[1].score);
    assert_eq!(ids(&hits), ["later", "clock"]);
}
