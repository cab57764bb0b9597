//! The scan driver: lists folders, then reads them over a few parallel connections while the
//! calling thread, the only writer, stores each chunk in one transaction and reports progress.
//!
//! Workers do the network and the parsing; they never touch the cache. What they learn travels to
//! the writer as [`Report`]s, in order per folder, so a folder's UIDNEXT is saved only after every
//! one of its chunks is stored.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::event::{FolderOutcome, FolderOverview, FolderSummary, SyncEvent, SyncSummary};
use super::plan::{CachedState, FolderDiff, FolderPlan, diff, diff_changed, plan};
use crate::account::{Account, Secret};
use crate::cancel::CancelToken;
use crate::folder::FolderRole;
use crate::message::{ParsedHeader, parse_header};
use crate::source::{self, FetchedHeader, FolderStatus, MailSource, RemoteFolder};
use crate::store::{CachedFolder, FolderId, NewMessage, Store};
use crate::{Error, ErrorKind, Result};

/// How a scan fetches.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// UIDs per `UID FETCH`; bounds memory, since the imap crate buffers a whole response, and
    /// sets how often progress moves and cancellation is checked.
    pub chunk: usize,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions { chunk: 500 }
    }
}

/// IMAP connections per scan. NOTE: on Dovecot 2.3 over TLS, TLS ends in the login proxy and one
/// connection leaves a core idle (imap-test-server.md §7); servers cap connections per account, so
/// a few is the most a scan takes. An extra connection that is refused is simply not used.
const CONNECTIONS: usize = 3;
/// Reconnects a worker attempts for one folder after the connection broke.
const RETRIES: u32 = 2;
/// How long a cancelled scan waits for workers stuck in a network read before returning anyway.
const CANCEL_GRACE: Duration = Duration::from_millis(700);
/// Reports in flight between the workers and the writer.
const QUEUE: usize = 8;

