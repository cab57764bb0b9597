//! Restore intents: a restore is written down before any command is sent, and closed when the
//! message is confirmed at its destination, so an interrupted restore is resumed, not repeated.

use rusqlite::{OptionalExtension, params};

use super::{AccountId, Store};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreIntentId(pub i64);

/// What is about to be restored, identified so it can be found again after a cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreIntent {
    pub account: AccountId,
    pub source_folder: String,
    pub uidvalidity: u32,
    pub uid: u32,
    pub message_id: Option<String>,
    pub size: Option<u32>,
    pub internal_date: Option<i64>,
    pub destination: String,
}

impl Store {
    /// Records the intent, or returns the still-pending one for the same message.
    pub fn begin_restore(&mut self, intent: &RestoreIntent) -> Result<(RestoreIntentId, bool)> {
        let pending: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM restore_intent
                 WHERE account_id = ?1 AND source_folder = ?2 AND uidvalidity = ?3 AND uid = ?4 AND state = 'pending'",
                params![intent.account.0, intent.source_folder, intent.uidvalidity, intent.uid],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::storage("look for an unfinished restore", e))?;
        if let Some(id) = pending {
            return Ok((RestoreIntentId(id), true));
        }
        self.conn()
            .execute(
                "INSERT INTO restore_intent (account_id, source_folder, uidvalidity, uid, message_id, size, internal_date, destination)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    intent.account.0,
                    intent.source_folder,
                    intent.uidvalidity,
                    intent.uid,
                    intent.message_id,
                    intent.size,
                    intent.internal_date,
                    intent.destination
                ],
            )
            .map_err(|e| Error::storage("write down the restore before starting it", e))?;
        Ok((RestoreIntentId(self.conn().last_insert_rowid()), false))
    }

    /// Marks the intent done once the message is confirmed at its destination.
    pub fn finish_restore(&mut self, id: RestoreIntentId, method: &str, destination_uid: Option<u32>, now: i64) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE restore_intent SET state = 'done', method = ?2, destination_uid = ?3, finished_at = ?4 WHERE id = ?1",
                params![id.0, method, destination_uid, now],
            )
            .map_err(|e| Error::storage("record the finished restore", e))?;
        Ok(())
    }

    /// Where a message that was put back now sits in the cache: the Inbox row with the Message-ID
    /// its finished restore recorded. Found only once a scan has seen the Inbox again.
    pub fn find_restored(&self, account: AccountId, folder: &str, uidvalidity: u32, uid: u32) -> Result<Option<super::CachedMessage>> {
        let message_id: Option<String> = self
            .conn
            .query_row(
                "SELECT message_id FROM restore_intent
                 WHERE account_id = ?1 AND source_folder = ?2 AND uidvalidity = ?3 AND uid = ?4 AND state = 'done'
                 ORDER BY id DESC LIMIT 1",
                params![account.0, folder, uidvalidity, uid],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::storage("look up a finished restore", e))?
            .flatten();
        let Some(message_id) = message_id else { return Ok(None) };
        self.conn
            .query_row(
                &format!(
                    "{} WHERE a.id = ?1 AND upper(f.name) = 'INBOX' AND m.message_id = ?2 ORDER BY m.uid DESC LIMIT 1",
                    super::SELECT_MESSAGE
                ),
                params![account.0, message_id],
                super::cached_message,
            )
            .optional()
            .map_err(|e| Error::storage("find the restored message", e))
    }

    /// Removes one message row after it has left its folder (moved), keeping the cache true.
    pub fn forget_message(&mut self, account: AccountId, folder: &str, uidvalidity: u32, uid: u32) -> Result<()> {
        self.conn()
            .execute(
                "DELETE FROM message WHERE uidvalidity = ?3 AND uid = ?4
                   AND folder_id = (SELECT id FROM folder WHERE account_id = ?1 AND name = ?2)",
                params![account.0, folder, uidvalidity, uid],
            )
            .map_err(|e| Error::storage("update the cache after the restore", e))?;
        Ok(())
    }
}
