//! The scan's own IMAP session: reads one response at a time (line plus literals) and parses each
//! on its own, so one malformed FETCH costs only that message and a chunk is parsed once.
//!
//! NOTE: the imap crate re-parses a whole reply after every line while reading it and fails a whole
//! batch on one unparsable response (jonhoo/rust-imap#220); a 100k-message scan spent half its CPU
//! there. Restore keeps using the crate through `imap::Connection`.

use std::collections::HashSet;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::ControlFlow;

use imap_proto::types::{AttributeValue, Capability, Response};

use super::imap::{Stream, connect_tcp, handshake, starttls_negotiate};
use crate::account::{ImapAccount, Secret, Security};
use crate::{Error, ErrorKind, Result};

/// The largest literal accepted; a bigger claim ends the session instead of allocating.
const LITERAL_LIMIT: u64 = 1 << 30;
/// The longest response line accepted (outside literals).
const LINE_LIMIT: usize = 1 << 20;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Ok,
    No,
    Bad,
}

/// A logged-in scan session.
pub(super) struct Wire {
    reader: BufReader<Stream>,
    tag: u32,
    pub(super) host: String,
    pub(super) capabilities: HashSet<String>,
}

impl Wire {
    /// Connects, secures, logs in and reads the capabilities after authentication.
    pub(super) fn open(account: &ImapAccount, password: Option<&Secret>) -> Result<Wire> {
        let password = password.ok_or_else(|| Error::new(ErrorKind::Auth, "A password is needed to sign in to this account."))?;
        let tcp = connect_tcp(account)?;
        let (stream, greeting) = match account.security {
            Security::Tls => (Stream::Tls(Box::new(handshake(account, tcp)?)), true),
            Security::StartTls => {
                let tcp = starttls_negotiate(account, tcp)?;
                // NOTE: the server sends no second greeting after STARTTLS (RFC 3501 §6.2.1).
                (Stream::Tls(Box::new(handshake(account, tcp)?)), false)
            }
            Security::Plaintext => (Stream::Plain(tcp), true),
        };
        let mut wire = Wire {
            reader: BufReader::with_capacity(256 * 1024, stream),
            tag: 0,
            host: account.host.clone(),
            capabilities: HashSet::new(),
        };
        if greeting {
            let mut line = Vec::new();
            wire.read_response(&mut line).map_err(|e| wire.lost(e))?;
            if !line.starts_with(b"* OK") {
                return Err(Error::new(
                    ErrorKind::ServerRejected,
                    format!("{} did not greet Mailhound as an IMAP server does.", account.host),
                ));
            }
        }
        let login = format!("LOGIN {} {}", astring(&account.user), astring(password.expose()));
        let (status, _) = wire.run(&login, &mut |_| {})?;
        if status != Status::Ok {
            return Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "{} did not accept the user name “{}” with that password. Check the password; some providers need an app password.",
                    account.host, account.user
                ),
            ));
        }
        let mut capabilities = HashSet::new();
        wire.check("CAPABILITY", "read what the server supports", &mut |response| {
            if let Some(Response::Capabilities(list)) = parse_response(response) {
                capabilities.extend(list.iter().map(|c| match c {
                    Capability::Imap4rev1 => "IMAP4REV1".to_string(),
                    Capability::Auth(a) => format!("AUTH={}", a.to_ascii_uppercase()),
                    Capability::Atom(a) => a.to_ascii_uppercase(),
                }));
            }
        })?;
        wire.capabilities = capabilities;
        Ok(wire)
    }

    /// Sends a command and hands every untagged response to `on_response`; fails unless OK.
    pub(super) fn check(&mut self, command: &str, doing: &str, on_response: &mut dyn FnMut(&[u8])) -> Result<()> {
        match self.run(command, on_response)? {
            (Status::Ok, _) => Ok(()),
            (_, text) => Err(Error::new(
                ErrorKind::ServerRejected,
                format!("{} refused to {doing}: {text}", self.host),
            )),
        }
    }

    /// Sends a command, hands every untagged response to `on_response`, and returns how it ended
    /// with the server's text.
    pub(super) fn run(&mut self, command: &str, on_response: &mut dyn FnMut(&[u8])) -> Result<(Status, String)> {
        self.stream(command, &mut |response| {
            on_response(response);
            ControlFlow::Continue(())
        })?
        .ok_or_else(|| Error::new(ErrorKind::Bug, "A command stopped reading its own answer."))
    }

    /// Like [`Wire::run`], but `on_response` may stop reading early; then `None` is returned and
    /// the rest of the answer is left unread, so the session must be dropped.
    pub(super) fn stream(
        &mut self,
        command: &str,
        on_response: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    ) -> Result<Option<(Status, String)>> {
        self.tag += 1;
        let tag = format!("s{}", self.tag);
        let line = format!("{tag} {command}\r\n");
        let stream = self.reader.get_mut();
        stream
            .write_all(line.as_bytes())
            .and_then(|()| stream.flush())
            .map_err(|e| self.lost(e))?;
        let mut response = Vec::with_capacity(1024);
        loop {
            self.read_response(&mut response).map_err(|e| self.lost(e))?;
            if let Some(rest) = response.strip_prefix(tag.as_bytes()).and_then(|r| r.strip_prefix(b" ")) {
                let text = String::from_utf8_lossy(rest).trim_end().to_string();
                let word = text.split(' ').next().unwrap_or_default();
                let status = if word.eq_ignore_ascii_case("OK") {
                    Status::Ok
                } else if word.eq_ignore_ascii_case("NO") {
                    Status::No
                } else {
                    Status::Bad
                };
                let text = text.get(word.len()..).unwrap_or_default().trim().to_string();
                return Ok(Some((status, text)));
            }
            if response.starts_with(b"* BYE") {
                // NOTE: Dovecot says BYE when another client renames the open folder (§11.7); the
                // outcome of the command is unknown, so the scan reconnects.
                return Err(Error::new(
                    ErrorKind::Network,
                    format!("{} closed the connection: {}", self.host, String::from_utf8_lossy(&response).trim()),
                ));
            }
            if on_response(&response).is_break() {
                return Ok(None);
            }
        }
    }

    /// Reads one whole response, its literals included, into `out`.
    fn read_response(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        out.clear();
        loop {
            let start = out.len();
            let read = (&mut self.reader).take(LINE_LIMIT as u64).read_until(b'\n', out)?;
            if read == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
            }
            if !out.ends_with(b"\n") {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "a response line is too long"));
            }
            let Some(length) = literal_length(out.get(start..).unwrap_or_default()) else {
                return Ok(());
            };
            if length > LITERAL_LIMIT {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the server announced a literal of {length} bytes"),
                ));
            }
            let got = (&mut self.reader).take(length).read_to_end(out)?;
            if (got as u64) < length {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the connection ended inside a message",
                ));
            }
        }
    }

    pub(super) fn lost(&self, e: io::Error) -> Error {
        let message = if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) {
            format!("{} stopped answering. Check your connection and try again.", self.host)
        } else {
            format!(
                "The connection to {} was interrupted. Check your connection and try again.",
                self.host
            )
        };
        Error::new(ErrorKind::Network, message).with_cause(e)
    }

    pub(super) fn logout(&mut self) {
        // NOTE: a failed LOGOUT changes nothing for the person; the connection closes either way.
        let _ = self.run("LOGOUT", &mut |_| {});
    }
}

