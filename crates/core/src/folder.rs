//! Folder identity and meaning: the server's exact name (used for every command), a readable
//! display name, and a [`FolderRole`] that says in plain words why a message would be there.

/// What a folder is for, which is also why a lost message might be in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FolderRole {
    Inbox,
    Junk,
    Trash,
    Archive,
    /// A virtual folder holding every message (Gmail's All Mail).
    All,
    Sent,
    Drafts,
    /// A folder someone made to keep copies (BACKUP, Old mail, …).
    Backup,
    Other,
}

impl FolderRole {
    /// Stable machine name, used in the cache and by front ends.
    pub fn code(self) -> &'static str {
        match self {
            FolderRole::Inbox => "inbox",
            FolderRole::Junk => "junk",
            FolderRole::Trash => "trash",
            FolderRole::Archive => "archive",
            FolderRole::All => "all",
            FolderRole::Sent => "sent",
            FolderRole::Drafts => "drafts",
            FolderRole::Backup => "backup",
            FolderRole::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> FolderRole {
        match code {
            "inbox" => FolderRole::Inbox,
            "junk" => FolderRole::Junk,
            "trash" => FolderRole::Trash,
            "archive" => FolderRole::Archive,
            "all" => FolderRole::All,
            "sent" => FolderRole::Sent,
            "drafts" => FolderRole::Drafts,
            "backup" => FolderRole::Backup,
            _ => FolderRole::Other,
        }
    }

    /// A short plain-language label ("Junk (spam)").
    pub fn label(self) -> &'static str {
        match self {
            FolderRole::Inbox => "Inbox",
            FolderRole::Junk => "Junk (spam)",
            FolderRole::Trash => "Trash (deleted)",
            FolderRole::Archive => "Archive",
            FolderRole::All => "All mail",
            FolderRole::Sent => "Sent",
            FolderRole::Drafts => "Drafts",
            FolderRole::Backup => "Backup",
            FolderRole::Other => "Your own folder",
        }
    }

    /// Tells the person where a message was found and what that means.
    pub fn where_text(self, display_name: &str) -> String {
        match self {
            FolderRole::Inbox => "In your Inbox: it arrived normally; it may have been buried under newer mail.".to_string(),
            FolderRole::Junk => format!("In {display_name}: your spam filter put it there."),
            FolderRole::Trash => format!("In {display_name}: it was deleted, but not yet for good."),
            FolderRole::Archive => format!("In {display_name}: it was archived."),
            FolderRole::All => {
                format!("In {display_name}: it is in no other folder you can see, so it was probably archived or had its label removed.")
            }
            FolderRole::Sent => format!("In {display_name}: this is a message you sent."),
            FolderRole::Drafts => format!("In {display_name}: this is an unsent draft."),
            FolderRole::Backup => format!("In {display_name}: a backup copy kept there."),
            FolderRole::Other => format!("In the folder “{display_name}”: a rule or someone filed it there."),
        }
    }
}

/// The RFC 6154 special-use attributes a server may put on a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialUse {
    All,
    Archive,
    Drafts,
    Junk,
    Sent,
    Trash,
}

/// Gives a folder its role: special-use first, then well-known names in several languages.
pub fn role_of(name: &str, delimiter: Option<char>, special_use: Option<SpecialUse>) -> FolderRole {
    if name.eq_ignore_ascii_case("INBOX") {
        return FolderRole::Inbox;
    }
    if let Some(special) = special_use {
        return match special {
            SpecialUse::All => FolderRole::All,
            SpecialUse::Archive => FolderRole::Archive,
            SpecialUse::Drafts => FolderRole::Drafts,
            SpecialUse::Junk => FolderRole::Junk,
            SpecialUse::Sent => FolderRole::Sent,
            SpecialUse::Trash => FolderRole::Trash,
        };
    }
    let leaf = match delimiter {
        Some(d) => name.rsplit(d).next().unwrap_or(name),
        None => name,
    };
    role_from_name(&display_name(leaf))
}

