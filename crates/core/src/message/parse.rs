//! Turns the raw header bytes fetched from a mailbox into the fields the cache stores.
//!
//! Parsing never fails and never panics outward: whatever cannot be read is left empty and the
//! reason recorded, because the raw bytes are always kept for a later, better parser.
//!
//! A scan parses every header it fetches, so the common case is read directly: fields are split
//! in one pass, and a value that is plain ASCII without encoded words is taken as written. Any
//! other value, and any address list that is not a plain `Name <addr>`, goes to mailparse.

use mailparse::MailAddr;

/// The header fields the cache keeps, decoded for display and search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedHeader {
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    /// The To header(s), decoded and unfolded, as written: `Name <addr>, addr`.
    pub to: String,
    /// The Cc header(s), like `to`.
    pub cc: String,
    pub subject: String,
    /// The Date header as Unix seconds, when it could be understood.
    pub date: Option<i64>,
    /// A `multipart/mixed` body, which is how mail carries attachments.
    pub has_attachment: bool,
    /// Why some fields could not be read, if any.
    pub problem: Option<String>,
}

/// How much of a header block is parsed, and of each line in it. NOTE: mailparse 0.18 finds
/// RFC 2047 word boundaries with `chars().nth(i)`, which is quadratic in the length of a line
/// (200,000 encoded words on one line: minutes). No real header comes near these limits; the raw
/// bytes are kept whole either way.
const PARSE_LIMIT: usize = 256 * 1024;
const LINE_LIMIT: usize = 16 * 1024;

/// Parses a header block. Never panics; see the module docs.
pub fn parse_header(raw: &[u8]) -> ParsedHeader {
    let (bounded, truncated) = bounded(raw);
    let mut parsed = parse_bounded(&bounded);
    if truncated {
        parsed
            .problem
            .get_or_insert_with(|| "the header has overlong lines; only their start was read".to_string());
    }
    parsed
}

/// The header with every line cut to [`LINE_LIMIT`] and the whole to [`PARSE_LIMIT`] bytes.
fn bounded(raw: &[u8]) -> (std::borrow::Cow<'_, [u8]>, bool) {
    if raw.len() <= PARSE_LIMIT && (raw.len() <= LINE_LIMIT || raw.split(|b| *b == b'\n').all(|line| line.len() <= LINE_LIMIT)) {
        return (std::borrow::Cow::Borrowed(raw), false);
    }
    let mut out = Vec::with_capacity(raw.len().min(PARSE_LIMIT));
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if out.len() + line.len().min(LINE_LIMIT + 1) > PARSE_LIMIT {
            break;
        }
        match line.get(..LINE_LIMIT) {
            Some(head) if line.len() > LINE_LIMIT => {
                out.extend_from_slice(head);
                out.push(b'\n');
            }
            _ => out.extend_from_slice(line),
        }
    }
    (std::borrow::Cow::Owned(out), true)
}

fn parse_bounded(raw: &[u8]) -> ParsedHeader {
    match std::panic::catch_unwind(|| parse_fields(raw)) {
        Ok(parsed) => parsed,
        Err(_) => ParsedHeader {
            problem: Some("the header parser crashed on this message".to_string()),
            ..ParsedHeader::default()
        },
    }
}

fn parse_fields(raw: &[u8]) -> ParsedHeader {
    let mut parsed = ParsedHeader::default();
    let mut seen = Seen::default();
    let mut date = None;
    for (name, value) in fields(raw) {
        let is = |field: &str| name.eq_ignore_ascii_case(field.as_bytes());
        if is("Subject") && !seen.subject {
            seen.subject = true;
            parsed.subject = decode(value);
        } else if is("From") && !seen.from {
            seen.from = true;
            if let Some((name, address)) = first_address(value) {
                parsed.from_name = name;
                parsed.from_address = address;
            } else {
                // NOTE: “From: Anna Smith” with no address, or an unparseable list: keep what is
                // there so the person can still find it by name.
                parsed.from_name = decode(value);
            }
        } else if is("To") {
            append_list(&mut parsed.to, value);
        } else if is("Cc") {
            append_list(&mut parsed.cc, value);
        } else if is("Date") && date.is_none() {
            date = Some(decode(value));
        } else if is("Message-ID") && !seen.message_id {
            seen.message_id = true;
            parsed.message_id = first_msgid(&decode(value));
        } else if is("Content-Type") && !seen.content_type {
            seen.content_type = true;
            parsed.has_attachment = is_multipart_mixed(value);
        }
    }
    if let Some(date) = &date {
        // NOTE: mailparse answers Ok(0) for text with no date in it at all, so 0 counts as unreadable.
        match mailparse::dateparse(date) {
            Ok(secs) if secs != 0 => parsed.date = Some(secs),
            _ => parsed.problem = Some(format!("the Date header “{date}” could not be understood")),
        }
    }
    parsed
}

