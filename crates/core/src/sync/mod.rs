//! Scanning a mailbox into the cache: [`plan`] decides per folder what must be read (pure, no I/O),
//! [`run`] does it against a [`crate::source::MailSource`], and [`event`] is the one progress type
//! every front end consumes.

pub mod event;
pub mod plan;
pub mod run;

pub use event::{FolderOutcome, FolderOverview, SyncEvent, SyncSummary};
pub use run::{SyncOptions, sync_account};
