//! Passwords in the operating system's keychain (Secret Service, macOS Keychain, Windows
//! Credential Manager). Mailhound never writes a secret anywhere else.

use crate::account::Secret;
use crate::{Error, ErrorKind, Result};

const SERVICE: &str = "dev.mailhound.desktop";

fn entry(account_key: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, account_key).map_err(unavailable)
}

fn unavailable(e: keyring::Error) -> Error {
    Error::new(
        ErrorKind::Storage,
        "This computer's password keychain is not available, so the password is kept only until Mailhound closes.",
    )
    .with_cause(e)
}

/// Stores the password for an account, replacing any earlier one.
pub fn save_password(account_key: &str, password: &Secret) -> Result<()> {
    entry(account_key)?.set_password(password.expose()).map_err(unavailable)
}

/// The stored password, if there is one.
pub fn load_password(account_key: &str) -> Result<Option<Secret>> {
    match entry(account_key)?.get_password() {
        Ok(p) => Ok(Some(Secret::new(p))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}
