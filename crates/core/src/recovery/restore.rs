//! Putting a message back in the Inbox — the only place Mailhound changes a mailbox.
//!
//! The protocol (reliability.md §5): write the intent down first; read capabilities after login;
//! look in the Inbox before acting, so a retry after a cut connection never duplicates; prefer
//! `UID MOVE`, else `UID COPY` + `\Deleted` + `UID EXPUNGE` of that one UID (UIDPLUS), else copy
//! only. Plain `EXPUNGE` and `CLOSE` are never sent: they would also remove other messages that
//! some client marked `\Deleted`.

use std::path::Path;

use imap_proto::types::{Response, ResponseCode, UidSetMember};

use crate::account::{Account, ImapAccount, Secret};
use crate::folder::FolderRole;
use crate::source::imap::{Connection, gone, quote_mailbox, stale_folder};
use crate::source::maildir::MaildirSource;
use crate::source::wire::parse_responses;
use crate::store::{CachedMessage, RestoreIntent, Store};
use crate::{Error, ErrorKind, Result};

const INBOX: &str = "INBOX";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreMethod {
    /// `UID MOVE`: atomic on the server.
    Move,
    /// `UID COPY`, confirmed, then `\Deleted` and `UID EXPUNGE` of that UID only.
    CopyExpunge,
    /// `UID COPY` only; the original stays where it was.
    Copy,
    /// A Maildir file renamed into the Inbox.
    FileMove,
    /// Nothing had to be done: the message was in the Inbox already.
    AlreadyThere,
}

impl RestoreMethod {
    pub fn code(self) -> &'static str {
        match self {
            RestoreMethod::Move => "move",
            RestoreMethod::CopyExpunge => "copy+expunge",
            RestoreMethod::Copy => "copy",
            RestoreMethod::FileMove => "file-move",
            RestoreMethod::AlreadyThere => "already-there",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub method: RestoreMethod,
    /// The message's UID in the Inbox, when the server told it.
    pub inbox_uid: Option<u32>,
    /// Whether the original is still in its old folder.
    pub original_kept: bool,
}

impl Restored {
    /// One sentence for the person.
    pub fn summary(&self, from_folder: &str) -> String {
        match (self.method, self.original_kept) {
            (RestoreMethod::AlreadyThere, _) => "It is in your Inbox already; nothing needed to change.".to_string(),
            (RestoreMethod::Copy, _) => format!(
                "Done: a copy is now in your Inbox. This server cannot move messages safely, so the original also stays in {from_folder}."
            ),
            (_, true) => format!("Done: it is now in your Inbox, and the original also stays in {from_folder}."),
            (_, false) => format!("Done: it is now in your Inbox (moved out of {from_folder})."),
        }
    }
}

/// Server features that decide how to restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerCaps {
    pub move_: bool,
    pub uidplus: bool,
}

/// Chooses the restore method from capabilities read after login.
pub fn plan(caps: ServerCaps) -> RestoreMethod {
    match caps {
        ServerCaps { move_: true, .. } => RestoreMethod::Move,
        ServerCaps { uidplus: true, .. } => RestoreMethod::CopyExpunge,
        _ => RestoreMethod::Copy,
    }
}

/// Puts the cached `message` back in the Inbox and keeps the cache and the intent log true.
pub fn restore_to_inbox(store: &mut Store, account: &Account, password: Option<&Secret>, message: &CachedMessage) -> Result<Restored> {
    if message.role == FolderRole::Inbox || message.folder.eq_ignore_ascii_case(INBOX) {
        return Ok(Restored {
            method: RestoreMethod::AlreadyThere,
            inbox_uid: Some(message.uid),
            original_kept: true,
        });
    }
    let intent = RestoreIntent {
        account: message.account_id,
        source_folder: message.folder.clone(),
        uidvalidity: message.uidvalidity,
        uid: message.uid,
        message_id: message.message_id.clone(),
        size: message.size,
        internal_date: message.internal_date,
        destination: INBOX.to_string(),
    };
    let (intent_id, resumed) = store.begin_restore(&intent)?;
    if resumed {
        tracing::info!(folder = %message.folder, uid = message.uid, "resuming an interrupted restore");
    }
    let restored = match account {
        Account::Imap(imap) => {
            let raw_header = store
                .raw_header(message.account_id, &message.folder, message.uidvalidity, message.uid)?
                .unwrap_or_default();
            restore_imap(imap, password, message, &raw_header, resumed)?
        }
        Account::Maildir(root) => restore_maildir(root, message)?,
    };
    store.finish_restore(
        intent_id,
        restored.method.code(),
        restored.inbox_uid,
        chrono::Utc::now().timestamp(),
    )?;
    if !restored.original_kept {
        store.forget_message(message.account_id, &message.folder, message.uidvalidity, message.uid)?;
    }
    Ok(restored)
}

