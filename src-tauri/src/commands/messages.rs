//! Acting on a found message: save it as .eml (native save dialog) or put it back in the Inbox.

use mailhound_core::account::Account;
use mailhound_core::cancel::CancelToken;
use mailhound_core::recovery::export::{self, Overwrite};
use mailhound_core::recovery::restore::restore_to_inbox;
use mailhound_core::store::CachedMessage;
use mailhound_core::sync::{SyncOptions, sync_account as scan};
use mailhound_core::{Error, ErrorKind};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::dto::{ExportedDto, MessageRefDto, RestoredDto};
use crate::error::{CommandResult, blocking};
use crate::state::AppState;

/// The cached message a reference names, following it into the Inbox if it was put back there.
fn cached(state: &AppState, message: &MessageRefDto) -> mailhound_core::Result<(Account, CachedMessage)> {
    let (id, account) = state.account(&message.account_id)?;
    let store = state.store()?;
    let found = match store.message(id, &message.folder, message.uidvalidity, message.uid)? {
        Some(found) => Some(found),
        None => store.find_restored(id, &message.folder, message.uidvalidity, message.uid)?,
    };
    let cached = found.ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            "That message is no longer where it was. Scan again, then search once more.",
        )
    })?;
    Ok((account, cached))
}

/// Returns `None` when the person closes the save dialog without choosing a file.
#[tauri::command]
pub async fn export_message<R: Runtime>(app: AppHandle<R>, message: MessageRefDto) -> CommandResult<Option<ExportedDto>> {
    blocking(move || {
        let state = app.state::<AppState>();
        let (account, cached) = cached(&state, &message)?;
        let Some(choice) = app
            .dialog()
            .file()
            .set_title("Save the message as a .eml file")
            .set_file_name(format!("{}.eml", export::file_stem(&cached)))
            .add_filter("Email message", &["eml"])
            .blocking_save_file()
        else {
            return Ok(None);
        };
        let path = choice
            .into_path()
            .map_err(|e| Error::new(ErrorKind::InvalidInput, "That place cannot be saved to.").with_cause(e))?;
        let bytes = export::download(&account, state.password(&account).as_ref(), &cached)?;
        // NOTE: the native dialog already asked before replacing an existing file.
        Ok(Some(export::save_eml(&path, &bytes, Overwrite::Confirmed)?.into()))
    })
    .await
}

#[tauri::command]
pub async fn restore_message<R: Runtime>(app: AppHandle<R>, message: MessageRefDto) -> CommandResult<RestoredDto> {
    blocking(move || {
        let state = app.state::<AppState>();
        let (account, cached) = cached(&state, &message)?;
        let password = state.password(&account);
        let mut store = state.store()?;
        let restored = restore_to_inbox(&mut store, &account, password.as_ref(), &cached);
        // NOTE: forgotten even when the restore failed part-way: the mailbox may have changed.
        state.forget_hunt_index();
        let restored = restored?;
        // A quick rescan caches the Inbox copy, so "Save as .eml" keeps working on this hit.
        if let Err(e) = scan(
            &mut store,
            &account,
            password.as_ref(),
            SyncOptions::default(),
            &CancelToken::new(),
            &mut |_| {},
        ) {
            tracing::warn!("rescan after restore failed: {}", e.detail());
        }
        Ok(RestoredDto::new(&restored, &cached.folder_display))
    })
    .await
}
