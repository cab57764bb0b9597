//! The one error type the core returns: a plain-language message for the person, a kind the
//! front ends branch on, and the technical cause kept for the log.

use std::fmt;

/// What went wrong, coarsely enough that a front end can choose what to show or offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server refused the user name or password.
    Auth,
    /// The server could not be reached, or the connection broke or timed out.
    Network,
    /// The server's certificate is not trusted, or the TLS handshake failed.
    Tls,
    /// STARTTLS was required but the server does not offer it.
    StartTlsMissing,
    /// The server answered NO or BAD to a command.
    ServerRejected,
    /// A folder that was there a moment ago is gone (deleted or renamed by another client).
    FolderVanished,
    /// The message, folder or account asked for is not known.
    NotFound,
    /// The local cache or a local file could not be read or written.
    Storage,
    /// The person cancelled the operation.
    Cancelled,
    /// The request itself is not valid (bad URL, empty query, unsafe option).
    InvalidInput,
    /// Mailhound hit a case it does not handle; a bug report is welcome.
    Bug,
}

impl ErrorKind {
    /// A stable machine name, used by the CLI's JSON and the desktop app's IPC.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Auth => "auth",
            ErrorKind::Network => "network",
            ErrorKind::Tls => "tls",
            ErrorKind::StartTlsMissing => "starttls_missing",
            ErrorKind::ServerRejected => "server_rejected",
            ErrorKind::FolderVanished => "folder_vanished",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Storage => "storage",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Bug => "bug",
        }
    }
}

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error with a message meant for the person and, separately, its technical cause.
///
/// `Display` shows only the plain-language message; the cause chain is reachable through
/// [`std::error::Error::source`] for logs. Neither ever contains a password.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    cause: Option<Cause>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            cause: None,
        }
    }

    /// Attaches the technical cause, which goes to logs but not into the message.
    pub fn with_cause(mut self, cause: impl Into<Cause>) -> Error {
        self.cause = Some(cause.into());
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message followed by its causes, for logs and `--verbose` output.
    pub fn detail(&self) -> String {
        let mut out = self.message.clone();
        let mut next = self.cause.as_deref().map(|c| c as &dyn std::error::Error);
        while let Some(cause) = next {
            out.push_str(": ");
            out.push_str(&cause.to_string());
            next = cause.source();
        }
        out
    }

    pub(crate) fn cancelled() -> Error {
        Error::new(ErrorKind::Cancelled, "Stopped, as you asked.")
    }

    pub(crate) fn storage(what: &str, cause: rusqlite::Error) -> Error {
        Error::new(ErrorKind::Storage, format!("Mailhound could not {what} in its local cache.")).with_cause(cause)
    }

    pub fn io(what: impl fmt::Display, cause: std::io::Error) -> Error {
        Error::new(ErrorKind::Storage, format!("Could not {what}.")).with_cause(cause)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn std::error::Error + 'static))
    }
}
