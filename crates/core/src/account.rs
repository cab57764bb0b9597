//! Where a mailbox lives and how to reach it: IMAP server settings parsed from an account URL, or a
//! local Maildir. Also [`Secret`], the password wrapper that never prints.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::store::AccountRecord;
use crate::{Error, ErrorKind, Result};

/// How the IMAP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (port 993, `imaps://`). The default (RFC 8314).
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required: no login happens without it.
    StartTls,
    /// No encryption at all. Only allowed to a loopback address and only when asked for explicitly.
    Plaintext,
}

/// Everything needed to reach an IMAP account except the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub security: Security,
    /// An extra certificate authority to trust (a private or test server), on top of the system's.
    pub ca_file: Option<PathBuf>,
    pub timeouts: Timeouts,
}

/// Deadlines for the network, so a silent server never hangs Mailhound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub read_write: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(20),
            read_write: Duration::from_secs(60),
        }
    }
}

/// A mailbox Mailhound can scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    Imap(ImapAccount),
    Maildir(PathBuf),
}

impl Account {
    /// The stable key under which this account's folders are cached.
    pub fn key(&self) -> String {
        match self {
            Account::Imap(imap) => format!("{}@{}:{}", imap.user, imap.host, imap.port),
            Account::Maildir(path) => format!("maildir:{}", path.display()),
        }
    }

    /// Parses `imaps://user@host[:port]` or `imap://user@host[:port]`.
    ///
    /// `imap://` means STARTTLS, which is then required. Plaintext is only possible through
    /// [`ImapAccount::allow_plaintext_on_loopback`].
    pub fn from_url(url: &str) -> Result<Account> {
        let invalid = |why: &str| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("“{url}” is not an account address Mailhound understands: {why}. Write it as imaps://you@mail.example.com."),
            )
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid("it has no imaps:// or imap:// in front"))?;
        let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "imaps" => (Security::Tls, 993),
            "imap" => (Security::StartTls, 143),
            _ => return Err(invalid("only imaps:// and imap:// are supported")),
        };
        let rest = rest.trim_end_matches('/');
        let (user, host_port) = rest.rsplit_once('@').ok_or_else(|| invalid("the user name is missing (you@…)"))?;
        let user = percent_decode(user);
        if user.is_empty() {
            return Err(invalid("the user name is empty"));
        }
        let (host, port) = split_host_port(host_port).ok_or_else(|| invalid("the port is not a number"))?;
        if host.is_empty() {
            return Err(invalid("the server name is missing"));
        }
        Ok(Account::Imap(ImapAccount {
            host,
            port: port.unwrap_or(default_port),
            user,
            security,
            ca_file: None,
            timeouts: Timeouts::default(),
        }))
    }

    /// How this account is written down in the cache (no secret in it).
    pub fn record(&self) -> AccountRecord {
        match self {
            Account::Imap(imap) => AccountRecord {
                key: self.key(),
                kind: "imap".to_string(),
                location: format!(
                    "{}://{}@{}:{}",
                    if imap.security == Security::Tls { "imaps" } else { "imap" },
                    imap.user.replace('%', "%25").replace('@', "%40"),
                    if imap.host.contains(':') {
                        format!("[{}]", imap.host)
                    } else {
                        imap.host.clone()
                    },
                    imap.port
                ),
                ca_file: imap.ca_file.as_ref().map(|p| p.display().to_string()),
                plaintext: imap.security == Security::Plaintext,
            },
            Account::Maildir(path) => AccountRecord {
                key: self.key(),
                kind: "maildir".to_string(),
                location: path.display().to_string(),
                ca_file: None,
                plaintext: false,
            },
        }
    }

    /// Rebuilds an account from how the cache wrote it down.
    pub fn from_record(record: &AccountRecord) -> Result<Account> {
        match record.kind.as_str() {
            "maildir" => Ok(Account::Maildir(PathBuf::from(&record.location))),
            _ => {
                let mut account = Account::from_url(&record.location)?;
                if let Account::Imap(imap) = &mut account {
                    imap.ca_file = record.ca_file.as_ref().map(PathBuf::from);
                    if record.plaintext {
                        imap.allow_plaintext_on_loopback()?;
                    }
                }
                Ok(account)
            }
        }
    }

    pub fn maildir(path: &Path) -> Result<Account> {
        let canonical = path.canonicalize().map_err(|e| {
            Error::new(
                ErrorKind::NotFound,
                format!("The mail folder {} does not exist or cannot be read.", path.display()),
            )
            .with_cause(e)
        })?;
        Ok(Account::Maildir(canonical))
    }
}

impl ImapAccount {
    /// Switches to an unencrypted connection, which is only accepted for a loopback server
    /// (a local bridge or test server), never across a network.
    pub fn allow_plaintext_on_loopback(&mut self) -> Result<()> {
        let loopback = self.host.eq_ignore_ascii_case("localhost") || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "Refusing to send your password unencrypted to {}. Unencrypted connections are only allowed to this computer (localhost).",
                    self.host
                ),
            ));
        }
        self.security = Security::Plaintext;
        Ok(())
    }
}

