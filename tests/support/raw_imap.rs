//! A minimal IMAP session that sends raw commands and reads until the tagged completion, counting
//! literals so a line inside one is never taken for the tag. It parses nothing else: smoke tests
//! use it to check the server, and `bench-sync` uses it as the raw-wire floor.

use std::io::{self, BufRead as _, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use native_tls::{Certificate, TlsConnector, TlsStream};

use crate::dovecot::{Endpoint, TestUser};

const READ_BUFFER: usize = 256 * 1024;
const TIMEOUT: Duration = Duration::from_secs(60);

/// The status word of a tagged completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    No,
    Bad,
}

/// The end of one command: its tagged line and how much came before it.
#[derive(Clone, Debug)]
pub struct Completion {
    pub status: Status,
    /// The tagged line without the tag and CRLF, e.g. `OK [READ-ONLY] Examine completed`.
    pub text: String,
    /// Every byte the server sent for this command, the tagged line included.
    pub bytes: u64,
    /// Untagged responses (a literal's bytes count as part of its line).
    pub untagged: u64,
}

/// A command's full reply, for tests: untagged lines (lossy UTF-8, literals inlined) and the end.
#[derive(Clone, Debug)]
pub struct Reply {
    pub untagged: Vec<String>,
    pub completion: Completion,
}

impl Reply {
    pub fn is_ok(&self) -> bool {
        self.completion.status == Status::Ok
    }

    /// The number from an untagged `* <n> <word>` line, e.g. `EXISTS` after EXAMINE.
    pub fn number_before(&self, word: &str) -> Option<u32> {
        self.untagged.iter().find_map(|line| {
            let mut parts = line.strip_prefix("* ")?.split_whitespace();
            let number = parts.next()?.parse().ok()?;
            parts.next().filter(|found| found.eq_ignore_ascii_case(word)).map(|_| number)
        })
    }

    /// The capability atoms of an untagged `* CAPABILITY` line, if there was one.
    pub fn capabilities(&self) -> Option<Vec<String>> {
        self.untagged.iter().find_map(|line| {
            let rest = line.strip_prefix("* CAPABILITY ")?;
            Some(rest.split_whitespace().map(str::to_owned).collect())
        })
    }
}

enum Transport {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(stream) => stream.read(buf),
            Transport::Tls(stream) => stream.read(buf),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(stream) => stream.write(buf),
            Transport::Tls(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Transport::Plain(stream) => stream.flush(),
            Transport::Tls(stream) => stream.flush(),
        }
    }
}

/// One connection. Tags are `a1`, `a2`, ….
pub struct RawSession {
    reader: BufReader<Transport>,
    next_tag: u32,
    line: Vec<u8>,
    /// The server greeting, e.g. `* OK [CAPABILITY …] Dovecot (Debian) ready.`
    pub greeting: String,
}

impl RawSession {
    /// Connects with implicit TLS, trusting only the endpoint's CA file.
    pub fn connect_tls(endpoint: &Endpoint) -> io::Result<RawSession> {
        let stream = connect_tcp(endpoint, endpoint.imaps_port)?;
        let tls = tls_connector(endpoint)?
            .connect(&endpoint.host, stream)
            .map_err(|e| io::Error::other(format!("TLS handshake with {}: {e}", endpoint.host)))?;
        Self::greet(Transport::Tls(Box::new(tls)))
    }

    /// Connects to the plain port without STARTTLS.
    pub fn connect_plain(endpoint: &Endpoint) -> io::Result<RawSession> {
        Self::greet(Transport::Plain(connect_tcp(endpoint, endpoint.imap_port)?))
    }

    fn greet(transport: Transport) -> io::Result<RawSession> {
        let mut session = RawSession {
            reader: BufReader::with_capacity(READ_BUFFER, transport),
            next_tag: 1,
            line: Vec::new(),
            greeting: String::new(),
        };
        session.read_logical_line()?;
        session.greeting = String::from_utf8_lossy(trim_crlf(&session.line)).into_owned();
        if !session.greeting.starts_with("* OK") {
            return Err(io::Error::other(format!("unexpected greeting: {}", session.greeting)));
        }
        Ok(session)
    }

    /// `LOGIN user password`; fails unless the server answers OK.
    pub fn login(&mut self, user: &TestUser) -> io::Result<Reply> {
        let reply = self.command(&format!("LOGIN {} {}", quoted(&user.name), quoted(&user.password)))?;
        if !reply.is_ok() {
            return Err(io::Error::other(format!("LOGIN {} refused: {}", user.name, reply.completion.text)));
        }
        Ok(reply)
    }

