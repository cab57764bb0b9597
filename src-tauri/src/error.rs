//! Errors as the UI receives them: `{ code, message }`, the message written for the person.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<mailhound_core::Error> for CommandError {
    fn from(e: mailhound_core::Error) -> CommandError {
        // NOTE: the detail (causes) goes to the log only; core errors never contain secrets.
        tracing::warn!(code = e.kind().code(), "{}", e.detail());
        CommandError {
            code: e.kind().code(),
            message: e.message().to_string(),
        }
    }
}

impl From<tauri::Error> for CommandError {
    fn from(e: tauri::Error) -> CommandError {
        tracing::error!("{e}");
        CommandError {
            code: "bug",
            message: "Mailhound hit an internal problem. Please try again.".to_string(),
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Runs blocking core work off the UI thread.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> mailhound_core::Result<T> + Send + 'static) -> CommandResult<T> {
    Ok(tauri::async_runtime::spawn_blocking(work).await??)
}
