fn main() {
    // NOTE: listing the commands makes each one need an explicit permission in capabilities/,
    // so no window can call a command it was not granted (tauri PR #9008).
    let commands = &[
        "suggest_server",
        "add_account",
        "open_demo",
        "saved_accounts",
        "sync_account",
        "cancel_sync",
        "hunt",
        "export_message",
        "restore_message",
    ];
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)))
        .unwrap_or_else(|e| panic!("tauri build script failed: {e}"));
}
