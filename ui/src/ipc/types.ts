// The data that crosses the IPC edge. Hand-written mirror of src-tauri/src/dto.rs (serde camelCase).
// Keep field names and string values identical to the Rust side: they are the wire format.

export type ErrorCode =
  | "auth"
  | "network"
  | "tls"
  | "starttls_missing"
  | "server_rejected"
  | "folder_vanished"
  | "not_found"
  | "storage"
  | "cancelled"
  | "invalid_input"
  | "bug";

/** What Rust rejects a command with. */
export interface IpcError {
  code: ErrorCode;
  message: string;
}

export type Security = "tls" | "starttls";

export interface ServerSettings {
  host: string;
  port: number;
  security: Security;
}

export interface Account {
  id: string;
  label: string;
  kind: "imap" | "maildir";
}

export type FolderRole = "inbox" | "junk" | "trash" | "archive" | "all" | "sent" | "drafts" | "backup" | "other";

export interface FolderSummary {
  /** The exact server name; the key used in every other event. */
  name: string;
  displayName: string;
  role: FolderRole;
  /** The role in plain words, e.g. "where your spam filter puts mail". */
  roleText: string;
  total: number;
}

export type SyncEvent =
  | { kind: "foldersListed"; folders: FolderSummary[] }
  | { kind: "folderProgress"; folder: string; done: number; total: number }
  | { kind: "folderDone"; folder: string; messages: number }
  | { kind: "finished"; folders: number; messages: number; seconds: number; cancelled: boolean };

/** A message is (account, mailbox, UIDVALIDITY, UID); never a Message-ID. */
export interface MessageRef {
  accountId: string;
  folder: string;
  uidvalidity: number;
  uid: number;
}

export interface Hit {
  rank: number;
  score: number;
  ref: MessageRef;
  folderDisplay: string;
  folderRole: FolderRole;
  whereText: string;
  messageId: string | null;
  fromName: string;
  fromAddress: string;
  subject: string;
  /** RFC 3339 */
  date: string | null;
  why: string[];
  /** Other folders holding the same message (same Message-ID). */
  alsoIn: HitLocation[];
}

/** Another place where a hit's message is. */
export interface HitLocation {
  ref: MessageRef;
  folderDisplay: string;
  folderRole: FolderRole;
}

export interface HuntQuery {
  accountId: string | null;
  from: string | null;
  subject: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  dateSlackDays: number | null;
  /** YYYY-MM-DD; with `date`, the last day of a range instead of a day with slack. */
  dateTo?: string | null;
  /** To whom it was sent (To or Cc). */
  to?: string | null;
  hasAttachment?: boolean | null;
  /** Folder roles to look in; empty or missing means every folder. */
  withinRoles?: FolderRole[];
  limit: number;
}

export interface Exported {
  path: string;
  sha256: string;
}

export interface Restored {
  method: "move" | "copy+expunge" | "copy" | "file-move";
  inboxUid: number | null;
  originalKept: boolean;
  summary: string;
}

/** The `add_account` arguments other than the settings' own fields. */
/** An account scanned before on this computer (`saved_accounts`). */
export interface SavedAccount {
  account: Account;
  /** Messages cached from earlier scans. */
  messages: number;
  /** No password is kept for it: ask before scanning again. */
  needsPassword: boolean;
  /** Server settings of a mail account; null for the demo. */
  settings: ServerSettings | null;
  caFile: string | null;
}

export interface NewAccount {
  email: string;
  password: string;
  settings: ServerSettings;
  /** Path to a PEM file the person trusts, or null. */
  caFile: string | null;
}
