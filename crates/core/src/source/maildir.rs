//! Reading a local Maildir++ tree (the root is the Inbox; `.Work.Projects` is `Work/Projects`).
//!
//! Maildir has no UIDs, so they are derived: a folder's messages sorted by their unique file names
//! (delivery time first) are numbered 1, 2, 3…, and the folder's UIDVALIDITY is a digest of that
//! list. Any change other than nothing therefore renumbers the folder, which the scan treats like an
//! IMAP UIDVALIDITY change: correct, never stale, at the cost of re-reading that folder.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use super::{FetchedHeader, FolderStatus, MailSource, RemoteFolder, UidFlags, canonical_flags};
use crate::folder::{display_name, role_of};
use crate::source::imap::{gone, stale_folder};
use crate::{Error, ErrorKind, Result};

/// Header blocks larger than this are cut; the rest of the file is still exported whole.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

pub struct MaildirSource {
    root: PathBuf,
    open: Option<OpenFolder>,
}

struct OpenFolder {
    /// Index `i` holds the message with UID `i + 1`.
    messages: Vec<MaildirMessage>,
}

struct MaildirMessage {
    path: PathBuf,
    flags: String,
}

impl MaildirSource {
    pub fn new(root: &Path) -> Result<MaildirSource> {
        if !root.join("cur").is_dir() {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("{} is not a Maildir (it has no cur folder).", root.display()),
            ));
        }
        Ok(MaildirSource {
            root: root.to_path_buf(),
            open: None,
        })
    }

    /// The folder's directory: the root for INBOX, `.A.B` for `A/B`.
    pub fn folder_dir(&self, folder: &str) -> PathBuf {
        if folder.eq_ignore_ascii_case("INBOX") {
            self.root.clone()
        } else {
            self.root.join(format!(".{}", folder.replace('/', ".")))
        }
    }

    /// Where a message's file is now, checked against the UIDVALIDITY the caller knew.
    pub fn message_path(&mut self, folder: &str, uidvalidity: u32, uid: u32) -> Result<PathBuf> {
        let status = self.open_folder(folder)?;
        if status.uidvalidity != uidvalidity {
            return Err(stale_folder(folder));
        }
        let index = uid.checked_sub(1).ok_or_else(|| gone(folder))? as usize;
        self.open
            .as_ref()
            .and_then(|open| open.messages.get(index))
            .map(|m| m.path.clone())
            .ok_or_else(|| gone(folder))
    }

    fn open_folder_ref(&self) -> Result<&OpenFolder> {
        self.open
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Bug, "No Maildir folder is open."))
    }
}

impl MailSource for MaildirSource {
    fn folders(&mut self) -> Result<Vec<RemoteFolder>> {
        let mut folders = vec![RemoteFolder {
            name: "INBOX".to_string(),
            display_name: "Inbox".to_string(),
            role: role_of("INBOX", Some('/'), None),
            messages: None,
        }];
        let entries = fs::read_dir(&self.root).map_err(|e| Error::io(format_args!("read {}", self.root.display()), e))?;
        let mut names: Vec<String> = entries
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let file_name = entry.file_name().into_string().ok()?;
                let name = file_name.strip_prefix('.')?;
                (!name.is_empty() && name != "." && entry.path().join("cur").is_dir()).then(|| name.replace('.', "/"))
            })
            .collect();
        names.sort();
        folders.extend(names.into_iter().map(|name| RemoteFolder {
            display_name: display_name(&name),
            role: role_of(&name, Some('/'), None),
            name,
            messages: None,
        }));
        Ok(folders)
    }

    fn open_folder(&mut self, folder: &str) -> Result<FolderStatus> {
        let dir = self.folder_dir(folder);
        if !dir.join("cur").is_dir() {
            return Err(Error::new(
                ErrorKind::FolderVanished,
                format!("The folder “{}” is no longer there.", display_name(folder)),
            ));
        }
        let mut keyed = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = fs::read_dir(dir.join(sub)) else { continue };
            for entry in entries.flatten() {
                let Ok(file_name) = entry.file_name().into_string() else { continue };
                if file_name.starts_with('.') {
                    continue;
                }
                let (key, info) = match file_name.split_once(":2,") {
                    Some((key, info)) => (key.to_string(), info.to_string()),
                    None => (file_name.clone(), String::new()),
                };
                keyed.push((
                    delivery_order(&key),
                    key,
                    MaildirMessage {
                        path: entry.path(),
                        flags: maildir_flags(&info),
                    },
                ));
            }
        }
        keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut digest = Sha256::new();
        digest.update(folder.as_bytes());
        for (_, key, _) in &keyed {
            digest.update(key.as_bytes());
            digest.update(b"\n");
        }
        let hash = digest.finalize();
        let uidvalidity = u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]) | 1;
        let messages: Vec<MaildirMessage> = keyed.into_iter().map(|(_, _, m)| m).collect();
        let exists = u32::try_from(messages.len()).unwrap_or(u32::MAX);
        self.open = Some(OpenFolder { messages });
        Ok(FolderStatus {
            uidvalidity,
            uidnext: Some(exists.saturating_add(1)),
            highestmodseq: None,
            exists,
        })
    }

    fn list_uids(&mut self) -> Result<Vec<UidFlags>> {
        let open = self.open_folder_ref()?;
        Ok(open
            .messages
            .iter()
            .zip(1u32..)
            .map(|(m, uid)| UidFlags {
                uid,
                flags: m.flags.clone(),
            })
            .collect())
    }

    fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<FetchedHeader>> {
        let open = self.open_folder_ref()?;
        let mut out = Vec::with_capacity(uids.len());
        for &uid in uids {
            let Some(message) = uid.checked_sub(1).and_then(|i| open.messages.get(i as usize)) else {
                continue;
            };
            // NOTE: a file removed since the folder was opened is skipped; the next scan drops it.
            let Ok(file) = fs::File::open(&message.path) else { continue };
            let metadata = file.metadata().ok();
            out.push(FetchedHeader {
                uid,
                flags: message.flags.clone(),
                internal_date: metadata
                    .as_ref()
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .and_then(|d| i64::try_from(d.as_secs()).ok()),
                size: metadata.as_ref().and_then(|m| u32::try_from(m.len()).ok()),
                raw_header: read_header(file).map_err(|e| Error::io(format_args!("read {}", message.path.display()), e))?,
                problem: None,
            });
        }
        Ok(out)
    }

    fn fetch_message(&mut self, folder: &str, uidvalidity: u32, uid: u32) -> Result<Vec<u8>> {
        let path = self.message_path(folder, uidvalidity, uid)?;
        fs::read(&path).map_err(|e| Error::io(format_args!("read {}", path.display()), e))
    }
}

