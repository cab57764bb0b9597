//! Mailbox readers. [`MailSource`] is what a scan and an export need from a mailbox; IMAP
//! ([`imap`]) and a local Maildir ([`maildir`]) implement it. Both are read-only.

pub mod imap;
pub mod maildir;
pub mod wire;

use crate::Result;
use crate::account::{Account, Secret};
use crate::folder::FolderRole;

/// A folder as the mailbox lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFolder {
    /// The exact name to use in commands.
    pub name: String,
    pub display_name: String,
    pub role: FolderRole,
    /// How many messages it holds, when the listing says (IMAP LIST-STATUS); a scan reads the
    /// biggest folders first so its connections finish together.
    pub messages: Option<u32>,
}

/// What opening a folder read-only tells about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderStatus {
    pub uidvalidity: u32,
    /// Absent on servers that omit it; then every scan lists the folder's UIDs.
    pub uidnext: Option<u32>,
    /// Present when the server has CONDSTORE.
    pub highestmodseq: Option<u64>,
    pub exists: u32,
}

/// One message's UID and flags, as listed cheaply before headers are fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UidFlags {
    pub uid: u32,
    /// Space-separated, sorted, e.g. `\Flagged \Seen`.
    pub flags: String,
}

/// The header fields fetched for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedHeader {
    pub uid: u32,
    pub flags: String,
    pub internal_date: Option<i64>,
    pub size: Option<u32>,
    pub raw_header: Vec<u8>,
    /// Set when the server's answer for this message could not be parsed; `raw_header` then holds
    /// the bytes it sent.
    pub problem: Option<String>,
}

/// The header fields the cache stores; everything a hunt reads comes from these.
pub const CACHED_HEADER_FIELDS: &str =
    "FROM TO CC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID RETURN-PATH CONTENT-TYPE";

/// A read-only view of a mailbox.
pub trait MailSource {
    /// Every selectable folder.
    fn folders(&mut self) -> Result<Vec<RemoteFolder>>;
    /// Like [`MailSource::folders`], with each folder's size where the source can tell it in the
    /// same answer; that costs the server a look into every folder, so only a first scan asks.
    fn folders_with_sizes(&mut self) -> Result<Vec<RemoteFolder>> {
        self.folders()
    }
    /// Opens a folder read-only (IMAP EXAMINE) and reports its state.
    fn open_folder(&mut self, folder: &str) -> Result<FolderStatus>;
    /// UIDs and flags of every message in the open folder.
    fn list_uids(&mut self) -> Result<Vec<UidFlags>>;
    /// UIDs and flags of the messages changed since `modseq` (CONDSTORE `CHANGEDSINCE`), new ones
    /// included. A source without change tracking lists every message.
    fn list_changed_uids(&mut self, modseq: u64) -> Result<Vec<UidFlags>> {
        let _ = modseq;
        self.list_uids()
    }
    /// Header fields of the given messages in the open folder, without marking them read.
    fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<FetchedHeader>>;
    /// Like [`MailSource::fetch_headers`], handing the headers over `batch` at a time as they
    /// arrive, so parsing overlaps the server's work. An error from `on_batch` stops the fetch and
    /// is returned; the source may then be unusable.
    fn stream_headers(&mut self, uids: &[u32], batch: usize, on_batch: &mut dyn FnMut(Vec<FetchedHeader>) -> Result<()>) -> Result<()> {
        for chunk in uids.chunks(batch.max(1)) {
            on_batch(self.fetch_headers(chunk)?)?;
        }
        Ok(())
    }
    /// Header fields of every message in the open folder, `batch` at a time, for a folder the
    /// cache holds nothing of. IMAP reads them in one pass instead of a listing and then a fetch.
    fn stream_all_headers(&mut self, batch: usize, on_batch: &mut dyn FnMut(Vec<FetchedHeader>) -> Result<()>) -> Result<()> {
        let uids: Vec<u32> = self.list_uids()?.into_iter().map(|listed| listed.uid).collect();
        self.stream_headers(&uids, batch, on_batch)
    }
    /// The whole message exactly as stored, without marking it read. Fails with `NotFound` when
    /// the folder's UIDVALIDITY is no longer `uidvalidity` or the message is gone.
    fn fetch_message(&mut self, folder: &str, uidvalidity: u32, uid: u32) -> Result<Vec<u8>>;
}

/// Opens the right reader for an account.
pub fn open(account: &Account, password: Option<&Secret>) -> Result<Box<dyn MailSource + Send>> {
    match account {
        Account::Imap(imap) => Ok(Box::new(imap::ImapSource::connect(imap, password)?)),
        Account::Maildir(path) => Ok(Box::new(maildir::MaildirSource::new(path)?)),
    }
}

/// Formats flags canonically so a flag change is a string change.
pub(crate) fn canonical_flags<'a>(flags: impl Iterator<Item = &'a str>) -> String {
    let mut flags: Vec<&str> = flags.filter(|f| !f.eq_ignore_ascii_case("\\Recent")).collect();
    flags.sort_unstable();
    flags.dedup();
    flags.join(" ")
}
