//! The in-memory hunt index: compact rows (word ids, dates, folder kind) plus per-field postings,
//! so a hunt scores only the messages that share a (possibly misspelt) word or a date window
//! with what the person remembers.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use rapidfuzz::distance::osa;

use super::score::{self, WORD_MATCH};
use crate::Result;
use crate::folder::FolderRole;
use crate::message::text::{fold, words};
use crate::store::{AccountId, HuntRow, Store};

/// Words longer than this are not looked up by edit distance (they still match exactly or by
/// prefix); nobody misremembers a 40-letter token.
const MAX_FUZZY_LEN: usize = 32;

/// A built index over every cached message of one store (or one account of it).
pub struct HuntIndex {
    pub(super) rows: Vec<IndexedRow>,
    /// Word ids of every row, row after row: sender words, then recipient words, then subject words.
    tokens: Vec<u32>,
    pub(super) from: Vocabulary,
    pub(super) to: Vocabulary,
    pub(super) subject: Vocabulary,
    /// Row indices sorted by Date header, and by INTERNALDATE (rows without one left out), for
    /// date windows.
    by_date: Vec<u32>,
    by_internal_date: Vec<u32>,
    /// The newest message row when the index was built.
    last_row: i64,
}

/// One message, compactly.
pub(super) struct IndexedRow {
    pub row: i64,
    pub account: AccountId,
    /// Unix seconds, or [`NO_DATE`].
    date: i64,
    internal_date: i64,
    /// Same for every copy of one message (account + Message-ID); unique for a message without one.
    pub copy_key: u64,
    token_start: u32,
    from_len: u16,
    to_len: u16,
    subject_len: u16,
    pub role: FolderRole,
    pub has_attachment: bool,
    /// The subject starts with "Re:", "Fwd:" or the like.
    pub reply: bool,
    /// The part number of a `[PATCH k/n]` series, or [`NO_PART`].
    pub part: u16,
}

/// Stands for a subject that is not part of a numbered series.
pub(super) const NO_PART: u16 = u16::MAX;

/// Stands for a missing date, which keeps a row 16 bytes smaller than `Option<i64>` twice.
const NO_DATE: i64 = i64::MIN;

impl IndexedRow {
    pub fn date(&self) -> Option<i64> {
        (self.date != NO_DATE).then_some(self.date)
    }

    pub fn internal_date(&self) -> Option<i64> {
        (self.internal_date != NO_DATE).then_some(self.internal_date)
    }

    /// When the message was sent, for ordering: the Date header, unless it claims a time more than
    /// a day after the server received the message (the sender's clock was wrong), or is missing.
    pub fn sent(&self) -> Option<i64> {
        // NOTE: the other way round is normal: a message copied or imported later gets a late
        // INTERNALDATE and keeps its true Date header.
        match (self.date(), self.internal_date()) {
            (Some(date), Some(received)) if date > received + super::DAY => Some(received),
            (date, received) => date.or(received),
        }
    }
}

/// Which of a row's word lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    From,
    To,
    Subject,
}

/// The distinct words of one field, sorted, with the rows each appears in.
#[derive(Default)]
pub(super) struct Vocabulary {
    terms: Vec<Box<str>>,
    /// Term ids by length in characters, for edit-distance lookups.
    by_len: Vec<Vec<u32>>,
    offsets: Vec<u32>,
    postings: Vec<u32>,
    /// Whether each term is all digits.
    numbers: Vec<bool>,
}

/// A message word that matched a remembered word.
#[derive(Debug, Clone, Copy)]
pub(super) struct TermMatch {
    pub term: u32,
    /// Which remembered word.
    pub word: usize,
    pub similarity: f64,
}

/// What the index can say about the build: rows and distinct words.
#[derive(Debug, Clone, Copy)]
pub struct IndexStats {
    pub messages: usize,
    pub words: usize,
}

impl HuntIndex {
    /// Reads every cached message (of `account`, if given) into a new index.
    pub fn build(store: &Store, account: Option<AccountId>) -> Result<HuntIndex> {
        let last_row = store.last_message_row()?;
        let mut builder = Builder::default();
        store.for_each_hunt_row(account, |row| builder.push(row))?;
        let mut index = builder.finish();
        index.last_row = last_row;
        Ok(index)
    }

