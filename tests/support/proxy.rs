//! A deterministic fault-injecting TCP proxy for loopback tests: it forwards bytes between a client
//! and Dovecot and, once per rule, cuts a connection at an exact command or byte count, or stalls it.
//!
//! Commands can only be matched on the plain port (Mailhound's loopback plaintext mode); byte
//! counts work over TLS too.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
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
    /// Holds the client's `nth` command containing `needle` (counted like `CutAtCommand`) until
    /// [`Proxy::release`], so a test can change the mailbox at an exact point of a session.
    HoldAtCommand { needle: String, nth: usize },
}

/// What happened to each rule, for assertions.
#[derive(Debug, Default)]
struct State {
    rules: Vec<(Rule, bool)>,
    command_counts: Vec<usize>,
    /// A command is being held by a `HoldAtCommand` rule.
    holding: bool,
    released: bool,
}

/// A running proxy; listening stops on drop (open connections end with their peers).
pub struct Proxy {
    addr: SocketAddr,
    state: Shared,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to `target`.
    pub fn start(target: SocketAddr, rules: Vec<Rule>) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new((
            Mutex::new(State {
                command_counts: vec![0; rules.len()],
                rules: rules.into_iter().map(|r| (r, false)).collect(),
                ..State::default()
            }),
            Condvar::new(),
        ));
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
        self.state
            .0
            .lock()
            .map(|s| s.rules.iter().all(|(_, fired)| *fired))
            .unwrap_or(false)
    }

    /// Waits up to `timeout` for a `HoldAtCommand` rule to hold its command; true if it does.
    pub fn wait_until_held(&self, timeout: Duration) -> bool {
        let (lock, changed) = &*self.state;
        let Ok(guard) = lock.lock() else { return false };
        changed
            .wait_timeout_while(guard, timeout, |s| !s.holding)
            .map(|(s, _)| s.holding)
            .unwrap_or(false)
    }

    /// Lets a held command (and every later one) through.
    pub fn release(&self) {
        let (lock, changed) = &*self.state;
        if let Ok(mut s) = lock.lock() {
            s.released = true;
            s.holding = false;
        }
        changed.notify_all();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The proxy's rules and what happened to them, with a signal for held commands.
type Shared = Arc<(Mutex<State>, Condvar)>;

fn relay(client: TcpStream, target: SocketAddr, index: usize, state: &Shared) -> io::Result<()> {
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
        let mut s = state.0.lock().map_err(|_| io::Error::other("proxy state poisoned"))?;
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
        match command_rule_fires(state, data) {
            Some(Fired::Cut) => {
                cut();
                break;
            }
            Some(Fired::Hold) => hold(state),
            None => {}
        }
        if to.write_all(data).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = downstream.join();
    Ok(())
}

enum Fired {
    Cut,
    Hold,
}

fn command_rule_fires(state: &Shared, data: &[u8]) -> Option<Fired> {
    let Ok(mut s) = state.0.lock() else {
        return None;
    };
    let State { rules, command_counts, .. } = &mut *s;
    for ((rule, fired), count) in rules.iter_mut().zip(command_counts.iter_mut()) {
        let (needle, nth, action) = match rule {
            Rule::CutAtCommand { needle, nth } => (needle, nth, Fired::Cut),
            Rule::HoldAtCommand { needle, nth } => (needle, nth, Fired::Hold),
            _ => continue,
        };
        if !*fired && data.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes())) {
            *count += 1;
            if *count == *nth {
                *fired = true;
                return Some(action);
            }
        }
    }
    None
}

/// Blocks this connection's commands until the test releases them.
fn hold(state: &Shared) {
    let (lock, changed) = &**state;
    let Ok(mut s) = lock.lock() else { return };
    s.holding = true;
    changed.notify_all();
    if let Ok(released) = changed.wait_while(s, |s| !s.released) {
        drop(released);
    }
}
