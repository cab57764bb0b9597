//! Mailhound's desktop shell: registers the plugins and the IPC commands over mailhound-core.
//! Commands are thin (parse a DTO, call core on a blocking thread, map the result); this crate is
//! the only one that knows about Tauri, IPC or JSON.

mod commands;
mod demo;
mod dto;
mod error;
mod state;

#[cfg(test)]
mod ipc_tests;

use tauri::Manager;

pub use state::AppState;

/// Registers every command on `builder`; shared by `run` and the tests (which use a mock runtime).
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::accounts::suggest_server,
        commands::accounts::add_account,
        commands::accounts::open_demo,
        commands::accounts::saved_accounts,
        commands::sync::sync_account,
        commands::sync::cancel_sync,
        commands::hunt::hunt,
        commands::messages::export_message,
        commands::messages::restore_message,
    ])
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("MAILHOUND_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let result = with_commands(tauri::Builder::default())
        // NOTE: single-instance must be the first plugin, so a second launch only focuses the first.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = match std::env::var_os("MAILHOUND_DATA_DIR").filter(|d| !d.is_empty()) {
                Some(dir) => dir.into(),
                None => app.path().app_data_dir()?,
            };
            app.manage(AppState::open(&data_dir)?);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Mailhound could not start: {e}");
        std::process::exit(1);
    }
}
