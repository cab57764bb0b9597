use chrono::{FixedOffset, TimeZone, Utc};
use mailhound_core::folder::FolderRole;
use mailhound_core::hunt::{HuntQuery, When, hunt};
use mailhound_tests::corpus::{Corpus, CorpusMessage, Layout};
use mailhound_tests::dovecot::TestServer;

use crate::mailbox::Mailbox;

fn day(y: i32, m: u32, d: u32) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap().timestamp()
}

#[test]
fn misremembered_messages_are_found_in_junk_and_trash() {
    let server = TestServer::shared();
    let cet = FixedOffset::east_opt(3600).unwrap();
    let mut messages = Corpus::generate(21, 1500, &Layout::standard());
    messages.push(
        CorpusMessage::builder()
            .folder("Junk")
            .from("Margaret Hollins", "m.hollins@brightwater.example")
            .subject("Re: [Quotes] Your roofing quote, revised")
            .date(cet.with_ymd_and_hms(2026, 11, 5, 9, 12, 0).unwrap())
            .message_id("<roof-quote@brightwater.example>")
            .build(),
    );
    messages.push(
        CorpusMessage::builder()
            .folder("Trash")
            .from("St Mary's Primary", "office@stmarys.example")
            .subject("School trip consent form — please sign by Friday")
            .date(cet.with_ymd_and_hms(2026, 10, 28, 15, 0, 0).unwrap())
            .message_id("<trip-form@stmarys.example>")
            .build(),
    );
    // Look-alikes: same person, other subjects; same subject words, other senders.
    messages.push(
        CorpusMessage::builder()
            .folder("INBOX")
            .from("Margaret Hollins", "m.hollins@brightwater.example")
            .subject("Gutter cleaning")
            .date(cet.with_ymd_and_hms(2026, 11, 4, 9, 0, 0).unwrap())
            .build(),
    );
    messages.push(
        CorpusMessage::builder()
            .folder("INBOX")
            .from("Roofs R Us", "deals@roofs.example")
            .subject("Your roofing quote")
            .date(cet.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap())
            .build(),
    );
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();

    let query = HuntQuery {
        from: Some("margret hollis".into()),
        subject: Some("roof qoute".into()),
        when: When::Around {
            day: day(2026, 11, 3),
            slack_days: 3,
        },
        limit: 10,
        ..HuntQuery::default()
    };
    let hits = hunt(&mailbox.store, &query).unwrap();
    let top = &hits[0];
    assert_eq!(top.message.message_id.as_deref(), Some("<roof-quote@brightwater.example>"));
    assert_eq!((top.message.folder.as_str(), top.message.role), ("Junk", FolderRole::Junk));
    assert!(top.where_text().contains("spam filter"));

    let query = HuntQuery {
        subject: Some("trip form".into()),
        when: When::Around {
            day: day(2026, 10, 30),
            slack_days: 7,
        },
        limit: 10,
        ..HuntQuery::default()
    };
    let hits = hunt(&mailbox.store, &query).unwrap();
    assert_eq!(hits[0].message.message_id.as_deref(), Some("<trip-form@stmarys.example>"));
    assert_eq!(hits[0].message.role, FolderRole::Trash);
    assert!(hits[0].where_text().contains("deleted"));
}

#[test]
fn one_message_in_several_folders_is_one_hit_with_every_location() {
    let server = TestServer::shared();
    let cet = FixedOffset::east_opt(3600).unwrap();
    let mut messages = Corpus::generate(22, 800, &Layout::standard());
    let quote = CorpusMessage::builder()
        .from("Jürgen Müller", "j.mueller@kestrel.example")
        .subject("AW: [Angebote] Dachsanierung, überarbeitet")
        .date(cet.with_ymd_and_hms(2026, 9, 14, 10, 0, 0).unwrap())
        .message_id("<dach@kestrel.example>");
    messages.push(quote.clone().folder("Archive").build());
    messages.push(quote.folder("Trash").build());
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();

    let index = mailhound_core::hunt::HuntIndex::build(&mailbox.store, None).unwrap();
    let query = HuntQuery {
        from: Some("juergen mueller".into()),
        subject: Some("dachsanierung".into()),
        when: When::Around {
            day: day(2026, 9, 10),
            slack_days: 3,
        },
        limit: 10,
        ..HuntQuery::default()
    };
    let hits = index.hunt(&mailbox.store, &query).unwrap();
    let copies: Vec<_> = hits
        .iter()
        .filter(|h| h.message.message_id.as_deref() == Some("<dach@kestrel.example>"))
        .collect();
    assert_eq!(copies.len(), 1, "one hit for both copies");
    let hit = copies[0];
    assert_eq!(hit.rank, 1);
    assert_eq!(hit.message.folder, "Trash", "the copy that explains the miss comes first");
    assert_eq!(hit.also_in.iter().map(|l| l.folder.as_str()).collect::<Vec<_>>(), ["Archive"]);
    assert!(hit.why.iter().any(|w| w == "sent 4 days after the date you gave"), "{:?}", hit.why);
    assert!(hit.where_text().ends_with("A copy is also in Archive."));
}
