//! Checks the generated corpus: determinism, the documented mix, decoding with mailparse,
//! deliberate defects and planted messages.

use chrono::{TimeZone as _, Utc};
use mailparse::MailHeaderMap as _;

use super::*;

fn share(messages: &[CorpusMessage], keep: impl Fn(&CorpusMessage) -> bool) -> f64 {
    messages.iter().filter(|message| keep(message)).count() as f64 / messages.len() as f64
}

fn header(message: &CorpusMessage, name: &str) -> Option<String> {
    let (headers, _) = mailparse::parse_headers(&message.bytes).unwrap();
    headers.get_first_value(name)
}

#[test]
fn same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let layout = Layout::standard();
    let a = Corpus::generate(7, 500, &layout);
    let b = Corpus::generate(7, 500, &layout);
    let c = Corpus::generate(8, 500, &layout);
    assert_eq!(a.len(), b.len());
    assert!(a.iter().zip(&b).all(|(x, y)| x.bytes == y.bytes && x.folder == y.folder));
    assert!(a.iter().zip(&c).filter(|(x, y)| x.bytes == y.bytes).count() < 5);
}

#[test]
fn a_message_depends_only_on_seed_index_and_layout() {
    let layout = Layout::international();
    let all = Corpus::generate(3, 200, &layout);
    for index in [0usize, 1, 57, 199] {
        let alone = Corpus::message(3, index as u64, &layout);
        assert_eq!(all[index].bytes, alone.bytes, "message {index}");
    }
}

#[test]
fn the_standard_layout_matches_the_documented_mix() {
    let messages = Corpus::generate(1, 20_000, &Layout::standard());
    let copies = messages.len() - 20_000;
    assert!((40..=120).contains(&copies), "{copies} INBOX copies in Archive");
    let inbox = share(&messages, |m| m.folder == "INBOX");
    assert!((0.38..0.42).contains(&inbox), "INBOX share {inbox}");
    let drafts = share(&messages, |m| m.folder == "Drafts");
    assert!((0.005..0.015).contains(&drafts), "Drafts share {drafts}");
    let no_id = share(&messages, |m| m.message_id.is_none());
    assert!((0.005..0.015).contains(&no_id), "without Message-ID {no_id}");
    let replies = share(&messages, |m| header(m, "In-Reply-To").is_some());
    assert!((0.25..0.36).contains(&replies), "replies {replies}");
    let defects = share(&messages, |m| m.defect.is_some());
    assert!((0.005..0.014).contains(&defects), "defects {defects}");
    let dkim = share(&messages, |m| header(m, "DKIM-Signature").is_some());
    assert!((0.3..0.5).contains(&dkim), "DKIM {dkim}");
    let lists = messages.iter().filter(|m| m.folder.starts_with("Lists/"));
    assert!(lists.into_iter().all(|m| header(m, "List-Id").is_some()));
    let average = messages.iter().map(|m| m.bytes.len()).sum::<usize>() / messages.len();
    assert!((3_000..8_000).contains(&average), "average size {average}");
    let first = Utc.with_ymd_and_hms(2015, 1, 1, 0, 0, 0).unwrap();
    let last = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    assert!(messages.iter().all(|m| m.internal_date > first && m.internal_date < last));
    assert!(messages.iter().all(|m| m.bytes.iter().all(|&b| b != b'\r')));
}

#[test]
fn gmail_layout_copies_everything_but_spam_and_trash_into_all_mail() {
    let messages = Corpus::generate(5, 2_000, &Layout::gmail());
    let all_mail = messages.iter().filter(|m| m.folder == "[Gmail]/All Mail").count();
    let elsewhere = messages
        .iter()
        .filter(|m| !["[Gmail]/All Mail", "[Gmail]/Spam", "[Gmail]/Trash", "[Gmail]/Starred"].contains(&m.folder.as_str()))
        .count();
    let archived_only = all_mail - elsewhere;
    assert!(archived_only > 300 && archived_only < 500, "{archived_only}");
    let starred = messages.iter().filter(|m| m.folder == "[Gmail]/Starred").count();
    assert!(starred > 0);
}