/// Which first-only fields were met already (the others are `Option`s).
#[derive(Default)]
struct Seen {
    subject: bool,
    from: bool,
    message_id: bool,
    content_type: bool,
}

/// The fields of a header block as (name, raw value with its folding), up to the blank line.
/// Lines that are neither a field nor a continuation are skipped, as mail readers do.
fn fields(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() || rest.starts_with(b"\r\n") || rest.starts_with(b"\n") {
                return None;
            }
            let first_line = line_end(rest, 0);
            let Some(colon) = rest.get(..first_line).and_then(|line| line.iter().position(|&b| b == b':')) else {
                rest = rest.get(first_line..).unwrap_or_default();
                continue;
            };
            // NOTE: continuation lines start with a space or a tab (RFC 5322 §2.2.3).
            let mut end = first_line;
            while matches!(rest.get(end), Some(b' ' | b'\t')) {
                end = line_end(rest, end);
            }
            let name = rest.get(..colon).unwrap_or_default().trim_ascii();
            let value = rest.get(colon + 1..end).unwrap_or_default();
            rest = rest.get(end..).unwrap_or_default();
            if !name.is_empty() {
                return Some((name, value));
            }
        }
    })
}

/// The index just past the line starting at `from` (its newline included).
fn line_end(raw: &[u8], from: usize) -> usize {
    raw.get(from..)
        .and_then(|tail| tail.iter().position(|&b| b == b'\n'))
        .map_or(raw.len(), |at| from + at + 1)
}

/// Plain ASCII with no encoded words: the value means exactly what its bytes say.
fn is_plain(value: &[u8]) -> bool {
    value.is_ascii() && !value.windows(2).any(|w| w == b"=?")
}

/// A field's value decoded (RFC 2047, raw 8-bit as UTF-8 or Latin-1), unfolded and cleaned.
fn decode(value: &[u8]) -> String {
    if is_plain(value) {
        return clean(std::str::from_utf8(value).unwrap_or_default());
    }
    clean(&with_mailparse(value, |header| header.get_value()).unwrap_or_default())
}

