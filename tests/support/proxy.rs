//! A deterministic fault-injecting TCP proxy for loopback tests: it forwards bytes between a client
//! and Dovecot and, once per rule, cuts a connection at an exact command or byte count, or stalls it.
//!
//! Commands can only be matched on the plain port (Mailhound's loopback plaintext mode); byte
//! counts work over TLS too.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One fault. Each rule fires at most once over the proxy's life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Cuts the connection when the client sends its `nth` command (1-based, counted over every
    /// connection) that contains `needle`. The command is not forwarded.
    CutAtCommand { needle: String, nth: usize },
    /// Cuts connection number `connection` (0-based, in accept order) once the server has sent it
    /// `bytes` bytes; the client gets exactly that many.
    CutAfterBytes { connection: usize, bytes: u64 },
    /// Stops forwarding to connection `connection` after `bytes` server bytes, leaving it open.
    StallAfterBytes { connection: usize, bytes: u64 },
}

/// What happened to each rule, for assertions.
#[derive(Debug, Default)]
struct State {
    rules: Vec<(Rule, bool)>,
    command_counts: Vec<usize>,
}

/// A running proxy; listening stops on drop (open connections end with their peers).
pub struct Proxy {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to `target`.
    pub fn start(target: SocketAddr, rules: Vec<Rule>) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            command_counts: vec![0; rules.len()],
            rules: rules.into_iter().map(|r| (r, false)).collect(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        {
            let (state, stop, connections) = (Arc::clone(&state), Arc::clone(&stop), Arc::clone(&connections));
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((client, _)) => {
                            let index = connections.fetch_add(1, Ordering::SeqCst);
                            let state = Arc::clone(&state);
                            thread::spawn(move || {
                                let _ = relay(client, target, index, &state);
                            });
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(5)),
                        Err(_) => break,
                    }
                }
            });
        }
        Ok(Proxy {
            addr,
            state,
            stop,
            connections,
        })
    }

    /// The port clients connect to.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Whether every rule has fired.
    pub fn all_fired(&self) -> bool {
        self.state.lock().map(|s| s.rules.iter().all(|(_, fired)| *fired)).unwrap_or(false)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn relay(client: TcpStream, target: SocketAddr, index: usize, state: &Arc<Mutex<State>>) -> io::Result<()> {
    client.set_nonblocking(false)?;
    let server = TcpStream::connect(target)?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let cut = {
        let (client, server) = (Arc::new(client.try_clone()?), Arc::new(server.try_clone()?));
        move || {
            let _ = client.shutdown(Shutdown::Both);
            let _ = server.shutdown(Shutdown::Both);
        }
    };

    // Server → client, with byte-count rules for this connection.
    let limit = {
        let mut s = state.lock().map_err(|_| io::Error::other("proxy state poisoned"))?;
        s.rules.iter_mut().find_map(|(rule, fired)| match rule {
            Rule::CutAfterBytes { connection, bytes } if *connection == index && !*fired => {
                *fired = true;
                Some((*bytes, true))
            }
            Rule::StallAfterBytes { connection, bytes } if *connection == index && !*fired => {
                *fired = true;
                Some((*bytes, false))
            }
            _ => None,
        })
    };
    let downstream = {
        let (mut from, mut to, cut) = (server.try_clone()?, client.try_clone()?, cut.clone());
        thread::spawn(move || {
            let mut sent = 0u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let allowed = limit.map_or(n as u64, |(max, _)| (max - sent).min(n as u64)) as usize;
                if to.write_all(buf.get(..allowed).unwrap_or_default()).is_err() {
                    break;
                }
                sent += allowed as u64;
                if let Some((max, cut_it)) = limit
                    && sent >= max
                {
                    if cut_it {
                        cut();
                    } else {
                        // NOTE: a stall keeps both sockets open and reads nothing more, like a
                        // server that stopped answering.
                        loop {
                            thread::sleep(Duration::from_secs(3600));
                        }
                    }
                    break;
                }
            }
            let _ = to.shutdown(Shutdown::Write);
        })
    };

    // Client → server, with command rules counted over all connections.
    let (mut from, mut to) = (client, server);
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let data = buf.get(..n).unwrap_or_default();
        if command_rule_fires(state, data) {
            cut();
            break;
        }
        if to.write_all(data).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = downstream.join();
    Ok(())
}

fn command_rule_fires(state: &Arc<Mutex<State>>, data: &[u8]) -> bool {
    let Ok(mut s) = state.lock() else {
        return false;
    };
    let State { rules, command_counts } = &mut *s;
    for ((rule, fired), count) in rules.iter_mut().zip(command_counts.iter_mut()) {
        if let Rule::CutAtCommand { needle, nth } = rule
            && !*fired
            && data.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        {
            *count += 1;
            if *count == *nth {
                *fired = true;
                return true;
            }
        }
    }
    false
}
