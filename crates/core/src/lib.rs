//! Mailhound's core: reads a mailbox (IMAP or a local Maildir) into a SQLite header cache, hunts that
//! cache for a half-remembered message, and saves or puts back what it finds.
//!
//! Data flows one way: [`source`] → [`sync`] → [`store`] → [`hunt`] → [`recovery`]. Nothing here knows
//! about Tauri, JSON or any user interface.
//!
//! - [`account`]: where a mailbox lives and how to reach it; secrets that never print.
//! - [`folder`]: folder names (server bytes + display form) and roles (Junk, Trash, …).
//! - [`source`]: the two mailbox readers, IMAP and Maildir, behind [`source::MailSource`].
//! - [`message`]: header parsing, isolated from parser panics.
//! - [`store`]: the SQLite cache, its migrations and queries.
//! - [`sync`]: plans and runs a scan of every folder, with progress events and cancellation.
//! - [`hunt`]: ranks cached messages against what the person remembers, with reasons.
//! - [`recovery`]: export as `.eml`, and restore to the Inbox (the only code that changes a mailbox).
//! - [`secrets`]: the OS keychain.

pub mod account;
pub mod cancel;
pub mod error;
pub mod folder;
pub mod hunt;
pub mod message;
pub mod recovery;
pub mod secrets;
pub mod source;
pub mod store;
pub mod sync;

pub use error::{Error, ErrorKind, Result};