    /// Whether the index still covers every message in `store`. Messages removed since are
    /// harmless (a hunt leaves them out); messages added since need a new index.
    pub fn is_current(&self, store: &Store) -> Result<bool> {
        Ok(store.last_message_row()? <= self.last_row)
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            messages: self.rows.len(),
            words: self.from.terms.len() + self.to.terms.len() + self.subject.terms.len(),
        }
    }

    pub(super) fn vocabulary(&self, field: Field) -> &Vocabulary {
        match field {
            Field::From => &self.from,
            Field::To => &self.to,
            Field::Subject => &self.subject,
        }
    }

    /// The word ids of one field of row `index`.
    pub(super) fn row_terms(&self, index: usize, field: Field) -> &[u32] {
        let Some(r) = self.rows.get(index) else {
            return &[];
        };
        let start = r.token_start as usize;
        let (from, to, subject) = (r.from_len as usize, r.to_len as usize, r.subject_len as usize);
        let range = match field {
            Field::From => start..start + from,
            Field::To => start + from..start + from + to,
            Field::Subject => start + from + to..start + from + to + subject,
        };
        self.tokens.get(range).unwrap_or(&[])
    }

    /// Rows with a date or INTERNALDATE in `[first, last]` (Unix seconds), as a bit set.
    pub(super) fn rows_between(&self, first: i64, last: i64) -> RowSet {
        let mut set = RowSet::new(self.rows.len());
        let time_of = |row: u32, dates: fn(&IndexedRow) -> i64| self.rows.get(row as usize).map_or(NO_DATE, dates);
        for (sorted, dates) in [
            (&self.by_date, (|r: &IndexedRow| r.date) as fn(&IndexedRow) -> i64),
            (&self.by_internal_date, |r: &IndexedRow| r.internal_date),
        ] {
            let start = sorted.partition_point(|&row| time_of(row, dates) < first);
            for &row in sorted.iter().skip(start) {
                if time_of(row, dates) > last {
                    break;
                }
                set.insert(row as usize);
            }
        }
        set
    }
}

impl Vocabulary {
    pub(super) fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", |t| t)
    }

    pub(super) fn is_number(&self, id: u32) -> bool {
        self.numbers.get(id as usize).copied().unwrap_or(false)
    }

    fn postings(&self, id: u32) -> &[u32] {
        let id = id as usize;
        match (self.offsets.get(id), self.offsets.get(id + 1)) {
            (Some(&a), Some(&b)) => self.postings.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Every term that matches one of `remembered` (similarity at least [`WORD_MATCH`]), sorted
    /// by term id.
    pub(super) fn matches(&self, remembered: &[String]) -> Vec<TermMatch> {
        let mut found = Vec::new();
        for (word, q) in remembered.iter().enumerate() {
            let consider = |id: u32, found: &mut Vec<TermMatch>| {
                let similarity = score::word_similarity(q, self.term(id));
                if similarity >= WORD_MATCH {
                    found.push(TermMatch {
                        term: id,
                        word,
                        similarity,
                    });
                }
            };
            // Exact, prefix and other-form matches all start with the remembered word's stem.
            let stem = score::stem(q);
            let start = self.terms.partition_point(|t| t.as_ref() < stem);
            let mut seen_prefix = Vec::new();
            for (offset, term) in self.terms.iter().enumerate().skip(start) {
                if !term.starts_with(stem) {
                    break;
                }
                let id = offset as u32;
                seen_prefix.push(id);
                consider(id, &mut found);
            }
            let n = q.chars().count();
            if n > MAX_FUZZY_LEN {
                continue;
            }
            // NOTE: normalized OSA similarity ≥ 0.7 means at most 0.3 × the longer length edits,
            // so a term more than 3/7 of n longer or shorter can never match.
            let max_edits = (n * 3) / 7;
            let comparator = osa::BatchComparator::new(q.chars());
            for len in n.saturating_sub(max_edits).max(1)..=n + max_edits {
                let Some(ids) = self.by_len.get(len) else {
                    continue;
                };
                let cutoff = (n.max(len) * 3) / 10;
                for &id in ids {
                    if seen_prefix.binary_search(&id).is_ok() {
                        continue;
                    }
                    let close = comparator
                        .distance_with_args(self.term(id).chars(), &osa::Args::default().score_cutoff(cutoff))
                        .is_some();
                    if close {
                        consider(id, &mut found);
                    }
                }
            }
        }
        found.sort_by_key(|m| m.term);
        found
    }

    /// The rows holding any of `matches`' terms.
    pub(super) fn rows_with(&self, matches: &[TermMatch], rows: usize) -> RowSet {
        let mut set = RowSet::new(rows);
        let mut last = None;
        for m in matches {
            if last == Some(m.term) {
                continue;
            }
            last = Some(m.term);
            for &row in self.postings(m.term) {
                set.insert(row as usize);
            }
        }
        set
    }
}

/// A set of row indices as bits.
pub(super) struct RowSet {
    bits: Vec<u64>,
}

impl RowSet {
    pub fn new(rows: usize) -> RowSet {
        RowSet {
            bits: vec![0; rows.div_ceil(64)],
        }
    }

    pub fn all(rows: usize) -> RowSet {
        let mut set = RowSet {
            bits: vec![u64::MAX; rows.div_ceil(64)],
        };
        if let Some(last) = set.bits.last_mut()
            && !rows.is_multiple_of(64)
        {
            *last = (1u64 << (rows % 64)) - 1;
        }
        set
    }

    pub fn insert(&mut self, row: usize) {
        if let Some(word) = self.bits.get_mut(row / 64) {
            *word |= 1 << (row % 64);
        }
    }

    pub fn intersect(&mut self, other: &RowSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a &= *b;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(i, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(i * 64 + bit)
            })
        })
    }
}

