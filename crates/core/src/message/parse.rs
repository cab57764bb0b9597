//! Turns the raw header bytes fetched from a mailbox into the fields the cache stores.
//!
//! Parsing never fails and never panics outward: whatever cannot be read is left empty and the
//! reason recorded, because the raw bytes are always kept for a later, better parser.

use mailparse::{MailAddr, MailHeader, MailHeaderMap};

use super::text::fold;

/// The header fields the cache keeps, decoded for display and search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedHeader {
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    /// Every To and Cc address, as `Name <addr>` strings.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    /// The Date header as written.
    pub date_raw: Option<String>,
    /// The Date header as Unix seconds, when it could be understood.
    pub date: Option<i64>,
    pub in_reply_to: Option<String>,
    pub references: Option<String>,
    pub list_id: Option<String>,
    /// A `multipart/mixed` body, which is how mail carries attachments.
    pub has_attachment: bool,
    /// Why some fields could not be read, if any.
    pub problem: Option<String>,
    /// Sender name and address folded for search; filled by [`parse_header`] so the work happens
    /// on the scan's parsing threads rather than in the cache writer.
    pub search_from: String,
    /// The subject folded for search, like `search_from`.
    pub search_subject: String,
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
    match std::panic::catch_unwind(|| parse_with_mailparse(raw).map(with_search_fields)) {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(problem)) => ParsedHeader {
            problem: Some(problem),
            ..ParsedHeader::default()
        },
        Err(_) => ParsedHeader {
            problem: Some("the header parser crashed on this message".to_string()),
            ..ParsedHeader::default()
        },
    }
}

fn with_search_fields(mut parsed: ParsedHeader) -> ParsedHeader {
    parsed.search_from = fold(&format!("{} {}", parsed.from_name, parsed.from_address));
    parsed.search_subject = fold(&parsed.subject);
    parsed
}

fn parse_with_mailparse(raw: &[u8]) -> Result<ParsedHeader, String> {
    let (headers, _) = mailparse::parse_headers(raw).map_err(|e| format!("unreadable header: {e}"))?;
    let mut parsed = ParsedHeader {
        message_id: headers.get_first_value("Message-ID").and_then(|v| first_msgid(&v)),
        subject: headers.get_first_value("Subject").map(|s| clean(&s)).unwrap_or_default(),
        date_raw: headers.get_first_value("Date").map(|d| clean(&d)),
        in_reply_to: headers.get_first_value("In-Reply-To").map(|v| clean(&v)),
        references: headers.get_first_value("References").map(|v| clean(&v)),
        list_id: headers.get_first_value("List-Id").map(|v| clean(&v)),
        has_attachment: headers
            .get_first_value("Content-Type")
            .is_some_and(|ct| mailparse::parse_content_type(&ct).mimetype.eq_ignore_ascii_case("multipart/mixed")),
        ..ParsedHeader::default()
    };
    if let Some(date) = &parsed.date_raw {
        // NOTE: mailparse answers Ok(0) for text with no date in it at all, so 0 counts as unreadable.
        match mailparse::dateparse(date) {
            Ok(secs) if secs != 0 => parsed.date = Some(secs),
            _ => parsed.problem = Some(format!("the Date header “{date}” could not be understood")),
        }
    }
    if let Some(from) = headers.get_first_header("From") {
        let mut senders = addresses(from);
        if let Some((name, address)) = senders.drain(..).next() {
            parsed.from_name = name;
            parsed.from_address = address;
        } else {
            // NOTE: “From: Anna Smith” with no address, or an unparseable list: keep what is there
            // so the person can still find it by name.
            parsed.from_name = clean(&from.get_value());
        }
    }
    parsed.to = all_addresses(&headers, "To");
    parsed.cc = all_addresses(&headers, "Cc");
    Ok(parsed)
}

fn all_addresses(headers: &[MailHeader<'_>], key: &str) -> Vec<String> {
    headers
        .get_all_headers(key)
        .into_iter()
        .flat_map(addresses)
        .map(|(name, addr)| if name.is_empty() { addr } else { format!("{name} <{addr}>") })
        .collect()
}

fn addresses(header: &MailHeader<'_>) -> Vec<(String, String)> {
    let Ok(list) = mailparse::addrparse_header(header) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for addr in list.iter() {
        match addr {
            MailAddr::Single(info) => out.push((clean(info.display_name.as_deref().unwrap_or("")), info.addr.trim().to_lowercase())),
            MailAddr::Group(group) => out.extend(
                group
                    .addrs
                    .iter()
                    .map(|info| (clean(info.display_name.as_deref().unwrap_or("")), info.addr.trim().to_lowercase())),
            ),
        }
    }
    out
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
                assert_eq!(p.to, vec!["a@example.com".to_string(), "Bob B <b@example.com>".to_string()]);
                assert_eq!(p.message_id.as_deref(), Some("<abc@example.com>"));
                assert_eq!(p.date, Some(1_793_693_700));
                assert_eq!(p.problem, None);
                assert!(!p.has_attachment);
            },
        );
    }

    #[test]
    fn multipart_mixed_means_an_attachment() {
        check("Subject: x\r\nContent-Type: multipart/mixed;\r\n boundary=\"b\"\r\n\r\n", |p| {
            assert!(p.has_attachment)
        });
        check("Subject: x\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n", |p| {
            assert!(!p.has_attachment)
        });
    }

    #[test]
    fn bad_date_is_kept_raw_and_reported() {
        check("From: a@example.com\r\nDate: the third of never\r\nSubject: x\r\n\r\n", |p| {
            assert_eq!(p.date, None);
            assert_eq!(p.date_raw.as_deref(), Some("the third of never"));
            assert!(p.problem.as_deref().is_some_and(|m| m.contains("Date")));
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
