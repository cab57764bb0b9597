//! The demo mailbox bundled with the app: a few dozen story-like messages, written out as a
//! Maildir under the data directory the first time someone tries it, so the real thing can be
//! searched and changed without touching the bundled copy.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use mailhound_core::{Error, Result};

static DEMO_MAILBOX: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../demo-mailbox");

/// Writes the demo Maildir to `root` unless it is already there, and returns `root`.
pub fn install(root: &Path) -> Result<PathBuf> {
    if root.join("cur").is_dir() {
        return Ok(root.to_path_buf());
    }
    let staging = root.with_extension("partial");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io("clear an unfinished demo mailbox", e))?;
    }
    for folder in DEMO_MAILBOX.dirs() {
        let name = folder.path().to_string_lossy().to_string();
        let dir = if name == "INBOX" {
            staging.clone()
        } else {
            staging.join(format!(".{}", name.replace('/', ".")))
        };
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(dir.join(sub)).map_err(|e| Error::io("create the demo mailbox", e))?;
        }
        let mut files: Vec<_> = folder
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort_by_key(|f| f.path());
        for (n, file) in files.into_iter().enumerate() {
            // Read mail in Junk and Trash too: people rarely open those folders, which is the point.
            let flags = if name == "INBOX" && n % 3 == 0 { "" } else { "S" };
            let file_name = format!("{}.demo{n:04}.mailhound:2,{flags}", 1_700_000_000 + n);
            fs::write(dir.join("cur").join(file_name), file.contents()).map_err(|e| Error::io("write the demo mailbox", e))?;
        }
    }
    fs::rename(&staging, root).map_err(|e| Error::io("finish the demo mailbox", e))?;
    Ok(root.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_a_maildir_with_every_bundled_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = install(&dir.path().join("demo")).unwrap();
        assert!(root.join("cur").is_dir());
        assert!(root.join(".Junk").join("cur").is_dir());
        let inbox = fs::read_dir(root.join("cur")).unwrap().count();
        assert!(inbox > 0);
        fs::remove_file(fs::read_dir(root.join("cur")).unwrap().next().unwrap().unwrap().path()).unwrap();
        install(&root).unwrap();
        assert_eq!(
            fs::read_dir(root.join("cur")).unwrap().count(),
            inbox - 1,
            "a second install keeps the person's changes"
        );
    }
}