/// Collects rows, then sorts each vocabulary and lays out postings.
#[derive(Default)]
struct Builder {
    rows: Vec<IndexedRow>,
    tokens: Vec<u32>,
    from: TermTable,
    to: TermTable,
    subject: TermTable,
}

#[derive(Default)]
struct TermTable {
    ids: HashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
}

impl TermTable {
    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }
}

impl Builder {
    fn push(&mut self, row: HuntRow) {
        let index = self.rows.len() as u32;
        let token_start = self.tokens.len() as u32;
        // NOTE: people type an address's local part run together ("gracehollis84" for
        // grace_hollis84@…), so the local part without punctuation is a sender word too.
        // The same goes for hyphenated or apostrophed names and domains ("acmeroofing", "obrien").
        let joined = joined_words(&row.from_name, &row.from_address);
        let from = fold(&format!("{} {}", row.from_name, row.from_address));
        let from_words = from.split(' ').filter(|w| !w.is_empty()).chain(joined.iter().map(String::as_str));
        let from_len = push_words(&mut self.tokens, &mut self.from, from_words);
        let to_words = words(&row.to);
        let to_len = push_words(&mut self.tokens, &mut self.to, to_words.iter().map(String::as_str));
        let subject_words = score::subject_words(&row.subject);
        let subject_len = push_words(&mut self.tokens, &mut self.subject, subject_words.iter().map(String::as_str));
        let copy_key = match &row.message_id {
            Some(id) => {
                let mut hasher = DefaultHasher::new();
                (row.account_id.0, id).hash(&mut hasher);
                hasher.finish() | 1
            }
            // NOTE: even keys never come from a Message-ID (those are forced odd), so each message
            // without one stays alone.
            None => u64::from(index) << 1,
        };
        self.rows.push(IndexedRow {
            row: row.row,
            account: row.account_id,
            date: row.date.unwrap_or(NO_DATE),
            internal_date: row.internal_date.unwrap_or(NO_DATE),
            copy_key,
            token_start,
            from_len,
            to_len,
            subject_len,
            role: row.role,
            has_attachment: row.has_attachment,
            reply: score::is_reply(&row.subject),
            part: score::series_part(&row.subject).unwrap_or(NO_PART),
        });
    }