fn restore_imap(
    account: &ImapAccount,
    password: Option<&Secret>,
    message: &CachedMessage,
    raw_header: &[u8],
    resumed: bool,
) -> Result<Restored> {
    let mut conn = Connection::open(account, password)?;
    let method = plan(ServerCaps {
        move_: conn.has("MOVE"),
        uidplus: conn.has("UIDPLUS"),
    });

    // Look before acting: a MOVE whose reply was lost has already happened (imap-test-server.md §11.4).
    let in_inbox = find_in_inbox(&mut conn, message, raw_header)?;
    let mailbox = conn.session.select(&message.folder).map_err(|e| match e {
        imap::Error::No(_) => gone(&message.folder),
        other => conn.error("open the folder", other),
    })?;
    // NOTE: Dovecot answers from a stale view after UIDVALIDITY changes under a session
    // (imap-test-server.md §11.6), so it is compared on every SELECT before changing anything.
    if mailbox.uid_validity != Some(message.uidvalidity) {
        return Err(stale_folder(&message.folder));
    }
    let source_flags = conn
        .session
        .uid_fetch(message.uid.to_string(), "(UID FLAGS)")
        .map_err(|e| conn.error("check the message", e))?
        .iter()
        .find(|f| f.uid == Some(message.uid))
        .map(|f| f.flags().iter().map(ToString::to_string).collect::<Vec<_>>());

    let restored = match (source_flags, in_inbox) {
        (None, Some(uid)) => Restored {
            method,
            inbox_uid: Some(uid),
            original_kept: false,
        },
        (None, None) => return Err(gone(&message.folder)),
        (Some(_), Some(uid)) if !resumed => Restored {
            method: RestoreMethod::AlreadyThere,
            inbox_uid: Some(uid),
            original_kept: true,
        },
        (Some(_), Some(uid)) => {
            // An earlier attempt copied it and was cut before removing the original.
            let original_kept = match method {
                RestoreMethod::CopyExpunge => {
                    expunge_one(&mut conn, message.uid)?;
                    false
                }
                _ => true,
            };
            Restored {
                method,
                inbox_uid: Some(uid),
                original_kept,
            }
        }
        (Some(flags), None) => {
            let inbox_uid = match method {
                RestoreMethod::Move => {
                    let (response, _) = conn
                        .session
                        .run(format!("UID MOVE {} {}", message.uid, quote_mailbox(INBOX)))
                        .map_err(|e| conn.error("move the message", e))?;
                    copied_uid(&response)
                }
                _ => {
                    let (response, _) = conn
                        .session
                        .run(format!("UID COPY {} {}", message.uid, quote_mailbox(INBOX)))
                        .map_err(|e| conn.error("copy the message", e))?;
                    copied_uid(&response)
                }
            };
            // Confirm the copy exists before anything is removed from the source.
            let inbox_uid = match inbox_uid {
                Some(uid) => Some(uid),
                None => find_in_inbox(&mut conn, message, raw_header)?,
            };
            if method == RestoreMethod::CopyExpunge {
                if inbox_uid.is_none() {
                    return Err(Error::new(
                        ErrorKind::ServerRejected,
                        "The copy in the Inbox could not be confirmed, so the original was left where it was.",
                    ));
                }
                conn.session
                    .select(&message.folder)
                    .map_err(|e| conn.error("reopen the folder", e))?;
                expunge_one(&mut conn, message.uid)?;
            }
            if flags.iter().any(|f| f == "\\Deleted")
                && let Some(uid) = inbox_uid
            {
                // The copy inherits `\Deleted`; left on, the next expunge by any client would lose it.
                conn.session.select(INBOX).map_err(|e| conn.error("open the Inbox", e))?;
                conn.session
                    .uid_store(uid.to_string(), "-FLAGS.SILENT (\\Deleted)")
                    .map_err(|e| conn.error("clear the deleted mark", e))?;
            }
            Restored {
                method,
                inbox_uid,
                original_kept: method == RestoreMethod::Copy,
            }
        }
    };
    conn.logout();
    Ok(restored)
}

/// Marks one UID `\Deleted` and expunges only that UID (UIDPLUS), in the selected folder.
fn expunge_one(conn: &mut Connection, uid: u32) -> Result<()> {
    conn.session
        .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Deleted)")
        .map_err(|e| conn.error("mark the original as moved", e))?;
    conn.session
        .uid_expunge(uid.to_string())
        .map_err(|e| conn.error("remove the original", e))?;
    Ok(())
}

