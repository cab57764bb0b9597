//! Folding text for comparison: lower case, no diacritics, no punctuation, so "Müller",
//! "MULLER" and "muller" meet.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases, strips diacritics and turns punctuation into spaces, collapsing runs of spaces.
pub fn fold(s: &str) -> String {
    let mut folded = Folded {
        out: String::with_capacity(s.len()),
        pending_space: false,
    };
    // NOTE: most headers are plain ASCII; skipping normalisation for them keeps a 100k-message scan
    // from spending its time here.
    if s.is_ascii() {
        s.chars().for_each(|c| folded.push(c.to_ascii_lowercase()));
        return folded.out;
    }
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' => folded.push_str("ss"),
            'ø' | 'Ø' => folded.push('o'),
            'æ' | 'Æ' => folded.push_str("ae"),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' => folded.push('d'),
            _ => c.to_lowercase().for_each(|lower| folded.push(lower)),
        }
    }
    folded.out
}

/// Folded text being built: words joined by single spaces, no leading or trailing space.
struct Folded {
    out: String,
    pending_space: bool,
}

impl Folded {
    fn push(&mut self, c: char) {
        if c.is_alphanumeric() {
            if self.pending_space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.pending_space = false;
            self.out.push(c);
        } else {
            self.pending_space = true;
        }
    }

    fn push_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.push(c));
    }
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
        assert_eq!(fold("ÆSIR Łódź Ørsted"), "aesir lodz orsted");
        assert_eq!(fold("..."), "");
    }
}
