//! The closed set of things a scan reports while it runs, and its summary.

use crate::folder::FolderRole;

/// A folder as announced at the start of a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderOverview {
    pub name: String,
    pub display_name: String,
    pub role: FolderRole,
    /// Messages cached from earlier scans; the real count arrives with `FolderStarted`.
    pub cached: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    FoldersListed {
        folders: Vec<FolderOverview>,
    },
    /// `total` is the number of messages the folder holds now.
    FolderStarted {
        folder: String,
        total: u64,
    },
    /// `done` of `total` messages are cached.
    FolderProgress {
        folder: String,
        done: u64,
        total: u64,
    },
    FolderDone {
        folder: String,
        outcome: FolderOutcome,
    },
    Finished {
        summary: SyncSummary,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderOutcome {
    /// The folder was read; `messages` are cached for it now.
    Synced { messages: u64, fetched: u64 },
    /// Nothing had changed since the last scan.
    Unchanged { messages: u64 },
    /// It disappeared during the scan; the reason is meant for the person.
    Vanished { reason: String },
}

/// One folder in the scan's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderSummary {
    pub name: String,
    pub display_name: String,
    pub role: FolderRole,
    pub messages: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncSummary {
    pub folders: Vec<FolderSummary>,
    /// Messages cached across all folders after the scan.
    pub messages: u64,
    /// Headers downloaded by this scan.
    pub fetched: u64,
    pub seconds: f64,
    pub cancelled: bool,
    /// Plain-language notes about folders that could not be read.
    pub problems: Vec<String>,
}

impl Eq for SyncSummary {}
