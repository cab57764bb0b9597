//! The MIME encodings the corpus writes: legacy charsets, RFC 2047 encoded-words, RFC 2231
//! parameters, quoted-printable, base64 and header folding. Output uses LF line endings.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The charsets names and bodies are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Latin1,
    Windows1252,
    Latin2,
    ShiftJis,
    Gb2312,
}

impl Charset {
    /// The MIME label, in the case real mailers tend to use.
    pub fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Latin1 => "ISO-8859-1",
            Charset::Windows1252 => "windows-1252",
            Charset::Latin2 => "ISO-8859-2",
            Charset::ShiftJis => "Shift_JIS",
            Charset::Gb2312 => "gb2312",
        }
    }

    /// Encodes `text`; characters the charset lacks become `?`.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Charset::Utf8 => text.as_bytes().to_vec(),
            Charset::Latin1 => text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect(),
            Charset::Windows1252 => encode_with(encoding_rs::WINDOWS_1252, text),
            Charset::Latin2 => encode_with(encoding_rs::ISO_8859_2, text),
            Charset::ShiftJis => encode_with(encoding_rs::SHIFT_JIS, text),
            // NOTE: encoding_rs maps the gb2312 label to GBK, a superset with the same bytes for
            // every GB2312 character.
            Charset::Gb2312 => encode_with(encoding_rs::GBK, text),
        }
    }

    /// Whether every character of `text` survives [`Charset::encode`].
    pub fn can_encode(self, text: &str) -> bool {
        match self {
            Charset::Utf8 => true,
            Charset::Latin1 => text.chars().all(|c| u32::from(c) < 0x100),
            Charset::Windows1252 => !encoding_rs::WINDOWS_1252.encode(text).2,
            Charset::Latin2 => !encoding_rs::ISO_8859_2.encode(text).2,
            Charset::ShiftJis => !encoding_rs::SHIFT_JIS.encode(text).2,
            Charset::Gb2312 => !encoding_rs::GBK.encode(text).2,
        }
    }
}

fn encode_with(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
        if unmappable {
            out.push(b'?');
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

/// RFC 2047 `B` (base64) or `Q` (quoted-printable-like) encoded-words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordEncoding {
    B,
    Q,
}

/// NOTE: RFC 2047 allows 75-character words, but a line holding `Subject: ` and one such
/// word would pass 78 columns; 64 keeps the first line of any common header short.
const MAX_WORD: usize = 64;

/// Encodes `text` as encoded-words of at most 64 characters, split between characters and
/// separated by spaces (which decoders drop between adjacent encoded-words).
pub fn encoded_words(text: &str, charset: Charset, encoding: WordEncoding) -> String {
    let overhead = "=?".len() + charset.label().len() + "?B?".len() + "?=".len();
    let budget = MAX_WORD.saturating_sub(overhead);
    let mut words: Vec<String> = Vec::new();
    let mut chunk: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let bytes = charset.encode(c.encode_utf8(&mut buf));
        let mut candidate = chunk.clone();
        candidate.extend_from_slice(&bytes);
        if !chunk.is_empty() && encoded_len(&candidate, encoding) > budget {
            words.push(encoded_word(&chunk, charset, encoding));
            chunk = bytes;
        } else {
            chunk = candidate;
        }
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(encoded_word(&chunk, charset, encoding));
    }
    words.join(" ")
}

fn encoded_len(bytes: &[u8], encoding: WordEncoding) -> usize {
    match encoding {
        WordEncoding::B => bytes.len().div_ceil(3) * 4,
        WordEncoding::Q => bytes.iter().map(|&byte| if q_plain(byte) || byte == b' ' { 1 } else { 3 }).sum(),
    }
}

fn q_plain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'!' | b'*' | b'+' | b'-' | b'/')
}

fn encoded_word(bytes: &[u8], charset: Charset, encoding: WordEncoding) -> String {
    let label = charset.label();
    match encoding {
        WordEncoding::B => format!("=?{label}?B?{}?=", STANDARD.encode(bytes)),
        WordEncoding::Q => {
            let mut out = format!("=?{label}?Q?");
            for &byte in bytes {
                if byte == b' ' {
                    out.push('_');
                } else if q_plain(byte) {
                    out.push(char::from(byte));
                } else {
                    out.push_str(&format!("={byte:02X}"));
                }
            }
            out.push_str("?=");
            out
        }
    }
}

