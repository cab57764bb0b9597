//! Hunting: ranking cached messages against what a person half-remembers (who, what about,
//! roughly when), tolerant of typos, partial words, word order and a date that is a few days off.
//! Each hit says why it matched; the same message in several folders is one hit.

mod explain;
mod index;
mod query;
mod score;

use crate::Result;
use crate::folder::FolderRole;
use crate::store::{AccountId, CachedMessage, Store};

pub use explain::understood;
pub use index::{HuntIndex, IndexStats};

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

/// Finds the most likely messages for `query`, best first, building a one-off index of the cache.
/// Front ends that hunt repeatedly keep a [`HuntIndex`] instead.
pub fn hunt(store: &Store, query: &HuntQuery) -> Result<Vec<Hit>> {
    query::Remembered::new(query)?;
    HuntIndex::build(store, query.account)?.hunt(store, query)
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

#[cfg(test)]
mod tests;
