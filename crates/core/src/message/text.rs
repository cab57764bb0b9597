//! Folding text for comparison: lower case, no diacritics, no punctuation, so "Müller",
//! "MULLER" and "muller" meet.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases, strips diacritics and turns punctuation into spaces, collapsing runs of spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'ß' => Some("ss"),
            'ø' | 'Ø' => Some("o"),
            'æ' | 'Æ' => Some("ae"),
            'ł' | 'Ł' => Some("l"),
            'đ' | 'Đ' => Some("d"),
            _ => None,
        }
        .map(str::to_string)
        .unwrap_or_else(|| c.to_lowercase().collect());
        for c in c.chars() {
            if c.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// The folded words of `s`.
pub fn words(s: &str) -> Vec<String> {
    fold(s).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(fold("Müller, Zoë"), "muller zoe");
        assert_eq!(fold("  Re: [Quotes]  Your roofing-quote!! "), "re quotes your roofing quote");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(words("m.hollins@brightwater.example"), ["m", "hollins", "brightwater", "example"]);
    }
}