/// A display name as it appears before `<address>`: plain, quoted when it holds specials, or
/// encoded-words when it is not ASCII.
pub fn display_name(name: &str, charset: Charset, encoding: WordEncoding) -> String {
    if !name.is_ascii() {
        return encoded_words(name, charset, encoding);
    }
    if name
        .chars()
        .any(|c| matches!(c, ',' | '.' | '"' | '(' | ')' | '<' | '>' | '@' | ':' | ';'))
    {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        return format!("\"{escaped}\"");
    }
    name.to_owned()
}

/// An RFC 2231 extended parameter value: `UTF-8''percent%20encoded`.
pub fn rfc2231_value(text: &str) -> String {
    let mut out = String::from("UTF-8''");
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Base64 in 76-character lines, each ending in LF.
pub fn base64_lines(bytes: &[u8], out: &mut Vec<u8>) {
    let encoded = STANDARD.encode(bytes);
    for line in encoded.as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
}

/// Quoted-printable with soft line breaks at 76 characters; LF in the input stays a hard break.
pub fn quoted_printable(bytes: &[u8], out: &mut Vec<u8>) {
    let mut column = 0;
    let lines: Vec<&[u8]> = bytes.split(|&byte| byte == b'\n').collect();
    for (index, line) in lines.iter().enumerate() {
        for (position, &byte) in line.iter().enumerate() {
            let last = position + 1 == line.len();
            let plain = (byte == b' ' || byte == b'\t') && !last || (byte.is_ascii_graphic() && byte != b'=');
            let width = if plain { 1 } else { 3 };
            if column + width > 75 {
                out.extend_from_slice(b"=\n");
                column = 0;
            }
            if plain {
                out.push(byte);
            } else {
                out.extend_from_slice(format!("={byte:02X}").as_bytes());
            }
            column += width;
        }
        if index + 1 < lines.len() {
            out.push(b'\n');
            column = 0;
        }
    }
}

/// Writes `Name: value` and LF, folding at spaces so lines stay within 78 characters. With
/// `fold_early`, it also folds a short value once, the way many mailers do.
pub fn header(out: &mut Vec<u8>, name: &str, value: &str, fold_early: bool) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    let mut column = name.len() + 2;
    let mut first = true;
    let mut folded = false;
    let word_count = value.split(' ').count();
    for (index, word) in value.split(' ').enumerate() {
        if !first {
            let fold_here = column + 1 + word.len() > 78 || (fold_early && !folded && word_count > 2 && index == word_count / 2);
            if fold_here {
                out.extend_from_slice(b"\n ");
                column = 1;
                folded = true;
            } else {
                out.push(b' ');
                column += 1;
            }
        }
        out.extend_from_slice(word.as_bytes());
        column += word.len();
        first = false;
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_stay_short_and_split_between_characters() {
        let text = "日本語のとても長い件名、いくつかの単語に分かれるはずです。本当に長い件名です";
        for charset in [Charset::Utf8, Charset::ShiftJis] {
            for encoding in [WordEncoding::B, WordEncoding::Q] {
                let words = encoded_words(text, charset, encoding);
                assert!(words.split(' ').count() > 1, "{words}");
                assert!(words.split(' ').all(|word| word.len() <= MAX_WORD), "{words}");
            }
        }
    }

    #[test]
    fn q_encoding_escapes_specials_and_uses_underscore_for_space() {
        assert_eq!(
            encoded_words("Grüße an_alle?", Charset::Latin1, WordEncoding::Q),
            "=?ISO-8859-1?Q?Gr=FC=DFe_an=5Falle=3F?="
        );
    }

    #[test]
    fn legacy_charsets_encode_their_own_letters() {
        assert_eq!(Charset::Latin2.encode("ł"), vec![0xB3]);
        assert_eq!(Charset::Windows1252.encode("€Š"), vec![0x80, 0x8A]);
        assert_eq!(Charset::ShiftJis.encode("山"), vec![0x8E, 0x52]);
        assert!(!Charset::Latin1.can_encode("ł"));
        assert!(Charset::Gb2312.can_encode("王伟"));
    }

    #[test]
    fn quoted_printable_keeps_lines_short_and_escapes_trailing_space() {
        let mut out = Vec::new();
        quoted_printable("é ".repeat(60).trim_end().as_bytes(), &mut out);
        quoted_printable(b"\nend \nx", &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().all(|line| line.len() <= 76), "{text}");
        assert!(text.contains("end=20\n"), "{text}");
    }

    #[test]
    fn long_headers_fold_at_spaces() {
        let mut out = Vec::new();
        header(&mut out, "Subject", &"word ".repeat(30), false);
        let text = String::from_utf8(out).unwrap();
        assert!(text.lines().count() > 1);
        assert!(text.lines().skip(1).all(|line| line.starts_with(' ')));
        assert!(text.lines().all(|line| line.len() <= 78));
    }
}
