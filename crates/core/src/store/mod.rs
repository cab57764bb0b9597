//! The SQLite header cache: opening it safely, migrating it forward, and every query the other
//! modules need. The file is never deleted or reset by Mailhound; on an error it is left as it is.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};

use crate::folder::FolderRole;
use crate::message::ParsedHeader;
use crate::{Error, ErrorKind, Result};

mod hunt_rows;
mod restore_intent;
pub use hunt_rows::HuntRow;
pub use restore_intent::{RestoreIntent, RestoreIntentId};

/// An open cache. One writer per process; see ARCHITECTURE.md.
pub struct Store {
    conn: Connection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FolderId(pub i64);

/// An account as the cache knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAccount {
    pub id: AccountId,
    pub record: AccountRecord,
}

/// How an account is written down: enough to reconnect, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub key: String,
    /// `imap` or `maildir`.
    pub kind: String,
    /// The account URL, or the Maildir's path.
    pub location: String,
    pub ca_file: Option<String>,
    pub plaintext: bool,
}

/// A folder's cached identity and sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFolder {
    pub id: FolderId,
    pub name: String,
    pub display_name: String,
    pub role: FolderRole,
    pub uidvalidity: Option<u32>,
    pub uidnext: Option<u32>,
    pub highestmodseq: Option<u64>,
    pub messages: u64,
}

/// A message to add to the cache.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub uid: u32,
    pub flags: &'a str,
    pub internal_date: Option<i64>,
    pub size: Option<u32>,
    pub raw_header: &'a [u8],
    pub parsed: &'a ParsedHeader,
}

/// A cached message with where it lives, as hunting and recovery read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedMessage {
    pub account_id: AccountId,
    pub account_key: String,
    pub folder: String,
    pub folder_display: String,
    pub role: FolderRole,
    pub uidvalidity: u32,
    pub uid: u32,
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    /// To and Cc addresses, comma-separated.
    pub to: String,
    pub subject: String,
    pub date: Option<i64>,
    pub internal_date: Option<i64>,
    pub size: Option<u32>,
    pub flags: String,
    pub has_attachment: bool,
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(include_str!("migrations/0001_initial.sql"))])
}

