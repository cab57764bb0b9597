//! What Mailhound understood of a hunt, in plain words, so a person can see why a word they typed
//! did not count (a reply prefix, a filler word) and which days were looked at.

use super::{HuntQuery, When, score};

/// One line per thing the hunt will look for, in the order a person gives them.
pub fn understood(query: &HuntQuery) -> Vec<String> {
    let mut lines = Vec::new();
    let mut words_line = |label: &str, text: Option<&str>, words: fn(&str) -> Vec<String>| {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            let kept = words(text);
            lines.push(if kept.is_empty() {
                format!("{label}: nothing usable in “{text}”")
            } else {
                format!("{label}: {} (each may be misspelt or partial)", kept.join(", "))
            });
        }
    };
    words_line("sender words", query.from.as_deref(), score::person_words);
    words_line("recipient words", query.to.as_deref(), score::person_words);
    words_line("subject words", query.subject.as_deref(), score::subject_words);
    match query.when {
        When::Any => {}
        When::Around { day, slack_days } => lines.push(format!("around {} (± {slack_days} days; further away ranks lower)", day_text(day))),
        When::Between { first_day, last_day } => lines.push(format!(
            "between {} and {} (outside ranks lower)",
            day_text(first_day.min(last_day)),
            day_text(first_day.max(last_day))
        )),
    }
    match query.has_attachment {
        Some(true) => lines.push("only messages with an attachment".to_string()),
        Some(false) => lines.push("only messages without an attachment".to_string()),
        None => {}
    }
    if !query.roles.is_empty() {
        let roles: Vec<&str> = query.roles.iter().map(|r| r.label()).collect();
        lines.push(format!("only in: {}", roles.join(", ")));
    }
    lines
}

/// A day start as YYYY-MM-DD (UTC).
fn day_text(day: i64) -> String {
    chrono::DateTime::from_timestamp(day, 0).map_or_else(|| day.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_which_words_count_and_which_days() {
        let query = HuntQuery {
            from: Some("anna at brightwater".into()),
            subject: Some("Re: roof qoute".into()),
            when: When::Around {
                day: 1_793_664_000,
                slack_days: 3,
            },
            ..HuntQuery::default()
        };
        assert_eq!(
            understood(&query),
            [
                "sender words: anna, brightwater (each may be misspelt or partial)",
                "subject words: roof, qoute (each may be misspelt or partial)",
                "around 2026-11-03 (± 3 days; further away ranks lower)",
            ]
        );
    }
}
