//! The IPC contract as the UI sees it: commands called through Tauri's mock runtime with the same
//! JSON the UI sends, answers checked field by field (camelCase, as `ui/src/ipc/types.ts` expects).

use serde_json::{Value, json};
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;

use crate::AppState;

struct App {
    _data: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: tauri::WebviewWindow<MockRuntime>,
}

fn app() -> App {
    let data = tempfile::tempdir().unwrap();
    let app = crate::with_commands(mock_builder()).build(mock_context(noop_assets())).unwrap();
    app.manage(AppState::open(data.path()).unwrap());
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    App {
        _data: data,
        _app: app,
        webview,
    }
}

fn invoke(app: &App, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::from(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|response| response.deserialize::<Value>().unwrap())
}

/// Scans the account the way `sync_account` does, without a webview channel.
fn scan(app: &App, account_id: &str) {
    let state = app.webview.state::<AppState>();
    let (_, account) = state.account(account_id).unwrap();
    let mut store = state.store().unwrap();
    mailhound_core::sync::sync_account(&mut store, &account, None, Default::default(), &Default::default(), &mut |_| {}).unwrap();
}

#[test]
fn demo_hunt_and_restore_speak_the_ui_contract() {
    let app = app();
    let account = invoke(&app, "open_demo", json!({})).unwrap();
    assert_eq!(account["kind"], "maildir");
    let id = account["id"].as_str().unwrap().to_string();
    scan(&app, &id);

    let query = json!({ "query": { "accountId": id, "from": "margret hollis", "subject": "roof qoute", "date": "2026-11-03", "dateSlackDays": 3, "limit": 5 } });
    let hits = invoke(&app, "hunt", query.clone()).unwrap();
    let top = &hits[0];
    assert_eq!(top["rank"], 1);
    assert_eq!(top["ref"]["folder"], "Junk");
    assert_eq!(top["folderRole"], "junk");
    assert!(top["whereText"].as_str().unwrap().contains("spam filter"));
    assert_eq!(top["fromName"], "Margaret Hollins");
    assert!(top["date"].as_str().unwrap().starts_with("2026-11-05"));
    assert!(!top["why"].as_array().unwrap().is_empty());
    assert!(top["alsoIn"].is_array());
    let narrowed = json!({ "query": { "accountId": id, "from": "margret hollis", "withinRoles": ["trash"], "hasAttachment": null, "to": null, "dateTo": null, "subject": null, "date": null, "dateSlackDays": null, "limit": 5 } });
    assert!(
        invoke(&app, "hunt", narrowed)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["folderRole"] == "trash"),
        "withinRoles narrows to those folders"
    );

    let restored = invoke(&app, "restore_message", json!({ "message": top["ref"] })).unwrap();
    assert_eq!(restored["method"], "file-move");
    assert_eq!(restored["originalKept"], false);
    assert!(restored["summary"].as_str().unwrap().contains("Inbox"));
    let again = invoke(&app, "hunt", query).unwrap();
    assert_eq!(again[0]["ref"]["folder"], "INBOX", "the kept index sees the restore: {again}");
}

#[test]
fn errors_arrive_as_code_and_plain_message() {
    let app = app();
    let err = invoke(
        &app,
        "hunt",
        json!({ "query": { "accountId": null, "from": "", "subject": null, "date": null, "dateSlackDays": null, "limit": 5 } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("at least one thing"));
    let err = invoke(
        &app,
        "restore_message",
        json!({ "message": { "accountId": "nobody", "folder": "Junk", "uidvalidity": 1, "uid": 1 } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_found");
    let suggestion = invoke(&app, "suggest_server", json!({ "email": "anna@gmail.com" })).unwrap();
    assert_eq!(suggestion, json!({ "host": "imap.gmail.com", "port": 993, "security": "tls" }));
}

#[test]
fn saved_accounts_lets_a_returning_person_continue() {
    let app = app();
    assert_eq!(invoke(&app, "saved_accounts", json!({})).unwrap(), json!([]));
    let account = invoke(&app, "open_demo", json!({})).unwrap();
    scan(&app, account["id"].as_str().unwrap());
    let saved = invoke(&app, "saved_accounts", json!({})).unwrap();
    assert_eq!(saved.as_array().map(Vec::len), Some(1));
    assert_eq!(saved[0]["account"], account);
    assert_eq!(saved[0]["needsPassword"], false);
    assert!(saved[0]["messages"].as_u64().unwrap() > 0);
    assert_eq!(saved[0]["settings"], Value::Null);
}