/// Every well-formed message must parse, and its headers must decode to the recorded facts.
#[test]
fn well_formed_messages_decode_to_their_recorded_facts() {
    let messages = Corpus::generate(11, 3_000, &Layout::standard());
    let mut charsets = std::collections::BTreeSet::new();
    let mut checked = 0;
    for message in messages.iter().filter(|m| m.defect.is_none()) {
        let parsed = mailparse::parse_mail(&message.bytes).unwrap();
        let subject = parsed.headers.get_first_value("Subject").unwrap();
        assert_eq!(subject, message.subject, "{}", String::from_utf8_lossy(&message.bytes));
        let from = parsed.headers.get_first_header("From").unwrap();
        let from = mailparse::addrparse_header(from).unwrap();
        let mailparse::MailAddr::Single(from) = &from[0] else {
            panic!("group in From")
        };
        assert_eq!(from.addr, message.from_address);
        assert_eq!(from.display_name.as_deref().unwrap_or(""), message.from_name);
        let date = mailparse::dateparse(&parsed.headers.get_first_value("Date").unwrap()).unwrap();
        assert_eq!(Some(date), message.date.map(|d| d.timestamp()));
        assert_eq!(parsed.headers.get_first_value("Message-ID"), message.message_id);
        for part in parsed.parts() {
            if part.ctype.mimetype.starts_with("text/") {
                charsets.insert(part.ctype.charset.to_ascii_lowercase());
                let text = part.get_body().unwrap();
                assert!(!text.contains('\u{FFFD}'), "undecodable text in {subject}");
            } else if part.ctype.mimetype.contains('/') && !part.ctype.mimetype.starts_with("multipart/") {
                let disposition = part.get_content_disposition();
                assert!(disposition.params.contains_key("filename"), "{:?}", disposition);
                assert!(!part.get_body_raw().unwrap().is_empty());
            }
        }
        checked += 1;
    }
    assert!(checked > 2_900, "{checked}");
    for expected in ["utf-8", "iso-8859-1", "iso-8859-2", "shift_jis", "gb2312"] {
        assert!(charsets.contains(expected), "no {expected} body in {charsets:?}");
    }
}

#[test]
fn defects_are_really_defective() {
    let messages = Corpus::generate(2, 20_000, &Layout::standard());
    let of = |defect: Defect| messages.iter().filter(move |m| m.defect == Some(defect));
    for message in of(Defect::RawEightBitHeader) {
        let (headers, _) = mailparse::parse_headers(&message.bytes).unwrap();
        let raw = headers.get_first_header("Subject").unwrap().get_value_raw();
        assert!(!raw.is_ascii());
    }
    for message in of(Defect::BrokenEncodedWord) {
        assert!(!header(message, "Subject").unwrap().ends_with("?="));
    }
    assert!(of(Defect::UnparseableDate).all(|m| m.date.is_none()));
    assert!(of(Defect::MissingDate).all(|m| header(m, "Date").is_none()));
    for message in of(Defect::NoHeaderBodySeparator) {
        let text = String::from_utf8_lossy(&message.bytes);
        let last_header = text.find("Content-Transfer-Encoding:").unwrap();
        let after = &text[last_header..];
        let next_line = after.split('\n').nth(1).unwrap();
        assert!(!next_line.is_empty(), "{text}");
    }
    for defect in [
        Defect::RawEightBitHeader,
        Defect::BrokenEncodedWord,
        Defect::UnparseableDate,
        Defect::MissingDate,
        Defect::NoHeaderBodySeparator,
    ] {
        assert!(of(defect).count() > 0, "no {defect:?}");
    }
}

#[test]
fn planted_messages_carry_exactly_what_the_test_asked_for() {
    let date = chrono::FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 3, 9, 14, 0)
        .unwrap();
    let message = CorpusMessage::builder()
        .folder("Junk")
        .flags(&[Flag::Seen])
        .from("Margaret Hollins", "m.hollins@brightwater.example")
        .subject("Your roofing quote, revised – Grüße")
        .date(date)
        .message_id("<roof-quote-2026@brightwater.example>")
        .text("Dear Robin,\n\nplease find the revised quote attached.\n")
        .attachment("Angebot Dach überarbeitet.pdf", "application/pdf", b"%PDF-1.4\n")
        .build();
    assert_eq!(message.folder, "Junk");
    assert_eq!(message.internal_date, date.with_timezone(&Utc) + chrono::Duration::seconds(30));
    let parsed = mailparse::parse_mail(&message.bytes).unwrap();
    assert_eq!(
        parsed.headers.get_first_value("Subject").unwrap(),
        "Your roofing quote, revised – Grüße"
    );
    assert_eq!(parsed.headers.get_first_value("Date").unwrap(), "Tue, 3 Nov 2026 09:14:00 +0100");
    assert_eq!(
        parsed.headers.get_first_value("To").unwrap(),
        format!("{OWNER_NAME} <{OWNER_ADDRESS}>")
    );
    let attachment = &parsed.subparts[1];
    assert_eq!(
        attachment.get_content_disposition().params["filename"],
        "Angebot Dach überarbeitet.pdf"
    );
    assert_eq!(attachment.get_body_raw().unwrap(), b"%PDF-1.4\n");
}
