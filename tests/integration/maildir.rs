use chrono::{FixedOffset, TimeZone};
use mailhound_core::account::Account;
use mailhound_core::cancel::CancelToken;
use mailhound_core::folder::FolderRole;
use mailhound_core::hunt::{HuntQuery, hunt};
use mailhound_core::recovery::export::{self, sha256_hex};
use mailhound_core::recovery::restore::{RestoreMethod, restore_to_inbox};
use mailhound_core::store::Store;
use mailhound_core::sync::{SyncOptions, sync_account};
use mailhound_tests::corpus::{Corpus, CorpusMessage, Layout};
use mailhound_tests::dovecot::TestServer;

/// The same scan → hunt → export → restore path, on a local Maildir instead of a server.
#[test]
fn a_local_maildir_goes_through_the_same_flows() {
    // A Maildir written the way the test server writes one, read directly from disk.
    let server = TestServer::shared();
    let user = server.fresh_user();
    let cet = FixedOffset::east_opt(3600).unwrap();
    let mut messages = Corpus::generate(41, 300, &Layout::standard());
    messages.push(
        CorpusMessage::builder()
            .folder("Trash")
            .from("Anna Brightwater", "anna@brightwater.example")
            .subject("Invoice 2291 for the garden fence")
            .date(cet.with_ymd_and_hms(2026, 9, 14, 11, 0, 0).unwrap())
            .message_id("<fence-invoice@brightwater.example>")
            .build(),
    );
    server.deliver_maildir(&user, &messages).unwrap();

    let account = Account::maildir(&user.maildir).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let mut store = Store::open(&cache.path().join("m.sqlite")).unwrap();
    let summary = sync_account(&mut store, &account, None, SyncOptions::default(), &CancelToken::new(), &mut |_| {}).unwrap();
    assert_eq!(summary.messages as usize, messages.len());
    let roles: Vec<FolderRole> = summary.folders.iter().map(|f| f.role).collect();
    assert!(roles.contains(&FolderRole::Junk) && roles.contains(&FolderRole::Trash) && roles.contains(&FolderRole::Inbox));

    let query = HuntQuery {
        from: Some("anna at brightwater".into()),
        subject: Some("fence invoice".into()),
        limit: 5,
        ..HuntQuery::default()
    };
    let hits = hunt(&store, &query).unwrap();
    let hit = hits.first().expect("found");
    assert_eq!(hit.message.message_id.as_deref(), Some("<fence-invoice@brightwater.example>"));
    assert_eq!(hit.message.role, FolderRole::Trash);

    let bytes = export::download(&account, None, &hit.message).unwrap();
    let planted = messages
        .iter()
        .find(|m| m.message_id.as_deref() == Some("<fence-invoice@brightwater.example>"))
        .unwrap();
    assert_eq!(sha256_hex(&bytes), sha256_hex(&planted.bytes), "export is the file's exact bytes");

    let restored = restore_to_inbox(&mut store, &account, None, &hit.message).unwrap();
    assert_eq!(restored.method, RestoreMethod::FileMove);
    let again = sync_account(&mut store, &account, None, SyncOptions::default(), &CancelToken::new(), &mut |_| {}).unwrap();
    assert_eq!(again.messages, summary.messages, "moved, not copied or lost");
    let hits = hunt(&store, &query).unwrap();
    assert_eq!(hits[0].message.role, FolderRole::Inbox, "it is in the Inbox now");
}
