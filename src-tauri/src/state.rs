//! What the running app holds: the cache, passwords kept only for this session when the
//! keychain is unavailable, and the cancel switches of running scans.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use mailhound_core::account::{Account, Secret};
use mailhound_core::cancel::CancelToken;
use mailhound_core::hunt::HuntIndex;
use mailhound_core::store::{AccountId, Store};
use mailhound_core::{Error, ErrorKind, Result, secrets};

pub struct AppState {
    pub data_dir: PathBuf,
    cache_path: PathBuf,
    store: Mutex<Store>,
    session_passwords: Mutex<HashMap<String, Secret>>,
    scans: Mutex<HashMap<String, CancelToken>>,
    /// Built on the first hunt and kept: rebuilding reads every cached header.
    hunt_index: Mutex<HuntIndexSlot>,
    /// Held while an index is built, so two hunts never build one at the same time.
    index_build: Mutex<()>,
}

/// The last index built, and which change of the cache it has seen.
#[derive(Default)]
struct HuntIndexSlot {
    index: Option<Arc<HuntIndex>>,
    /// The [`HuntIndexSlot::generation`] the index was built at.
    built_at: u64,
    /// Counts the changes announced by [`AppState::forget_hunt_index`].
    generation: u64,
}

impl AppState {
    pub fn open(data_dir: &Path) -> Result<AppState> {
        let cache_path = data_dir.join("mailhound.sqlite");
        Ok(AppState {
            data_dir: data_dir.to_path_buf(),
            store: Mutex::new(Store::open(&cache_path)?),
            cache_path,
            session_passwords: Mutex::new(HashMap::new()),
            scans: Mutex::new(HashMap::new()),
            hunt_index: Mutex::new(HuntIndexSlot::default()),
            index_build: Mutex::new(()),
        })
    }

    pub fn store(&self) -> Result<MutexGuard<'_, Store>> {
        self.store.lock().map_err(|_| {
            Error::new(
                ErrorKind::Bug,
                "The cache is unavailable after an earlier failure; restart Mailhound.",
            )
        })
    }

    /// The hunt index over the cache, built now if there is none or the cache changed since.
    ///
    /// The build reads every cached header through its own connection, so scans, exports and
    /// restores keep the store while it runs (SQLite's WAL lets them write meanwhile). A hunt that
    /// arrives while another one is building uses the previous index rather than waiting.
    pub fn hunt_index(&self) -> Result<Arc<HuntIndex>> {
        let (previous, fresh) = {
            let slot = self.hunt_index.lock().map_err(|_| index_unavailable())?;
            (slot.index.clone(), slot.built_at == slot.generation)
        };
        if let Some(index) = &previous
            && fresh
            && index.is_current(&*self.store()?)?
        {
            return Ok(Arc::clone(index));
        }
        let _building = match self.index_build.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::WouldBlock) => match &previous {
                Some(previous) => return Ok(Arc::clone(previous)),
                None => self.index_build.lock().map_err(|_| index_unavailable())?,
            },
            Err(TryLockError::Poisoned(_)) => return Err(index_unavailable()),
        };
        let generation = {
            let slot = self.hunt_index.lock().map_err(|_| index_unavailable())?;
            // NOTE: another hunt may have built a new index while this one waited for the lock.
            if let Some(index) = &slot.index
                && slot.built_at == slot.generation
                && !previous.as_ref().is_some_and(|p| Arc::ptr_eq(p, index))
            {
                return Ok(Arc::clone(index));
            }
            slot.generation
        };
        let reader = Store::open(&self.cache_path)?;
        let index = Arc::new(HuntIndex::build(&reader, None)?);
        let mut slot = self.hunt_index.lock().map_err(|_| index_unavailable())?;
        slot.index = Some(Arc::clone(&index));
        // NOTE: a change announced during the build may not be in it, so it stays due for another.
        slot.built_at = generation;
        Ok(index)
    }

    /// Marks the hunt index out of date after the cache changed (a scan, a restore); the next hunt
    /// rebuilds it, and the old one serves hunts until then.
    pub fn forget_hunt_index(&self) {
        if let Ok(mut slot) = self.hunt_index.lock() {
            slot.generation += 1;
        }
    }

    /// Keeps the password in the OS keychain, or for this session only when there is none.
    pub fn remember_password(&self, account: &Account, password: Secret) {
        if let Err(e) = secrets::save_password(&account.key(), &password) {
            tracing::warn!("{}", e.detail());
        }
        if let Ok(mut passwords) = self.session_passwords.lock() {
            passwords.insert(account.key(), password);
        }
    }

    pub fn password(&self, account: &Account) -> Option<Secret> {
        if matches!(account, Account::Maildir(_)) {
            return None;
        }
        let key = account.key();
        let session = self.session_passwords.lock().ok().and_then(|p| p.get(&key).cloned());
        session.or_else(|| secrets::load_password(&key).ok().flatten())
    }

    /// The cached account with this key, ready to connect.
    pub fn account(&self, key: &str) -> Result<(AccountId, Account)> {
        let accounts = self.store()?.accounts()?;
        let cached = accounts.iter().find(|a| a.record.key == key).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                "That account is not set up on this computer any more. Connect again.",
            )
        })?;
        Ok((cached.id, Account::from_record(&cached.record)?))
    }

    pub fn start_scan(&self, key: &str) -> CancelToken {
        let token = CancelToken::new();
        if let Ok(mut scans) = self.scans.lock() {
            scans.insert(key.to_string(), token.clone());
        }
        token
    }

    pub fn cancel_scan(&self, key: &str) {
        if let Some(token) = self.scans.lock().ok().and_then(|s| s.get(key).cloned()) {
            token.cancel();
        }
    }
}