/// Runs `read` on the value as mailparse parses it, under a placeholder field name.
fn with_mailparse<T>(value: &[u8], read: impl FnOnce(&mailparse::MailHeader<'_>) -> T) -> Option<T> {
    let mut field = Vec::with_capacity(value.len() + 2);
    field.extend_from_slice(b"X:");
    field.extend_from_slice(value);
    let (header, _) = mailparse::parse_header(&field).ok()?;
    Some(read(&header))
}

fn append_list(list: &mut String, value: &[u8]) {
    let decoded = decode(value);
    if decoded.is_empty() {
        return;
    }
    if !list.is_empty() {
        list.push_str(", ");
    }
    list.push_str(&decoded);
}

/// The first address of a sender field as (display name, lower-case address).
fn first_address(value: &[u8]) -> Option<(String, String)> {
    // NOTE: an encoded display name ("=?UTF-8?B?…?= <a@b>") is read directly too: the mailbox's
    // shape is settled on the raw ASCII, so what the name decodes to cannot change it. Inside
    // quotes, encoded words are not meant to be decoded (RFC 2047 §5), so mailparse decides.
    if value.is_ascii()
        && let Some(mailbox) = simple_mailbox(std::str::from_utf8(value).unwrap_or_default())
        && is_plain(mailbox.address.as_bytes())
        && (!mailbox.quoted || is_plain(mailbox.name.as_bytes()))
    {
        return Some((decode(mailbox.name.as_bytes()), mailbox.address.to_lowercase()));
    }
    first_address_with_mailparse(value)
}

/// A field value read as a sender (display name, address) and as text.
#[doc(hidden)]
#[derive(Debug, PartialEq, Eq)]
pub struct Reading {
    pub sender: Option<(String, String)>,
    pub text: Option<String>,
}

/// A field value read as a scan reads it and by mailparse alone, for the fuzz target that checks
/// the direct reading agrees wherever it is used.
#[doc(hidden)]
pub fn read_both_ways(value: &[u8]) -> (Reading, Reading) {
    let direct = Reading {
        sender: first_address(value),
        text: Some(decode(value)),
    };
    let reference = Reading {
        sender: first_address_with_mailparse(value),
        text: with_mailparse(value, |header| clean(&header.get_value())),
    };
    (direct, reference)
}

fn first_address_with_mailparse(value: &[u8]) -> Option<(String, String)> {
    let list = with_mailparse(value, mailparse::addrparse_header)?.ok()?;
    list.iter()
        .find_map(|addr| match addr {
            MailAddr::Single(info) => Some(info),
            MailAddr::Group(group) => group.addrs.first(),
        })
        .map(|info| (clean(info.display_name.as_deref().unwrap_or("")), info.addr.trim().to_lowercase()))
}

/// A sender as written, before decoding.
struct Mailbox<'a> {
    name: &'a str,
    /// The name was a quoted string (quotes removed).
    quoted: bool,
    address: &'a str,
}

/// `addr`, `<addr>`, `Name <addr>` or `"Name" <addr>` with nothing RFC 5322 makes subtle (no
/// comments, groups, lists, escapes or inner quotes); anything else is left to mailparse.
fn simple_mailbox(value: &str) -> Option<Mailbox<'_>> {
    let value = value.trim();
    if value.contains([',', ';', ':', '(', ')', '\\']) {
        return None;
    }
    let (name, quoted, address) = match value.find('<') {
        Some(open) => {
            let address = value.strip_suffix('>')?.get(open + 1..)?;
            let name = value.get(..open)?.trim();
            match name.strip_prefix('"') {
                Some(quoted) => (quoted.strip_suffix('"')?, true, address.trim()),
                None => (name, false, address.trim()),
            }
        }
        None => ("", false, value),
    };
    let unusual = |s: &str| s.contains(['<', '>', '"']);
    if address.is_empty() || unusual(name) || unusual(address) || address.contains(char::is_whitespace) || !address.contains('@') {
        return None;
    }
    Some(Mailbox { name, quoted, address })
}

/// Whether a Content-Type value is `multipart/mixed`.
fn is_multipart_mixed(value: &[u8]) -> bool {
    if is_plain(value) && !value.contains(&b'(') {
        let mime = value.split(|&b| b == b';').next().unwrap_or_default();
        return mime.trim_ascii().eq_ignore_ascii_case(b"multipart/mixed");
    }
    mailparse::parse_content_type(&decode(value))
        .mimetype
        .eq_ignore_ascii_case("multipart/mixed")
}

fn first_msgid(value: &str) -> Option<String> {
    let value = value.trim();
    let id = match (value.find('<'), value.find('>')) {
        (Some(start), Some(end)) if start < end => value.get(start..=end)?,
        _ => value.split_whitespace().next()?,
    };
    (!id.is_empty()).then(|| id.to_string())
}