/// Server settings guessed from an email address, for the person to confirm or correct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSuggestion {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// Guesses the IMAP server for an address: well-known providers first, else `imap.<domain>`.
pub fn suggest_server(email: &str) -> Option<ServerSuggestion> {
    const PROVIDERS: &[(&[&str], &str)] = &[
        (&["gmail.com", "googlemail.com"], "imap.gmail.com"),
        (
            &["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "outlook.de"],
            "outlook.office365.com",
        ),
        (
            &["yahoo.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr", "ymail.com"],
            "imap.mail.yahoo.com",
        ),
        (&["icloud.com", "me.com", "mac.com"], "imap.mail.me.com"),
        (&["aol.com"], "imap.aol.com"),
        (&["gmx.net", "gmx.de", "gmx.com"], "imap.gmx.net"),
        (&["web.de"], "imap.web.de"),
        (&["fastmail.com", "fastmail.fm"], "imap.fastmail.com"),
        (&["posteo.de", "posteo.net"], "posteo.de"),
        (&["mailbox.org"], "imap.mailbox.org"),
        (&["zoho.com"], "imap.zoho.com"),
        (&["t-online.de"], "secureimap.t-online.de"),
    ];
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if domain.is_empty() || !domain.contains('.') {
        return None;
    }
    let host = PROVIDERS
        .iter()
        .find(|(domains, _)| domains.contains(&domain.as_str()))
        .map_or_else(|| format!("imap.{domain}"), |(_, host)| host.to_string());
    Some(ServerSuggestion {
        host,
        port: 993,
        security: Security::Tls,
    })
}

fn split_host_port(host_port: &str) -> Option<(String, Option<u16>)> {
    if let Some(inner) = host_port.strip_prefix('[') {
        let (host, after) = inner.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), Some(port.parse().ok()?))),
        None => Some((host_port.to_string(), None)),
    }
}

/// Decodes `%40` and friends, so `imaps://me%40example.com@host` names the user `me@example.com`.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A password or token. It cannot be printed, logged or serialised by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The only way to read the secret; call it where it is sent to the server, nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imap(url: &str) -> ImapAccount {
        match Account::from_url(url) {
            Ok(Account::Imap(a)) => a,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn parses_implicit_tls_with_default_port() {
        let a = imap("imaps://anna@mail.example.com");
        assert_eq!(
            (a.host.as_str(), a.port, a.user.as_str(), a.security),
            ("mail.example.com", 993, "anna", Security::Tls)
        );
    }

    #[test]
    fn imap_scheme_means_required_starttls() {
        let a = imap("imap://me%40example.com@localhost:10143/");
        assert_eq!((a.user.as_str(), a.port, a.security), ("me@example.com", 10143, Security::StartTls));
    }

    #[test]
    fn parses_ipv6_literals() {
        let a = imap("imaps://u@[::1]:9993");
        assert_eq!((a.host.as_str(), a.port), ("::1", 9993));
    }

    #[test]
    fn rejects_unknown_schemes_and_missing_parts() {
        for url in [
            "pop3://u@h",
            "imaps://host.only",
            "imaps://@h",
            "imaps://u@h:abc",
            "mail.example.com",
        ] {
            let err = Account::from_url(url).err().map(|e| e.kind());
            assert_eq!(err, Some(ErrorKind::InvalidInput), "{url}");
        }
    }

    #[test]
    fn plaintext_only_to_loopback() {
        let mut remote = imap("imap://u@mail.example.com");
        assert!(remote.allow_plaintext_on_loopback().is_err());
        assert_eq!(remote.security, Security::StartTls);
        let mut local = imap("imap://u@127.0.0.1:1143");
        assert!(local.allow_plaintext_on_loopback().is_ok());
        assert_eq!(local.security, Security::Plaintext);
    }

    #[test]
    fn records_round_trip_without_secrets() {
        let mut a = imap("imap://me%40example.com@127.0.0.1:1143");
        a.ca_file = Some(PathBuf::from("/tmp/ca.pem"));
        a.allow_plaintext_on_loopback().unwrap();
        let account = Account::Imap(a);
        let record = account.record();
        assert_eq!(record.location, "imap://me%40example.com@127.0.0.1:1143");
        assert_eq!(Account::from_record(&record).unwrap(), account);
    }

    #[test]
    fn suggests_servers_from_the_address() {
        assert_eq!(suggest_server("Anna@GMail.com").map(|s| s.host), Some("imap.gmail.com".to_string()));
        assert_eq!(
            suggest_server("bob@brightwater.example").map(|s| (s.host, s.port)),
            Some(("imap.brightwater.example".to_string(), 993))
        );
        assert_eq!(suggest_server("not an address"), None);
        assert_eq!(suggest_server("x@localhost"), None);
    }

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2-canary");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
