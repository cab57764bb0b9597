//! The IPC commands, one file per domain. Each is async so no work runs on the UI thread.

pub mod accounts;
pub mod hunt;
pub mod messages;
pub mod sync;
