-- Accounts hold where a mailbox is, never its password.
CREATE TABLE account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    ca_file TEXT,
    plaintext INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- One row per folder seen in LIST; name is the server's exact name, used for every command.
CREATE TABLE folder (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account(id),
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'other',
    delimiter TEXT,
    uidvalidity INTEGER,
    uidnext INTEGER,
    highestmodseq INTEGER,
    synced_at INTEGER,
    UNIQUE (account_id, name)
) STRICT;

-- One row per message per folder, keyed by (folder, UIDVALIDITY, UID): the decoded fields hunting
-- and display read (the hunt index folds its own search text); raw_header keeps the fetched bytes,
-- so anything else (threading, evidence) is re-parsed from it without a refetch.
CREATE TABLE message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    folder_id INTEGER NOT NULL REFERENCES folder(id) ON DELETE CASCADE,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    message_id TEXT,
    from_name TEXT NOT NULL DEFAULT '',
    from_address TEXT NOT NULL DEFAULT '',
    to_addresses TEXT NOT NULL DEFAULT '',
    cc_addresses TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    date INTEGER,
    internal_date INTEGER,
    size INTEGER,
    flags TEXT NOT NULL DEFAULT '',
    has_attachment INTEGER NOT NULL DEFAULT 0,
    parse_problem TEXT,
    raw_header BLOB NOT NULL,
    UNIQUE (folder_id, uidvalidity, uid)
) STRICT;

-- A restore is written down before anything is sent, so a cut connection can be resumed safely.
CREATE TABLE restore_intent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account(id),
    source_folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    message_id TEXT,
    size INTEGER,
    internal_date INTEGER,
    destination TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    method TEXT,
    destination_uid INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    finished_at INTEGER
) STRICT;