/// The Inbox UID of the same message, if it is there: by Message-ID, or, for mail without one, by
/// size and arrival day confirmed by identical header fields (reliability.md §5, step 5).
fn find_in_inbox(conn: &mut Connection, message: &CachedMessage, raw_header: &[u8]) -> Result<Option<u32>> {
    conn.session.examine(INBOX).map_err(|e| conn.error("open the Inbox", e))?;
    if let Some(message_id) = &message.message_id {
        let found = conn
            .session
            .uid_search(format!("HEADER Message-ID {}", quote_mailbox(message_id)))
            .map_err(|e| conn.error("look in the Inbox", e))?;
        return Ok(found.into_iter().max());
    }
    let (Some(arrived), false) = (
        message.internal_date.and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
        raw_header.is_empty(),
    ) else {
        return Ok(None);
    };
    // NOTE: SINCE/BEFORE compare dates in the server's time zone, so a day either side is searched.
    let mut criteria = format!(
        "SINCE {} BEFORE {}",
        (arrived - chrono::Duration::days(1)).format("%-d-%b-%Y"),
        (arrived + chrono::Duration::days(2)).format("%-d-%b-%Y")
    );
    if let Some(size) = message.size {
        criteria.push_str(&format!(" LARGER {} SMALLER {}", size.saturating_sub(1), size.saturating_add(1)));
    }
    let candidates = conn.session.uid_search(criteria).map_err(|e| conn.error("look in the Inbox", e))?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let uids: Vec<u32> = candidates.into_iter().collect();
    let query = format!("(UID BODY.PEEK[HEADER.FIELDS ({})])", crate::source::CACHED_HEADER_FIELDS);
    let fetched = conn
        .session
        .uid_fetch(crate::source::imap::uid_set(&uids), query)
        .map_err(|e| conn.error("look in the Inbox", e))?;
    Ok(fetched
        .iter()
        .filter(|f| f.header() == Some(raw_header))
        .filter_map(|f| f.uid)
        .max())
}

/// The destination UID from a COPYUID response code (tagged for COPY, untagged for MOVE).
fn copied_uid(response: &[u8]) -> Option<u32> {
    parse_responses(response).find_map(|parsed| {
        let code = match parsed {
            Response::Done { code, .. } | Response::Data { code, .. } => code,
            _ => None,
        };
        let Some(ResponseCode::CopyUid(_, _, destination)) = code else {
            return None;
        };
        destination.first().map(|member| match member {
            UidSetMember::Uid(uid) => *uid,
            UidSetMember::UidRange(range) => *range.start(),
        })
    })
}

fn restore_maildir(root: &Path, message: &CachedMessage) -> Result<Restored> {
    let mut source = MaildirSource::new(root)?;
    let path = source.message_path(&message.folder, message.uidvalidity, message.uid)?;
    let file_name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| gone(&message.folder))?;
    let (key, info) = file_name.split_once(":2,").unwrap_or((file_name, ""));
    // NOTE: 'T' is Maildir's \Deleted; a restored message must not carry it.
    let flags: String = info.chars().filter(|c| *c != 'T').collect();
    let destination = root.join("cur").join(format!("{key}:2,{flags}"));
    if destination.exists() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "A message with the same file name is already in the Inbox; nothing was changed.",
        ));
    }
    std::fs::rename(&path, &destination).map_err(|e| Error::io(format_args!("move {} into the Inbox", path.display()), e))?;
    Ok(Restored {
        method: RestoreMethod::FileMove,
        inbox_uid: None,
        original_kept: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_follows_capabilities() {
        assert_eq!(
            plan(ServerCaps {
                move_: true,
                uidplus: true
            }),
            RestoreMethod::Move
        );
        assert_eq!(
            plan(ServerCaps {
                move_: true,
                uidplus: false
            }),
            RestoreMethod::Move
        );
        assert_eq!(
            plan(ServerCaps {
                move_: false,
                uidplus: true
            }),
            RestoreMethod::CopyExpunge
        );
        assert_eq!(
            plan(ServerCaps {
                move_: false,
                uidplus: false
            }),
            RestoreMethod::Copy
        );
    }

    #[test]
    fn copyuid_is_read_from_tagged_and_untagged_responses() {
        assert_eq!(copied_uid(b"a1 OK [COPYUID 1796414684 1 17] Copy completed.\r\n"), Some(17));
        assert_eq!(
            copied_uid(b"* OK [COPYUID 1796414684 6 3] Moved UIDs.\r\n* 2 EXPUNGE\r\na2 OK Move completed.\r\n"),
            Some(3)
        );
        assert_eq!(copied_uid(b"a3 OK Copy completed.\r\n"), None);
    }

    #[test]
    fn summary_says_where_the_message_is() {
        let moved = Restored {
            method: RestoreMethod::Move,
            inbox_uid: Some(3),
            original_kept: false,
        };
        assert!(moved.summary("Junk").contains("now in your Inbox"));
        let copied = Restored {
            method: RestoreMethod::Copy,
            inbox_uid: Some(3),
            original_kept: true,
        };
        assert!(copied.summary("Junk").contains("original also stays in Junk"));
    }
}
