//! Scoring one cached message against a hunt: per-field similarity with typo tolerance, a smooth
//! date decay, and the reasons that explain the score.

use rapidfuzz::distance::osa;

use super::{DAY, When};
use crate::message::text::words;
use crate::store::CachedMessage;

/// Reply and forward prefixes in several languages; they say nothing about what a message is about.
const SUBJECT_NOISE: &[&str] = &[
    "re", "fw", "fwd", "aw", "wg", "tr", "sv", "vs", "rv", "ref", "antw", "the", "a", "an", "of", "and", "for", "to", "your", "my", "on",
    "in",
];

/// A word pair closer than this counts as a match.
const WORD_MATCH: f64 = 0.7;
/// A message must reach this to be listed at all.
const MIN_SCORE: f64 = 0.3;

pub struct Scored {
    pub total: f64,
    pub days_off: Option<i64>,
    pub why: Vec<String>,
}

/// The folded words of each remembered field.
pub struct Remembered<'q> {
    pub from: &'q [String],
    pub to: &'q [String],
    pub subject: &'q [String],
    pub when: When,
}

pub struct Scorer<'q> {
    remembered: Remembered<'q>,
}

/// Subject words that carry meaning: folded, without reply prefixes and filler.
pub fn subject_words(subject: &str) -> Vec<String> {
    words(subject)
        .into_iter()
        .filter(|w| !SUBJECT_NOISE.contains(&w.as_str()))
        .collect()
}

/// Words that identify a person or organisation; "anna at brightwater" is anna + brightwater.
pub fn person_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !matches!(w.as_str(), "at" | "from" | "of" | "and"))
        .collect()
}

