//! Running one hunt over a built index: which messages can pass, their scores, one hit per
//! Message-ID with every location, and the reasons for the hits shown.

use std::collections::{HashMap, HashSet};

use super::index::{Field, RowSet, TermMatch};
use super::score::{self, WordMatch};
use super::{DAY, Hit, HuntIndex, HuntQuery, Location, When};
use crate::folder::FolderRole;
use crate::store::{CachedMessage, Store};
use crate::{Error, ErrorKind, Result};

/// The most remembered words per field that count; more say nothing new.
const MAX_WORDS: usize = 16;

/// The folded words of each remembered field, and the date window that selects messages.
pub(super) struct Remembered {
    from: Vec<String>,
    to: Vec<String>,
    subject: Vec<String>,
    when: When,
    /// Unix seconds; messages outside it are not looked at.
    window: Option<(i64, i64)>,
    /// Whether the subject was given as a reply ("Re: …"); `None` without a subject.
    subject_reply: Option<bool>,
}

impl Remembered {
    pub(super) fn new(query: &HuntQuery) -> Result<Remembered> {
        let take = |words: Vec<String>| words.into_iter().take(MAX_WORDS).collect::<Vec<_>>();
        let from = take(query.from.as_deref().map(score::person_words).unwrap_or_default());
        let to = take(query.to.as_deref().map(score::person_words).unwrap_or_default());
        let subject = take(query.subject.as_deref().map(score::subject_words).unwrap_or_default());
        let no_words = from.is_empty() && to.is_empty() && subject.is_empty();
        if no_words && query.when == When::Any && query.has_attachment.is_none() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "Tell Mailhound at least one thing you remember: who sent it, what it was about, or roughly when.",
            ));
        }
        // NOTE: a date well outside what the person is sure of still ranks (lower), so the window
        // is wide; with no words at all it is the only thing that selects, so it stays tight.
        let window = query.when.sure_range().map(|(first, last)| {
            let sure_days = (last - first) / DAY;
            let margin = if no_words { 1 } else { sure_days + 45 };
            (first - margin * DAY, last + (margin + 1) * DAY - 1)
        });
        Ok(Remembered {
            from,
            to,
            subject,
            when: query.when,
            window,
            subject_reply: query.subject.as_deref().filter(|s| !s.trim().is_empty()).map(score::is_reply),
        })
    }

    fn fields(&self) -> [(Field, &[String], f64, f64); 3] {
        [
            (Field::From, &self.from, score::FROM_WEIGHT, score::FROM_FLOOR),
            (Field::To, &self.to, score::TO_WEIGHT, score::TO_FLOOR),
            (Field::Subject, &self.subject, score::SUBJECT_WEIGHT, score::SUBJECT_FLOOR),
        ]
    }
}

/// A message that passed, before its full row is read.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    index: usize,
    total: f64,
    days_off: Option<i64>,
    /// Seconds from the days remembered to the closer of the message's dates (0 inside them).
    seconds_off: i64,
    /// 0 when the message is an original and the subject was remembered without "Re:" (or both
    /// are replies), else 1.
    reply_rank: u8,
    part: u16,
    when: i64,
    place: u8,
    copy_key: u64,
}

/// Scores closer than this are the same fit: nothing remembered tells the messages apart.
const SAME_SCORE: f64 = 1e-9;

/// The reason given to a hit that fits exactly as well as the one ranked above it.
pub const TIED_WITH_ABOVE: &str = "fits what you remembered exactly as well as the message above";

/// Best first. Equal scores mean the remembered facts cannot tell the messages apart, so the order
/// follows how people remember, each step only among messages equal on every earlier one:
/// 1. the closer date, in days, then in time (a message of the day given comes before one of the day after);
/// 2. the original before its replies and forwards, unless the subject was remembered as "Re: …";
/// 3. the first part of a numbered series (`[PATCH 1/5]`) before later parts, a cover letter first of all;
/// 4. the newer message (by its Date header, or by when the server received it if the header
///    claims a later time);
/// 5. the folder that best explains a miss (Junk, Trash, then Inbox), then the order of the cache.
fn ranking(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.total
        .total_cmp(&a.total)
        .then(a.days_off.map_or(i64::MAX, i64::abs).cmp(&b.days_off.map_or(i64::MAX, i64::abs)))
        .then(a.seconds_off.cmp(&b.seconds_off))
        .then(a.reply_rank.cmp(&b.reply_rank))
        .then(a.part.cmp(&b.part))
        .then(b.when.cmp(&a.when))
        .then(a.place.cmp(&b.place))
        .then(a.index.cmp(&b.index))
}

