//! Reading a mailbox over IMAP: connecting with deadlines and verified TLS, logging in, and the
//! read-only commands a scan needs (LIST, EXAMINE, `UID FETCH` with `BODY.PEEK`).
//!
//! Nothing in this module changes server state; restoring lives in `recovery::restore`, which
//! borrows the connection code from here.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::ops::ControlFlow;
use std::sync::Mutex;

use imap_proto::types::{MailboxDatum, NameAttribute, Response, ResponseCode, StatusAttribute};
use native_tls::{Certificate, TlsConnector, TlsStream};
use sha2::{Digest, Sha256};

use super::wire::{FetchData, Status as WireStatus, Wire, parse_fetch, parse_response};
use super::{FetchedHeader, FolderStatus, MailSource, RemoteFolder, UidFlags, canonical_flags};
use crate::account::{ImapAccount, Secret, Security};
use crate::folder::{SpecialUse, display_name, role_of};
use crate::{Error, ErrorKind, Result};

/// The byte stream under an IMAP session: TLS, or plain TCP to loopback when explicitly allowed.
#[derive(Debug)]
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<Socket>>),
}

/// The TCP socket under TLS, read through a buffer. NOTE: OpenSSL reads each record's header and
/// then its body straight from the socket, and servers send many small records: a 100k-message
/// scan made 42,000 `recv` calls. Through the buffer one call takes whatever has arrived. It is
/// created only once the socket is handed to TLS, so no byte from before the handshake is kept.
#[derive(Debug)]
pub struct Socket(BufReader<TcpStream>);

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.get_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.get_mut().flush()
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

pub type Session = imap::Session<Stream>;

/// A logged-in session and the capabilities the server announced *after* login.
pub struct Connection {
    pub session: Session,
    pub capabilities: HashSet<String>,
    host: String,
}

impl Connection {
    /// Connects, secures and logs in. Capabilities are read after authentication, because servers
    /// (Dovecot among them) announce MOVE, UIDPLUS and CONDSTORE only then.
    pub fn open(account: &ImapAccount, password: Option<&Secret>) -> Result<Connection> {
        let password = password.ok_or_else(|| Error::new(ErrorKind::Auth, "A password is needed to sign in to this account."))?;
        let tcp = connect_tcp(account)?;
        let client = match account.security {
            Security::Tls => {
                let tls = handshake(account, tcp)?;
                let mut client = imap::Client::new(Stream::Tls(Box::new(tls)));
                client.read_greeting().map_err(|e| network_error(&account.host, e))?;
                client
            }
            Security::StartTls => {
                let tcp = starttls_negotiate(account, tcp)?;
                // NOTE: the server sends no second greeting after STARTTLS (RFC 3501 §6.2.1).
                imap::Client::new(Stream::Tls(Box::new(handshake(account, tcp)?)))
            }
            Security::Plaintext => {
                let mut client = imap::Client::new(Stream::Plain(tcp));
                client.read_greeting().map_err(|e| network_error(&account.host, e))?;
                client
            }
        };
        let mut session = client.login(&account.user, password.expose()).map_err(|(e, _)| match e {
            imap::Error::No(_) | imap::Error::Bad(_) => Error::new(
                ErrorKind::Auth,
                format!(
                    "{} did not accept the user name “{}” with that password. Check the password; some providers need an app password.",
                    account.host, account.user
                ),
            )
            .with_cause(e),
            other => network_error(&account.host, other),
        })?;
        let capabilities = session
            .capabilities()
            .map_err(|e| network_error(&account.host, e))?
            .iter()
            .map(|c| match c {
                imap_proto::types::Capability::Imap4rev1 => "IMAP4REV1".to_string(),
                imap_proto::types::Capability::Auth(a) => format!("AUTH={}", a.to_ascii_uppercase()),
                imap_proto::types::Capability::Atom(a) => a.to_ascii_uppercase(),
            })
            .collect();
        Ok(Connection {
            session,
            capabilities,
            host: account.host.clone(),
        })
    }

    pub fn has(&self, capability: &str) -> bool {
        self.capabilities.contains(capability)
    }

