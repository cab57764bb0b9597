//! Hunting: ranking cached messages against what a person half-remembers (who, what about,
//! roughly when), tolerant of typos, partial words, word order and a date that is a few days off.
//! Each hit says why it matched; the same message in several folders is one hit.

mod score;

use std::collections::HashMap;

use crate::folder::FolderRole;
use crate::store::{AccountId, CachedMessage, MessageFilter, Store};
use crate::{Error, ErrorKind, Result};

pub use score::Scored;

const DAY: i64 = 86_400;

/// What the person remembers. Every field is optional; a message is never marked down for a field
/// that was not given.
#[derive(Debug, Clone, Default)]
pub struct HuntQuery {
    pub account: Option<AccountId>,
    /// Who sent it: a name or part of one, an address, a domain, "anna at brightwater".
    pub from: Option<String>,
    /// To whom it was sent (To or Cc).
    pub to: Option<String>,
    /// A few words of the subject, in any order.
    pub subject: Option<String>,
    pub when: When,
    /// Only messages with (or without) an attachment.
    pub has_attachment: Option<bool>,
    /// Only these kinds of folder; empty means every folder.
    pub roles: Vec<FolderRole>,
    pub limit: usize,
}

/// Roughly when the message came. Dates are Unix seconds at the start of a UTC day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum When {
    #[default]
    Any,
    /// A day, and how many days either side the person is sure of.
    Around { day: i64, slack_days: u32 },
    /// Between two days, both included.
    Between { first_day: i64, last_day: i64 },
}

impl When {
    /// The days the person is sure of, as an inclusive range of day starts.
    fn sure_range(self) -> Option<(i64, i64)> {
        match self {
            When::Any => None,
            When::Around { day, slack_days } => Some((day - i64::from(slack_days) * DAY, day + i64::from(slack_days) * DAY)),
            When::Between { first_day, last_day } => Some((first_day.min(last_day), first_day.max(last_day))),
        }
    }
}

/// Another folder holding the same message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub folder: String,
    pub folder_display: String,
    pub role: FolderRole,
    pub uidvalidity: u32,
    pub uid: u32,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub rank: usize,
    /// 0 to 1; higher is a better match.
    pub score: f64,
    pub message: CachedMessage,
    /// Plain-language reasons, best first.
    pub why: Vec<String>,
    /// Other folders where the same message (by Message-ID) was also found.
    pub also_in: Vec<Location>,
}

/// Finds the most likely messages for `query`, best first.
pub fn hunt(store: &Store, query: &HuntQuery) -> Result<Vec<Hit>> {
    let from_words = query.from.as_deref().map(score::person_words).unwrap_or_default();
    let to_words = query.to.as_deref().map(score::person_words).unwrap_or_default();
    let subject_words = query.subject.as_deref().map(score::subject_words).unwrap_or_default();
    let no_words = from_words.is_empty() && to_words.is_empty() && subject_words.is_empty();
    if no_words && query.when == When::Any && query.has_attachment.is_none() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "Tell Mailhound at least one thing you remember: who sent it, what it was about, or roughly when.",
        ));
    }
    let filter = MessageFilter {
        account: query.account,
        // NOTE: a date well outside what the person is sure of still ranks (lower), so the window
        // is wide; with no words at all it is the only thing that selects, so it stays tight.
        date_window: query.when.sure_range().map(|(first, last)| {
            let sure_days = (last - first) / DAY;
            let margin = if no_words { 1 } else { sure_days + 45 };
            (first - margin * DAY, last + (margin + 1) * DAY)
        }),
    };
    let scorer = score::Scorer::new(score::Remembered {
        from: &from_words,
        to: &to_words,
        subject: &subject_words,
        when: query.when,
    });
    let mut scored: Vec<(Scored, CachedMessage)> = Vec::new();
    store.for_each_message(&filter, |message| {
        if !query.roles.is_empty() && !query.roles.contains(&message.role) {
            return;
        }
        if query.has_attachment.is_some_and(|wanted| wanted != message.has_attachment) {
            return;
        }
        if let Some(s) = scorer.score(&message) {
            scored.push((s, message));
        }
    })?;

    scored.sort_by(|(a, am), (b, bm)| {
        b.total
            .total_cmp(&a.total)
            .then(a.days_off.unwrap_or(i64::MAX).cmp(&b.days_off.unwrap_or(i64::MAX)))
            .then(when(bm).cmp(&when(am)))
            .then(place_priority(am.role).cmp(&place_priority(bm.role)))
    });

    let mut hits: Vec<Hit> = Vec::new();
    let mut by_message_id: HashMap<String, usize> = HashMap::new();
    for (s, message) in scored {
        let key = message.message_id.as_ref().map(|id| format!("{}\u{0}{id}", message.account_id.0));
        if let Some(&index) = key.as_ref().and_then(|k| by_message_id.get(k)) {
            if let Some(hit) = hits.get_mut(index) {
                hit.also_in.push(Location {
                    folder: message.folder.clone(),
                    folder_display: message.folder_display.clone(),
                    role: message.role,
                    uidvalidity: message.uidvalidity,
                    uid: message.uid,
                });
            }
            continue;
        }
        if hits.len() >= query.limit.max(1) {
            continue;
        }
        if let Some(key) = key {
            by_message_id.insert(key, hits.len());
        }
        hits.push(Hit {
            rank: hits.len() + 1,
            score: s.total,
            why: s.why,
            message,
            also_in: Vec::new(),
        });
    }
    Ok(hits)
}

impl Hit {
    /// Where the message is, in plain words, with any other folders holding the same message.
    pub fn where_text(&self) -> String {
        let mut text = self.message.role.where_text(&self.message.folder_display);
        if !self.also_in.is_empty() {
            let others: Vec<&str> = self.also_in.iter().map(|l| l.folder_display.as_str()).collect();
            text.push_str(&format!(" A copy is also in {}.", others.join(", ")));
        }
        text
    }
}

/// Which copy of a message to show first: the folder that best explains why it was missed.
fn place_priority(role: FolderRole) -> u8 {
    match role {
        FolderRole::Junk | FolderRole::Trash => 0,
        FolderRole::Inbox => 1,
        FolderRole::Other | FolderRole::Backup => 2,
        FolderRole::Archive | FolderRole::Sent | FolderRole::Drafts => 3,
        FolderRole::All => 4,
    }
}

fn when(m: &CachedMessage) -> i64 {
    m.date.or(m.internal_date).unwrap_or(0)
}

#[cfg(test)]
mod tests;
