//! The compact read the hunt index is built from, and the full rows of the few messages a hunt
//! finally shows.

use rusqlite::params;

use super::{AccountId, CachedMessage, SELECT_MESSAGE, Store, cached_message};
use crate::folder::FolderRole;
use crate::{Error, Result};

/// One cached message as the hunt index needs it: sender, recipients, subject, dates and where it
/// lives.
#[derive(Debug, Clone)]
pub struct HuntRow {
    /// The message row's id, which [`Store::messages_by_row`] reads back.
    pub row: i64,
    pub account_id: AccountId,
    pub role: FolderRole,
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    /// To and Cc, as written.
    pub to: String,
    pub subject: String,
    pub date: Option<i64>,
    pub internal_date: Option<i64>,
    pub has_attachment: bool,
}

impl Store {
    /// Calls `visit` for every cached message (of `account`, if given), in row order, without
    /// loading them all at once.
    pub fn for_each_hunt_row(&self, account: Option<AccountId>, mut visit: impl FnMut(HuntRow)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT m.id, f.account_id, f.role, m.message_id, m.from_name, m.from_address,
                        CASE WHEN m.cc_addresses = '' THEN m.to_addresses ELSE m.to_addresses || ', ' || m.cc_addresses END,
                        m.subject, m.date, m.internal_date, m.has_attachment
                 FROM message m JOIN folder f ON f.id = m.folder_id
                 WHERE ?1 IS NULL OR f.account_id = ?1
                 ORDER BY m.id",
            )
            .map_err(|e| Error::storage("read the cache for hunting", e))?;
        let mut rows = stmt
            .query(params![account.map(|a| a.0)])
            .map_err(|e| Error::storage("read the cache for hunting", e))?;
        while let Some(r) = rows.next().map_err(|e| Error::storage("read the cache for hunting", e))? {
            let row = (|| {
                Ok::<_, rusqlite::Error>(HuntRow {
                    row: r.get(0)?,
                    account_id: AccountId(r.get(1)?),
                    role: FolderRole::from_code(&r.get::<_, String>(2)?),
                    message_id: r.get(3)?,
                    from_name: r.get(4)?,
                    from_address: r.get(5)?,
                    to: r.get(6)?,
                    subject: r.get(7)?,
                    date: r.get(8)?,
                    internal_date: r.get(9)?,
                    has_attachment: r.get(10)?,
                })
            })()
            .map_err(|e| Error::storage("read a cached message for hunting", e))?;
            visit(row);
        }
        Ok(())
    }

    /// The newest message row id (0 when empty). Row ids are never reused, so an index that has
    /// seen this row has seen every message added so far.
    pub fn last_message_row(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT coalesce(max(id), 0) FROM message", [], |r| r.get(0))
            .map_err(|e| Error::storage("check the cache for new messages", e))
    }

    /// The full cached messages with these row ids, in the order given; rows removed since the
    /// ids were read are left out.
    pub fn messages_by_row(&self, rows: &[i64]) -> Result<Vec<(i64, CachedMessage)>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT_MESSAGE} WHERE m.id = ?1"))
            .map_err(|e| Error::storage("read hunt results", e))?;
        let mut found = Vec::with_capacity(rows.len());
        for &row in rows {
            let mut result = stmt.query([row]).map_err(|e| Error::storage("read hunt results", e))?;
            if let Some(r) = result.next().map_err(|e| Error::storage("read hunt results", e))? {
                found.push((row, cached_message(r).map_err(|e| Error::storage("read a hunt result", e))?));
            }
        }
        Ok(found)
    }
}
