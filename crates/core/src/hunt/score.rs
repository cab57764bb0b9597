//! Per-field similarity with typo tolerance, a smooth date decay, and the words that explain a
//! score. Pure functions over folded words and Unix seconds; the index decides which messages to
//! ask about.

use rapidfuzz::distance::osa;

use super::{DAY, When};
use crate::message::text::words;

/// Reply and forward markers (folded, as [`REPLY_MARKERS`]) and filler words: they say nothing about
/// what a message is about, wherever a person types them.
const SUBJECT_NOISE: &[&str] = &[
    "re", "fw", "fwd", "aw", "wg", "tr", "sv", "vs", "vb", "rv", "ref", "antw", "odp", "pd", "ynt", "ilt", "res", "enc", "rif", "απ",
    "σχετ", "πθ", "πρθ", "回复", "答复", "转发", "回覆", "轉寄", "the", "a", "an", "of", "and", "for", "to", "your", "my", "on", "in",
];

/// A word pair at least this similar counts as a match.
pub const WORD_MATCH: f64 = 0.7;
/// A message must reach this to be listed at all.
pub const MIN_SCORE: f64 = 0.3;

/// How much each remembered field counts, and the least a given field must reach.
pub const FROM_WEIGHT: f64 = 1.2;
pub const FROM_FLOOR: f64 = 0.5;
pub const TO_WEIGHT: f64 = 0.8;
pub const TO_FLOOR: f64 = 0.5;
pub const SUBJECT_WEIGHT: f64 = 1.0;
pub const SUBJECT_FLOOR: f64 = 0.4;
pub const DATE_WEIGHT: f64 = 0.7;
/// The share of the subject score that rewards covering the subject rather than only the words given.
pub const SUBJECT_COVERAGE: f64 = 0.1;
/// How much a date inside the slack still loses towards the slack's edge.
const INSIDE_SLACK_DECAY: f64 = 0.15;

/// Reply and forward markers that open a subject ("Re:", "AW:", "Odp:", "Fwd:", "WG:", "ΠΘ:"), as mail
/// programs write them in several languages.
const REPLY_MARKERS: &[&str] = &[
    "re", "fw", "fwd", "aw", "wg", "tr", "sv", "vs", "vb", "rv", "ref", "réf", "antw", "odp", "pd", "ynt", "ilt", "i̇lt", "res", "enc",
    "rif", "απ", "σχετ", "πθ", "πρθ", "回复", "答复", "转发", "回覆", "轉寄",
];

/// A subject without the reply and forward markers that open it: `[list] Re: AW: x` is
/// (`"[list] x"`, true). List tags stay; people type them ("rust-users").
fn without_reply_markers(subject: &str) -> (String, bool) {
    let mut tags = String::new();
    let mut rest = subject.trim_start();
    let mut replied = false;
    loop {
        // NOTE: list tags come before the marker ("[debian-devel] Re: …").
        if let Some(tagged) = rest.strip_prefix('[')
            && let Some((tag, after)) = tagged.split_once(']')
        {
            tags.push_str(tag);
            tags.push(' ');
            rest = after.trim_start();
            continue;
        }
        let Some((marker, after)) = rest.split_once([':', '：']) else {
            break;
        };
        let marker = marker.trim().to_lowercase();
        let marker = marker.trim_end_matches(|c: char| c.is_ascii_digit() || "[]() ".contains(c));
        if !REPLY_MARKERS.contains(&marker) {
            break;
        }
        replied = true;
        rest = after.trim_start();
    }
    (tags + rest, replied)
}

/// Whether a subject is a reply or forward (`Re: …`, `[list] AW: …`), as written.
pub fn is_reply(subject: &str) -> bool {
    without_reply_markers(subject).1
}

/// Which part of a numbered series a subject is (`[PATCH v2 3/7] …` is 3; a cover letter `0/7`
/// is 0), or `None`.
pub fn series_part(subject: &str) -> Option<u16> {
    let tag = subject.trim_start().strip_prefix('[')?.split_once(']')?.0;
    tag.split_whitespace().find_map(|word| {
        let (part, of) = word.split_once('/')?;
        of.parse::<u16>().ok()?;
        part.parse().ok()
    })
}

