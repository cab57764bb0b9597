//! Saving a message as a `.eml` file exactly as the server holds it, with its SHA-256, under a
//! file name that is safe on every system and never replaces a file without being told to.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::account::{Account, Secret};
use crate::store::CachedMessage;
use crate::{Error, ErrorKind, Result, source};

/// What to do when the target file exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Fail: the person did not ask to replace anything.
    Refuse,
    /// The person already confirmed replacing it (a native save dialog asks).
    Confirmed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    /// Hex SHA-256 of the bytes written, which are the server's bytes.
    pub sha256: String,
    pub bytes: u64,
}

/// Downloads the whole message, read-only, exactly as stored.
pub fn download(account: &Account, password: Option<&Secret>, message: &CachedMessage) -> Result<Vec<u8>> {
    let mut source = source::open(account, password)?;
    source.fetch_message(&message.folder, message.uidvalidity, message.uid)
}

/// Writes `bytes` to `path`.
pub fn save_eml(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<Exported> {
    let mut options = OpenOptions::new();
    options.write(true);
    match overwrite {
        Overwrite::Refuse => options.create_new(true),
        Overwrite::Confirmed => options.create(true).truncate(true),
    };
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "{} already exists; Mailhound does not overwrite files. Choose another name.",
                    path.display()
                ),
            )
        } else {
            Error::io(format_args!("save {}", path.display()), e)
        }
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(format_args!("save {}", path.display()), e))?;
    Ok(Exported {
        path: path.to_path_buf(),
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
    })
}

/// A free path in `dir` for the message, adding " (2)", " (3)"… rather than replacing a file.
pub fn free_path_in(dir: &Path, message: &CachedMessage) -> PathBuf {
    let stem = file_stem(message);
    let mut candidate = dir.join(format!("{stem}.eml"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stem} ({n}).eml"));
        n += 1;
    }
    candidate
}

/// A readable, safe file name without extension: date, sender and subject.
pub fn file_stem(message: &CachedMessage) -> String {
    let date = message
        .date
        .or(message.internal_date)
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "undated".to_string());
    let sender = if message.from_name.is_empty() {
        &message.from_address
    } else {
        &message.from_name
    };
    let subject = if message.subject.is_empty() {
        "no subject"
    } else {
        &message.subject
    };
    safe_file_name(&format!("{date} {sender} - {subject}"))
}

/// Makes any text a single safe path component: no separators, control or bidi characters, no
/// reserved Windows names, no leading dot, at most 200 bytes.
pub fn safe_file_name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) || c == '/' || c == '\\' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let options = sanitize_filename::Options {
        windows: true,
        truncate: true,
        replacement: "_",
    };
    let sanitized = sanitize_filename::sanitize_with_options(cleaned.split_whitespace().collect::<Vec<_>>().join(" "), options);
    let trimmed = sanitized.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']);
    let mut out = String::new();
    for c in trimmed.chars() {
        if out.len() + c.len_utf8() > 200 {
            break;
        }
        out.push(c);
    }
    if out.is_empty() { "message".to_string() } else { out }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_one_safe_component() {
        for hostile in [
            "../../etc/passwd",
            "/abs/path",
            "..\\..\\win",
            "CON",
            "aux.eml",
            ".hidden",
            "a\u{0}b",
            "evil\u{202E}lme.exe",
            "x:y*z?",
            &"é".repeat(300),
            "...",
            "",
        ] {
            let name = safe_file_name(hostile);
            assert!(!name.is_empty());
            assert!(!name.contains('/') && !name.contains('\\') && !name.contains('\0'), "{name}");
            assert!(!name.starts_with('.'), "{name}");
            assert!(!name.contains('\u{202E}'), "{name}");
            assert!(name.len() <= 200, "{name}");
            assert_ne!(name.to_ascii_uppercase(), "CON");
        }
    }

    #[test]
    fn never_overwrites_unless_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.eml");
        let first = save_eml(&path, b"one", Overwrite::Refuse).unwrap();
        assert_eq!(first.sha256, sha256_hex(b"one"));
        let err = save_eml(&path, b"two", Overwrite::Refuse).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        save_eml(&path, b"two", Overwrite::Confirmed).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
    }

    #[test]
    fn free_path_adds_a_number() {
        let dir = tempfile::tempdir().unwrap();
        let message = CachedMessage {
            account_id: crate::store::AccountId(1),
            account_key: String::new(),
            folder: "Junk".into(),
            folder_display: "Junk".into(),
            role: crate::folder::FolderRole::Junk,
            uidvalidity: 1,
            uid: 1,
            message_id: None,
            from_name: "Margaret Hollins".into(),
            from_address: "m@x".into(),
            to: String::new(),
            subject: "Re: roof/quote".into(),
            date: Some(1_793_800_000),
            internal_date: None,
            size: None,
            flags: String::new(),
            has_attachment: false,
        };
        let first = free_path_in(dir.path(), &message);
        assert_eq!(first.file_name().unwrap(), "2026-11-04 Margaret Hollins - Re_ roof quote.eml");
        std::fs::write(&first, b"x").unwrap();
        assert!(free_path_in(dir.path(), &message).ends_with("2026-11-04 Margaret Hollins - Re_ roof quote (2).eml"));
    }
}
