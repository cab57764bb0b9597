//! Integration tests: one binary, one module per area, against a real Dovecot on loopback
//! (`mailhound_tests::dovecot`) and real SQLite files. One shared Dovecot serves most tests; each
//! test takes its own user. Index:

// Shared set-up: a user with mail, an account, a fresh cache, the server's own listing.
mod mailbox;

// The test harness itself: start/stop, Maildir loading, layouts, capability variants.
mod server;
// Scanning: folder discovery and roles, full and incremental sync, server-side changes, cancel.
mod sync;
// Scans through the fault proxy: cuts at every phase, stalls, cancel within a second.
mod faults;
// Malformed and odd mail (CPython's corpus, header bombs, NUL, 8-bit, broken RFC 2047, bad folder names).
mod malformed;
// Server quirks only a scripted server sends: a malformed FETCH, no UIDNEXT, no CONDSTORE, BYE.
mod quirks;
// Hunting the cache of a real mailbox: the misremembered message in Junk and in Trash.
mod hunt;
// Export: byte-identical `.eml`, safe names, no overwrite.
mod export;
// Restore: MOVE, COPY + UID EXPUNGE, copy only; other `\Deleted` mail survives; safe retries.
mod restore;
// The same flows on a local Maildir.
mod maildir;
// Connection errors a person must be able to act on.
mod errors;
// Passwords in a real Secret Service, never in the cache.
mod keychain;