impl HuntIndex {
    /// Finds the most likely messages for `query`, best first. `store` must be the one the index
    /// was built from; messages removed since are left out.
    pub fn hunt(&self, store: &Store, query: &HuntQuery) -> Result<Vec<Hit>> {
        let remembered = Remembered::new(query)?;
        let matches = remembered.fields().map(|(field, words, _, _)| {
            if words.is_empty() {
                Vec::new()
            } else {
                self.vocabulary(field).matches(words)
            }
        });
        let ranked = self.rank(&remembered, query, &matches);
        let limit = query.limit.max(1);
        let picked = pick(&ranked, limit);

        let mut rows: Vec<i64> = Vec::new();
        for (first, copies) in &picked {
            for r in std::iter::once(first).chain(copies) {
                if let Some(row) = self.rows.get(r.index) {
                    rows.push(row.row);
                }
            }
        }
        let mut messages: HashMap<i64, CachedMessage> = store.messages_by_row(&rows)?.into_iter().collect();
        let mut hits = Vec::with_capacity(picked.len());
        for (first, copies) in picked {
            // NOTE: a copy removed since the index was built is skipped; if it was the one shown
            // first, the next surviving copy takes its place.
            let mut places = std::iter::once(first)
                .chain(copies)
                .filter_map(|c| self.rows.get(c.index).and_then(|r| messages.remove(&r.row)));
            let Some(message) = places.next() else {
                continue;
            };
            let also_in = places
                .map(|m| Location {
                    folder: m.folder,
                    folder_display: m.folder_display,
                    role: m.role,
                    uidvalidity: m.uidvalidity,
                    uid: m.uid,
                })
                .collect();
            let mut why = self.explain(first, &remembered, &matches, &message);
            // NOTE: identical-looking hits in a row need saying so, or the order looks arbitrary.
            if hits
                .last()
                .is_some_and(|above: &Hit| (above.score - first.total).abs() < SAME_SCORE)
            {
                why.push(TIED_WITH_ABOVE.to_string());
            }
            hits.push(Hit {
                rank: hits.len() + 1,
                score: first.total,
                message,
                why,
                also_in,
            });
        }
        Ok(hits)
    }

    /// Scores every message that can reach the bar: those sharing a matching word with each
    /// remembered field, within the date window.
    fn rank(&self, remembered: &Remembered, query: &HuntQuery, matches: &[Vec<TermMatch>; 3]) -> Vec<Ranked> {
        let n = self.rows.len();
        let mut candidates: Option<RowSet> = None;
        // NOTE: a field's score is the share of remembered words that matched, and each field has a
        // floor above zero, so a message with no matching word in a given field can never pass:
        // intersecting the fields' postings loses nothing.
        for ((field, words, _, _), field_matches) in remembered.fields().iter().zip(matches) {
            if words.is_empty() {
                continue;
            }
            let field = self.vocabulary(*field).rows_with(field_matches, n);
            match candidates.as_mut() {
                Some(set) => set.intersect(&field),
                None => candidates = Some(field),
            }
        }
        if let Some((first, last)) = remembered.window {
            let dated = self.rows_between(first, last);
            match candidates.as_mut() {
                Some(set) => set.intersect(&dated),
                None => candidates = Some(dated),
            }
        }
        let candidates = candidates.unwrap_or_else(|| RowSet::all(n));

        let mut ranked = Vec::new();
        let mut best = [0.0f64; MAX_WORDS];
        'rows: for index in candidates.iter() {
            let Some(row) = self.rows.get(index) else {
                continue;
            };
            if query.account.is_some_and(|a| a != row.account)
                || (!query.roles.is_empty() && !query.roles.contains(&row.role))
                || query.has_attachment.is_some_and(|wanted| wanted != row.has_attachment)
            {
                continue;
            }
            let mut weighted = 0.0;
            let mut weights = 0.0;
            for ((field, words, weight, floor), field_matches) in remembered.fields().iter().zip(matches) {
                if words.is_empty() {
                    continue;
                }
                let best = best.get_mut(..words.len()).unwrap_or(&mut []);
                best.fill(0.0);
                let terms = self.row_terms(index, *field);
                let vocabulary = self.vocabulary(*field);
                let (mut covered, mut counted) = (0usize, 0usize);
                for &term in terms {
                    let from = field_matches.partition_point(|m| m.term < term);
                    let mut any = false;
                    for m in field_matches.iter().skip(from).take_while(|m| m.term == term) {
                        any = true;
                        if let Some(slot) = best.get_mut(m.word) {
                            *slot = slot.max(m.similarity);
                        }
                    }
                    // NOTE: numbers (a part "2/2", an invoice number) do not make a subject say more,
                    // and "2/2" folds to one word where "1/2" gives two.
                    let word = !vocabulary.is_number(term);
                    counted += usize::from(word);
                    covered += usize::from(any && word);
                }
                let mut s = score::field_score(best);
                if s < *floor {
                    continue 'rows;
                }
                if *field == Field::Subject {
                    // NOTE: of two subjects holding every remembered word, the one with fewer other
                    // words is the likelier ("draft contract" → "Draft contract", not "Contract
                    // draft, second review"); a small share of the score says so.
                    let coverage = covered as f64 / counted.max(1) as f64;
                    s = s * (1.0 - score::SUBJECT_COVERAGE) + coverage.min(1.0) * score::SUBJECT_COVERAGE;
                }
                weighted += s * weight;
                weights += weight;
            }
            let mut days_off = None;
            if let Some((s, off)) = score::date_score(remembered.when, row.date(), row.internal_date()) {
                days_off = off;
                weighted += s * score::DATE_WEIGHT;
                weights += score::DATE_WEIGHT;
            }
            let total = if weights > 0.0 { weighted / weights } else { 0.0 };
            if total < score::MIN_SCORE && weights > 0.0 {
                continue;
            }
            ranked.push(Ranked {
                index,
                total,
                days_off,
                seconds_off: score::seconds_off(remembered.when, row.date(), row.internal_date()),
                reply_rank: u8::from(remembered.subject_reply.is_some_and(|wanted| wanted != row.reply)),
                part: row.part,
                when: row.sent().unwrap_or(0),
                place: place_priority(row.role),
                copy_key: row.copy_key,
            });
        }
        ranked
    }

    /// The reasons for one hit, in the order the person gave the fields.
    fn explain(&self, hit: Ranked, remembered: &Remembered, matches: &[Vec<TermMatch>; 3], m: &CachedMessage) -> Vec<String> {
        let mut why = Vec::new();
        for ((field, words, _, _), field_matches) in remembered.fields().iter().zip(matches) {
            if words.is_empty() {
                continue;
            }
            let vocabulary = self.vocabulary(*field);
            let mut best: Vec<Option<(&str, f64)>> = vec![None; words.len()];
            for &term in self.row_terms(hit.index, *field) {
                let from = field_matches.partition_point(|x| x.term < term);
                for x in field_matches.iter().skip(from).take_while(|x| x.term == term) {
                    if let Some(slot) = best.get_mut(x.word)
                        && slot.is_none_or(|(_, s)| x.similarity > s)
                    {
                        *slot = Some((vocabulary.term(term), x.similarity));
                    }
                }
            }
            let described: Vec<WordMatch<'_>> = words.iter().zip(best).map(|(q, found)| WordMatch::new(q, found)).collect();
            let tail = score::describe(&described);
            why.push(match field {
                Field::From => {
                    let sender = match (m.from_name.is_empty(), m.from_address.is_empty()) {
                        (false, false) => format!("{} <{}>", m.from_name, m.from_address),
                        (false, true) => m.from_name.clone(),
                        _ => m.from_address.clone(),
                    };
                    format!("sender {sender} ≈ “{}”{tail}", words.join(" "))
                }
                Field::To => format!("sent to {} ≈ “{}”{tail}", m.to, words.join(" ")),
                Field::Subject => format!("subject “{}”{tail}", m.subject),
            });
        }
        if remembered.when != When::Any {
            why.push(score::date_reason(remembered.when, hit.days_off));
        }
        // NOTE: the folder ("In Junk: your spam filter put it there.") is `Hit::where_text`, which
        // every front end shows beside these reasons, so it is not repeated here.
        why
    }
}

