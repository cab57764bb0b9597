//! Writes corpus messages straight into a user's Maildir++ tree, which Dovecot then picks up with
//! `force-resync` (imap-test-server.md §6: about 18k msg/s against 176 for single APPENDs).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, chown, fchown};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use crate::corpus::{CorpusMessage, Flag};

use super::MAIL_UID;

/// NOTE: Maildir file names carry a host part; a fixed one keeps names reproducible.
const HOST: &str = "mailhound-test";

/// Keyword letters `a`..`z` are all Maildir has; Dovecot keeps the rest only in its index.
const MAX_KEYWORDS: usize = 26;

/// The on-disk directory of an IMAP folder (separator `/`) inside the Maildir root: INBOX is the
/// root, `A/B` is `.A.B`, each part in modified UTF-7 (`Reçus` → `.Re&AOc-us`).
pub fn folder_dir(maildir: &Path, folder: &str) -> io::Result<PathBuf> {
    if folder.eq_ignore_ascii_case("INBOX") {
        return Ok(maildir.to_path_buf());
    }
    let mut name = String::new();
    for part in folder.split('/') {
        if part.is_empty() || part.contains('.') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("folder {folder:?}: Maildir++ names cannot hold '.' or empty hierarchy parts"),
            ));
        }
        name.push('.');
        name.push_str(&utf7_imap::encode_utf7_imap(part.to_owned()));
    }
    Ok(maildir.join(name))
}

/// What one delivery wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    pub folders: Vec<String>,
}

/// Writes `messages` into `maildir` (creating folders as needed) with `threads` writers.
/// `sequence` makes file names unique across deliveries into the same server.
pub fn write_messages(maildir: &Path, messages: &[CorpusMessage], sequence: &AtomicU64, threads: usize) -> io::Result<Written> {
    let mut folders: BTreeMap<&str, FolderTarget> = BTreeMap::new();
    for message in messages {
        if !folders.contains_key(message.folder.as_str()) {
            let dir = folder_dir(maildir, &message.folder)?;
            folders.insert(&message.folder, FolderTarget::new(dir));
        }
        let target = folders
            .get_mut(message.folder.as_str())
            .ok_or_else(|| io::Error::other("folder vanished from the delivery plan"))?;
        for flag in &message.flags {
            if let Flag::Keyword(keyword) = flag {
                target.keywords.insert(keyword.as_str());
            }
        }
    }

    create_maildir(maildir)?;
    let mut letters: BTreeMap<&str, BTreeMap<String, char>> = BTreeMap::new();
    for (folder, target) in &folders {
        if target.dir != maildir {
            create_maildir(&target.dir)?;
            create_owned_file(&target.dir.join("maildirfolder"), b"")?;
        }
        letters.insert(folder, assign_keyword_letters(&target.dir, &target.keywords)?);
    }

    let first = sequence.fetch_add(messages.len() as u64, Ordering::Relaxed);
    let pid = std::process::id();
    let chunk = messages.len().div_ceil(threads.max(1)).max(1);
    let bytes = std::thread::scope(|scope| -> io::Result<u64> {
        let workers: Vec<_> = messages
            .chunks(chunk)
            .enumerate()
            .map(|(index, part)| {
                let folders = &folders;
                let letters = &letters;
                scope.spawn(move || -> io::Result<u64> {
                    let mut bytes = 0;
                    for (offset, message) in part.iter().enumerate() {
                        let unique = first + (index * chunk + offset) as u64;
                        let target = folders
                            .get(message.folder.as_str())
                            .ok_or_else(|| io::Error::other("folder missing from the delivery plan"))?;
                        let keyword_letters = letters.get(message.folder.as_str());
                        write_message(&target.dir, message, unique, pid, keyword_letters)?;
                        bytes += message.bytes.len() as u64;
                    }
                    Ok(bytes)
                })
            })
            .collect();
        let mut total = 0;
        for worker in workers {
            total += worker.join().map_err(|_| io::Error::other("a Maildir writer thread panicked"))??;
        }
        Ok(total)
    })?;

    Ok(Written {
        files: messages.len(),
        bytes,
        folders: folders.keys().map(|folder| (*folder).to_owned()).collect(),
    })
}

struct FolderTarget<'a> {
    dir: PathBuf,
    keywords: BTreeSet<&'a str>,
}

impl FolderTarget<'_> {
    fn new(dir: PathBuf) -> Self {
        FolderTarget {
            dir,
            keywords: BTreeSet::new(),
        }
    }
}