impl Store {
    /// Opens (creating if needed) the cache at `path`, with owner-only permissions, and migrates it
    /// forward. An existing file that cannot be opened or migrated is reported, never replaced.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        create_private_file(path)?;
        let mut conn = Connection::open(path).map_err(|e| {
            Error::new(
                ErrorKind::Storage,
                format!("Mailhound could not open its cache at {}.", path.display()),
            )
            .with_cause(e)
        })?;
        conn.execute_batch(
            "PRAGMA page_size = 16384;
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA busy_timeout = 5000;
             PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;
             PRAGMA cache_size = -32768;",
        )
        .map_err(|e| Error::storage("set up the connection", e))?;
        migrations().to_latest(&mut conn).map_err(|e| {
            Error::new(
                ErrorKind::Storage,
                format!(
                    "The cache at {} could not be brought up to date; it was left untouched.",
                    path.display()
                ),
            )
            .with_cause(e)
        })?;
        Ok(Store { conn })
    }

    /// Records an account (or updates how to reach it) and returns its id.
    pub fn account(&mut self, record: &AccountRecord) -> Result<AccountId> {
        self.conn
            .execute(
                "INSERT INTO account (key, kind, location, ca_file, plaintext) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (key) DO UPDATE SET location = excluded.location, ca_file = excluded.ca_file, plaintext = excluded.plaintext",
                params![record.key, record.kind, record.location, record.ca_file, record.plaintext],
            )
            .map_err(|e| Error::storage("record the account", e))?;
        self.conn
            .query_row("SELECT id FROM account WHERE key = ?1", [&record.key], |r| r.get(0))
            .map(AccountId)
            .map_err(|e| Error::storage("read the account", e))
    }

    pub fn accounts(&self) -> Result<Vec<CachedAccount>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, key, kind, location, ca_file, plaintext FROM account ORDER BY id")
            .map_err(|e| Error::storage("list accounts", e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CachedAccount {
                    id: AccountId(r.get(0)?),
                    record: AccountRecord {
                        key: r.get(1)?,
                        kind: r.get(2)?,
                        location: r.get(3)?,
                        ca_file: r.get(4)?,
                        plaintext: r.get(5)?,
                    },
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| Error::storage("list accounts", e))?;
        Ok(rows)
    }

    pub fn folders(&self, account: AccountId) -> Result<Vec<CachedFolder>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT_FOLDER} WHERE f.account_id = ?1 ORDER BY f.id"))
            .map_err(|e| Error::storage("list folders", e))?;
        stmt.query_map([account.0], cached_folder)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| Error::storage("list folders", e))
    }

    /// Records a folder seen in LIST (or updates its display name and role) and returns its id.
    pub fn folder(&mut self, account: AccountId, name: &str, display_name: &str, role: FolderRole) -> Result<FolderId> {
        self.conn
            .execute(
                "INSERT INTO folder (account_id, name, display_name, role) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, name) DO UPDATE SET display_name = excluded.display_name, role = excluded.role",
                params![account.0, name, display_name, role.code()],
            )
            .map_err(|e| Error::storage("record a folder", e))?;
        self.conn
            .query_row(
                "SELECT id FROM folder WHERE account_id = ?1 AND name = ?2",
                params![account.0, name],
                |r| r.get(0),
            )
            .map(FolderId)
            .map_err(|e| Error::storage("read a folder", e))
    }

    /// One folder's cached identity and sync state.
    pub fn folder_state(&self, folder: FolderId) -> Result<Option<CachedFolder>> {
        self.conn
            .query_row(&format!("{SELECT_FOLDER} WHERE f.id = ?1"), [folder.0], cached_folder)
            .optional()
            .map_err(|e| Error::storage("read a folder's sync state", e))
    }

    /// Forgets a folder the server no longer has, with its messages.
    pub fn remove_folder(&mut self, folder: FolderId) -> Result<()> {
        self.conn
            .execute("DELETE FROM folder WHERE id = ?1", [folder.0])
            .map_err(|e| Error::storage("remove a vanished folder", e))?;
        Ok(())
    }

    /// Drops every cached message of a folder whose UIDVALIDITY changed: its UIDs mean nothing now.
    pub fn reset_folder(&mut self, folder: FolderId) -> Result<()> {
        self.conn
            .execute("DELETE FROM message WHERE folder_id = ?1", [folder.0])
            .and_then(|_| {
                self.conn.execute(
                    "UPDATE folder SET uidvalidity = NULL, uidnext = NULL, highestmodseq = NULL WHERE id = ?1",
                    [folder.0],
                )
            })
            .map_err(|e| Error::storage("clear a folder whose UIDs changed", e))?;
        Ok(())
    }

    /// Records the numbering a folder scan is working under, before any message is stored, and
    /// marks the folder incomplete until [`Store::set_folder_state`]. An interrupted scan then
    /// resumes under the same numbering instead of starting over.
    pub fn begin_folder(&mut self, folder: FolderId, uidvalidity: u32) -> Result<()> {
        self.conn
            .execute(
                "UPDATE folder SET uidvalidity = ?2, uidnext = NULL, highestmodseq = NULL WHERE id = ?1",
                params![folder.0, uidvalidity],
            )
            .map_err(|e| Error::storage("record a folder scan", e))?;
        Ok(())
    }

    /// Saves a folder's sync state after its messages are stored, marking the scan complete.
    pub fn set_folder_state(
        &mut self,
        folder: FolderId,
        uidvalidity: u32,
        uidnext: Option<u32>,
        highestmodseq: Option<u64>,
        now: i64,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE folder SET uidvalidity = ?2, uidnext = ?3, highestmodseq = ?4, synced_at = ?5 WHERE id = ?1",
                params![folder.0, uidvalidity, uidnext, highestmodseq.map(|m| m as i64), now],
            )
            .map_err(|e| Error::storage("save a folder's sync state", e))?;
        Ok(())
    }

    /// The UIDs and flags cached for a folder under one UIDVALIDITY.
    pub fn cached_flags(&self, folder: FolderId, uidvalidity: u32) -> Result<HashMap<u32, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT uid, flags FROM message WHERE folder_id = ?1 AND uidvalidity = ?2")
            .map_err(|e| Error::storage("read cached UIDs", e))?;
        stmt.query_map(params![folder.0, uidvalidity], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<Result<HashMap<_, _>, _>>())
            .map_err(|e| Error::storage("read cached UIDs", e))
    }

    /// How many messages are cached for a folder under one UIDVALIDITY.
    pub fn message_count(&self, folder: FolderId, uidvalidity: u32) -> Result<u64> {
        self.conn
            .prepare_cached("SELECT count(*) FROM message WHERE folder_id = ?1 AND uidvalidity = ?2")
            .and_then(|mut stmt| stmt.query_row(params![folder.0, uidvalidity], |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(|e| Error::storage("count cached messages", e))
    }

    /// Adds messages in one transaction: either the whole chunk is cached or none of it.
    pub fn insert_messages(&mut self, folder: FolderId, uidvalidity: u32, messages: &[NewMessage<'_>]) -> Result<()> {
        let tx = self.conn.transaction().map_err(|e| Error::storage("start a transaction", e))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO message (folder_id, uidvalidity, uid, message_id, from_name, from_address,
                        to_addresses, cc_addresses, subject, date, internal_date, size, flags, has_attachment,
                        parse_problem, raw_header)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                     ON CONFLICT (folder_id, uidvalidity, uid) DO UPDATE SET flags = excluded.flags",
                )
                .map_err(|e| Error::storage("prepare to store messages", e))?;
            for m in messages {
                let p = m.parsed;
                stmt.execute(params![
                    folder.0,
                    uidvalidity,
                    m.uid,
                    p.message_id,
                    p.from_name,
                    p.from_address,
                    p.to,
                    p.cc,
                    p.subject,
                    p.date,
                    m.internal_date,
                    m.size,
                    m.flags,
                    p.has_attachment,
                    p.problem,
                    m.raw_header,
                ])
                .map_err(|e| Error::storage("store a message", e))?;
            }
        }
        tx.commit().map_err(|e| Error::storage("commit stored messages", e))
    }

    /// Applies flag changes and removals seen on the server, in one transaction.
    pub fn apply_changes(&mut self, folder: FolderId, uidvalidity: u32, flag_changes: &[(u32, String)], expunged: &[u32]) -> Result<()> {
        let tx = self.conn.transaction().map_err(|e| Error::storage("start a transaction", e))?;
        {
            let mut update = tx
                .prepare_cached("UPDATE message SET flags = ?4 WHERE folder_id = ?1 AND uidvalidity = ?2 AND uid = ?3")
                .map_err(|e| Error::storage("prepare flag updates", e))?;
            for (uid, flags) in flag_changes {
                update
                    .execute(params![folder.0, uidvalidity, uid, flags])
                    .map_err(|e| Error::storage("update flags", e))?;
            }
            let mut delete = tx
                .prepare_cached("DELETE FROM message WHERE folder_id = ?1 AND uidvalidity = ?2 AND uid = ?3")
                .map_err(|e| Error::storage("prepare removals", e))?;
            for uid in expunged {
                delete
                    .execute(params![folder.0, uidvalidity, uid])
                    .map_err(|e| Error::storage("remove an expunged message", e))?;
            }
        }
        tx.commit().map_err(|e| Error::storage("commit changes", e))
    }

    /// Calls `visit` for every cached message, without loading them all at once.
    pub fn for_each_message(&self, mut visit: impl FnMut(CachedMessage)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(SELECT_MESSAGE)
            .map_err(|e| Error::storage("read the cache", e))?;
        let mut rows = stmt.query([]).map_err(|e| Error::storage("read the cache", e))?;
        while let Some(row) = rows.next().map_err(|e| Error::storage("read the cache", e))? {
            visit(cached_message(row).map_err(|e| Error::storage("read a cached message", e))?);
        }
        Ok(())
    }

    /// One cached message, by its identity.
    pub fn message(&self, account: AccountId, folder: &str, uidvalidity: u32, uid: u32) -> Result<Option<CachedMessage>> {
        self.conn
            .query_row(
                &format!("{SELECT_MESSAGE} WHERE a.id = ?1 AND f.name = ?2 AND m.uidvalidity = ?3 AND m.uid = ?4"),
                params![account.0, folder, uidvalidity, uid],
                cached_message,
            )
            .optional()
            .map_err(|e| Error::storage("read a cached message", e))
    }

    /// The raw header bytes as fetched, for re-parsing and evidence.
    pub fn raw_header(&self, account: AccountId, folder: &str, uidvalidity: u32, uid: u32) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT m.raw_header FROM message m JOIN folder f ON f.id = m.folder_id
                 WHERE f.account_id = ?1 AND f.name = ?2 AND m.uidvalidity = ?3 AND m.uid = ?4",
                params![account.0, folder, uidvalidity, uid],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::storage("read raw header bytes", e))
    }

    pub(crate) fn conn(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

const SELECT_FOLDER: &str = "SELECT f.id, f.name, f.display_name, f.role, f.uidvalidity, f.uidnext, f.highestmodseq,
        (SELECT count(*) FROM message m WHERE m.folder_id = f.id)
 FROM folder f";

fn cached_folder(r: &rusqlite::Row<'_>) -> rusqlite::Result<CachedFolder> {
    Ok(CachedFolder {
        id: FolderId(r.get(0)?),
        name: r.get(1)?,
        display_name: r.get(2)?,
        role: FolderRole::from_code(&r.get::<_, String>(3)?),
        uidvalidity: r.get(4)?,
        uidnext: r.get(5)?,
        highestmodseq: r.get::<_, Option<i64>>(6)?.map(|m| m as u64),
        messages: r.get::<_, i64>(7)? as u64,
    })
}

const SELECT_MESSAGE: &str = "SELECT a.id, a.key, f.name, f.display_name, f.role, m.uidvalidity, m.uid, m.message_id,
        m.from_name, m.from_address,
        CASE WHEN m.cc_addresses = '' THEN m.to_addresses ELSE m.to_addresses || ', ' || m.cc_addresses END,
        m.subject, m.date, m.internal_date, m.size, m.flags, m.has_attachment
 FROM message m JOIN folder f ON f.id = m.folder_id JOIN account a ON a.id = f.account_id";

fn cached_message(r: &rusqlite::Row<'_>) -> rusqlite::Result<CachedMessage> {
    Ok(CachedMessage {
        account_id: AccountId(r.get(0)?),
        account_key: r.get(1)?,
        folder: r.get(2)?,
        folder_display: r.get(3)?,
        role: FolderRole::from_code(&r.get::<_, String>(4)?),
        uidvalidity: r.get(5)?,
        uid: r.get(6)?,
        message_id: r.get(7)?,
        from_name: r.get(8)?,
        from_address: r.get(9)?,
        to: r.get(10)?,
        subject: r.get(11)?,
        date: r.get(12)?,
        internal_date: r.get(13)?,
        size: r.get(14)?,
        flags: r.get(15)?,
        has_attachment: r.get(16)?,
    })
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::io(format_args!("create the folder {}", dir.display()), e))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format_args!("create the folder {}", dir.display()), e))
}

/// Pre-creates the database owner-only, because SQLite gives `-wal` and `-shm` the same mode.
fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|e| Error::io(format_args!("create the cache file {}", path.display()), e))
}

/// An IMAP account record for unit tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn test_record(key: &str) -> AccountRecord {
    AccountRecord {
        key: key.to_string(),
        kind: "imap".to_string(),
        location: format!("imaps://{key}"),
        ca_file: None,
        plaintext: false,
    }
}

#[cfg(test)]
mod tests;