/// Scans every folder of `account` into `store`.
///
/// Cancellation takes effect within a second: workers stop between chunks, and the writer stops
/// waiting for one stuck on the network. What was stored stays consistent and the next scan
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
    let mut first = source::open(account, password)?;
    let known = store.folders(account_id)?;
    let remote_folders = if known.is_empty() {
        first.folders_with_sizes()?
    } else {
        first.folders()?
    };
    let cached = forget_vanished_folders(store, known, &remote_folders)?;
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

    let mut jobs = Vec::with_capacity(remote_folders.len());
    for folder in &remote_folders {
        let id = store.folder(account_id, &folder.name, &folder.display_name, folder.role)?;
        let cached_size = cached.iter().find(|c| c.id == id).map_or(0, |c| c.messages);
        jobs.push((folder.clone(), id, folder.messages.map_or(cached_size, u64::from)));
    }
    // NOTE: biggest folders first, so the connections finish together: one big folder read last
    // leaves the others idle (Dovecot lists INBOX last). Sizes come from the cache, or on a first
    // scan from LIST-STATUS; knowing none, INBOX, usually the biggest, goes first.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs.get(i).map_or((0, false), |j| (j.2, j.0.role == FolderRole::Inbox))));
    let queue = Arc::new(Mutex::new(order.into_iter().collect::<VecDeque<usize>>()));
    let names: Arc<Vec<String>> = Arc::new(jobs.iter().map(|j| j.0.name.clone()).collect());

    let connections = match account {
        Account::Imap(_) => CONNECTIONS.min(jobs.len()).max(1),
        Account::Maildir(_) => 1,
    };
    let halt = CancelToken::new();
    let mut first = Some(first);
    let (tx, rx) = mpsc::sync_channel::<Report>(QUEUE);
    for worker in 0..connections {
        let context = Worker {
            account: account.clone(),
            password: password.cloned(),
            chunk: options.chunk.max(1),
            cancel: cancel.clone(),
            halt: halt.clone(),
            queue: Arc::clone(&queue),
            names: Arc::clone(&names),
            reports: tx.clone(),
        };
        let source = if worker == 0 { first.take() } else { None };
        let spawned = std::thread::Builder::new()
            .name(format!("mailhound-sync-{worker}"))
            .spawn(move || context.run(source));
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "could not start a scan connection thread");
        }
    }
    drop(tx);

    let mut writer = Writer {
        store,
        jobs: &jobs,
        progress: vec![FolderProgress::default(); jobs.len()],
        outcomes: vec![None; jobs.len()],
        fetched: 0,
        failure: None,
        on_event,
    };
    let cancelled = writer.drain(&rx, cancel, &halt);
    let Writer {
        outcomes,
        fetched,
        failure,
        ..
    } = writer;
    if let Some(error) = failure
        && !cancelled
    {
        return Err(error);
    }

    let mut summary = SyncSummary {
        fetched,
        cancelled,
        ..SyncSummary::default()
    };
    for ((folder, _, _), outcome) in jobs.iter().zip(outcomes) {
        match outcome {
            Some(FolderOutcome::Vanished { reason }) => summary.problems.push(reason),
            Some(FolderOutcome::Synced { messages, .. } | FolderOutcome::Unchanged { messages }) => {
                summary.messages += messages;
                summary.folders.push(FolderSummary {
                    name: folder.name.clone(),
                    display_name: folder.display_name.clone(),
                    role: folder.role,
                    messages,
                });
            }
            None => {}
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    on_event(SyncEvent::Finished { summary: summary.clone() });
    Ok(summary)
}

/// Forgets the `known` folders the server no longer lists and returns the others.
fn forget_vanished_folders(store: &mut Store, known: Vec<CachedFolder>, remote: &[RemoteFolder]) -> Result<Vec<CachedFolder>> {
    let present: HashSet<&str> = remote.iter().map(|f| f.name.as_str()).collect();
    let mut kept = Vec::new();
    for folder in known {
        if present.contains(folder.name.as_str()) {
            kept.push(folder);
        } else {
            tracing::info!(folder = %folder.name, "folder no longer on the server; forgetting its cached messages");
            store.remove_folder(folder.id)?;
        }
    }
    Ok(kept)
}

/// What a worker tells the writer. Reports about one folder arrive in order.
enum Report {
    /// The folder is open; the writer answers with the cached UIDs and flags to diff against, or
    /// `None` when there is nothing to read.
    Opened {
        job: usize,
        status: FolderStatus,
        reply: Sender<Option<Known>>,
    },
    Changes {
        job: usize,
        uidvalidity: u32,
        listed: u64,
        new: u64,
        flag_changes: Vec<(u32, String)>,
        expunged: Vec<u32>,
    },
    Chunk {
        job: usize,
        uidvalidity: u32,
        requested: u64,
        headers: Vec<FetchedHeader>,
        parsed: Vec<ParsedHeader>,
    },
    /// Every chunk of the folder was sent.
    Done {
        job: usize,
        status: FolderStatus,
        listed: u64,
    },
    Vanished {
        job: usize,
        reason: String,
    },
    /// The worker gave up; the scan fails with this error.
    Failed {
        error: Error,
    },
}

#[derive(Debug, Clone, Copy, Default)]
struct FolderProgress {
    done: u64,
    total: u64,
}

/// The calling thread's half: owns the cache and the event callback.
struct Writer<'a, 'e> {
    store: &'a mut Store,
    jobs: &'a [(RemoteFolder, FolderId, u64)],
    progress: Vec<FolderProgress>,
    outcomes: Vec<Option<FolderOutcome>>,
    fetched: u64,
    failure: Option<Error>,
    on_event: &'e mut dyn FnMut(SyncEvent),
}

impl Writer<'_, '_> {
    /// Applies reports until every worker is done; returns whether the scan was cancelled.
    fn drain(&mut self, rx: &Receiver<Report>, cancel: &CancelToken, halt: &CancelToken) -> bool {
        let mut cancelled_at: Option<Instant> = None;
        loop {
            if cancel.is_cancelled() {
                let since = *cancelled_at.get_or_insert_with(Instant::now);
                if since.elapsed() >= CANCEL_GRACE {
                    // NOTE: a worker blocked in a read ends on its own at its socket deadline; its
                    // next report finds the channel closed and it stops without storing anything.
                    return true;
                }
            }
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(report) => {
                    if let Err(error) = self.apply(report) {
                        halt.cancel();
                        self.failure.get_or_insert(error);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return cancel.is_cancelled(),
            }
        }
    }

    fn apply(&mut self, report: Report) -> Result<()> {
        if self.failure.is_some() {
            // NOTE: after a failure nothing more is stored, but workers still get their answers so
            // none waits forever.
            if let Report::Opened { reply, .. } = report {
                let _ = reply.send(None);
            }
            return Ok(());
        }
        match report {
            Report::Opened { job, status, reply } => {
                let answer = self.opened(job, status);
                let _ = reply.send(answer.as_ref().ok().and_then(Clone::clone));
                answer.map(drop)
            }
            Report::Changes {
                job,
                uidvalidity,
                listed,
                new,
                flag_changes,
                expunged,
            } => {
                let id = self.folder_id(job)?;
                self.store.apply_changes(id, uidvalidity, &flag_changes, &expunged)?;
                if let Some(p) = self.progress.get_mut(job) {
                    p.done = listed.saturating_sub(new);
                }
                self.report_progress(job);
                Ok(())
            }
            Report::Chunk {
                job,
                uidvalidity,
                requested,
                headers,
                parsed,
            } => {
                let id = self.folder_id(job)?;
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
                self.store.insert_messages(id, uidvalidity, &rows)?;
                self.fetched += rows.len() as u64;
                if let Some(p) = self.progress.get_mut(job) {
                    p.done = (p.done + requested).min(p.total);
                }
                self.report_progress(job);
                Ok(())
            }
            Report::Done { job, status, listed } => {
                let id = self.folder_id(job)?;
                let messages = self.store.message_count(id, status.uidvalidity)?;
                let now = chrono::Utc::now().timestamp();
                self.store
                    .set_folder_state(id, status.uidvalidity, status.uidnext, status.highestmodseq, now)?;
                if messages != listed {
                    // NOTE: a message the server listed but did not return (expunged between the
                    // listing and the fetch) is picked up or dropped by the next scan.
                    tracing::warn!(folder = %self.name(job), listed, cached = messages, "listing and cache differ after scan");
                }
                let fetched = self.progress.get(job).map_or(0, |p| p.done);
                self.finish(
                    job,
                    FolderOutcome::Synced {
                        messages,
                        fetched: fetched.min(messages),
                    },
                );
                Ok(())
            }
            Report::Vanished { job, reason } => {
                self.store.remove_folder(self.folder_id(job)?)?;
                self.finish(job, FolderOutcome::Vanished { reason });
                Ok(())
            }
            Report::Failed { error } => Err(error),
        }
    }

    /// Plans a folder the server just opened; `Some` holds the cached flags to diff against.
    fn opened(&mut self, job: usize, status: FolderStatus) -> Result<Option<Known>> {
        let id = self.folder_id(job)?;
        let total = u64::from(status.exists);
        if let Some(p) = self.progress.get_mut(job) {
            *p = FolderProgress { done: 0, total };
        }
        let folder = self.name(job).to_string();
        (self.on_event)(SyncEvent::FolderStarted { folder, total });
        let cached = self.store.folder_state(id)?;
        let cached_state = cached.map_or_else(CachedState::default, |f| CachedState {
            uidvalidity: f.uidvalidity,
            uidnext: f.uidnext,
            highestmodseq: f.highestmodseq,
            messages: f.messages,
        });
        match plan(&cached_state, &status) {
            FolderPlan::Unchanged => {
                self.finish(
                    job,
                    FolderOutcome::Unchanged {
                        messages: cached_state.messages,
                    },
                );
                Ok(None)
            }
            FolderPlan::Rebuild => {
                if cached_state.uidvalidity.is_some() {
                    tracing::info!(folder = %self.name(job), "UIDVALIDITY changed; rebuilding this folder only");
                }
                self.store.reset_folder(id)?;
                self.store.begin_folder(id, status.uidvalidity)?;
                Ok(Some(Known {
                    flags: HashMap::new(),
                    changed_since: None,
                }))
            }
            FolderPlan::Refresh => {
                // NOTE: a complete earlier scan under the same numbering, and a server reporting
                // HIGHESTMODSEQ (CONDSTORE), let the listing shrink to what changed since.
                let changed_since = match (cached_state.uidnext, cached_state.highestmodseq, status.highestmodseq) {
                    (Some(_), Some(modseq), Some(_)) if cached_state.uidvalidity == Some(status.uidvalidity) => Some(modseq),
                    _ => None,
                };
                Ok(Some(Known {
                    flags: self.store.cached_flags(id, status.uidvalidity)?,
                    changed_since,
                }))
            }
        }
    }

    fn finish(&mut self, job: usize, outcome: FolderOutcome) {
        let folder = self.name(job).to_string();
        (self.on_event)(SyncEvent::FolderDone {
            folder,
            outcome: outcome.clone(),
        });
        if let Some(slot) = self.outcomes.get_mut(job) {
            *slot = Some(outcome);
        }
    }

    fn report_progress(&mut self, job: usize) {
        let p = self.progress.get(job).copied().unwrap_or_default();
        let folder = self.name(job).to_string();
        (self.on_event)(SyncEvent::FolderProgress {
            folder,
            done: p.done,
            total: p.total,
        });
    }

    fn folder_id(&self, job: usize) -> Result<FolderId> {
        self.jobs
            .get(job)
            .map(|j| j.1)
            .ok_or_else(|| Error::new(ErrorKind::Bug, "A scan worker named a folder the scan does not know."))
    }

    fn name(&self, job: usize) -> &str {
        self.jobs.get(job).map_or("", |j| j.0.name.as_str())
    }
}

/// One connection's half: takes folders from the shared queue until it is empty.
struct Worker {
    account: Account,
    password: Option<Secret>,
    chunk: usize,
    cancel: CancelToken,
    /// Set by the writer when the scan failed, so the other workers stop too.
    halt: CancelToken,
    queue: Arc<Mutex<VecDeque<usize>>>,
    names: Arc<Vec<String>>,
    reports: SyncSender<Report>,
}

impl Worker {
    fn run(self, source: Option<Box<dyn MailSource + Send>>) {
        let mut source = match source {
            Some(source) => Some(source),
            None if self.stopped() => return,
            None => match source::open(&self.account, self.password.as_ref()) {
                Ok(source) => Some(source),
                Err(e) => {
                    // NOTE: servers cap connections per account; the other workers take the folders.
                    tracing::warn!(error = %e.detail(), "an extra scan connection could not be opened");
                    return;
                }
            },
        };
        while let Some(job) = self.next_job() {
            let mut attempt = 0;
            loop {
                if self.stopped() {
                    return;
                }
                let outcome = match source.as_mut() {
                    Some(s) => self.scan_folder(s.as_mut(), job),
                    None => match source::open(&self.account, self.password.as_ref()) {
                        Ok(s) => {
                            source = Some(s);
                            continue;
                        }
                        Err(e) => Err(ScanError::Failed(e)),
                    },
                };
                match outcome {
                    Ok(()) => break,
                    Err(ScanError::WriterGone) => return,
                    Err(ScanError::Failed(_)) if self.stopped() => return,
                    Err(ScanError::Failed(e)) if retryable(&e) && attempt < RETRIES => {
                        attempt += 1;
                        tracing::info!(error = %e.detail(), attempt, "scan connection lost; reconnecting");
                        source = None;
                        std::thread::sleep(Duration::from_millis(200 << attempt));
                    }
                    Err(ScanError::Failed(error)) => {
                        let _ = self.reports.send(Report::Failed { error });
                        return;
                    }
                }
            }
        }
    }

    fn next_job(&self) -> Option<usize> {
        self.queue.lock().ok()?.pop_front()
    }

    fn stopped(&self) -> bool {
        self.cancel.is_cancelled() || self.halt.is_cancelled()
    }

    fn send(&self, report: Report) -> std::result::Result<(), ScanError> {
        self.reports.send(report).map_err(|_| ScanError::WriterGone)
    }

    /// Reads one folder and sends the writer what it found.
    fn scan_folder(&self, source: &mut dyn MailSource, job: usize) -> std::result::Result<(), ScanError> {
        let name = self.names.get(job).map(String::as_str).unwrap_or_default();
        let status = match source.open_folder(name) {
            Ok(status) => status,
            Err(e) if e.kind() == ErrorKind::FolderVanished => {
                self.send(Report::Vanished {
                    job,
                    reason: e.message().to_string(),
                })?;
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let (reply, answer) = mpsc::channel();
        self.send(Report::Opened { job, status, reply })?;
        let Some(known) = answer.recv().map_err(|_| ScanError::WriterGone)? else {
            return Ok(());
        };
        // NOTE: when the cache holds nothing of the folder there is nothing to diff against, so
        // the headers are read in one pass without listing the UIDs first.
        let everything = known.flags.is_empty() && known.changed_since.is_none();
        let mut new = Vec::new();
        let mut listed = 0;
        if !everything {
            let changes = list_changes(source, &status, &known)?;
            listed = u64::from(status.exists).max(changes.new.len() as u64);
            self.send(Report::Changes {
                job,
                uidvalidity: status.uidvalidity,
                listed,
                new: changes.new.len() as u64,
                flag_changes: changes.flag_changes,
                expunged: changes.expunged,
            })?;
            new = changes.new;
        }
        drop(known);
        let uidvalidity = status.uidvalidity;
        let mut writer_gone = false;
        let mut received = 0;
        let mut on_batch = |headers: Vec<FetchedHeader>| {
            if self.stopped() {
                return Err(Error::cancelled());
            }
            received += headers.len() as u64;
            let parsed = headers
                .iter()
                .map(|h| {
                    let mut parsed = parse_header(&h.raw_header);
                    if let Some(problem) = &h.problem {
                        parsed.problem = Some(problem.clone());
                    }
                    parsed
                })
                .collect();
            let report = Report::Chunk {
                job,
                uidvalidity,
                requested: headers.len() as u64,
                headers,
                parsed,
            };
            self.send(report).map_err(|_| {
                writer_gone = true;
                Error::cancelled()
            })
        };
        let streamed = if !everything {
            source.stream_headers(&new, self.chunk, &mut on_batch)
        } else if status.exists > 0 {
            source.stream_all_headers(self.chunk, &mut on_batch)
        } else {
            Ok(())
        };
        if everything {
            listed = received;
        }
        match streamed {
            Err(_) if writer_gone => return Err(ScanError::WriterGone),
            Err(e) => return Err(e.into()),
            Ok(()) => {}
        }
        self.send(Report::Done { job, status, listed })?;
        Ok(())
    }
}

/// What the cache knows of a folder that must be read.
#[derive(Debug, Clone)]
struct Known {
    /// Cached UIDs and flags under the current UIDVALIDITY.
    flags: HashMap<u32, String>,
    /// The HIGHESTMODSEQ of the last complete scan, when only changes need listing.
    changed_since: Option<u64>,
}

/// What changed in an open folder: by `CHANGEDSINCE` when the count of messages shows nothing was
/// expunged, by a full UID listing otherwise.
fn list_changes(source: &mut dyn MailSource, status: &FolderStatus, known: &Known) -> Result<FolderDiff> {
    if status.exists == 0 {
        return Ok(diff(&[], &known.flags));
    }
    if let Some(modseq) = known.changed_since {
        let changed = diff_changed(&source.list_changed_uids(modseq)?, &known.flags);
        // NOTE: without QRESYNC an expunge shows only in the count; then every UID is listed.
        if known.flags.len() + changed.new.len() == status.exists as usize {
            return Ok(changed);
        }
    }
    Ok(diff(&source.list_uids()?, &known.flags))
}

enum ScanError {
    /// The writer stopped listening (cancelled or failed); the worker just ends.
    WriterGone,
    Failed(Error),
}

impl From<Error> for ScanError {
    fn from(e: Error) -> ScanError {
        ScanError::Failed(e)
    }
}

/// Whether a fresh connection may get further: the network broke, or the server hung up.
fn retryable(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Network)
}
