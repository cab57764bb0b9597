//! A scripted IMAP server on loopback, only for answers Dovecot cannot be made to send (a
//! malformed FETCH, an EXAMINE without UIDNEXT, no CONDSTORE). Plain TCP, one thread per client.
//!
//! Each rule pairs the start of a command (after its tag) with the untagged lines to send before
//! the tagged `OK`; the first matching rule wins, and an unmatched command just gets `OK`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Matched case-insensitively against the start of the command after the tag.
    pub command: String,
    /// Untagged responses, CRLF included, literals and all.
    pub untagged: Vec<u8>,
}

impl Answer {
    pub fn new(command: &str, untagged: &[u8]) -> Answer {
        Answer {
            command: command.to_string(),
            untagged: untagged.to_vec(),
        }
    }
}

/// A running fake server; it stops accepting when the test process ends.
pub struct FakeServer {
    port: u16,
}

impl FakeServer {
    pub fn start(answers: Vec<Answer>) -> io::Result<FakeServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let answers = Arc::new(answers);
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let answers = Arc::clone(&answers);
                thread::spawn(move || {
                    let _ = serve(client, &answers);
                });
            }
        });
        Ok(FakeServer { port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

fn serve(client: TcpStream, answers: &[Answer]) -> io::Result<()> {
    let mut writer = client.try_clone()?;
    writer.write_all(b"* OK [CAPABILITY IMAP4rev1] fake server ready\r\n")?;
    let mut reader = BufReader::new(client);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let (tag, command) = line.trim_end().split_once(' ').unwrap_or((line.trim_end(), ""));
        let upper = command.to_ascii_uppercase();
        if let Some(answer) = answers.iter().find(|a| upper.starts_with(&a.command.to_ascii_uppercase())) {
            writer.write_all(&answer.untagged)?;
        }
        if upper.starts_with("LOGOUT") {
            writer.write_all(format!("* BYE fake server closing\r\n{tag} OK LOGOUT completed\r\n").as_bytes())?;
            return Ok(());
        }
        writer.write_all(format!("{tag} OK completed\r\n").as_bytes())?;
    }
}