impl<'q> Scorer<'q> {
    pub fn new(remembered: Remembered<'q>) -> Scorer<'q> {
        Scorer { remembered }
    }

    pub fn score(&self, m: &CachedMessage) -> Option<Scored> {
        let mut weighted = 0.0;
        let mut weights = 0.0;
        let mut why = Vec::new();

        let r = &self.remembered;
        if !r.from.is_empty() {
            let candidate: Vec<&str> = m.search_from.split(' ').filter(|w| !w.is_empty()).collect();
            let (score, matches) = words_score(r.from, &candidate);
            if score < 0.5 {
                return None;
            }
            weighted += score * 1.2;
            weights += 1.2;
            let sender = match (m.from_name.is_empty(), m.from_address.is_empty()) {
                (false, false) => format!("{} <{}>", m.from_name, m.from_address),
                (false, true) => m.from_name.clone(),
                _ => m.from_address.clone(),
            };
            why.push(format!("sender {sender} ≈ “{}”{}", r.from.join(" "), describe(&matches)));
        }
        if !r.to.is_empty() {
            let folded = words(&m.to);
            let candidate: Vec<&str> = folded.iter().map(String::as_str).collect();
            let (score, matches) = words_score(r.to, &candidate);
            if score < 0.5 {
                return None;
            }
            weighted += score * 0.8;
            weights += 0.8;
            why.push(format!("sent to {} ≈ “{}”{}", m.to, r.to.join(" "), describe(&matches)));
        }
        if !r.subject.is_empty() {
            let folded = subject_words(&m.subject);
            let candidate: Vec<&str> = folded.iter().map(String::as_str).collect();
            let (score, matches) = words_score(r.subject, &candidate);
            if score < 0.4 {
                return None;
            }
            weighted += score;
            weights += 1.0;
            why.push(format!("subject “{}”{}", m.subject, describe(&matches)));
        }
        let mut days_off = None;
        if r.when != When::Any {
            let (score, off, text) = date_score(r.when, m);
            days_off = off;
            weighted += score * 0.7;
            weights += 0.7;
            why.push(text);
        }
        let total = if weights > 0.0 { weighted / weights } else { 0.0 };
        (total >= MIN_SCORE).then_some(Scored { total, days_off, why })
    }
}

/// How well the message's date fits, how many days it is off, and the reason in words.
fn date_score(when: When, m: &CachedMessage) -> (f64, Option<i64>, String) {
    let (first, last, sure_days) = match when {
        When::Any => return (1.0, None, String::new()),
        When::Around { day, slack_days } => (day.div_euclid(DAY), day.div_euclid(DAY), i64::from(slack_days)),
        When::Between { first_day, last_day } => (first_day.min(last_day).div_euclid(DAY), first_day.max(last_day).div_euclid(DAY), 0),
    };
    // NOTE: the Date header is the sender's clock and INTERNALDATE the server's; either may be what
    // the person saw, so the closer of the two counts. Days are whole UTC days.
    let off = [m.date, m.internal_date]
        .into_iter()
        .flatten()
        .map(|t| {
            let day = t.div_euclid(DAY);
            if day < first {
                day - first
            } else if day > last {
                day - last
            } else {
                0
            }
        })
        .min_by_key(|d| d.abs());
    let Some(off) = off else {
        return (0.3, None, "no usable date on this message".to_string());
    };
    let beyond = (off.abs() - sure_days).max(0) as f64;
    let spread = (sure_days.max(1) as f64) * 1.5 + 2.0;
    let score = (-beyond / spread).exp();
    let reference = if first == last { "the date you gave" } else { "the dates you gave" };
    let text = match off {
        0 if first == last => "sent on the day you gave".to_string(),
        0 => "sent between the dates you gave".to_string(),
        1 => format!("sent the day after {reference}"),
        -1 => format!("sent the day before {reference}"),
        d if d > 0 => format!("sent {d} days after {reference}"),
        d => format!("sent {} days before {reference}", -d),
    };
    (score, Some(off.abs()), text)
}

/// How each remembered word matched.
enum WordMatch {
    Exact(String),
    Prefix(String, String),
    Close(String, String),
    Missing(String),
}

/// Average over the remembered words of the best similarity each finds among `candidate`.
fn words_score(query: &[String], candidate: &[&str]) -> (f64, Vec<WordMatch>) {
    let mut total = 0.0;
    let mut matches = Vec::with_capacity(query.len());
    for q in query {
        let mut best = (0.0, None);
        for c in candidate {
            let s = word_similarity(q, c);
            if s > best.0 {
                best = (s, Some(*c));
            }
        }
        let (s, found) = best;
        matches.push(match found {
            Some(c) if s >= WORD_MATCH && c == q => WordMatch::Exact(q.clone()),
            Some(c) if s >= WORD_MATCH && c.starts_with(q.as_str()) => WordMatch::Prefix(q.clone(), c.to_string()),
            Some(c) if s >= WORD_MATCH => WordMatch::Close(q.clone(), c.to_string()),
            _ => WordMatch::Missing(q.clone()),
        });
        total += if s >= WORD_MATCH { s } else { s * 0.3 };
    }
    (total / query.len().max(1) as f64, matches)
}

fn word_similarity(q: &str, c: &str) -> f64 {
    if q == c {
        return 1.0;
    }
    // A partial word typed from the start ("marg" for "margaret") is nearly as good as the word.
    if q.chars().count() >= 3 && c.starts_with(q) {
        return 0.92;
    }
    // Singular and plural ("quote" / "quotes").
    if q.trim_end_matches('s') == c.trim_end_matches('s') {
        return 0.95;
    }
    let sim = osa::normalized_similarity(q.chars(), c.chars());
    // NOTE: one edit in a short word is a big fraction of it; "ann" ≈ "anna" should still count,
    // "bob" ≈ "rob" should not outrank an exact word.
    if q.chars().count() <= 3 && sim < 0.75 { sim * 0.5 } else { sim }
}

fn describe(matches: &[WordMatch]) -> String {
    let parts: Vec<String> = matches
        .iter()
        .map(|m| match m {
            WordMatch::Exact(q) => format!("has “{q}”"),
            WordMatch::Prefix(q, c) => format!("“{q}” starts “{c}”"),
            WordMatch::Close(q, c) => format!("“{q}” ≈ “{c}” ({})", letters_differ(q, c)),
            WordMatch::Missing(q) => format!("no “{q}”"),
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join("; "))
    }
}

fn letters_differ(a: &str, b: &str) -> String {
    match osa::distance(a.chars(), b.chars()) {
        1 => "one letter differs".to_string(),
        2 => "two letters differ".to_string(),
        n => format!("{n} letters differ"),
    }
}