/// Maildir file names start with the delivery time in seconds; that orders UIDs like a server would.
fn delivery_order(key: &str) -> u64 {
    key.split('.').next().and_then(|t| t.parse().ok()).unwrap_or(u64::MAX)
}

fn maildir_flags(info: &str) -> String {
    let flags = info.chars().filter_map(|c| match c {
        'D' => Some("\\Draft"),
        'F' => Some("\\Flagged"),
        'R' => Some("\\Answered"),
        'S' => Some("\\Seen"),
        'T' => Some("\\Deleted"),
        _ => None,
    });
    canonical_flags(flags)
}

/// Reads up to and including the blank line that ends the header.
fn read_header(file: fs::File) -> std::io::Result<Vec<u8>> {
    let mut reader = BufReader::new(file.take(MAX_HEADER_BYTES as u64));
    let mut header = Vec::new();
    loop {
        let start = header.len();
        if reader.read_until(b'\n', &mut header)? == 0 {
            break;
        }
        let line = header.get(start..).unwrap_or_default();
        if line == b"\n" || line == b"\r\n" {
            break;
        }
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, sub: &str, name: &str, body: &str) {
        fs::create_dir_all(dir.join(sub)).unwrap();
        fs::write(dir.join(sub).join(name), body).unwrap();
    }

    fn maildir() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for d in [
            "cur",
            "new",
            "tmp",
            ".Junk/cur",
            ".Junk/new",
            ".Work.Projects/cur",
            ".Re&AOc-us/cur",
        ] {
            fs::create_dir_all(root.path().join(d)).unwrap();
        }
        write(root.path(), "cur", "1700000002.b.host:2,S", "Subject: second\n\nbody\n");
        write(root.path(), "new", "1700000001.a.host", "Subject: first\nFrom: a@x\n\nbody\n");
        write(
            &root.path().join(".Junk"),
            "cur",
            "1700000003.c.host:2,FS",
            "Subject: spam\n\nbody\n",
        );
        root
    }

    #[test]
    fn lists_folders_with_roles_and_decoded_names() {
        let root = maildir();
        let mut source = MaildirSource::new(root.path()).unwrap();
        let folders = source.folders().unwrap();
        let names: Vec<(&str, &str, &str)> = folders
            .iter()
            .map(|f| (f.name.as_str(), f.display_name.as_str(), f.role.code()))
            .collect();
        assert_eq!(
            names,
            [
                ("INBOX", "Inbox", "inbox"),
                ("Junk", "Junk", "junk"),
                ("Re&AOc-us", "Reçus", "other"),
                ("Work/Projects", "Work/Projects", "other")
            ]
        );
    }

    #[test]
    fn uids_follow_delivery_order_and_flags_come_from_the_name() {
        let root = maildir();
        let mut source = MaildirSource::new(root.path()).unwrap();
        let status = source.open_folder("INBOX").unwrap();
        assert_eq!((status.exists, status.uidnext), (2, Some(3)));
        let uids = source.list_uids().unwrap();
        assert_eq!(
            uids,
            [
                UidFlags {
                    uid: 1,
                    flags: String::new()
                },
                UidFlags {
                    uid: 2,
                    flags: "\\Seen".into()
                }
            ]
        );
        let headers = source.fetch_headers(&[1]).unwrap();
        assert_eq!(headers[0].raw_header, b"Subject: first\nFrom: a@x\n\n");
    }

    #[test]
    fn uidvalidity_is_stable_until_the_folder_changes() {
        let root = maildir();
        let mut source = MaildirSource::new(root.path()).unwrap();
        let first = source.open_folder("INBOX").unwrap().uidvalidity;
        assert_eq!(source.open_folder("INBOX").unwrap().uidvalidity, first);
        write(root.path(), "cur", "1600000000.z.host:2,", "Subject: older\n\n");
        assert_ne!(source.open_folder("INBOX").unwrap().uidvalidity, first);
        assert!(source.fetch_message("INBOX", first, 1).is_err());
    }

    #[test]
    fn not_a_maildir_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = MaildirSource::new(dir.path()).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }
}
