//! Scanning, with progress streamed over a Channel and a separate command to cancel.

use std::time::{Duration, Instant};

use mailhound_core::sync::{SyncEvent, SyncOptions, sync_account as scan};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::SyncEventDto;
use crate::error::{CommandResult, blocking};
use crate::state::AppState;

/// Progress is sent at most this often; folder starts and ends always go through.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

#[tauri::command]
pub async fn sync_account<R: Runtime>(app: AppHandle<R>, account_id: String, on_event: Channel<SyncEventDto>) -> CommandResult<()> {
    blocking(move || {
        let state = app.state::<AppState>();
        let (_, account) = state.account(&account_id)?;
        let password = state.password(&account);
        let cancel = state.start_scan(&account_id);
        let mut last_progress = Instant::now() - PROGRESS_INTERVAL;
        let mut store = state.store()?;
        state.forget_hunt_index();
        scan(
            &mut store,
            &account,
            password.as_ref(),
            SyncOptions::default(),
            &cancel,
            &mut |event| {
                if let SyncEvent::FolderProgress { done, total, .. } = &event {
                    if done < total && last_progress.elapsed() < PROGRESS_INTERVAL {
                        return;
                    }
                    last_progress = Instant::now();
                }
                if let Some(dto) = SyncEventDto::from_event(&event)
                    && let Err(e) = on_event.send(dto)
                {
                    tracing::warn!("progress could not reach the window: {e}");
                }
            },
        )?;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn cancel_sync<R: Runtime>(app: AppHandle<R>, account_id: String) -> CommandResult<()> {
    app.state::<AppState>().cancel_scan(&account_id);
    Ok(())
}
