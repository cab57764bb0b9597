use mailhound_core::recovery::export::{self, Overwrite, sha256_hex};
use mailhound_tests::corpus::{Corpus, CorpusMessage, Layout};
use mailhound_tests::dovecot::TestServer;
use mailhound_tests::raw_imap::quoted;

use crate::mailbox::Mailbox;

/// The message exactly as the server serves `BODY[]`, read with a raw client.
fn server_bytes(mailbox: &Mailbox<'_>, folder: &str, uid: u32) -> Vec<u8> {
    let mut session = mailbox.raw();
    session.command(&format!("EXAMINE {}", quoted(folder))).unwrap();
    let mut line = Vec::new();
    session
        .stream_command(&format!("UID FETCH {uid} BODY.PEEK[]"), |l| line = l.to_vec())
        .unwrap();
    let open = line.iter().position(|b| *b == b'{').unwrap();
    let close = open + line[open..].iter().position(|b| *b == b'}').unwrap();
    let size: usize = std::str::from_utf8(&line[open + 1..close]).unwrap().parse().unwrap();
    line[close + 3..close + 3 + size].to_vec()
}

#[test]
fn export_is_byte_identical_and_never_overwrites() {
    let server = TestServer::shared();
    let mut messages = Corpus::generate(31, 60, &Layout::standard());
    messages.push(
        CorpusMessage::builder()
            .folder("Junk")
            .from("Zoë Ångström", "zoe@example.net")
            .subject("Fwd: ../../etc/passwd \u{202E}gpj.exe")
            .attachment("Rechnung März.pdf", "application/pdf", &[0u8, 1, 2, 3, 255, 254])
            .message_id("<export-me@example.net>")
            .build(),
    );
    let mut mailbox = Mailbox::new(server, &messages);
    mailbox.sync();
    let account = mailbox.account_id();
    let target = mailbox.cached(|m| m.message_id.as_deref() == Some("<export-me@example.net>"));

    let bytes = export::download(&mailbox.account, Some(&mailbox.password), &target).unwrap();
    let expected = server_bytes(&mailbox, &target.folder, target.uid);
    assert_eq!(sha256_hex(&bytes), sha256_hex(&expected));

    let dir = tempfile::tempdir().unwrap();
    let path = export::free_path_in(dir.path(), &target);
    assert_eq!(
        path.parent(),
        Some(dir.path()),
        "the hostile subject stays inside the chosen folder"
    );
    let exported = export::save_eml(&path, &bytes, Overwrite::Refuse).unwrap();
    assert_eq!(exported.sha256, sha256_hex(&expected));
    assert_eq!(std::fs::read(&path).unwrap(), expected);
    assert!(export::save_eml(&path, b"other", Overwrite::Refuse).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), expected);

    // The server still has it, unread state untouched.
    let cached = mailbox
        .store
        .message(account, &target.folder, target.uidvalidity, target.uid)
        .unwrap()
        .unwrap();
    assert!(!cached.flags.contains("\\Seen") || target.flags.contains("\\Seen"));
}
