//! Test support for Mailhound: a private Dovecot on loopback that tests load with generated mail,
//! and a minimal raw IMAP session to check what that server really answers.
//!
//! - [`dovecot`]: `TestServer` (config, certificate, users, start/stop, fast Maildir loading).
//! - [`corpus`]: seeded, realistic messages (`Corpus::generate`) and planted ones (`CorpusMessage::builder`).
//! - [`raw_imap`]: a non-parsing IMAP session over TLS or plain TCP, for smoke tests and the raw-wire bench.
//! - [`fake_server`]: a scripted IMAP server for answers Dovecot never sends.
//! - [`proxy`]: a fault-injecting TCP proxy (cut at a command or byte count, stall).

pub mod corpus;
pub mod dovecot;
pub mod fake_server;
pub mod proxy;
pub mod raw_imap;
