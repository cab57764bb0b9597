//! The shapes that cross IPC, in camelCase, mirrored by `ui/src/ipc/types.ts`. Core types stay
//! free of serialisation; each DTO is built from its core counterpart here.

use mailhound_core::account::{Account, Security, ServerSuggestion};
use mailhound_core::hunt::Hit;
use mailhound_core::recovery::export::Exported;
use mailhound_core::recovery::restore::Restored;
use mailhound_core::sync::{FolderOutcome, FolderOverview, SyncEvent};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SecurityDto {
    Tls,
    Starttls,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerSettingsDto {
    pub host: String,
    pub port: u16,
    pub security: SecurityDto,
}

impl From<ServerSuggestion> for ServerSettingsDto {
    fn from(s: ServerSuggestion) -> ServerSettingsDto {
        ServerSettingsDto {
            host: s.host,
            port: s.port,
            security: if s.security == Security::StartTls {
                SecurityDto::Starttls
            } else {
                SecurityDto::Tls
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDto {
    pub id: String,
    pub label: String,
    pub kind: &'static str,
}

/// An account cached earlier: enough to continue, or to fill the form when a password is needed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccountDto {
    pub account: AccountDto,
    pub messages: u64,
    /// The keychain has no password for it (or there is no keychain): ask before scanning.
    pub needs_password: bool,
    /// Server settings for an IMAP account; `None` for the demo or a local folder.
    pub settings: Option<ServerSettingsDto>,
    pub ca_file: Option<String>,
}

impl SavedAccountDto {
    pub fn new(account: &Account, messages: u64, needs_password: bool) -> SavedAccountDto {
        let (label, kind, settings, ca_file) = match account {
            Account::Imap(imap) => (
                imap.user.clone(),
                "imap",
                Some(ServerSettingsDto {
                    host: imap.host.clone(),
                    port: imap.port,
                    security: if imap.security == Security::StartTls {
                        SecurityDto::Starttls
                    } else {
                        SecurityDto::Tls
                    },
                }),
                imap.ca_file.as_ref().map(|p| p.display().to_string()),
            ),
            Account::Maildir(_) => ("Demo mailbox".to_string(), "maildir", None, None),
        };
        SavedAccountDto {
            account: AccountDto {
                id: account.key(),
                label,
                kind,
            },
            messages,
            needs_password,
            settings,
            ca_file,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderSummaryDto {
    pub name: String,
    pub display_name: String,
    pub role: &'static str,
    pub role_text: &'static str,
    pub total: u64,
}

impl From<&FolderOverview> for FolderSummaryDto {
    fn from(f: &FolderOverview) -> FolderSummaryDto {
        FolderSummaryDto {
            name: f.name.clone(),
            display_name: f.display_name.clone(),
            role: f.role.code(),
            role_text: f.role.label(),
            total: f.cached,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum SyncEventDto {
    FoldersListed {
        folders: Vec<FolderSummaryDto>,
    },
    FolderProgress {
        folder: String,
        done: u64,
        total: u64,
    },
    FolderDone {
        folder: String,
        messages: u64,
    },
    Finished {
        folders: usize,
        messages: u64,
        seconds: f64,
        cancelled: bool,
    },
}

impl SyncEventDto {
    pub fn from_event(event: &SyncEvent) -> Option<SyncEventDto> {
        Some(match event {
            SyncEvent::FoldersListed { folders } => SyncEventDto::FoldersListed {
                folders: folders.iter().map(FolderSummaryDto::from).collect(),
            },
            SyncEvent::FolderStarted { folder, total } => SyncEventDto::FolderProgress {
                folder: folder.clone(),
                done: 0,
                total: *total,
            },
            SyncEvent::FolderProgress { folder, done, total } => SyncEventDto::FolderProgress {
                folder: folder.clone(),
                done: *done,
                total: *total,
            },
            SyncEvent::FolderDone { folder, outcome } => match outcome {
                FolderOutcome::Synced { messages, .. } | FolderOutcome::Unchanged { messages } => SyncEventDto::FolderDone {
                    folder: folder.clone(),
                    messages: *messages,
                },
                FolderOutcome::Vanished { .. } => SyncEventDto::FolderDone {
                    folder: folder.clone(),
                    messages: 0,
                },
            },
            SyncEvent::Finished { summary } => SyncEventDto::Finished {
                folders: summary.folders.len(),
                messages: summary.messages,
                seconds: summary.seconds,
                cancelled: summary.cancelled,
            },
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MessageRefDto {
    pub account_id: String,
    pub folder: String,
    pub uidvalidity: u32,
    pub uid: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HuntQueryDto {
    pub account_id: Option<String>,
    pub from: Option<String>,
    pub subject: Option<String>,
    /// YYYY-MM-DD
    pub date: Option<String>,
    pub date_slack_days: Option<u32>,
    /// YYYY-MM-DD; with `date`, the last day of a range instead of a day with slack.
    #[serde(default)]
    pub date_to: Option<String>,
    /// To whom it was sent (To or Cc).
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub has_attachment: Option<bool>,
    /// Folder role codes (`junk`, `trash`, …); empty means every folder.
    #[serde(default)]
    pub within_roles: Vec<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HitDto {
    pub rank: usize,
    pub score: f64,
    #[serde(rename = "ref")]
    pub message_ref: MessageRefDto,
    pub folder_display: String,
    pub folder_role: &'static str,
    pub where_text: String,
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub subject: String,
    pub date: Option<String>,
    pub why: Vec<String>,
    /// Other folders holding the same message (by Message-ID).
    pub also_in: Vec<LocationDto>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationDto {
    #[serde(rename = "ref")]
    pub message_ref: MessageRefDto,
    pub folder_display: String,
    pub folder_role: &'static str,
}

impl From<Hit> for HitDto {
    fn from(hit: Hit) -> HitDto {
        let where_text = hit.where_text();
        let m = hit.message;
        let also_in = hit
            .also_in
            .into_iter()
            .map(|l| LocationDto {
                message_ref: MessageRefDto {
                    account_id: m.account_key.clone(),
                    folder: l.folder,
                    uidvalidity: l.uidvalidity,
                    uid: l.uid,
                },
                folder_display: l.folder_display,
                folder_role: l.role.code(),
            })
            .collect();
        HitDto {
            rank: hit.rank,
            score: hit.score,
            message_ref: MessageRefDto {
                account_id: m.account_key,
                folder: m.folder,
                uidvalidity: m.uidvalidity,
                uid: m.uid,
            },
            folder_display: m.folder_display,
            folder_role: m.role.code(),
            where_text,
            message_id: m.message_id,
            from_name: m.from_name,
            from_address: m.from_address,
            subject: m.subject,
            date: m
                .date
                .or(m.internal_date)
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|d| d.to_rfc3339()),
            why: hit.why,
            also_in,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedDto {
    pub path: String,
    pub sha256: String,
}

impl From<Exported> for ExportedDto {
    fn from(e: Exported) -> ExportedDto {
        ExportedDto {
            path: e.path.display().to_string(),
            sha256: e.sha256,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoredDto {
    pub method: &'static str,
    pub inbox_uid: Option<u32>,
    pub original_kept: bool,
    pub summary: String,
}

impl RestoredDto {
    pub fn new(restored: &Restored, from_folder: &str) -> RestoredDto {
        RestoredDto {
            method: restored.method.code(),
            inbox_uid: restored.inbox_uid,
            original_kept: restored.original_kept,
            summary: restored.summary(from_folder),
        }
    }
}