    /// Maps a failed command to an error the person can act on.
    pub fn error(&self, doing: &str, e: imap::Error) -> Error {
        match e {
            imap::Error::No(ref no) => Error::new(
                ErrorKind::ServerRejected,
                format!("{} refused to {doing}: {}", self.host, no.information),
            )
            .with_cause(e),
            imap::Error::Bad(_) | imap::Error::Parse(_) | imap::Error::Unexpected(_) | imap::Error::TagMismatch(_) => Error::new(
                ErrorKind::ServerRejected,
                format!(
                    "{} gave an answer Mailhound could not understand while trying to {doing}.",
                    self.host
                ),
            )
            .with_cause(e),
            other => network_error(&self.host, other),
        }
    }

    pub fn logout(mut self) {
        // NOTE: a failed LOGOUT changes nothing for the person; the connection is closed either way.
        let _ = self.session.logout();
    }
}

/// Reads the greeting, checks that STARTTLS is offered and starts it, on the bare socket.
///
/// Done by hand because the imap crate's builder cannot take a socket with deadlines. Anything
/// the server sent after its STARTTLS reply is dropped unread, so nothing injected before the
/// handshake can pass for encrypted data (Mutt CVE-2020-28896 class).
pub(super) fn starttls_negotiate(account: &ImapAccount, mut tcp: TcpStream) -> Result<TcpStream> {
    let lost = |e: io::Error| {
        Error::new(
            ErrorKind::Network,
            format!("The connection to {} was interrupted before it could be secured.", account.host),
        )
        .with_cause(e)
    };
    let greeting = read_until_line_starting(&mut tcp, b"* ").map_err(lost)?;
    let offered = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .to_ascii_uppercase()
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '=')
            .any(|w| w == "STARTTLS")
    };
    let mut has_starttls = offered(&greeting) && greeting.windows(10).any(|w| w.eq_ignore_ascii_case(b"CAPABILITY"));
    if !has_starttls {
        tcp.write_all(b"m0 CAPABILITY\r\n").map_err(lost)?;
        has_starttls = offered(&read_until_line_starting(&mut tcp, b"m0 ").map_err(lost)?);
    }
    if !has_starttls {
        return Err(Error::new(
            ErrorKind::StartTlsMissing,
            format!(
                "{} does not offer an encrypted connection (STARTTLS), so Mailhound did not send your password. Try SSL/TLS on port 993.",
                account.host
            ),
        ));
    }
    tcp.write_all(b"m1 STARTTLS\r\n").map_err(lost)?;
    let reply = read_until_line_starting(&mut tcp, b"m1 ").map_err(lost)?;
    let last_line = reply.rsplit(|b| *b == b'\n').find(|l| !l.is_empty()).unwrap_or_default();
    if !last_line.get(3..5).is_some_and(|ok| ok.eq_ignore_ascii_case(b"OK")) {
        return Err(Error::new(
            ErrorKind::StartTlsMissing,
            format!(
                "{} refused to start an encrypted connection, so Mailhound did not send your password.",
                account.host
            ),
        ));
    }
    Ok(tcp)
}

/// Reads byte by byte until a complete line that starts with `prefix`; never reads past it.
fn read_until_line_starting(tcp: &mut TcpStream, prefix: &[u8]) -> io::Result<Vec<u8>> {
    const LIMIT: usize = 64 * 1024;
    let mut all = Vec::new();
    let mut line_start = 0;
    let mut byte = [0u8; 1];
    while all.len() < LIMIT {
        if tcp.read(&mut byte)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        all.push(byte[0]);
        if byte[0] == b'\n' {
            if all.get(line_start..).is_some_and(|line| line.starts_with(prefix)) {
                return Ok(all);
            }
            line_start = all.len();
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidData, "the server's reply was too long"))
}