/// The best `limit` messages, one per Message-ID, each with the other copies that passed.
fn pick(ranked: &[Ranked], limit: usize) -> Vec<(Ranked, Vec<Ranked>)> {
    // NOTE: copies share a score, so the top few times `limit` nearly always hold `limit` distinct
    // messages; sorting everything is the fallback.
    let mut top: Vec<Ranked> = ranked.to_vec();
    let enough = limit * 8 + 64;
    let mut firsts = pick_from(&mut top, enough, limit);
    if firsts.len() < limit && top.len() < ranked.len() {
        top = ranked.to_vec();
        firsts = pick_from(&mut top, ranked.len(), limit);
    }
    let mut by_key: HashMap<u64, usize> = HashMap::new();
    for (i, (_, key)) in firsts.iter().enumerate() {
        by_key.insert(*key, i);
    }
    let mut picked: Vec<(Ranked, Vec<Ranked>)> = firsts.iter().map(|(r, _)| (*r, Vec::new())).collect();
    for r in ranked {
        if let Some(&i) = by_key.get(&r.copy_key)
            && let Some((first, copies)) = picked.get_mut(i)
            && first.index != r.index
        {
            copies.push(*r);
        }
    }
    for (_, copies) in &mut picked {
        copies.sort_by(ranking);
    }
    picked
}

fn pick_from(top: &mut Vec<Ranked>, enough: usize, limit: usize) -> Vec<(Ranked, u64)> {
    if top.len() > enough {
        top.select_nth_unstable_by(enough - 1, ranking);
        top.truncate(enough);
    }
    top.sort_by(ranking);
    let mut seen = HashSet::new();
    let mut firsts = Vec::new();
    for r in top.iter() {
        if firsts.len() >= limit {
            break;
        }
        if seen.insert(r.copy_key) {
            firsts.push((*r, r.copy_key));
        }
    }
    firsts
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
