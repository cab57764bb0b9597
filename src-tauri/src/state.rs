//! What the running app holds: the cache, passwords kept only for this session when the
//! keychain is unavailable, and the cancel switches of running scans.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use mailhound_core::account::{Account, Secret};
use mailhound_core::cancel::CancelToken;
use mailhound_core::hunt::HuntIndex;
use mailhound_core::store::{AccountId, Store};
use mailhound_core::{Error, ErrorKind, Result, secrets};

pub struct AppState {
    pub data_dir: PathBuf,
    store: Mutex<Store>,
    session_passwords: Mutex<HashMap<String, Secret>>,
    scans: Mutex<HashMap<String, CancelToken>>,
    /// Built on the first hunt and kept: rebuilding reads every cached header.
    hunt_index: Mutex<Option<Arc<HuntIndex>>>,
}

impl AppState {
    pub fn open(data_dir: &Path) -> Result<AppState> {
        Ok(AppState {
            data_dir: data_dir.to_path_buf(),
            store: Mutex::new(Store::open(&data_dir.join("mailhound.sqlite"))?),
            session_passwords: Mutex::new(HashMap::new()),
            scans: Mutex::new(HashMap::new()),
            hunt_index: Mutex::new(None),
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

    /// The hunt index over `store`, built now if there is none or the cache gained messages.
    pub fn hunt_index(&self, store: &Store) -> Result<Arc<HuntIndex>> {
        let mut slot = self.hunt_index.lock().map_err(|_| {
            Error::new(
                ErrorKind::Bug,
                "The search index is unavailable after an earlier failure; restart Mailhound.",
            )
        })?;
        if let Some(index) = slot.as_ref()
            && index.is_current(store)?
        {
            return Ok(Arc::clone(index));
        }
        let index = Arc::new(HuntIndex::build(store, None)?);
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    /// Drops the hunt index after the cache changed (a scan, a restore), so the next hunt rebuilds it.
    pub fn forget_hunt_index(&self) {
        if let Ok(mut slot) = self.hunt_index.lock() {
            *slot = None;
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
