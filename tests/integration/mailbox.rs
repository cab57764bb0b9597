//! Shared set-up for the integration tests: a fresh Dovecot user with mail, an account pointing at
//! it, a fresh cache, and a way to list what the server really holds.

use std::collections::BTreeSet;

use mailhound_core::account::{Account, ImapAccount, Secret, Security, Timeouts};
use mailhound_core::cancel::CancelToken;
use mailhound_core::store::{AccountId, CachedFolder, CachedMessage, Store};
use mailhound_core::sync::{SyncEvent, SyncOptions, SyncSummary, sync_account};
use mailhound_tests::corpus::CorpusMessage;
use mailhound_tests::dovecot::{TestServer, TestUser};
use mailhound_tests::raw_imap::{RawSession, quoted};

pub struct Mailbox<'s> {
    pub server: &'s TestServer,
    pub user: TestUser,
    pub account: Account,
    pub password: Secret,
    pub store: Store,
    _cache_dir: tempfile::TempDir,
}

impl<'s> Mailbox<'s> {
    /// A fresh standard user on `server` holding `messages`, and an empty cache.
    pub fn new(server: &'s TestServer, messages: &[CorpusMessage]) -> Mailbox<'s> {
        Mailbox::for_user(server, server.fresh_user(), messages)
    }

    pub fn for_user(server: &'s TestServer, user: TestUser, messages: &[CorpusMessage]) -> Mailbox<'s> {
        if !messages.is_empty() {
            server.deliver_maildir(&user, messages).expect("deliver test mail");
        }
        let endpoint = server.endpoint();
        let account = Account::Imap(ImapAccount {
            host: endpoint.host.clone(),
            port: endpoint.imaps_port,
            user: user.name.clone(),
            security: Security::Tls,
            ca_file: Some(endpoint.ca_file.clone()),
            timeouts: Timeouts::default(),
        });
        let cache_dir = tempfile::tempdir().expect("cache dir");
        let store = Store::open(&cache_dir.path().join("mailhound.sqlite")).expect("open cache");
        Mailbox {
            server,
            password: Secret::new(user.password.clone()),
            user,
            account,
            store,
            _cache_dir: cache_dir,
        }
    }

    pub fn sync(&mut self) -> SyncSummary {
        self.sync_with_events(&mut |_| {})
    }

    pub fn sync_with_events(&mut self, on_event: &mut dyn FnMut(SyncEvent)) -> SyncSummary {
        sync_account(
            &mut self.store,
            &self.account,
            Some(&self.password),
            SyncOptions { chunk: 50 },
            &CancelToken::new(),
            on_event,
        )
        .unwrap_or_else(|e| panic!("sync failed: {}", e.detail()))
    }

    pub fn account_id(&self) -> AccountId {
        self.store
            .accounts()
            .expect("accounts")
            .iter()
            .find(|a| a.record.key == self.account.key())
            .expect("account cached")
            .id
    }

    /// The cached state of one folder, by its exact name.
    pub fn cached_folder(&self, name: &str) -> CachedFolder {
        self.store
            .folders(self.account_id())
            .expect("folders")
            .into_iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} is not cached"))
    }

    /// (folder, uid, flags) for every cached message under the folder's current UIDVALIDITY.
    pub fn cached_listing(&self) -> BTreeSet<(String, u32, String)> {
        let mut listing = BTreeSet::new();
        let folders = self.store.folders(self.account_id()).expect("folders");
        self.store
            .for_each_message(|m| {
                let current = folders.iter().find(|f| f.name == m.folder).and_then(|f| f.uidvalidity);
                assert_eq!(current, Some(m.uidvalidity), "a row of {} outlived its UIDVALIDITY", m.folder);
                listing.insert((m.folder, m.uid, m.flags));
            })
            .expect("read cache");
        listing
    }

    /// (folder, uid, flags) as the server lists them right now, read with a raw client.
    pub fn server_listing(&self) -> BTreeSet<(String, u32, String)> {
        let mut session = self.raw();
        let folders = session.command("LIST \"\" \"*\"").expect("LIST");
        let mut listing = BTreeSet::new();
        for line in &folders.untagged {
            if line.contains("\\Noselect") || line.contains("\\NonExistent") {
                continue;
            }
            let name = list_name(line);
            session.command(&format!("EXAMINE {}", quoted(&name))).expect("EXAMINE");
            let fetched = session.command("UID FETCH 1:* (UID FLAGS)").expect("FETCH");
            for line in &fetched.untagged {
                if let Some((uid, flags)) = uid_and_flags(line) {
                    listing.insert((name.clone(), uid, flags));
                }
            }
        }
        listing
    }

    /// The one cached message that `wanted` picks.
    pub fn cached(&self, wanted: impl Fn(&CachedMessage) -> bool) -> CachedMessage {
        let mut found = Vec::new();
        self.store
            .for_each_message(|m| {
                if wanted(&m) {
                    found.push(m);
                }
            })
            .expect("read cache");
        assert_eq!(found.len(), 1, "exactly one cached message matches: {found:?}");
        found.remove(0)
    }

    pub fn raw(&self) -> RawSession {
        let mut session = RawSession::connect_tls(self.server.endpoint()).expect("raw connect");
        assert!(session.login(&self.user).expect("raw login").is_ok());
        session
    }
}

/// The mailbox name at the end of a `* LIST (...) "/" name` line.
fn list_name(line: &str) -> String {
    let after_flags = line.split_once(") ").map_or(line, |(_, rest)| rest);
    let name = after_flags.split_once(' ').map_or(after_flags, |(_, rest)| rest).trim();
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => name.to_string(),
    }
}

/// `* 3 FETCH (UID 7 FLAGS (\Seen \Recent))` → (7, "\Seen"), flags sorted as the cache keeps them.
fn uid_and_flags(line: &str) -> Option<(u32, String)> {
    let uid = line
        .split("UID ")
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let flags = line.split("FLAGS (").nth(1)?.split(')').next()?;
    let mut flags: Vec<&str> = flags.split_whitespace().filter(|f| !f.eq_ignore_ascii_case("\\Recent")).collect();
    flags.sort_unstable();
    Some((uid, flags.join(" ")))
}
