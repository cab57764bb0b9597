//! Checks Mailhound's keychain use against a real Secret Service: a password saved for an account
//! comes back, and it appears nowhere in the cache files. Run by the `keychain` integration test
//! inside `tests/keychain.sh`; exits non-zero with a reason on any failure.

use std::process::ExitCode;

use mailhound_core::account::{Account, Secret};
use mailhound_core::secrets::{load_password, save_password};
use mailhound_core::store::Store;

const CANARY: &str = "canary-Pa55word-7f3a";

fn check() -> Result<(), String> {
    let account = Account::from_url("imaps://keychain-check@mail.example.test").map_err(|e| e.detail())?;
    save_password(&account.key(), &Secret::new(CANARY)).map_err(|e| format!("save: {}", e.detail()))?;
    let loaded = load_password(&account.key()).map_err(|e| format!("load: {}", e.detail()))?;
    if loaded.as_ref().map(Secret::expose) != Some(CANARY) {
        return Err("the saved password did not come back".to_string());
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("mailhound.sqlite");
    let mut store = Store::open(&path).map_err(|e| e.detail())?;
    store.account(&account.record()).map_err(|e| e.detail())?;
    drop(store);
    for entry in std::fs::read_dir(dir.path()).map_err(|e| e.to_string())? {
        let file = entry.map_err(|e| e.to_string())?.path();
        let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
        if bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()) {
            return Err(format!("the password is in {}", file.display()));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match check() {
        Ok(()) => {
            println!("keychain ok");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("keychain check failed: {reason}");
            ExitCode::FAILURE
        }
    }
}