/// Subject words that carry meaning: folded, without reply and forward markers and filler.
pub fn subject_words(subject: &str) -> Vec<String> {
    words(&without_reply_markers(subject).0)
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

/// How alike a remembered word `q` and a message word `c` are, from 0 to 1.
pub fn word_similarity(q: &str, c: &str) -> f64 {
    if q == c {
        return 1.0;
    }
    // NOTE: a partial word typed from the start ("marg" for "margaret") is nearly as good as the word.
    if q.chars().count() >= 3 && c.starts_with(q) {
        return 0.92;
    }
    // Another form of the same word ("quote" / "quotes", "roofs" / "roofing").
    if stem(q) == stem(c) {
        return 0.95;
    }
    let sim = osa::normalized_similarity(q.chars(), c.chars());
    // NOTE: one edit in a short word is a big fraction of it; "ann" ≈ "anna" should still count,
    // "bob" ≈ "rob" should not outrank an exact word.
    if q.chars().count() <= 3 && sim < 0.75 { sim * 0.5 } else { sim }
}

/// A word without its plural or -ing/-ed ending, kept at three letters or more; every form of a
/// word starts with its stem, which is how the index finds them.
pub fn stem(word: &str) -> &str {
    for suffix in ["ings", "ing", "ies", "es", "ed", "s"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().count() >= 3
        {
            return stem;
        }
    }
    word
}

/// The average over remembered words of the best similarity each found (a word without a match
/// counts nothing).
pub fn field_score(best: &[f64]) -> f64 {
    let matched: f64 = best.iter().filter(|s| **s >= WORD_MATCH).sum();
    matched / best.len().max(1) as f64
}

/// How well a message's dates fit `when`, and how many days off the closer one is (signed:
/// positive means after). `None` when `when` is `Any`.
pub fn date_score(when: When, date: Option<i64>, internal_date: Option<i64>) -> Option<(f64, Option<i64>)> {
    let (first, last, sure_days) = day_range(when)?;
    // NOTE: the Date header is the sender's clock and INTERNALDATE the server's; either may be what
    // the person saw, so the closer of the two counts. Days are whole UTC days.
    let off = [date, internal_date]
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
        return Some((0.3, None));
    };
    let beyond = (off.abs() - sure_days).max(0) as f64;
    let spread = (sure_days.max(1) as f64) * 1.5 + 2.0;
    // NOTE: the day given is still the best guess inside the slack, so closer is a little better.
    let inside = off.abs().min(sure_days) as f64 / (sure_days + 1) as f64;
    Some(((-beyond / spread).exp() * (1.0 - INSIDE_SLACK_DECAY * inside), Some(off)))
}

/// Seconds from the days `when` names to the closer of a message's dates: 0 inside them, and
/// `i64::MAX` for a message without a date (or when no date was given, 0).
pub fn seconds_off(when: When, date: Option<i64>, internal_date: Option<i64>) -> i64 {
    let Some((first, last, _)) = day_range(when) else {
        return 0;
    };
    let (start, end) = (first * DAY, (last + 1) * DAY);
    [date, internal_date]
        .into_iter()
        .flatten()
        .map(|t| if t < start { start - t } else { (t - end + 1).max(0) })
        .min()
        .unwrap_or(i64::MAX)
}

/// The date reason in words, from the signed days off that [`date_score`] gave.
pub fn date_reason(when: When, off: Option<i64>) -> String {
    let Some((first, last, _)) = day_range(when) else {
        return String::new();
    };
    let Some(off) = off else {
        return "no usable date on this message".to_string();
    };
    let reference = if first == last { "the date you gave" } else { "the dates you gave" };
    match off {
        0 if first == last => "sent on the day you gave".to_string(),
        0 => "sent between the dates you gave".to_string(),
        1 => format!("sent the day after {reference}"),
        -1 => format!("sent the day before {reference}"),
        d if d > 0 => format!("sent {d} days after {reference}"),
        d => format!("sent {} days before {reference}", -d),
    }
}

/// First day, last day (as day numbers) and the days of slack either side.
fn day_range(when: When) -> Option<(i64, i64, i64)> {
    match when {
        When::Any => None,
        When::Around { day, slack_days } => Some((day.div_euclid(DAY), day.div_euclid(DAY), i64::from(slack_days))),
        When::Between { first_day, last_day } => {
            Some((first_day.min(last_day).div_euclid(DAY), first_day.max(last_day).div_euclid(DAY), 0))
        }
    }
}

/// How one remembered word matched, for the reasons.
pub enum WordMatch<'a> {
    Exact(&'a str),
    Prefix(&'a str, &'a str),
    Close(&'a str, &'a str),
    Missing(&'a str),
}

impl<'a> WordMatch<'a> {
    /// Classifies remembered word `q` against the best message word found for it, if any.
    pub fn new(q: &'a str, found: Option<(&'a str, f64)>) -> WordMatch<'a> {
        match found {
            Some((c, s)) if s >= WORD_MATCH && c == q => WordMatch::Exact(q),
            Some((c, s)) if s >= WORD_MATCH && c.starts_with(q) => WordMatch::Prefix(q, c),
            Some((c, s)) if s >= WORD_MATCH => WordMatch::Close(q, c),
            _ => WordMatch::Missing(q),
        }
    }
}

/// The matches as a reason's tail: `: has “roof”; “qoute” ≈ “quote” (two letters differ)`.
pub fn describe(matches: &[WordMatch<'_>]) -> String {
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
    if stem(a) == stem(b) {
        return "another form of the word".to_string();
    }
    match osa::distance(a.chars(), b.chars()) {
        1 => "one letter differs".to_string(),
        2 => "two letters differ".to_string(),
        n => format!("{n} letters differ"),
    }
}