/// One response parsed by imap-proto, or `None` when it does not parse.
pub(crate) fn parse_response(response: &[u8]) -> Option<Response<'_>> {
    parse_next(response).map(|(_, parsed)| parsed)
}

/// The responses in `input` one after another (a server's answer to COPY or MOVE), up to the
/// first that does not parse.
pub(crate) fn parse_responses(input: &[u8]) -> impl Iterator<Item = Response<'_>> {
    let mut rest = input;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (next, parsed) = parse_next(rest)?;
        rest = next;
        Some(parsed)
    })
}

/// The first response in `input` and what follows it. NOTE: imap-proto 0.16.7 panics on some
/// malformed input (`INTERNALDATE NIL`, found by the fetch_response fuzz target); a server must
/// not be able to crash a scan or a restore, so a panic counts as "does not parse".
fn parse_next(input: &[u8]) -> Option<(&[u8], Response<'_>)> {
    match std::panic::catch_unwind(|| imap_proto::parser::parse_response(input)) {
        Ok(Ok(parsed)) => Some(parsed),
        Ok(Err(_)) => None,
        Err(_) => {
            tracing::warn!("the IMAP response parser crashed on a server response; treating it as unreadable");
            None
        }
    }
}

/// The announced size if `line` ends with a literal header `{n}` or `{n+}`.
pub fn literal_length(line: &[u8]) -> Option<u64> {
    let body = line
        .strip_suffix(b"\r\n")
        .or_else(|| line.strip_suffix(b"\n"))?
        .strip_suffix(b"}")?;
    let body = body.strip_suffix(b"+").unwrap_or(body);
    let open = body.iter().rposition(|&b| b == b'{')?;
    let digits = body.get(open + 1..)?;
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// An IMAP string argument: quoted when that is allowed, a literal otherwise is not needed for
/// user names and passwords that are printable ASCII or UTF-8 without CR, LF or NUL.
fn astring(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars().filter(|c| !matches!(c, '\r' | '\n' | '\0')) {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// One `FETCH` response as the scan needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchData {
    pub uid: Option<u32>,
    pub flags: Option<Vec<String>>,
    pub internal_date: Option<i64>,
    pub size: Option<u32>,
    /// The first body section or header literal, if any.
    pub body: Option<Vec<u8>>,
}

/// Parses one untagged response. `Ok(None)` for anything but FETCH; `Err` carries what could be
/// salvaged (the UID and the largest literal) from a FETCH that does not parse.
pub fn parse_fetch(response: &[u8]) -> std::result::Result<Option<FetchData>, FetchData> {
    if let Some(data) = read_plain_fetch(response) {
        return Ok(Some(data));
    }
    parse_fetch_with_imap_proto(response)
}

/// [`parse_fetch`] by imap-proto alone: the reference [`read_plain_fetch`] must agree with.
pub fn parse_fetch_with_imap_proto(response: &[u8]) -> std::result::Result<Option<FetchData>, FetchData> {
    match parse_response(response) {
        Some(Response::Fetch(_, attributes)) => {
            let mut data = FetchData::default();
            for attribute in attributes {
                match attribute {
                    AttributeValue::Uid(uid) => data.uid = Some(uid),
                    AttributeValue::Flags(flags) => data.flags = Some(flags.iter().map(|f| f.to_string()).collect()),
                    AttributeValue::InternalDate(date) => data.internal_date = parse_internal_date(&date),
                    AttributeValue::Rfc822Size(size) => data.size = Some(size),
                    AttributeValue::BodySection { data: Some(body), .. }
                    | AttributeValue::Rfc822(Some(body))
                    | AttributeValue::Rfc822Header(Some(body)) => {
                        data.body.get_or_insert_with(|| body.into_owned());
                    }
                    _ => {}
                }
            }
            Ok(Some(data))
        }
        Some(_) => Ok(None),
        None if looks_like_fetch(response) => Err(salvage(response)),
        None => Ok(None),
    }
}

/// Reads the FETCH answers a scan asks for without a general parser: `* n FETCH (` then UID,
/// FLAGS, INTERNALDATE, RFC822.SIZE, MODSEQ and one body section sent as a literal, in any order.
/// `None` for anything else (quoted bodies, NIL, other attributes, odd spacing), which then goes
/// to imap-proto. NOTE: a 100k-message scan spent a tenth of its CPU in imap-proto's general
/// grammar; the fuzz target checks that both readings agree whenever this one answers.
pub fn read_plain_fetch(response: &[u8]) -> Option<FetchData> {
    let mut r = Reader { rest: response };
    r.literal(b"* ")?;
    r.number()?;
    r.literal_ignoring_case(b" FETCH (")?;
    let mut data = FetchData::default();
    let mut first = true;
    loop {
        if r.rest == b")\r\n" && !first {
            return Some(data);
        }
        if !first {
            r.literal(b" ")?;
        }
        first = false;
        let mut name = r.take_while(|b| b.is_ascii_alphanumeric() || b == b'.').to_ascii_uppercase();
        if r.literal(b"[").is_some() {
            name.push(b'[');
        }
        match name.as_slice() {
            b"UID" if data.uid.is_none() => {
                r.literal(b" ")?;
                data.uid = Some(u32::try_from(r.number()?).ok().filter(|uid| *uid > 0)?);
            }
            b"RFC822.SIZE" if data.size.is_none() => {
                r.literal(b" ")?;
                data.size = Some(u32::try_from(r.number()?).ok()?);
            }
            b"MODSEQ" => {
                r.literal(b" (")?;
                r.number()?;
                r.literal(b")")?;
            }
            b"FLAGS" if data.flags.is_none() => {
                r.literal(b" (")?;
                let list = r.take_while(|b| b != b')');
                r.literal(b")")?;
                // NOTE: an empty word (doubled, leading or trailing space) is not plain; the
                // general parser rejects those.
                let flags = list
                    .split(|&b| b == b' ')
                    .filter(|_| !list.is_empty())
                    .map(|flag| {
                        let atom = flag.strip_prefix(b"\\").unwrap_or(flag);
                        let plain = !atom.is_empty() && atom.iter().all(|&b| is_atom_char(b));
                        (plain || flag == b"\\*").then(|| String::from_utf8_lossy(flag).into_owned())
                    })
                    .collect::<Option<Vec<String>>>()?;
                data.flags = Some(flags);
            }
            b"INTERNALDATE" if data.internal_date.is_none() => {
                r.literal(b" \"")?;
                // NOTE: only the characters a date-time is written with; anything else (line
                // breaks, escapes) is for the general parser to judge.
                let date = r.take_while(|b| b.is_ascii_alphanumeric() || b" :+-".contains(&b));
                r.literal(b"\"")?;
                data.internal_date = Some(parse_internal_date(std::str::from_utf8(date).ok()?)?);
            }
            b"BODY[" if data.body.is_none() => {
                if !is_plain_section(r.take_while(|b| b != b']')) {
                    return None;
                }
                r.literal(b"] {")?;
                let length = usize::try_from(r.number()?).ok()?;
                r.literal(b"}\r\n")?;
                let body = r.rest.get(..length)?;
                r.rest = r.rest.get(length..)?;
                data.body = Some(body.to_vec());
            }
            _ => return None,
        }
    }
}

/// The body sections a scan or an export asks for: the whole message, the header, or the header
/// with a list of field names.
fn is_plain_section(section: &[u8]) -> bool {
    let upper = section.to_ascii_uppercase();
    let fields = upper
        .strip_prefix(b"HEADER.FIELDS (")
        .or_else(|| upper.strip_prefix(b"HEADER.FIELDS.NOT ("))
        .and_then(|rest| rest.strip_suffix(b")"));
    match fields {
        Some(names) => names
            .split(|&b| b == b' ')
            .all(|name| !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')),
        None => upper.is_empty() || upper == b"HEADER" || upper == b"TEXT",
    }
}

/// RFC 3501 atom characters, as flags are written.
fn is_atom_char(b: u8) -> bool {
    b.is_ascii_graphic() && !b"(){%*\"\\]".contains(&b)
}

/// A cursor over response bytes for [`read_plain_fetch`].
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        self.rest = self.rest.strip_prefix(expected)?;
        Some(())
    }

    fn literal_ignoring_case(&mut self, expected: &[u8]) -> Option<()> {
        let head = self.rest.get(..expected.len())?;
        head.eq_ignore_ascii_case(expected)
            .then(|| self.rest = self.rest.get(expected.len()..).unwrap_or_default())
    }

    fn take_while(&mut self, wanted: impl Fn(u8) -> bool) -> &'a [u8] {
        let end = self.rest.iter().position(|&b| !wanted(b)).unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(end);
        self.rest = rest;
        taken
    }

    /// Up to 19 decimal digits.
    fn number(&mut self) -> Option<u64> {
        let digits = self.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() || digits.len() > 19 {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    }
}

fn looks_like_fetch(response: &[u8]) -> bool {
    let head = response.get(..response.len().min(40)).unwrap_or_default();
    head.starts_with(b"* ") && head.windows(7).any(|w| w.eq_ignore_ascii_case(b" FETCH "))
}

/// The UID and the first literal of a FETCH response the parser rejected.
fn salvage(response: &[u8]) -> FetchData {
    let mut data = FetchData::default();
    let upper: Vec<u8> = response.iter().take(4096).map(u8::to_ascii_uppercase).collect();
    if let Some(at) = upper.windows(4).position(|w| w == b"UID ") {
        let digits: Vec<u8> = upper.iter().skip(at + 4).take_while(|b| b.is_ascii_digit()).copied().collect();
        data.uid = std::str::from_utf8(&digits).ok().and_then(|d| d.parse().ok());
    }
    let mut offset = 0;
    for line in response.split_inclusive(|b| *b == b'\n') {
        offset += line.len();
        if let Some(length) = literal_length(line) {
            let end = offset.saturating_add(usize::try_from(length).unwrap_or(usize::MAX));
            data.body = response.get(offset..end.min(response.len())).map(<[u8]>::to_vec);
            break;
        }
    }
    data
}

/// `04-Dec-2026 09:15:00 +0100` (the day may be space-padded) as Unix seconds.
fn parse_internal_date(date: &str) -> Option<i64> {
    fixed_internal_date(date.trim_start().as_bytes()).or_else(|| {
        chrono::DateTime::parse_from_str(date.trim(), "%d-%b-%Y %H:%M:%S %z")
            .ok()
            .map(|d| d.timestamp())
    })
}

/// The exact RFC 3501 layout read by position, since every FETCH of a scan carries one.
fn fixed_internal_date(date: &[u8]) -> Option<i64> {
    // NOTE: a one-digit day ("4-Dec-…") is read as if zero-padded.
    let mut padded = [b'0'; 26];
    let date = match date.len() {
        25 => {
            padded.get_mut(1..)?.copy_from_slice(date);
            &padded[..]
        }
        _ => date,
    };
    let separators = [(2, b'-'), (6, b'-'), (11, b' '), (14, b':'), (17, b':'), (20, b' ')];
    if date.len() != 26 || separators.iter().any(|&(at, expected)| date.get(at) != Some(&expected)) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = date.get(range)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0u32, |n, d| Some(n * 10 + u32::from(d - b'0')))
    };
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    let month = date.get(3..6)?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let day = chrono::NaiveDate::from_ymd_opt(i32::try_from(number(7..11)?).ok()?, month, number(0..2)?)?;
    let time = day.and_hms_opt(number(12..14)?, number(15..17)?, number(18..20)?)?;
    let sign = match date.get(21)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset = i64::from(number(22..24)? * 3600 + number(24..26)? * 60) * sign;
    Some(time.and_utc().timestamp() - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetch_responses_parse_one_by_one() {
        let ok = b"* 3 FETCH (UID 7 FLAGS (\\Seen) INTERNALDATE \" 4-Dec-2026 09:15:00 +0100\" RFC822.SIZE 42 BODY[HEADER.FIELDS (SUBJECT)] {14}\r\nSubject: x\r\n\r\n)\r\n";
        let data = parse_fetch(ok).unwrap().unwrap();
        assert_eq!(data.uid, Some(7));
        assert_eq!(data.flags, Some(vec!["\\Seen".to_string()]));
        assert_eq!(data.size, Some(42));
        assert_eq!(data.internal_date, Some(1_796_372_100));
        assert_eq!(data.body.as_deref(), Some(&b"Subject: x\r\n\r\n"[..]));

        let bad = b"* 4 FETCH (UID 9 FLAGS (\\Seen FLAGS BROKEN INTERNALDATE \"x\" BODY[HEADER] {5}\r\nab\r\nc)\r\n";
        let salvaged = parse_fetch(bad).unwrap_err();
        assert_eq!(salvaged.uid, Some(9));
        assert_eq!(salvaged.body.as_deref(), Some(&b"ab\r\nc"[..]));

        assert_eq!(parse_fetch(b"* 5 EXISTS\r\n"), Ok(None));

        // NOTE: imap-proto 0.16.7 panics on this one (found by the fetch_response fuzz target).
        let crashes_imap_proto = b"* 3 FETCH (UID 8 FLAGS (\\Seen) INTERNALDATE NIL(\\HasNo\r\n)\r\n";
        assert_eq!(parse_fetch(crashes_imap_proto).unwrap_err().uid, Some(8));
    }

    /// The direct reader answers for what Dovecot and other servers send, and agrees with
    /// imap-proto whenever it answers; the fuzz target checks the same on arbitrary bytes.
    #[test]
    fn the_direct_reader_agrees_with_imap_proto() {
        let section = "BODY[HEADER.FIELDS (FROM SUBJECT)] {14}\r\nSubject: x\r\n\r\n";
        let read = [
            format!("* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) INTERNALDATE \"01-Jan-2015 00:19:43 +0000\" RFC822.SIZE 1561 {section})\r\n"),
            format!("* 12 FETCH (UID 7 MODSEQ (42) FLAGS () INTERNALDATE \" 4-Dec-2026 09:15:00 -0130\" RFC822.SIZE 9 {section})\r\n"),
            format!("* 3 fetch ({section} FLAGS ($Forwarded Junk \\Flagged) UID 4000000000 RFC822.SIZE 0)\r\n"),
            "* 4 FETCH (UID 9 FLAGS (\\Seen))\r\n".to_string(),
            "* 5 FETCH (UID 9 BODY[HEADER] {0}\r\n)\r\n".to_string(),
        ];
        for response in &read {
            let direct = read_plain_fetch(response.as_bytes()).unwrap_or_else(|| panic!("not read directly: {response}"));
            assert_eq!(Ok(Some(direct)), parse_fetch_with_imap_proto(response.as_bytes()), "{response}");
        }
        let left_to_imap_proto = [
            "* 6 FETCH (UID 9 BODY[HEADER] \"Subject: x\")\r\n",
            "* 7 FETCH (UID 9 BODY[HEADER] NIL)\r\n",
            "* 8 FETCH (UID 9  FLAGS (\\Seen))\r\n",
            "* 9 FETCH (UID 9 FLAGS (\\Seen  \\Draft))\r\n",
            "* 10 FETCH (UID 9 X-GM-LABELS (\\Inbox))\r\n",
            "* 11 FETCH (UID 9 INTERNALDATE \"not a date\")\r\n",
            "* 12 FETCH (UID 0)\r\n",
            "* 13 FETCH (UID 9 BODY[HEADER] {5}\r\nab)\r\n",
            "* 14 FETCH (UID 9 UID 10)\r\n",
            "* 15 FETCH ()\r\n",
            "* 16 FETCH (UID 7 INTERNALDATE \"\n 4-Dec-2026 09:15:01 +0000\")\r\n",
            "* 17 FETCH (UID 7 INTERNALDATE \" 4-Dec-2026 09:15:01 +0000\\\"\")\r\n",
        ];
        for response in left_to_imap_proto {
            assert_eq!(read_plain_fetch(response.as_bytes()), None, "{response}");
        }
        assert_eq!(fixed_internal_date(b"04-Dec-2026 09:15:00 +0100"), Some(1_796_372_100));
        assert_eq!(parse_internal_date(" 4-Dec-2026 09:15:00 +0100"), Some(1_796_372_100));
        assert_eq!(fixed_internal_date(b"31-Feb-2026 09:15:00 +0100"), None);
    }

    #[test]
    fn literal_headers_are_found_only_at_line_end() {
        assert_eq!(literal_length(b"* 1 FETCH (BODY[HEADER] {42}\r\n"), Some(42));
        assert_eq!(literal_length(b"x {7+}\r\n"), Some(7));
        assert_eq!(literal_length(b"* OK {42} is not a literal\r\n"), None);
        assert_eq!(literal_length(b"* 1 FETCH (X {}\r\n"), None);
        assert_eq!(literal_length(b"{99999999999999999999999}\r\n"), None);
    }
}