pub(super) fn connect_tcp(account: &ImapAccount) -> Result<TcpStream> {
    let unreachable = |cause: io::Error| {
        Error::new(
            ErrorKind::Network,
            format!(
                "Could not reach {} on port {}. Check the server name and your internet connection.",
                account.host, account.port
            ),
        )
        .with_cause(cause)
    };
    let addrs = (account.host.as_str(), account.port).to_socket_addrs().map_err(unreachable)?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the server name has no address");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, account.timeouts.connect) {
            Ok(tcp) => {
                // NOTE: the imap crate sets no deadlines of its own (jonhoo/rust-imap#207); without
                // these a stalled server would hang the scan forever.
                tcp.set_read_timeout(Some(account.timeouts.read_write)).map_err(unreachable)?;
                tcp.set_write_timeout(Some(account.timeouts.read_write)).map_err(unreachable)?;
                tcp.set_nodelay(true).map_err(unreachable)?;
                return Ok(tcp);
            }
            Err(e) => last = e,
        }
    }
    Err(unreachable(last))
}

/// Connectors already built, by trusted certificate file contents and whether they verify.
type BuiltConnectors = Vec<(Option<Vec<u8>>, bool, TlsConnector)>;

fn tls_connector(account: &ImapAccount, verify: bool) -> Result<TlsConnector> {
    // NOTE: building a connector parses the system's whole CA bundle (about 30 ms of CPU with
    // OpenSSL 3) and a scan opens several connections, so each trust setting is built once per
    // process. The key is the certificate file's contents, so a replaced file is read afresh.
    static BUILT: Mutex<BuiltConnectors> = Mutex::new(Vec::new());
    let pem = match &account.ca_file {
        Some(ca_file) => {
            Some(std::fs::read(ca_file).map_err(|e| Error::io(format_args!("read the certificate file {}", ca_file.display()), e))?)
        }
        None => None,
    };
    if let Ok(built) = BUILT.lock()
        && let Some((_, _, connector)) = built.iter().find(|(p, v, _)| *p == pem && *v == verify)
    {
        return Ok(connector.clone());
    }
    let mut builder = TlsConnector::builder();
    builder.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
    if let (Some(pem), Some(ca_file)) = (&pem, &account.ca_file) {
        let ca = Certificate::from_pem(pem)
            .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("{} is not a PEM certificate.", ca_file.display())).with_cause(e))?;
        builder.add_root_certificate(ca);
    }
    if !verify {
        builder.danger_accept_invalid_certs(true);
    }
    let connector = builder
        .build()
        .map_err(|e| Error::new(ErrorKind::Tls, "The secure connection could not be set up on this computer.").with_cause(e))?;
    if let Ok(mut built) = BUILT.lock() {
        built.push((pem, verify, connector.clone()));
    }
    Ok(connector)
}

pub(super) fn handshake(account: &ImapAccount, tcp: TcpStream) -> Result<TlsStream<Socket>> {
    let socket = Socket(BufReader::with_capacity(64 * 1024, tcp));
    tls_connector(account, true)?.connect(&account.host, socket).map_err(|e| {
        let fingerprint = peer_fingerprint(account).unwrap_or_else(|| "unknown".to_string());
        Error::new(
            ErrorKind::Tls,
            format!(
                "The certificate of {} is not trusted, so Mailhound did not send your password. Its SHA-256 fingerprint is {fingerprint}; if your provider confirms it, add their certificate as a trusted certificate file.",
                account.host
            ),
        )
        .with_cause(e)
    })
}

/// Reads the fingerprint of a certificate that failed verification, so the person can check it with
/// their provider. This second connection sends nothing after the handshake and is closed at once.
fn peer_fingerprint(account: &ImapAccount) -> Option<String> {
    let tcp = connect_tcp(account).ok()?;
    let stream = tls_connector(account, false).ok()?.connect(&account.host, tcp).ok()?;
    let der = stream.peer_certificate().ok()??.to_der().ok()?;
    let digest = Sha256::digest(der);
    Some(digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":"))
}

fn network_error(host: &str, e: imap::Error) -> Error {
    let message = match &e {
        imap::Error::Io(io) if matches!(io.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
            format!("{host} stopped answering. Check your connection and try again.")
        }
        imap::Error::TlsHandshake(_) | imap::Error::Tls(_) => format!("The secure connection to {host} failed."),
        imap::Error::Bye(_) => format!("{host} closed the connection. Try again in a moment."),
        _ => format!("The connection to {host} was interrupted. Check your connection and try again."),
    };
    let kind = match &e {
        imap::Error::TlsHandshake(_) | imap::Error::Tls(_) => ErrorKind::Tls,
        _ => ErrorKind::Network,
    };
    Error::new(kind, message).with_cause(e)
}