fn role_from_name(leaf: &str) -> FolderRole {
    const JUNK: &[&str] = &[
        "junk",
        "junk e-mail",
        "junk email",
        "spam",
        "bulk mail",
        "bulk",
        "spamverdacht",
        "pourriel",
        "courrier indésirable",
        "indésirables",
        "correo no deseado",
        "posta indesiderata",
        "ongewenste e-mail",
        "skräppost",
    ];
    const TRASH: &[&str] = &[
        "trash",
        "deleted items",
        "deleted messages",
        "deleted",
        "bin",
        "papierkorb",
        "gelöschte elemente",
        "gelöschte objekte",
        "corbeille",
        "éléments supprimés",
        "papelera",
        "elementos eliminados",
        "cestino",
        "posta eliminata",
        "prullenbak",
        "verwijderde items",
        "papperskorgen",
    ];
    const ARCHIVE: &[&str] = &["archive", "archives", "archiv", "archivo", "archivio", "archief", "arkiv"];
    const ALL: &[&str] = &["all mail", "alle nachrichten", "tous les messages", "todos"];
    const SENT: &[&str] = &[
        "sent",
        "sent items",
        "sent mail",
        "sent messages",
        "gesendet",
        "gesendete elemente",
        "gesendete objekte",
        "envoyés",
        "messages envoyés",
        "éléments envoyés",
        "enviados",
        "elementos enviados",
        "posta inviata",
        "inviata",
        "verzonden items",
        "skickat",
    ];
    const DRAFTS: &[&str] = &[
        "drafts",
        "draft",
        "entwürfe",
        "brouillons",
        "borradores",
        "bozze",
        "concepten",
        "utkast",
    ];
    let lower = leaf.trim().to_lowercase();
    let is = |names: &[&str]| names.contains(&lower.as_str());
    if is(JUNK) {
        FolderRole::Junk
    } else if is(TRASH) {
        FolderRole::Trash
    } else if is(ALL) {
        FolderRole::All
    } else if is(ARCHIVE) {
        FolderRole::Archive
    } else if is(SENT) {
        FolderRole::Sent
    } else if is(DRAFTS) {
        FolderRole::Drafts
    } else if lower.contains("backup") || lower.contains("sicherung") || lower.contains("sauvegarde") || lower.starts_with("old mail") {
        FolderRole::Backup
    } else {
        FolderRole::Other
    }
}

/// Decodes a modified UTF-7 folder name (RFC 3501 §5.1.3) for display only; the raw name stays the
/// identity. A name that is not valid mUTF-7 is shown as it is.
pub fn display_name(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    // NOTE: utf7-imap indexes into the input while decoding; a hostile name must not take the scan
    // down with it, so any panic falls back to the raw name.
    let owned = raw.to_string();
    std::panic::catch_unwind(move || utf7_imap::decode_utf7_imap(owned)).unwrap_or_else(|_| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_use_wins_over_names() {
        assert_eq!(role_of("[Gmail]/Spam", Some('/'), Some(SpecialUse::Junk)), FolderRole::Junk);
        assert_eq!(role_of("Papierkorb", Some('/'), Some(SpecialUse::Archive)), FolderRole::Archive);
        assert_eq!(role_of("inbox", Some('/'), None), FolderRole::Inbox);
    }

    #[test]
    fn well_known_names_in_several_languages() {
        let cases = [
            ("Junk", FolderRole::Junk),
            ("Bulk Mail", FolderRole::Junk),
            ("INBOX.Spam", FolderRole::Junk),
            ("Deleted Items", FolderRole::Trash),
            ("Papierkorb", FolderRole::Trash),
            ("Corbeille", FolderRole::Trash),
            ("Bin", FolderRole::Trash),
            ("[Gmail]/All Mail", FolderRole::All),
            ("Archive", FolderRole::Archive),
            ("Gesendete Elemente", FolderRole::Sent),
            ("BACKUP", FolderRole::Backup),
            ("Backup 2019", FolderRole::Backup),
            ("Work/Projects", FolderRole::Other),
        ];
        for (name, role) in cases {
            let delimiter = if name.starts_with("INBOX.") { Some('.') } else { Some('/') };
            assert_eq!(role_of(name, delimiter, None), role, "{name}");
        }
    }

    #[test]
    fn decodes_modified_utf7_and_survives_garbage() {
        assert_eq!(display_name("Re&AOc-us"), "Reçus");
        assert_eq!(display_name("&-"), "&");
        assert_eq!(display_name("[Gmail]/&BBIEMAQ2BD0EPgQ1-"), "[Gmail]/Важное");
        // Invalid mUTF-7 must not panic; whatever comes back is shown as is.
        let _ = display_name("&AOc");
        let _ = display_name("&&&-");
    }

    #[test]
    fn where_text_explains_junk_and_trash() {
        assert!(FolderRole::Junk.where_text("Junk").contains("spam filter"));
        assert!(FolderRole::Trash.where_text("Trash").contains("deleted"));
    }
}
