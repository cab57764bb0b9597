//! Deciding what a folder scan must do from what the cache holds and what the server reports.
//! Pure functions: no sockets, no clock, so every case is a unit test.

use crate::source::{FolderStatus, UidFlags};
use std::collections::HashMap;

/// What the cache remembers of a folder's last scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CachedState {
    pub uidvalidity: Option<u32>,
    /// Set only when a scan of the folder completed.
    pub uidnext: Option<u32>,
    pub highestmodseq: Option<u64>,
    pub messages: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderPlan {
    /// Nothing changed since the last complete scan; no message data is read.
    Unchanged,
    /// The cached UIDs mean nothing (first scan, or UIDVALIDITY changed): drop them, read everything.
    Rebuild,
    /// Same numbering: list UIDs and flags, fetch only new messages, apply flag changes and removals.
    Refresh,
}

pub fn plan(cached: &CachedState, remote: &FolderStatus) -> FolderPlan {
    if cached.uidvalidity != Some(remote.uidvalidity) {
        return FolderPlan::Rebuild;
    }
    // NOTE: without CONDSTORE a flag change leaves UIDNEXT and the count alone, so only a server
    // that reports HIGHESTMODSEQ lets a folder be skipped; listing UIDs and flags is cheap otherwise.
    let complete = cached.uidnext.is_some();
    let same_modseq = matches!((cached.highestmodseq, remote.highestmodseq), (Some(a), Some(b)) if a == b);
    if complete && cached.uidnext == remote.uidnext && cached.messages == u64::from(remote.exists) && same_modseq {
        FolderPlan::Unchanged
    } else {
        FolderPlan::Refresh
    }
}

/// The difference between the server's listing and the cache for one folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderDiff {
    /// UIDs to fetch, ascending.
    pub new: Vec<u32>,
    pub flag_changes: Vec<(u32, String)>,
    pub expunged: Vec<u32>,
}

pub fn diff(listing: &[UidFlags], cached: &HashMap<u32, String>) -> FolderDiff {
    let mut diff = FolderDiff::default();
    let mut seen = std::collections::HashSet::with_capacity(listing.len());
    for entry in listing {
        seen.insert(entry.uid);
        match cached.get(&entry.uid) {
            None => diff.new.push(entry.uid),
            Some(flags) if *flags != entry.flags => diff.flag_changes.push((entry.uid, entry.flags.clone())),
            Some(_) => {}
        }
    }
    diff.new.sort_unstable();
    diff.expunged = cached.keys().filter(|uid| !seen.contains(uid)).copied().collect();
    diff.expunged.sort_unstable();
    diff
}

/// Like [`diff`] for a listing of only the messages changed since a MODSEQ (CONDSTORE
/// `CHANGEDSINCE`): new and changed messages, and no removals, which such a listing cannot show.
pub fn diff_changed(changed: &[UidFlags], cached: &HashMap<u32, String>) -> FolderDiff {
    let mut diff = FolderDiff::default();
    for entry in changed {
        match cached.get(&entry.uid) {
            None => diff.new.push(entry.uid),
            Some(flags) if *flags != entry.flags => diff.flag_changes.push((entry.uid, entry.flags.clone())),
            Some(_) => {}
        }
    }
    diff.new.sort_unstable();
    diff.new.dedup();
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remote(uidvalidity: u32, uidnext: Option<u32>, modseq: Option<u64>, exists: u32) -> FolderStatus {
        FolderStatus {
            uidvalidity,
            uidnext,
            highestmodseq: modseq,
            exists,
        }
    }

    fn cached(uidvalidity: Option<u32>, uidnext: Option<u32>, modseq: Option<u64>, messages: u64) -> CachedState {
        CachedState {
            uidvalidity,
            uidnext,
            highestmodseq: modseq,
            messages,
        }
    }

    #[test]
    fn first_scan_and_uidvalidity_change_rebuild() {
        assert_eq!(plan(&CachedState::default(), &remote(7, Some(5), None, 4)), FolderPlan::Rebuild);
        assert_eq!(
            plan(&cached(Some(6), Some(5), Some(9), 4), &remote(7, Some(5), Some(9), 4)),
            FolderPlan::Rebuild
        );
    }

    #[test]
    fn unchanged_only_with_matching_modseq_count_and_uidnext() {
        assert_eq!(
            plan(&cached(Some(7), Some(5), Some(9), 4), &remote(7, Some(5), Some(9), 4)),
            FolderPlan::Unchanged
        );
        assert_eq!(
            plan(&cached(Some(7), Some(5), Some(9), 4), &remote(7, Some(5), Some(10), 4)),
            FolderPlan::Refresh
        );
        assert_eq!(
            plan(&cached(Some(7), Some(5), Some(9), 4), &remote(7, Some(6), Some(9), 5)),
            FolderPlan::Refresh
        );
        assert_eq!(
            plan(&cached(Some(7), Some(5), Some(9), 4), &remote(7, Some(5), Some(9), 3)),
            FolderPlan::Refresh
        );
    }

    #[test]
    fn servers_without_condstore_or_uidnext_are_always_refreshed() {
        assert_eq!(
            plan(&cached(Some(7), Some(5), None, 4), &remote(7, Some(5), None, 4)),
            FolderPlan::Refresh
        );
        assert_eq!(
            plan(&cached(Some(7), None, Some(9), 4), &remote(7, None, Some(9), 4)),
            FolderPlan::Refresh
        );
    }

    #[test]
    fn an_interrupted_scan_resumes_instead_of_rebuilding() {
        // uidvalidity is recorded when a folder scan starts, uidnext only when it completes.
        assert_eq!(
            plan(&cached(Some(7), None, None, 120), &remote(7, Some(300), Some(9), 299)),
            FolderPlan::Refresh
        );
    }

    #[test]
    fn a_changed_since_listing_finds_new_and_changed_but_never_removes() {
        let changed = vec![
            UidFlags {
                uid: 3,
                flags: "\\Flagged".into(),
            },
            UidFlags {
                uid: 9,
                flags: String::new(),
            },
        ];
        let cached: HashMap<u32, String> = [(1, String::new()), (3, String::new())].into();
        let d = diff_changed(&changed, &cached);
        assert_eq!(d.new, vec![9]);
        assert_eq!(d.flag_changes, vec![(3, "\\Flagged".to_string())]);
        assert!(d.expunged.is_empty());
    }

    #[test]
    fn diff_finds_new_changed_and_expunged() {
        let listing = vec![
            UidFlags {
                uid: 1,
                flags: "\\Seen".into(),
            },
            UidFlags {
                uid: 3,
                flags: "\\Flagged \\Seen".into(),
            },
            UidFlags {
                uid: 5,
                flags: String::new(),
            },
        ];
        let cached: HashMap<u32, String> = [(1, "\\Seen".to_string()), (2, String::new()), (3, "\\Seen".to_string())].into();
        let d = diff(&listing, &cached);
        assert_eq!(d.new, vec![5]);
        assert_eq!(d.flag_changes, vec![(3, "\\Flagged \\Seen".to_string())]);
        assert_eq!(d.expunged, vec![2]);
    }
}
