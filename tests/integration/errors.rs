use mailhound_core::ErrorKind;
use mailhound_core::account::{Account, ImapAccount, Secret, Security, Timeouts};
use mailhound_core::source::imap::Connection;
use mailhound_tests::dovecot::TestServer;

fn account(server: &TestServer, user: &str, security: Security, ca: bool) -> ImapAccount {
    let endpoint = server.endpoint();
    ImapAccount {
        host: endpoint.host.clone(),
        port: if security == Security::Tls {
            endpoint.imaps_port
        } else {
            endpoint.imap_port
        },
        user: user.to_string(),
        security,
        ca_file: ca.then(|| endpoint.ca_file.clone()),
        timeouts: Timeouts::default(),
    }
}

fn open(account: &ImapAccount, password: &str) -> mailhound_core::Error {
    match Connection::open(account, Some(&Secret::new(password))) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn a_wrong_password_is_an_auth_error_that_does_not_repeat_the_password() {
    let server = TestServer::shared();
    let user = server.fresh_user();
    let err = open(&account(server, &user.name, Security::Tls, true), "canary-pa55word");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.message().contains(&user.name));
    assert!(!err.detail().contains("canary-pa55word"));
}

#[test]
fn an_untrusted_certificate_is_refused_with_its_fingerprint() {
    let server = TestServer::shared();
    let user = server.fresh_user();
    let err = open(&account(server, &user.name, Security::Tls, false), &user.password);
    assert_eq!(err.kind(), ErrorKind::Tls);
    let fingerprint = err.message().split("fingerprint is ").nth(1).unwrap_or_default();
    assert_eq!(
        fingerprint.split(';').next().unwrap_or_default().len(),
        95,
        "SHA-256 as 32 hex pairs: {}",
        err.message()
    );
}

#[test]
fn nothing_listening_is_a_network_error() {
    let server = TestServer::shared();
    let mut unreachable = account(server, "nobody", Security::Tls, true);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    unreachable.port = port;
    assert_eq!(open(&unreachable, "x").kind(), ErrorKind::Network);
}

#[test]
fn an_imaps_port_spoken_to_as_starttls_is_not_a_plaintext_login() {
    // The plain listener offers STARTTLS; a server that does not must be refused before LOGIN.
    let server = TestServer::shared();
    let user = server.fresh_user();
    let fake = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = fake.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        use std::io::{BufRead, BufReader, Write};
        let (mut stream, _) = fake.accept().unwrap();
        stream.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here\r\n").unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut received = String::new();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            received.push_str(&line);
            if line.starts_with("m0 CAPABILITY") {
                stream.write_all(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nm0 OK done\r\n").unwrap();
            }
            line.clear();
        }
        received
    });
    let mut plain = account(server, &user.name, Security::StartTls, true);
    plain.port = port;
    plain.host = "127.0.0.1".to_string();
    let err = open(&plain, "canary-secret");
    assert_eq!(err.kind(), ErrorKind::StartTlsMissing);
    let received = handle.join().unwrap();
    assert!(!received.contains("LOGIN") && !received.contains("canary-secret"), "{received}");
    let _ = Account::Imap(plain);
}
