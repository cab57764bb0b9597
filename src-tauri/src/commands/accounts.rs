//! Setting up the mailbox to search: a real account (checked by signing in) or the demo.

use mailhound_core::account::{Account, ImapAccount, Secret, Security, Timeouts, suggest_server as suggest};
use mailhound_core::source::imap::Connection;
use mailhound_core::{Error, ErrorKind};
use tauri::{AppHandle, Manager, Runtime};

use crate::demo;
use crate::dto::{AccountDto, SavedAccountDto, SecurityDto, ServerSettingsDto};
use crate::error::{CommandResult, blocking};
use crate::state::AppState;

#[tauri::command]
pub async fn suggest_server(email: String) -> CommandResult<ServerSettingsDto> {
    suggest(&email)
        .map(ServerSettingsDto::from)
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "That does not look like an email address yet.").into())
}

#[tauri::command]
pub async fn add_account<R: Runtime>(
    app: AppHandle<R>,
    email: String,
    password: String,
    settings: ServerSettingsDto,
    ca_file: Option<String>,
) -> CommandResult<AccountDto> {
    blocking(move || {
        let imap = ImapAccount {
            host: settings.host.trim().to_string(),
            port: settings.port,
            user: email.trim().to_string(),
            security: if settings.security == SecurityDto::Starttls {
                Security::StartTls
            } else {
                Security::Tls
            },
            ca_file: ca_file.filter(|f| !f.trim().is_empty()).map(Into::into),
            timeouts: Timeouts::default(),
        };
        let password = Secret::new(password);
        // Signing in once proves the settings before anything is saved.
        Connection::open(&imap, Some(&password))?.logout();
        let account = Account::Imap(imap);
        let state = app.state::<AppState>();
        state.store()?.account(&account.record())?;
        state.remember_password(&account, password);
        Ok(AccountDto {
            id: account.key(),
            label: email,
            kind: "imap",
        })
    })
    .await
}

#[tauri::command]
pub async fn open_demo<R: Runtime>(app: AppHandle<R>) -> CommandResult<AccountDto> {
    blocking(move || {
        let state = app.state::<AppState>();
        let maildir = demo::install(&state.data_dir.join("demo-mailbox"))?;
        let account = Account::maildir(&maildir)?;
        state.store()?.account(&account.record())?;
        Ok(AccountDto {
            id: account.key(),
            label: "Demo mailbox".to_string(),
            kind: "maildir",
        })
    })
    .await
}

/// Accounts scanned before on this computer, so a returning person can go straight on.
#[tauri::command]
pub async fn saved_accounts<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<SavedAccountDto>> {
    blocking(move || {
        let state = app.state::<AppState>();
        let accounts = state.store()?.accounts()?;
        let mut saved = Vec::with_capacity(accounts.len());
        for cached in accounts {
            let Ok(account) = Account::from_record(&cached.record) else {
                continue;
            };
            let messages = state.store()?.folders(cached.id)?.iter().map(|f| f.messages).sum();
            let needs_password = matches!(account, Account::Imap(_)) && state.password(&account).is_none();
            saved.push(SavedAccountDto::new(&account, messages, needs_password));
        }
        Ok(saved)
    })
    .await
}