    fn finish(mut self) -> HuntIndex {
        let from = sort_terms(self.from);
        let to = sort_terms(self.to);
        let subject = sort_terms(self.subject);
        let mut postings: [Vec<Vec<u32>>; 3] = [
            vec![Vec::new(); from.0.len()],
            vec![Vec::new(); to.0.len()],
            vec![Vec::new(); subject.0.len()],
        ];
        for (index, r) in self.rows.iter().enumerate() {
            let start = r.token_start as usize;
            let lens = [r.from_len as usize, r.to_len as usize, r.subject_len as usize];
            let remaps = [&from.1, &to.1, &subject.1];
            let mut at = start;
            for field in 0..3 {
                let (Some(len), Some(remap), Some(lists)) = (lens.get(field), remaps.get(field), postings.get_mut(field)) else {
                    continue;
                };
                if let Some(slice) = self.tokens.get_mut(at..at + len) {
                    for t in slice.iter_mut() {
                        *t = remap.get(*t as usize).copied().unwrap_or(0);
                        if let Some(list) = lists.get_mut(*t as usize)
                            && list.last() != Some(&(index as u32))
                        {
                            list.push(index as u32);
                        }
                    }
                }
                at += len;
            }
        }
        let mut by_date: Vec<u32> = (0..self.rows.len() as u32)
            .filter(|&i| self.rows.get(i as usize).is_some_and(|r| r.date != NO_DATE))
            .collect();
        by_date.sort_unstable_by_key(|&i| self.rows.get(i as usize).map_or(NO_DATE, |r| r.date));
        let mut by_internal_date: Vec<u32> = (0..self.rows.len() as u32)
            .filter(|&i| self.rows.get(i as usize).is_some_and(|r| r.internal_date != NO_DATE))
            .collect();
        by_internal_date.sort_unstable_by_key(|&i| self.rows.get(i as usize).map_or(NO_DATE, |r| r.internal_date));
        let [p_from, p_to, p_subject] = postings;
        self.tokens.shrink_to_fit();
        self.rows.shrink_to_fit();
        HuntIndex {
            rows: self.rows,
            tokens: self.tokens,
            from: vocabulary(from.0, p_from),
            to: vocabulary(to.0, p_to),
            subject: vocabulary(subject.0, p_subject),
            by_date,
            by_internal_date,
            last_row: 0,
        }
    }
}

/// The sender's multi-part words run together: the address's local part, each domain label and
/// each word of the name that folding splits (O'Brien, Acme-Roofing).
fn joined_words(name: &str, address: &str) -> Vec<String> {
    let (local, domain) = address.split_once('@').unwrap_or((address, ""));
    std::iter::once(local)
        .chain(domain.split('.'))
        .chain(name.split_whitespace())
        .filter_map(|part| {
            let folded = fold(part);
            folded.contains(' ').then(|| folded.replace(' ', ""))
        })
        .collect()
}

/// Adds one field's distinct words (in first-seen order) and returns how many.
fn push_words<'w>(tokens: &mut Vec<u32>, table: &mut TermTable, words: impl Iterator<Item = &'w str>) -> u16 {
    let start = tokens.len();
    for w in words {
        if tokens.len() - start >= usize::from(u16::MAX) {
            break;
        }
        let id = table.id(w);
        if !tokens.get(start..).is_some_and(|seen| seen.contains(&id)) {
            tokens.push(id);
        }
    }
    (tokens.len() - start) as u16
}

/// The terms sorted, and for each old id its new id.
fn sort_terms(table: TermTable) -> (Vec<Box<str>>, Vec<u32>) {
    let TermTable { ids, terms } = table;
    drop(ids);
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by(|a, b| terms.get(*a as usize).cmp(&terms.get(*b as usize)));
    let mut remap = vec![0u32; terms.len()];
    for (new, old) in order.iter().enumerate() {
        if let Some(slot) = remap.get_mut(*old as usize) {
            *slot = new as u32;
        }
    }
    let mut slots: Vec<Option<Box<str>>> = terms.into_iter().map(Some).collect();
    let sorted = order
        .iter()
        .map(|old| slots.get_mut(*old as usize).and_then(Option::take).unwrap_or_default())
        .collect();
    (sorted, remap)
}

fn vocabulary(terms: Vec<Box<str>>, lists: Vec<Vec<u32>>) -> Vocabulary {
    let mut by_len: Vec<Vec<u32>> = Vec::new();
    for (id, term) in terms.iter().enumerate() {
        let len = term.chars().count();
        if len > MAX_FUZZY_LEN * 2 {
            continue;
        }
        if by_len.len() <= len {
            by_len.resize_with(len + 1, Vec::new);
        }
        if let Some(bucket) = by_len.get_mut(len) {
            bucket.push(id as u32);
        }
    }
    let mut offsets = Vec::with_capacity(lists.len() + 1);
    let mut postings = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    offsets.push(0);
    for list in lists {
        postings.extend(list);
        offsets.push(postings.len() as u32);
    }
    let numbers = terms.iter().map(|t| t.chars().all(|c| c.is_ascii_digit())).collect();
    Vocabulary {
        terms,
        by_len,
        offsets,
        postings,
        numbers,
    }
}