/// Unfolds, trims and removes control characters (NUL included) that would corrupt a display.
fn clean(s: &str) -> String {
    if s.is_ascii() {
        return clean_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`clean`] for ASCII (most header values).
fn clean_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: impl Fn(&ParsedHeader)) {
        for variant in [raw.replace("\r\n", "\n"), raw.replace("\r\n", "\n").replace('\n', "\r\n")] {
            expect(&parse_header(variant.as_bytes()));
        }
    }

    #[test]
    fn decodes_encoded_words_and_addresses() {
        check(
            "From: =?ISO-8859-1?Q?Margr=E9t_M=FCller?= <Margret@Example.COM>\r\nTo: a@example.com, \"Bob B\" <b@example.com>\r\nSubject: =?UTF-8?B?UmU6IFlvdXIgcm9vZmluZyBxdW90ZQ==?=\r\n  revised\r\nDate: Tue, 3 Nov 2026 09:15:00 +0100\r\nMessage-ID: <abc@example.com>\r\n\r\n",
            |p| {
                assert_eq!(p.from_name, "Margrét Müller");
                assert_eq!(p.from_address, "margret@example.com");
                assert_eq!(p.subject, "Re: Your roofing quote revised");
                assert_eq!(p.to, "a@example.com, \"Bob B\" <b@example.com>");
                assert_eq!(p.message_id.as_deref(), Some("<abc@example.com>"));
                assert_eq!(p.date, Some(1_793_693_700));
                assert_eq!(p.problem, None);
                assert!(!p.has_attachment);
            },
        );
    }

    /// The direct reading of plain values must agree with mailparse wherever it is used.
    #[test]
    fn plain_values_read_as_mailparse_reads_them() {
        let names = [
            "",
            "Anna Smith",
            "\"Anna Smith\"",
            "O'Brien",
            "\"\"",
            "anna.smith",
            "Dr.  Anna\tSmith",
            "ANNA",
            "=?ISO-8859-1?Q?Jo=E3o_Magalh=E3es?=",
            "=?UTF-8?B?SW5ncmlk?= =?UTF-8?Q?J=C3=B3nsd=C3=B3ttir?=",
            "=?utf-8?q?Ren=C3=A9?= Dupont",
            "\"=?utf-8?q?Ren=C3=A9?=\"",
            "=?x-unknown?q?caf=E9?=",
        ];
        let addresses = ["anna@example.com", "Anna.Smith+tag@Mail.Example.COM", "a@b"];
        let shapes = [
            "{n} <{a}>",
            "{n}<{a}>",
            "  {n}   <  {a} >  ",
            "{a}",
            "<{a}>",
            "{n} <{a}>\r\n ",
            "{n}\r\n <{a}>",
        ];
        for name in names {
            for address in addresses {
                for shape in shapes {
                    let value = format!(" {}", shape.replace("{n}", name).replace("{a}", address));
                    let expected = first_address_with_mailparse(value.as_bytes());
                    assert_eq!(first_address(value.as_bytes()), expected, "From:{value}");
                    let via_mailparse = with_mailparse(value.as_bytes(), |h| clean(&h.get_value()));
                    assert_eq!(Some(decode(value.as_bytes())), via_mailparse, "From:{value}");
                }
            }
        }
        // NOTE: these must not take the direct path at all.
        for tricky in [
            " \"Smith, Anna\" <a@example.com>",
            " a@example.com (Anna)",
            " Team: a@example.com, b@example.com;",
            " \"An\\\"na\" <a@example.com>",
            " a@example.com, b@example.com",
            " Anna Smith",
        ] {
            assert!(simple_mailbox(tricky).is_none(), "{tricky}");
            assert_eq!(first_address(tricky.as_bytes()), first_address_with_mailparse(tricky.as_bytes()));
        }
    }

    #[test]
    fn fields_are_split_like_a_mail_reader_does() {
        let raw = b"Subject: first\r\n  folded\r\nnot a field\r\nSubject: second\r\nTo: a@x\nCc: c@x\r\nTo:\r\n\tb@x\r\n: no name\r\n\r\nTo: body@x\r\n";
        let p = parse_header(raw);
        assert_eq!(p.subject, "first folded");
        assert_eq!(p.to, "a@x, b@x");
        assert_eq!(p.cc, "c@x");
        let names: Vec<&[u8]> = fields(raw).map(|(name, _)| name).collect();
        assert_eq!(names, [&b"Subject"[..], b"Subject", b"To", b"Cc", b"To"]);
    }

    #[test]
    fn multipart_mixed_means_an_attachment() {
        check("Subject: x\r\nContent-Type: multipart/mixed;\r\n boundary=\"b\"\r\n\r\n", |p| {
            assert!(p.has_attachment)
        });
        check("Subject: x\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n", |p| {
            assert!(!p.has_attachment)
        });
        check("Content-Type:  Multipart/Mixed;boundary=b\r\n\r\n", |p| assert!(p.has_attachment));
        check("Content-Type: multipart/mixed-up\r\n\r\n", |p| assert!(!p.has_attachment));
    }

    #[test]
    fn bad_date_is_reported() {
        check("From: a@example.com\r\nDate: the third of never\r\nSubject: x\r\n\r\n", |p| {
            assert_eq!(p.date, None);
            assert!(p.problem.as_deref().is_some_and(|m| m.contains("the third of never")));
        });
    }

    #[test]
    fn sender_without_address_keeps_the_name() {
        check("From: Anna Smith\r\nSubject: hello\r\n\r\n", |p| {
            assert_eq!(p.from_name, "Anna Smith");
            assert_eq!(p.from_address, "");
        });
    }

    #[test]
    fn raw_latin1_and_nul_bytes_do_not_break_parsing() {
        let raw = b"From: Ren\xe9 <r@example.com>\r\nSubject: caf\xe9\x00 cr\xe8me\r\n\r\n";
        let p = parse_header(raw);
        assert_eq!(p.from_address, "r@example.com");
        assert!(p.subject.starts_with("caf"));
        assert!(!p.subject.contains('\0'));
    }

    #[test]
    fn header_bombs_are_bounded() {
        let bombs = [
            format!(
                "From: {}{} a@b.example\r\nSubject: x\r\n\r\n",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
            format!("From: {}\r\n\r\n", ":".repeat(99_999)),
            format!("Subject: {}\r\n\r\n", "x".repeat(10_000_000)),
            format!("Subject: {}\r\n\r\n", "=?utf-8?q?a?= ".repeat(200_000)),
            format!("To: {}\r\n\r\n", "a@b, ".repeat(200_000)),
            format!("From: {}\r\n\r\n", "<".repeat(100_001)),
            format!("Content-Type: multipart/mixed; {}\r\n\r\n", "a=b; ".repeat(100_000)),
        ];
        for bomb in &bombs {
            let started = std::time::Instant::now();
            let _ = parse_header(bomb.as_bytes());
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{} bytes took too long",
                bomb.len()
            );
        }
        let long = parse_header(bombs.get(2).map_or(&b""[..], |b| b.as_bytes()));
        assert!(long.problem.as_deref().is_some_and(|p| p.contains("overlong")));
        assert!(long.subject.starts_with("xxx"));
    }

    #[test]
    fn broken_encodings_fall_back_to_something_readable() {
        for (raw, expect) in [
            ("Subject: =?x-unknown?Q?caf=E9?=\r\n\r\n", "caf"),
            ("Subject: =?utf-8?B?####?=\r\n\r\n", ""),
            ("Subject: =?utf-8?Q?unterminated\r\n\r\n", "unterminated"),
            ("Subject: =?iso-8859-1?q?caf=E9?= ok\r\n\r\n", "café ok"),
        ] {
            let p = parse_header(raw.as_bytes());
            assert!(p.subject.contains(expect), "{raw:?} gave {:?}", p.subject);
        }
    }

    #[test]
    fn the_cpython_corpus_parses_without_panics() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/eml/cpython");
        let mut parsed = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let bytes = std::fs::read(&path).unwrap();
                let crlf = String::from_utf8_lossy(&bytes).replace("\r\n", "\n").replace('\n', "\r\n");
                let _ = parse_header(&bytes);
                let _ = parse_header(crlf.as_bytes());
                parsed += 1;
            }
        }
        assert!(parsed >= 40, "only {parsed} fixtures found in {}", dir.display());
    }

    #[test]
    fn garbage_never_panics() {
        for raw in [
            &b""[..],
            b"\r\n\r\n",
            b":::::",
            b"From: <<<@@@>>>\r\n",
            b"Subject: =?utf-8?q?=ZZ?=\r\n",
        ] {
            let _ = parse_header(raw);
        }
    }
}
