//! What the CLI prints: aligned tables and a progress line for people, and the JSON contract
//! (documented in README.md) for scripts.

use std::io::Write;

use anyhow::Result;
use mailhound_core::hunt::Hit;
use mailhound_core::recovery::restore::Restored;
use mailhound_core::store::CachedFolder;
use mailhound_core::sync::{FolderOutcome, SyncEvent, SyncSummary};
use serde_json::json;

/// A one-line progress display on stderr, redrawn in place; silent when not on a terminal.
pub struct Progress {
    enabled: bool,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress { enabled }
    }

    pub fn show(&mut self, event: &SyncEvent) {
        if !self.enabled {
            return;
        }
        let mut err = std::io::stderr().lock();
        // NOTE: progress is best effort; a closed stderr must not stop the scan.
        let _ = match event {
            SyncEvent::FoldersListed { folders } => writeln!(err, "Found {} folders.", folders.len()),
            SyncEvent::FolderStarted { .. } => Ok(()),
            SyncEvent::FolderProgress { folder, done, total } => {
                let width = 30usize;
                let filled = if *total == 0 {
                    width
                } else {
                    (*done as usize * width) / (*total as usize).max(1)
                };
                write!(
                    err,
                    "\r\x1b[2K{:<24} [{}{}] {done}/{total}",
                    truncate(folder, 24),
                    "#".repeat(filled.min(width)),
                    " ".repeat(width - filled.min(width))
                )
            }
            SyncEvent::FolderDone { folder, outcome } => match outcome {
                FolderOutcome::Synced { messages, fetched } => writeln!(err, "\r\x1b[2K{folder}: {messages} messages ({fetched} new)"),
                FolderOutcome::Unchanged { messages } => writeln!(err, "\r\x1b[2K{folder}: {messages} messages (unchanged)"),
                FolderOutcome::Vanished { reason } => writeln!(err, "\r\x1b[2K{reason}"),
            },
            SyncEvent::Finished { .. } => Ok(()),
        };
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).chain(['…']).collect()
    }
}

pub fn sync_summary(summary: &SyncSummary, as_json: bool) -> Result<()> {
    if as_json {
        let folders: Vec<_> = summary
            .folders
            .iter()
            .map(|f| json!({ "name": f.name, "role": f.role.code(), "messages": f.messages }))
            .collect();
        println!(
            "{}",
            json!({
                "folders": folders,
                "messages": summary.messages,
                "fetched": summary.fetched,
                "seconds": (summary.seconds * 1000.0).round() / 1000.0,
                "cancelled": summary.cancelled,
                "problems": summary.problems,
            })
        );
    } else {
        println!(
            "Scanned {} folders, {} messages ({} new) in {:.1} s.",
            summary.folders.len(),
            summary.messages,
            summary.fetched,
            summary.seconds
        );
        for problem in &summary.problems {
            println!("Note: {problem}");
        }
    }
    Ok(())
}

pub fn folders(folders: &[CachedFolder], as_json: bool) -> Result<()> {
    if as_json {
        let list: Vec<_> = folders
            .iter()
            .map(|f| json!({ "name": f.name, "display_name": f.display_name, "role": f.role.code(), "messages": f.messages, "uidvalidity": f.uidvalidity }))
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(());
    }
    let width = folders.iter().map(|f| f.display_name.chars().count()).max().unwrap_or(6).max(6);
    println!("{:<width$}  {:<16}  {:>8}", "FOLDER", "ROLE", "MESSAGES");
    for f in folders {
        println!("{:<width$}  {:<16}  {:>8}", f.display_name, f.role.label(), f.messages);
    }
    Ok(())
}

fn date_text(t: Option<i64>) -> Option<String> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|d| d.to_rfc3339())
}

/// How to print hunt results.
pub struct HitsOptions {
    pub as_json: bool,
    /// What the hunt understood (from `--explain`); printed first, and every location is listed.
    pub understood: Vec<String>,
}

pub fn hits(hits: &[Hit], options: &HitsOptions) -> Result<()> {
    let explain = !options.understood.is_empty();
    if options.as_json {
        let list: Vec<_> = hits
            .iter()
            .map(|h| {
                let m = &h.message;
                json!({
                    "rank": h.rank,
                    "score": (h.score * 1000.0).round() / 1000.0,
                    "account": m.account_key,
                    "folder": m.folder,
                    "folder_role": m.role.code(),
                    "uid": m.uid,
                    "uidvalidity": m.uidvalidity,
                    "message_id": m.message_id,
                    "from": if m.from_name.is_empty() { m.from_address.clone() } else { format!("{} <{}>", m.from_name, m.from_address) },
                    "subject": m.subject,
                    "date": date_text(m.date.or(m.internal_date)),
                    "flags": m.flags.split(' ').filter(|f| !f.is_empty()).collect::<Vec<_>>(),
                    "has_attachment": m.has_attachment,
                    "why": h.why.iter().cloned().chain([h.where_text()]).collect::<Vec<_>>(),
                    "also_in": h.also_in.iter().map(|l| json!({ "folder": l.folder, "folder_role": l.role.code(), "uid": l.uid, "uidvalidity": l.uidvalidity })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(());
    }
    if explain {
        println!("Looking for:");
        for line in &options.understood {
            println!("  · {line}");
        }
        println!();
    }
    if hits.is_empty() {
        println!("Nothing matched. Try fewer words, a wider --date-slack, or leave out the date.");
        return Ok(());
    }
    println!(
        "{:>3}  {:>5}  {:<16}  {:<10}  {:<26}  {:<40}  UID",
        "#", "SCORE", "FOLDER", "DATE", "FROM", "SUBJECT"
    );
    for h in hits {
        let m = &h.message;
        let date = m
            .date
            .or(m.internal_date)
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let from = if m.from_name.is_empty() { &m.from_address } else { &m.from_name };
        println!(
            "{:>3}  {:>5.2}  {:<16}  {:<10}  {:<26}  {:<40}  {}",
            h.rank,
            h.score,
            truncate(&m.folder_display, 16),
            date,
            truncate(from, 26),
            truncate(&m.subject, 40),
            m.uid
        );
        for reason in h.why.iter().cloned().chain([h.where_text()]) {
            println!("{:>13}{reason}", "· ");
        }
        if explain {
            let here = format!("{} UID {} (UIDVALIDITY {})", m.folder, m.uid, m.uidvalidity);
            let others = h
                .also_in
                .iter()
                .map(|l| format!("{} UID {} (UIDVALIDITY {})", l.folder, l.uid, l.uidvalidity));
            println!(
                "{:>13}locations: {}",
                "· ",
                std::iter::once(here).chain(others).collect::<Vec<_>>().join("; ")
            );
        }
    }
    Ok(())
}

pub fn restored(restored: &Restored, from_folder: &str, as_json: bool) -> Result<()> {
    if as_json {
        println!(
            "{}",
            json!({ "inbox_uid": restored.inbox_uid, "method": restored.method.code(), "original_kept": restored.original_kept })
        );
    } else {
        println!("{}", restored.summary(from_folder));
    }
    Ok(())
}
