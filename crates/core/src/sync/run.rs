//! The scan driver: lists folders, opens each read-only, applies the plan, and stores headers in
//! chunks, each chunk in one transaction, reporting progress and stopping when cancelled.

use std::collections::HashSet;
use std::time::Instant;

use super::event::{FolderOutcome, FolderOverview, FolderSummary, SyncEvent, SyncSummary};
use super::plan::{CachedState, FolderPlan, diff, plan};
use crate::account::{Account, Secret};
use crate::cancel::CancelToken;
use crate::message::parse_header;
use crate::source::{self, MailSource, RemoteFolder};
use crate::store::{AccountId, CachedFolder, NewMessage, Store};
use crate::{ErrorKind, Result};

/// How a scan fetches.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// UIDs per `UID FETCH`; bounds memory, since the imap crate buffers a whole response.
    pub chunk: usize,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions { chunk: 1000 }
    }
}

/// Scans every folder of `account` into `store`.
///
/// Cancellation takes effect between chunks; what was stored stays consistent and the next scan
/// resumes from it.
pub fn sync_account(
    store: &mut Store,
    account: &Account,
    password: Option<&Secret>,
    options: SyncOptions,
    cancel: &CancelToken,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<SyncSummary> {
    let started = Instant::now();
    let account_id = store.account(&account.record())?;
    let mut source = source::open(account, password)?;
    let remote_folders = source.folders()?;
    forget_vanished_folders(store, account_id, &remote_folders)?;

    let cached: Vec<CachedFolder> = store.folders(account_id)?;
    on_event(SyncEvent::FoldersListed {
        folders: remote_folders
            .iter()
            .map(|f| FolderOverview {
                name: f.name.clone(),
                display_name: f.display_name.clone(),
                role: f.role,
                cached: cached.iter().find(|c| c.name == f.name).map_or(0, |c| c.messages),
            })
            .collect(),
    });

    let mut summary = SyncSummary::default();
    for folder in &remote_folders {
        if cancel.is_cancelled() {
            summary.cancelled = true;
            break;
        }
        match sync_folder(store, account_id, source.as_mut(), folder, options, cancel, on_event) {
            Ok(outcome) => {
                let messages = match outcome {
                    FolderOutcome::Synced { messages, fetched } => {
                        summary.fetched += fetched;
                        messages
                    }
                    FolderOutcome::Unchanged { messages } => messages,
                    FolderOutcome::Vanished { .. } => 0,
                };
                if let FolderOutcome::Vanished { reason } = &outcome {
                    summary.problems.push(reason.clone());
                } else {
                    summary.messages += messages;
                    summary.folders.push(FolderSummary {
                        name: folder.name.clone(),
                        display_name: folder.display_name.clone(),
                        role: folder.role,
                        messages,
                    });
                }
                on_event(SyncEvent::FolderDone {
                    folder: folder.name.clone(),
                    outcome,
                });
            }
            Err(e) if e.kind() == ErrorKind::Cancelled => {
                summary.cancelled = true;
                break;
            }
            Err(e) => return Err(e),
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    on_event(SyncEvent::Finished { summary: summary.clone() });
    Ok(summary)
}

fn forget_vanished_folders(store: &mut Store, account: AccountId, remote: &[RemoteFolder]) -> Result<()> {
    let present: HashSet<&str> = remote.iter().map(|f| f.name.as_str()).collect();
    for folder in store.folders(account)? {
        if !present.contains(folder.name.as_str()) {
            tracing::info!(folder = %folder.name, "folder no longer on the server; forgetting its cached messages");
            store.remove_folder(folder.id)?;
        }
    }
    Ok(())
}

fn sync_folder(
    store: &mut Store,
    account: AccountId,
    source: &mut dyn MailSource,
    folder: &RemoteFolder,
    options: SyncOptions,
    cancel: &CancelToken,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<FolderOutcome> {
    let folder_id = store.folder(account, &folder.name, &folder.display_name, folder.role)?;
    let status = match source.open_folder(&folder.name) {
        Ok(status) => status,
        Err(e) if e.kind() == ErrorKind::FolderVanished => {
            store.remove_folder(folder_id)?;
            return Ok(FolderOutcome::Vanished {
                reason: e.message().to_string(),
            });
        }
        Err(e) => return Err(e),
    };
    let total = u64::from(status.exists);
    on_event(SyncEvent::FolderStarted {
        folder: folder.name.clone(),
        total,
    });

    let cached_folder = store.folders(account)?.into_iter().find(|f| f.id == folder_id);
    let cached_state = cached_folder.map_or_else(CachedState::default, |f| CachedState {
        uidvalidity: f.uidvalidity,
        uidnext: f.uidnext,
        highestmodseq: f.highestmodseq,
        messages: f.messages,
    });
    match plan(&cached_state, &status) {
        FolderPlan::Unchanged => {
            return Ok(FolderOutcome::Unchanged {
                messages: cached_state.messages,
            });
        }
        FolderPlan::Rebuild => {
            if cached_state.uidvalidity.is_some() {
                tracing::info!(folder = %folder.name, "UIDVALIDITY changed; rebuilding this folder only");
            }
            store.reset_folder(folder_id)?;
            store.begin_folder(folder_id, status.uidvalidity)?;
        }
        FolderPlan::Refresh => {}
    }

    let listing = if status.exists == 0 { Vec::new() } else { source.list_uids()? };
    let cached = store.cached_flags(folder_id, status.uidvalidity)?;
    let changes = diff(&listing, &cached);
    store.apply_changes(folder_id, status.uidvalidity, &changes.flag_changes, &changes.expunged)?;

    let mut done = listing.len().saturating_sub(changes.new.len()) as u64;
    on_event(SyncEvent::FolderProgress {
        folder: folder.name.clone(),
        done,
        total,
    });
    let mut fetched = 0u64;
    for chunk in changes.new.chunks(options.chunk.max(1)) {
        cancel.check()?;
        let headers = source.fetch_headers(chunk)?;
        let parsed: Vec<_> = headers.iter().map(|h| parse_header(&h.raw_header)).collect();
        let rows: Vec<NewMessage<'_>> = headers
            .iter()
            .zip(&parsed)
            .map(|(h, p)| NewMessage {
                uid: h.uid,
                flags: &h.flags,
                internal_date: h.internal_date,
                size: h.size,
                raw_header: &h.raw_header,
                parsed: p,
            })
            .collect();
        store.insert_messages(folder_id, status.uidvalidity, &rows)?;
        fetched += rows.len() as u64;
        done += chunk.len() as u64;
        on_event(SyncEvent::FolderProgress {
            folder: folder.name.clone(),
            done: done.min(total),
            total,
        });
    }
    let messages = store.cached_flags(folder_id, status.uidvalidity)?.len() as u64;
    let now = chrono::Utc::now().timestamp();
    store.set_folder_state(folder_id, status.uidvalidity, status.uidnext, status.highestmodseq, now)?;
    if messages != listing.len() as u64 {
        // NOTE: a message the server listed but did not return (expunged between the listing and
        // the fetch) is picked up or dropped by the next scan; it is logged, not fatal.
        tracing::warn!(folder = %folder.name, listed = listing.len(), cached = messages, "listing and cache differ after scan");
    }
    Ok(FolderOutcome::Synced { messages, fetched })
}