    /// Sends one command and collects its reply.
    pub fn command(&mut self, command: &str) -> io::Result<Reply> {
        let mut untagged = Vec::new();
        let completion = self.stream_command(command, |line| {
            untagged.push(String::from_utf8_lossy(trim_crlf(line)).into_owned());
        })?;
        Ok(Reply { untagged, completion })
    }

    /// Sends one command and hands each untagged line (with its literals) to `on_line` without
    /// keeping it, until the tagged completion.
    pub fn stream_command(&mut self, command: &str, mut on_line: impl FnMut(&[u8])) -> io::Result<Completion> {
        let tag = format!("a{}", self.next_tag);
        self.next_tag += 1;
        let writer = self.reader.get_mut();
        writer.write_all(format!("{tag} {command}\r\n").as_bytes())?;
        writer.flush()?;

        let tag_prefix = format!("{tag} ");
        let mut bytes = 0u64;
        let mut untagged = 0u64;
        loop {
            bytes += self.read_logical_line()? as u64;
            // NOTE: only the start of a logical line can be the tag; Dovecot 2.3 answers an
            // empty `UID FETCH 1:*` with nothing but the tagged line.
            if let Some(rest) = self.line.strip_prefix(tag_prefix.as_bytes()) {
                let text = String::from_utf8_lossy(trim_crlf(rest)).into_owned();
                let status = match text.split(' ').next() {
                    Some(word) if word.eq_ignore_ascii_case("OK") => Status::Ok,
                    Some(word) if word.eq_ignore_ascii_case("NO") => Status::No,
                    _ => Status::Bad,
                };
                return Ok(Completion {
                    status,
                    text,
                    bytes,
                    untagged,
                });
            }
            if self.line.starts_with(b"* ") {
                untagged += 1;
            }
            on_line(&self.line);
        }
    }

    /// Reads one response line into `self.line`, following `{n}` / `{n+}` literals at line ends.
    /// Returns the bytes read.
    fn read_logical_line(&mut self) -> io::Result<usize> {
        self.line.clear();
        loop {
            let start = self.line.len();
            let read = self.reader.read_until(b'\n', &mut self.line)?;
            if read == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
            }
            let Some(length) = literal_length(self.line.get(start..).unwrap_or_default()) else {
                return Ok(self.line.len());
            };
            let before = self.line.len();
            self.line.resize(before + length, 0);
            let target = self.line.get_mut(before..).ok_or_else(|| io::Error::other("literal buffer"))?;
            self.reader.read_exact(target)?;
        }
    }
}

/// The announced size if `segment` ends with a literal header `{n}\r\n` or `{n+}\r\n`.
fn literal_length(segment: &[u8]) -> Option<usize> {
    let body = segment.strip_suffix(b"\r\n")?.strip_suffix(b"}")?;
    let body = body.strip_suffix(b"+").unwrap_or(body);
    let open = body.iter().rposition(|&byte| byte == b'{')?;
    let digits = body.get(open + 1..)?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn trim_crlf(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r\n").or_else(|| line.strip_suffix(b"\n")).unwrap_or(line)
}

/// An IMAP quoted string.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A folder name as a quoted IMAP mailbox argument, in modified UTF-7.
pub fn mailbox_argument(folder: &str) -> String {
    quoted(&utf7_imap::encode_utf7_imap(folder.to_owned()))
}

fn connect_tcp(endpoint: &Endpoint, port: u16) -> io::Result<TcpStream> {
    let stream = TcpStream::connect((endpoint.ip, port))?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    Ok(stream)
}

fn tls_connector(endpoint: &Endpoint) -> io::Result<TlsConnector> {
    let pem = std::fs::read(&endpoint.ca_file)?;
    let ca = Certificate::from_pem(&pem).map_err(|e| io::Error::other(format!("{}: {e}", endpoint.ca_file.display())))?;
    TlsConnector::builder()
        .add_root_certificate(ca)
        .disable_built_in_roots(true)
        .build()
        .map_err(|e| io::Error::other(format!("TLS setup: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_headers_are_found_only_at_line_end() {
        assert_eq!(literal_length(b"* 1 FETCH (BODY[HEADER] {42}\r\n"), Some(42));
        assert_eq!(literal_length(b"a1 APPEND x {7+}\r\n"), Some(7));
        assert_eq!(literal_length(b"* OK {42} is not a literal\r\n"), None);
        assert_eq!(literal_length(b"* 1 FETCH (X {}\r\n"), None);
        assert_eq!(literal_length(b"{12}"), None);
    }

    #[test]
    fn quoting_escapes_quote_and_backslash() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(mailbox_argument("Reçus"), "\"Re&AOc-us\"");
    }
}