/// The IMAP half of a scan: one logged-in session of its own ([`super::wire`]).
pub struct ImapSource {
    wire: Wire,
}

impl ImapSource {
    pub fn connect(account: &ImapAccount, password: Option<&Secret>) -> Result<ImapSource> {
        let mut wire = Wire::open(account, password)?;
        if wire.capabilities.contains("CONDSTORE") {
            // NOTE: Dovecot reports HIGHESTMODSEQ on EXAMINE only once CONDSTORE is enabled; it lets
            // an unchanged folder be skipped without listing its UIDs.
            wire.check("ENABLE CONDSTORE", "enable change tracking", &mut |_| {})?;
        }
        Ok(ImapSource { wire })
    }

    /// Runs one header `UID FETCH` over `set`, handing the headers on `batch` at a time. Only the
    /// `wanted` UIDs are kept, or with `None` every answer that carries a header.
    fn stream_fetch(
        &mut self,
        set: &str,
        wanted: Option<&HashSet<u32>>,
        batch: usize,
        on_batch: &mut dyn FnMut(Vec<FetchedHeader>) -> Result<()>,
    ) -> Result<()> {
        let batch = batch.max(1);
        let command = format!(
            "UID FETCH {set} (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({})])",
            super::CACHED_HEADER_FIELDS
        );
        let mut pending = Vec::with_capacity(batch);
        let mut stopped = None;
        let outcome = self.wire.stream(&command, &mut |response| {
            if let Some(header) = fetched_header(response, wanted) {
                pending.push(header);
            }
            if pending.len() >= batch
                && let Err(e) = on_batch(std::mem::replace(&mut pending, Vec::with_capacity(batch)))
            {
                stopped = Some(e);
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        if let Some(e) = stopped {
            return Err(e);
        }
        match outcome {
            Some((WireStatus::Ok, _)) => {}
            Some((_, text)) => {
                return Err(Error::new(
                    ErrorKind::ServerRejected,
                    format!("{} refused to read message headers: {text}", self.wire.host),
                ));
            }
            None => return Err(Error::new(ErrorKind::Bug, "A header fetch stopped without a reason.")),
        }
        if !pending.is_empty() {
            on_batch(pending)?;
        }
        Ok(())
    }

    /// LIST, with LIST-STATUS (RFC 5819) message counts when `sizes` is asked and the server has it.
    fn list_folders(&mut self, sizes: bool) -> Result<Vec<RemoteFolder>> {
        let mut folders = Vec::new();
        let mut counts = HashMap::new();
        let command = if sizes && self.wire.capabilities.contains("LIST-STATUS") {
            "LIST \"\" \"*\" RETURN (STATUS (MESSAGES))"
        } else {
            "LIST \"\" \"*\""
        };
        self.wire.check(command, "list your folders", &mut |response| {
            let (name_attributes, delimiter, name) = match parse_response(response) {
                Some(Response::MailboxData(MailboxDatum::List {
                    name_attributes,
                    delimiter,
                    name,
                })) => (name_attributes, delimiter, name),
                Some(Response::MailboxData(MailboxDatum::Status { mailbox, status })) => {
                    if let Some(messages) = status.iter().find_map(|s| match s {
                        StatusAttribute::Messages(n) => Some(*n),
                        _ => None,
                    }) {
                        counts.insert(mailbox.to_string(), messages);
                    }
                    return;
                }
                _ => return,
            };
            if name_attributes.iter().any(|a| {
                matches!(a, NameAttribute::NoSelect) || matches!(a, NameAttribute::Extension(x) if x.eq_ignore_ascii_case("\\NonExistent"))
            }) {
                return;
            }
            let special_use = name_attributes.iter().find_map(|a| match a {
                NameAttribute::All => Some(SpecialUse::All),
                NameAttribute::Archive => Some(SpecialUse::Archive),
                NameAttribute::Drafts => Some(SpecialUse::Drafts),
                NameAttribute::Junk => Some(SpecialUse::Junk),
                NameAttribute::Sent => Some(SpecialUse::Sent),
                NameAttribute::Trash => Some(SpecialUse::Trash),
                _ => None,
            });
            let delimiter = delimiter.as_deref().and_then(|d| d.chars().next());
            folders.push(RemoteFolder {
                name: name.to_string(),
                display_name: display_name(&name),
                role: role_of(&name, delimiter, special_use),
                messages: None,
            });
        })?;
        for folder in &mut folders {
            folder.messages = counts.get(&folder.name).copied();
        }
        Ok(folders)
    }

    /// Runs a `UID FETCH … (UID FLAGS)` listing.
    fn list(&mut self, command: &str) -> Result<Vec<UidFlags>> {
        let mut listing = Vec::new();
        self.wire.check(command, "list messages", &mut |response| {
            let data = match parse_fetch(response) {
                Ok(Some(data)) => data,
                Ok(None) => return,
                Err(salvaged) => {
                    tracing::warn!("a message's flags could not be read; listing it without flags");
                    salvaged
                }
            };
            if let Some(uid) = data.uid {
                listing.push(UidFlags {
                    uid,
                    flags: canonical_flags(data.flags.unwrap_or_default().iter().map(String::as_str)),
                });
            }
        })?;
        Ok(listing)
    }
}

impl Drop for ImapSource {
    fn drop(&mut self) {
        self.wire.logout();
    }
}

impl MailSource for ImapSource {
    fn folders(&mut self) -> Result<Vec<RemoteFolder>> {
        self.list_folders(false)
    }

    fn folders_with_sizes(&mut self) -> Result<Vec<RemoteFolder>> {
        self.list_folders(true)
    }

    fn open_folder(&mut self, folder: &str) -> Result<FolderStatus> {
        let (mut uidvalidity, mut uidnext, mut highestmodseq, mut exists) = (None, None, None, 0);
        let (status, text) = self.wire.run(
            &format!("EXAMINE {}", quote_mailbox(folder)),
            &mut |response| match parse_response(response) {
                Some(Response::Data { code: Some(code), .. }) => match code {
                    ResponseCode::UidValidity(v) => uidvalidity = Some(v),
                    ResponseCode::UidNext(v) => uidnext = Some(v),
                    ResponseCode::HighestModSeq(v) => highestmodseq = Some(v),
                    _ => {}
                },
                Some(Response::MailboxData(MailboxDatum::Exists(n))) => exists = n,
                _ => {}
            },
        )?;
        if status != WireStatus::Ok {
            return Err(Error::new(
                ErrorKind::FolderVanished,
                format!(
                    "The folder “{}” disappeared while Mailhound was reading it (another program may have renamed or deleted it). The server said: {text}",
                    display_name(folder)
                ),
            ));
        }
        let uidvalidity = uidvalidity.ok_or_else(|| {
            Error::new(
                ErrorKind::ServerRejected,
                format!(
                    "{} did not say which message numbering “{folder}” uses (UIDVALIDITY).",
                    self.wire.host
                ),
            )
        })?;
        Ok(FolderStatus {
            uidvalidity,
            uidnext,
            highestmodseq,
            exists,
        })
    }

    fn list_uids(&mut self) -> Result<Vec<UidFlags>> {
        self.list("UID FETCH 1:* (UID FLAGS)")
    }

    fn list_changed_uids(&mut self, modseq: u64) -> Result<Vec<UidFlags>> {
        if !self.wire.capabilities.contains("CONDSTORE") {
            return self.list_uids();
        }
        self.list(&format!("UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE {modseq})"))
    }

    fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<FetchedHeader>> {
        let mut headers = Vec::with_capacity(uids.len());
        self.stream_headers(uids, uids.len().max(1), &mut |batch| {
            headers.extend(batch);
            Ok(())
        })?;
        Ok(headers)
    }

    fn stream_headers(&mut self, uids: &[u32], batch: usize, on_batch: &mut dyn FnMut(Vec<FetchedHeader>) -> Result<()>) -> Result<()> {
        let mut sorted = uids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let wanted: HashSet<u32> = sorted.iter().copied().collect();
        // NOTE: one command per group keeps command lines short (RFC 7162 §4 suggests ≤ 8192
        // octets) while the server streams a whole group, so parsing overlaps its work.
        for group in sorted.chunks(COMMAND_UIDS) {
            self.stream_fetch(&uid_set(group), Some(&wanted), batch, on_batch)?;
        }
        Ok(())
    }

    fn stream_all_headers(&mut self, batch: usize, on_batch: &mut dyn FnMut(Vec<FetchedHeader>) -> Result<()>) -> Result<()> {
        self.stream_fetch("1:*", None, batch, on_batch)
    }

    fn fetch_message(&mut self, folder: &str, uidvalidity: u32, uid: u32) -> Result<Vec<u8>> {
        let status = self.open_folder(folder)?;
        if status.uidvalidity != uidvalidity {
            return Err(stale_folder(folder));
        }
        let mut found = None;
        self.wire.check(
            &format!("UID FETCH {uid} (UID RFC822.SIZE BODY.PEEK[])"),
            "download the message",
            &mut |response| {
                if let Ok(Some(data)) = parse_fetch(response)
                    && data.uid == Some(uid)
                {
                    found = Some(data);
                }
            },
        )?;
        let fetch = found.ok_or_else(|| gone(folder))?;
        let body = fetch.body.ok_or_else(|| gone(folder))?;
        if let Some(size) = fetch.size
            && size as usize != body.len()
        {
            return Err(Error::new(
                ErrorKind::Network,
                format!("The message arrived incomplete ({} of {size} bytes). Try again.", body.len()),
            ));
        }
        Ok(body)
    }
}

/// UIDs per `UID FETCH` command; a sparse set of 2,000 UIDs stays under 8,192 octets.
const COMMAND_UIDS: usize = 2000;

/// The cached fields of one FETCH response, or `None` when it is not about a wanted message
/// (any message, without a `wanted` set). A FETCH without a header section is not an answer
/// either: it is a flag change or an expunged message that the server reports unasked
/// (RFC 3501 §7.4.2); the next scan's listing settles those.
fn fetched_header(response: &[u8], wanted: Option<&HashSet<u32>>) -> Option<FetchedHeader> {
    let (data, problem) = match parse_fetch(response) {
        Ok(Some(data)) => (data, None),
        Ok(None) => return None,
        Err(salvaged) => {
            // NOTE: one response the parser rejects costs only that message: it is cached with the
            // bytes the server sent and a note, and the rest of the chunk is kept.
            let raw = salvaged.body.clone().unwrap_or_else(|| response.to_vec());
            let data = FetchData {
                body: Some(raw),
                ..salvaged
            };
            (data, Some("the server's answer for this message could not be read".to_string()))
        }
    };
    let uid = data.uid.filter(|uid| wanted.is_none_or(|wanted| wanted.contains(uid)))?;
    // NOTE: seen with Dovecot for a message another client expunged while the fetch ran.
    data.body.as_ref()?;
    Some(FetchedHeader {
        uid,
        flags: canonical_flags(data.flags.unwrap_or_default().iter().map(String::as_str)),
        internal_date: data.internal_date,
        size: data.size,
        raw_header: data.body.unwrap_or_default(),
        problem,
    })
}

pub(crate) fn stale_folder(folder: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!(
            "The folder “{}” was rebuilt on the server since the last scan. Scan again, then try once more.",
            display_name(folder)
        ),
    )
}

pub(crate) fn gone(folder: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!(
            "The message is no longer in “{}”. It may have been moved or deleted since the last scan; scan again to see where it is now.",
            display_name(folder)
        ),
    )
}

/// Compresses sorted or unsorted UIDs into an IMAP sequence set such as `1:5,9,12:13`.
pub fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    let mut iter = sorted.into_iter().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
    }
    out
}

/// Quotes a mailbox name for commands the imap crate sends unquoted (COPY, MOVE; see
/// dependencies.md pitfall 11).
pub fn quote_mailbox(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_are_compressed() {
        assert_eq!(uid_set(&[5, 1, 2, 3, 9, 12, 13, 3]), "1:3,5,9,12:13");
        assert_eq!(uid_set(&[7]), "7");
        assert_eq!(uid_set(&[]), "");
    }

    #[test]
    fn mailbox_names_are_quoted_and_escaped() {
        assert_eq!(quote_mailbox("[Gmail]/All Mail"), "\"[Gmail]/All Mail\"");
        assert_eq!(quote_mailbox("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