fn write_message(
    dir: &Path,
    message: &CorpusMessage,
    unique: u64,
    pid: u32,
    keyword_letters: Option<&BTreeMap<String, char>>,
) -> io::Result<()> {
    let size = message.bytes.len();
    let crlf_size = size + bare_line_feeds(&message.bytes);
    let mut letters: Vec<char> = Vec::with_capacity(message.flags.len());
    for flag in &message.flags {
        let letter = match flag {
            Flag::Draft => Some('D'),
            Flag::Flagged => Some('F'),
            Flag::Answered => Some('R'),
            Flag::Seen => Some('S'),
            Flag::Deleted => Some('T'),
            Flag::Keyword(keyword) => keyword_letters.and_then(|map| map.get(keyword)).copied(),
        };
        letters.extend(letter);
    }
    letters.sort_unstable();
    letters.dedup();
    let flags: String = letters.into_iter().collect();
    // NOTE: the leading seconds set the UID order at resync, so mail gets UIDs in date order.
    let name = format!(
        "{secs}.M{micros}P{pid}Q{unique}.{HOST},S={size},W={crlf_size}:2,{flags}",
        secs = message.internal_date.timestamp(),
        micros = message.internal_date.timestamp_subsec_micros(),
    );
    let path = dir.join("cur").join(name);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| with_path(e, "create", &path))?;
    file.write_all(&message.bytes).map_err(|e| with_path(e, "write", &path))?;
    fchown(&file, Some(MAIL_UID), Some(MAIL_UID)).map_err(|e| with_path(e, "chown", &path))?;
    file.set_modified(SystemTime::from(message.internal_date))
        .map_err(|e| with_path(e, "set mtime of", &path))?;
    Ok(())
}

fn bare_line_feeds(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut previous = 0u8;
    for &byte in bytes {
        if byte == b'\n' && previous != b'\r' {
            count += 1;
        }
        previous = byte;
    }
    count
}

/// Creates `dir` with `cur/ new/ tmp/`, owned by the mail uid. Existing parts are kept.
fn create_maildir(dir: &Path) -> io::Result<()> {
    for path in [dir.to_path_buf(), dir.join("cur"), dir.join("new"), dir.join("tmp")] {
        match DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => chown(&path, Some(MAIL_UID), Some(MAIL_UID)).map_err(|e| with_path(e, "chown", &path))?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(with_path(e, "create directory", &path)),
        }
    }
    Ok(())
}

fn create_owned_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| with_path(e, "create", path))?;
    file.write_all(contents).map_err(|e| with_path(e, "write", path))?;
    fchown(&file, Some(MAIL_UID), Some(MAIL_UID)).map_err(|e| with_path(e, "chown", path))
}

/// Maps keywords to Maildir letters through the folder's `dovecot-keywords` file (`0 $Junk` makes
/// `a` mean `$Junk`), keeping the numbers already in it and appending new keywords.
fn assign_keyword_letters(dir: &Path, keywords: &BTreeSet<&str>) -> io::Result<BTreeMap<String, char>> {
    let path = dir.join("dovecot-keywords");
    let mut by_index: BTreeMap<usize, String> = BTreeMap::new();
    match fs::read_to_string(&path) {
        Ok(existing) => {
            for line in existing.lines() {
                if let Some((index, keyword)) = line.split_once(' ')
                    && let Ok(index) = index.parse::<usize>()
                {
                    by_index.insert(index, keyword.to_owned());
                }
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(with_path(e, "read", &path)),
    }
    let mut changed = false;
    for keyword in keywords {
        if by_index.values().any(|known| known == keyword) {
            continue;
        }
        let free = (0..MAX_KEYWORDS)
            .find(|index| !by_index.contains_key(index))
            .ok_or_else(|| io::Error::other(format!("{}: more than 26 keywords", path.display())))?;
        by_index.insert(free, (*keyword).to_owned());
        changed = true;
    }
    if changed {
        let mut contents = String::new();
        for (index, keyword) in &by_index {
            contents.push_str(&format!("{index} {keyword}\n"));
        }
        create_owned_file(&path, contents.as_bytes())?;
    }
    Ok(by_index
        .into_iter()
        .filter(|(index, _)| *index < MAX_KEYWORDS)
        .filter_map(|(index, keyword)| {
            let letter = char::from_u32('a' as u32 + index as u32)?;
            Some((keyword, letter))
        })
        .collect())
}

fn with_path(error: io::Error, action: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{action} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_map_to_maildir_plus_plus_in_modified_utf7() {
        let root = Path::new("/m");
        let check = |folder: &str, expect: &str| {
            assert_eq!(folder_dir(root, folder).unwrap(), Path::new(expect), "{folder}");
        };
        check("INBOX", "/m");
        check("Work/Projects", "/m/.Work.Projects");
        check("Reçus", "/m/.Re&AOc-us");
        check("R&D", "/m/.R&-D");
        check("[Gmail]/All Mail", "/m/.[Gmail].All Mail");
        check("Заметки", "/m/.&BBcEMAQ8BDUEQgQ6BDg-");
        assert!(folder_dir(root, "v1.2").is_err());
        assert!(folder_dir(root, "A//B").is_err());
    }

    #[test]
    fn crlf_size_counts_only_bare_line_feeds() {
        assert_eq!(bare_line_feeds(b"a\nb\r\nc\n"), 2);
        assert_eq!(bare_line_feeds(b""), 0);
    }
}