fn index_unavailable() -> Error {
    Error::new(
        ErrorKind::Bug,
        "The search index is unavailable after an earlier failure; restart Mailhound.",
    )
}

#[cfg(test)]
mod tests {
    use mailhound_core::folder::FolderRole;
    use mailhound_core::message::parse_header;
    use mailhound_core::store::{AccountRecord, NewMessage};

    use super::*;

    fn add_message(state: &AppState, uid: u32) {
        let mut store = state.store().unwrap();
        let account = store
            .account(&AccountRecord {
                key: "a".into(),
                kind: "imap".into(),
                location: "imaps://a".into(),
                ca_file: None,
                plaintext: false,
            })
            .unwrap();
        let folder = store.folder(account, "INBOX", "INBOX", FolderRole::Inbox).unwrap();
        let header = b"From: Ann <ann@x.example>\r\nSubject: Budget\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n";
        let parsed = parse_header(header);
        let row = NewMessage {
            uid,
            flags: "",
            internal_date: None,
            size: None,
            raw_header: header,
            parsed: &parsed,
        };
        store.insert_messages(folder, 1, &[row]).unwrap();
    }

    #[test]
    fn the_index_is_kept_until_the_cache_changes_and_serves_while_the_next_is_built() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        add_message(&state, 1);
        let first = state.hunt_index().unwrap();
        assert_eq!(first.stats().messages, 1);
        assert!(Arc::ptr_eq(&first, &state.hunt_index().unwrap()));

        state.forget_hunt_index();
        {
            let _another_build = state.index_build.lock().unwrap();
            let _scan = state.store().unwrap();
            let served = state.hunt_index().unwrap();
            assert!(Arc::ptr_eq(&first, &served), "the previous index serves, without the store");
        }
        let second = state.hunt_index().unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        assert!(Arc::ptr_eq(&second, &state.hunt_index().unwrap()));

        // NOTE: a message added without a forget (no front end does that) is still noticed.
        add_message(&state, 2);
        let third = state.hunt_index().unwrap();
        assert_eq!(third.stats().messages, 2);
    }

    #[test]
    fn building_the_index_leaves_the_store_free() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(dir.path()).unwrap();
        add_message(&state, 1);
        let store = state.store().unwrap();
        let index = state.hunt_index().unwrap();
        assert_eq!(index.stats().messages, 1);
        drop(store);
    }
}
