//! A private Dovecot 2.3 on loopback for tests: it owns one temporary directory (config,
//! certificate, users, mail homes, log), starts and stops the server, and loads mail fast by
//! writing Maildir files directly (imap-test-server.md).

mod config;
mod maildir;

use std::collections::BTreeMap;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write as _};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _, chown};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::corpus::CorpusMessage;

pub use maildir::folder_dir;

/// The uid and gid that own all mail; Dovecot needs no passwd entry for it.
pub const MAIL_UID: u32 = 5000;

/// Standard users `user-01` … `user-40` are made at setup and handed out by
/// [`TestServer::fresh_user`], which adds more while the server runs when they are used up.
pub const STANDARD_POOL: usize = 40;
/// Gmail-like users `gmail-01` … `gmail-05`, made at setup; [`TestServer::fresh_gmail_user`]
/// hands them out and adds more likewise.
pub const GMAIL_POOL: usize = 5;

/// Named users with fixed roles: `alice`, `bob`, `carol` also see `Virtual/All`; `e2e` is the
/// account the `test-mail-server` binary fills.
const NAMED_USERS: &[(&str, UserKind)] = &[
    ("alice", UserKind::StandardWithVirtualAll),
    ("bob", UserKind::StandardWithVirtualAll),
    ("carol", UserKind::StandardWithVirtualAll),
    ("e2e", UserKind::Standard),
];

const READY_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
const START_ATTEMPTS: usize = 3;

/// Which capabilities the server advertises after login.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Capabilities {
    /// Dovecot's own list (MOVE, UIDPLUS, CONDSTORE, QRESYNC, SPECIAL-USE, …).
    #[default]
    Default,
    /// Everything but MOVE, to test the COPY + STORE + UID EXPUNGE fallback.
    WithoutMove,
    /// Neither MOVE nor UIDPLUS, to test the path without `UID EXPUNGE`.
    WithoutMoveAndUidplus,
}

/// How to start a [`TestServer`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ServerOptions {
    pub capabilities: Capabilities,
}

/// Which folder layout (namespace set) a user sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserKind {
    /// INBOX plus Drafts, Sent, Junk, Trash, Archive with special-use flags.
    Standard,
    /// The standard layout plus a virtual `Virtual/All` folder flagged `\All`.
    StandardWithVirtualAll,
    /// INBOX plus `[Gmail]/…` folders (All Mail, Drafts, Sent Mail, Spam, Trash, Starred, Important).
    Gmail,
}

/// A mail account on the test server. The password equals the name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestUser {
    pub name: String,
    pub password: String,
    pub home: PathBuf,
    /// The Maildir root (INBOX); folders are `.Name` directories inside it.
    pub maildir: PathBuf,
    pub kind: UserKind,
}

/// Where clients connect. Connect to `ip` and verify the certificate as `host`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `localhost`: the name the certificate is valid for (it also holds IP 127.0.0.1).
    pub host: String,
    pub ip: Ipv4Addr,
    /// Implicit TLS.
    pub imaps_port: u16,
    /// Plain, with STARTTLS offered.
    pub imap_port: u16,
    /// ManageSieve, only when Pigeonhole is installed.
    pub sieve_port: Option<u16>,
    /// The self-signed server certificate; trust it as the only CA.
    pub ca_file: PathBuf,
}

/// What [`TestServer::deliver_maildir`] did and how long each step took.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    pub files: usize,
    pub bytes: u64,
    pub folders: Vec<String>,
    pub write: Duration,
    pub resync: Duration,
}

/// A running Dovecot. Stopped (process group SIGTERM, then wait) and wiped on `Drop`.
///
/// A watchdog shell process also holds the instance: if the test process dies without running
/// `Drop` (a panic in a static, SIGKILL, `process::exit`), its stdin pipe closes and it stops
/// Dovecot and removes the directory.
pub struct TestServer {
    dir: PathBuf,
    config: PathBuf,
    endpoint: Endpoint,
    users: Mutex<BTreeMap<String, TestUser>>,
    next_standard: AtomicUsize,
    next_gmail: AtomicUsize,
    file_sequence: AtomicU64,
    master: Mutex<Option<Child>>,
    watchdog: Mutex<Option<Child>>,
}

impl TestServer {
    /// Sets up a fresh instance directory and starts Dovecot on free loopback ports.
    pub fn start(options: ServerOptions) -> io::Result<TestServer> {
        check_environment()?;
        let dir = create_instance_dir()?;
        let result = Self::start_in(&dir, options);
        if result.is_err() {
            let _ = fs::remove_dir_all(&dir);
        }
        result
    }

    /// One default instance per test binary, started on first use and stopped by its watchdog
    /// when the process exits (statics are never dropped).
    ///
    /// # Panics
    /// If the server cannot start; the message names the missing package or the Dovecot error.
    pub fn shared() -> &'static TestServer {
        static SHARED: OnceLock<Result<TestServer, String>> = OnceLock::new();
        let shared = SHARED.get_or_init(|| TestServer::start(ServerOptions::default()).map_err(|e| format!("{e}")));
        match shared {
            Ok(server) => server,
            Err(message) => panic!("the shared test Dovecot did not start: {message}"),
        }
    }

    fn start_in(dir: &Path, options: ServerOptions) -> io::Result<TestServer> {
        for sub in ["run", "state", "log", "home", "virtual/All"] {
            DirBuilder::new()
                .recursive(true)
                .mode(0o755)
                .create(dir.join(sub))
                .map_err(|e| with_path(e, "create", &dir.join(sub)))?;
        }
        write_certificate(dir)?;
        fs::write(dir.join("virtual/All/dovecot-virtual"), config::VIRTUAL_ALL)?;
        let users = create_users(dir)?;

        let instance_name = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "mailhound-test".to_owned());
        // NOTE: Pigeonhole (dovecot-managesieved, dovecot-sieve) is optional: without it the
        // config must not name the sieve protocol, or Dovecot refuses to start.
        let sieve_available = Path::new("/usr/lib/dovecot/managesieve-login").exists()
            && Path::new("/usr/lib/dovecot/modules/lib90_sieve_plugin.so").exists();
        let config_path = dir.join("dovecot.conf");

        let mut last_error = None;
        for _ in 0..START_ATTEMPTS {
            let mut ports = free_ports(if sieve_available { 3 } else { 2 })?.into_iter();
            let (imap_port, imaps_port) = match (ports.next(), ports.next()) {
                (Some(imap), Some(imaps)) => (imap, imaps),
                _ => return Err(io::Error::other("could not reserve two loopback ports")),
            };
            let params = config::ConfigParams {
                dir,
                instance_name: &instance_name,
                imap_port,
                imaps_port,
                sieve_port: ports.next(),
                capabilities: options.capabilities,
            };
            fs::write(&config_path, config::render(&params))?;
            let endpoint = Endpoint {
                host: "localhost".to_owned(),
                ip: Ipv4Addr::LOCALHOST,
                imaps_port,
                imap_port,
                sieve_port: params.sieve_port,
                ca_file: dir.join("ca.pem"),
            };
            match launch(dir, &config_path, &endpoint) {
                Ok((master, watchdog)) => {
                    return Ok(TestServer {
                        dir: dir.to_path_buf(),
                        config: config_path,
                        endpoint,
                        users: Mutex::new(users),
                        next_standard: AtomicUsize::new(0),
                        next_gmail: AtomicUsize::new(0),
                        file_sequence: AtomicU64::new(1),
                        master: Mutex::new(Some(master)),
                        watchdog: Mutex::new(Some(watchdog)),
                    });
                }
                Err(LaunchError::PortTaken(error)) => last_error = Some(error),
                Err(LaunchError::Failed(error)) => return Err(error),
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("Dovecot did not start")))
    }

    /// Where clients connect.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The instance directory (config, `ca.pem`, `users`, `home/`, `log/dovecot.log`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The generated `dovecot.conf`, for `doveadm -c` and `dovecot-lda -c`.
    pub fn config_path(&self) -> &Path {
        &self.config
    }

    /// Dovecot's log so far (logins, errors, Sieve actions).
    pub fn log(&self) -> io::Result<String> {
        let path = self.dir.join("log/dovecot.log");
        fs::read_to_string(&path).map_err(|e| with_path(e, "read", &path))
    }

    /// A user by name: `alice`, `bob`, `carol`, `e2e`, `user-NN`, `gmail-NN`, or one added with
    /// [`TestServer::add_user`].
    ///
    /// # Panics
    /// If there is no such user.
    pub fn user(&self, name: &str) -> TestUser {
        let found = self.users.lock().ok().and_then(|users| users.get(name).cloned());
        match found {
            Some(user) => user,
            None => panic!(
                "no test user {name:?}; known: alice, bob, carol, e2e, user-01..user-{STANDARD_POOL:02}, gmail-01..gmail-{GMAIL_POOL:02} and added ones"
            ),
        }
    }

    /// Adds a user to the running server: a home owned by the mail uid and a line appended to the
    /// `users` file. The password equals the name.
    pub fn add_user(&self, name: &str, kind: UserKind) -> io::Result<TestUser> {
        if name.is_empty() || name.contains([':', '/', '%', '@']) || name.contains(char::is_whitespace) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("unusable user name {name:?}")));
        }
        let mut users = self.users.lock().map_err(|_| io::Error::other("user table poisoned"))?;
        if users.contains_key(name) {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("user {name:?} exists")));
        }
        let (user, line) = create_user(&self.dir, name, kind)?;
        let path = self.dir.join("users");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| with_path(e, "open", &path))?;
        file.write_all(line.as_bytes()).map_err(|e| with_path(e, "append to", &path))?;
        users.insert(name.to_owned(), user.clone());
        drop(users);
        // NOTE: Dovecot 2.3's passwd-file driver re-reads a changed file, but checks at most once
        // a second, separately for passdb and userdb; wait until both know the user.
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if self.doveadm(&["user", name]).is_ok() && self.doveadm(&["auth", "test", name, name]).is_ok() {
                return Ok(user);
            }
            if Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("Dovecot did not pick up the new user {name:?}"),
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// The next unused standard user (`user-01`, `user-02`, …); safe to call from parallel tests.
    ///
    /// # Panics
    /// If a user beyond the pre-created pool cannot be added.
    pub fn fresh_user(&self) -> TestUser {
        let index = self.next_standard.fetch_add(1, Ordering::Relaxed) + 1;
        self.pooled_user(&format!("user-{index:02}"), index <= STANDARD_POOL, UserKind::Standard)
    }

    /// The next unused Gmail-like user (`gmail-01`, …).
    ///
    /// # Panics
    /// If a user beyond the pre-created pool cannot be added.
    pub fn fresh_gmail_user(&self) -> TestUser {
        let index = self.next_gmail.fetch_add(1, Ordering::Relaxed) + 1;
        self.pooled_user(&format!("gmail-{index:02}"), index <= GMAIL_POOL, UserKind::Gmail)
    }

    fn pooled_user(&self, name: &str, pre_created: bool, kind: UserKind) -> TestUser {
        if pre_created {
            return self.user(name);
        }
        match self.add_user(name, kind) {
            Ok(user) => user,
            Err(e) => panic!("adding test user {name:?} beyond the pre-created pool: {e}"),
        }
    }

    /// Writes `messages` as Maildir files into `user`'s folders (creating them), then makes
    /// Dovecot index them (`force-resync`) and subscribes the folders.
    pub fn deliver_maildir(&self, user: &TestUser, messages: &[CorpusMessage]) -> io::Result<Delivery> {
        let started = Instant::now();
        let threads = thread::available_parallelism().map_or(2, |n| n.get().min(4));
        let written = maildir::write_messages(&user.maildir, messages, &self.file_sequence, threads)?;
        let write = started.elapsed();

        let started = Instant::now();
        self.doveadm(&["force-resync", "-u", &user.name, "*"])?;
        let subscribe: Vec<&str> = written
            .folders
            .iter()
            .map(String::as_str)
            .filter(|folder| !folder.eq_ignore_ascii_case("INBOX"))
            .collect();
        if !subscribe.is_empty() {
            let mut args = vec!["mailbox", "subscribe", "-u", &user.name];
            args.extend(subscribe);
            self.doveadm(&args)?;
        }
        Ok(Delivery {
            files: written.files,
            bytes: written.bytes,
            folders: written.folders,
            write,
            resync: started.elapsed(),
        })
    }

    /// Runs `doveadm -c <config> ARGS…` and returns its stdout. Works only while the server runs
    /// (`-u USER` is looked up through the running auth process).
    pub fn doveadm(&self, args: &[&str]) -> io::Result<String> {
        let output = Command::new("doveadm")
            .arg("-c")
            .arg(&self.config)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| io::Error::new(e.kind(), format!("run doveadm: {e}")))?;
        if !output.status.success() {
            return Err(io::Error::other(format!(
                "doveadm {} failed ({}): {}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// CPU time used so far by the Dovecot master, its reaped children and its live processes.
    /// Compare deltas: on a shared machine CPU seconds are steadier than wall time.
    pub fn cpu_time(&self) -> io::Result<Duration> {
        let pgid = self.master_pid()?;
        // NOTE: a child reaped between reading the master and reading the child would be lost
        // (it leaves /proc as its time joins the master's cutime), so read until two agree.
        let mut previous = group_cpu_ticks(pgid)?;
        for _ in 0..20 {
            let current = group_cpu_ticks(pgid)?;
            if current == previous {
                break;
            }
            previous = current;
            thread::sleep(Duration::from_millis(5));
        }
        // NOTE: USER_HZ is 100 on every Linux this runs on; reading it needs libc.
        Ok(Duration::from_millis(previous.1 * 10))
    }

    fn master_pid(&self) -> io::Result<u32> {
        let master = self.master.lock().map_err(|_| io::Error::other("master lock poisoned"))?;
        master
            .as_ref()
            .map(Child::id)
            .ok_or_else(|| io::Error::other("the server is stopped"))
    }

    /// Stops Dovecot (SIGTERM to its process group, then wait) and removes the directory.
    /// Idempotent; `Drop` calls it.
    pub fn stop(&self) -> io::Result<()> {
        let master = self.master.lock().map_err(|_| io::Error::other("master lock poisoned"))?.take();
        if let Some(mut master) = master {
            stop_group(&mut master)?;
            remove_dir_patiently(&self.dir)?;
        }
        let watchdog = self.watchdog.lock().map_err(|_| io::Error::other("watchdog lock poisoned"))?.take();
        if let Some(mut watchdog) = watchdog {
            if let Some(mut stdin) = watchdog.stdin.take() {
                let _ = stdin.write_all(b"done\n");
            }
            let _ = watchdog.wait();
        }
        Ok(())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("mailhound-tests: stopping Dovecot in {}: {e}", self.dir.display());
        }
    }
}

enum LaunchError {
    PortTaken(io::Error),
    Failed(io::Error),
}

/// Starts `dovecot -F` as leader of its own process group, waits for the listeners, and starts
/// the watchdog.
fn launch(dir: &Path, config: &Path, endpoint: &Endpoint) -> Result<(Child, Child), LaunchError> {
    let stderr_path = dir.join("log/stderr.log");
    let stderr = File::create(&stderr_path).map_err(|e| LaunchError::Failed(with_path(e, "create", &stderr_path)))?;
    // NOTE: foreground mode keeps the master our child (so it is reaped); its own process group
    // lets one SIGTERM reach imap-login too, which otherwise holds the shutdown for seconds.
    let mut master = Command::new("dovecot")
        .arg("-F")
        .arg("-c")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .process_group(0)
        .spawn()
        .map_err(|e| LaunchError::Failed(missing_package(e, "dovecot", "dovecot-imapd")))?;

    let ports: Vec<u16> = [Some(endpoint.imap_port), Some(endpoint.imaps_port), endpoint.sieve_port]
        .into_iter()
        .flatten()
        .collect();
    let deadline = Instant::now() + READY_TIMEOUT;
    let mut pending = ports.clone();
    while !pending.is_empty() {
        if let Ok(Some(status)) = master.try_wait() {
            let log = fs::read_to_string(dir.join("log/dovecot.log")).unwrap_or_default();
            let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
            let message = format!(
                "dovecot exited during start ({status}); stderr: {}; log: {}",
                stderr.trim(),
                tail(&log, 10)
            );
            let error = io::Error::other(message);
            return Err(
                if log.contains("Address already in use") || stderr.contains("Address already in use") {
                    LaunchError::PortTaken(error)
                } else {
                    LaunchError::Failed(error)
                },
            );
        }
        if Instant::now() > deadline {
            let _ = stop_group(&mut master);
            return Err(LaunchError::Failed(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("dovecot did not listen on {ports:?} within {READY_TIMEOUT:?}"),
            )));
        }
        // NOTE: ask the kernel instead of probing with a connection: a probe slowed the stop.
        let mut still_pending = Vec::new();
        for port in pending {
            if !is_listening(port).map_err(LaunchError::Failed)? {
                still_pending.push(port);
            }
        }
        pending = still_pending;
        if !pending.is_empty() {
            thread::sleep(Duration::from_millis(10));
        }
    }

    let watchdog = spawn_watchdog(master.id(), dir).map_err(|e| {
        let _ = stop_group(&mut master);
        LaunchError::Failed(e)
    })?;
    Ok((master, watchdog))
}

fn is_listening(port: u16) -> io::Result<bool> {
    let output = Command::new("ss")
        .args(["-Hltn", &format!("sport = :{port}")])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| missing_package(e, "ss", "iproute2"))?;
    Ok(!output.stdout.trim_ascii().is_empty())
}

/// The watchdog waits on its stdin. `done` means a clean stop already happened; end-of-file
/// means this process died, so it stops the group and removes the directory itself.
// NOTE: dash's builtin kill rejects `--`, so the group is written as `-PGID` directly.
const WATCHDOG_SCRIPT: &str = r#"trap '' INT HUP
if read -r line && [ "$line" = done ]; then exit 0; fi
kill -TERM "-$1" 2>/dev/null
i=0
while [ $i -lt 100 ]; do
  state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)
  if [ -z "$state" ] || [ "$state" = Z ]; then break; fi
  sleep 0.1
  i=$((i+1))
done
kill -KILL "-$1" 2>/dev/null
sleep 0.2
rm -rf -- "$2"
"#;

fn spawn_watchdog(pgid: u32, dir: &Path) -> io::Result<Child> {
    let child = Command::new("sh")
        .arg("-c")
        .arg(WATCHDOG_SCRIPT)
        .arg("mailhound-dovecot-watchdog")
        .arg(pgid.to_string())
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // NOTE: its own group, so a Ctrl-C to the test run does not kill it before it cleans up.
        .process_group(0)
        .spawn()?;
    Ok(child)
}

/// SIGTERM to the whole process group, wait for the master, then for the rest of the group.
fn stop_group(master: &mut Child) -> io::Result<()> {
    let pgid = master.id();
    signal_group(pgid, "TERM")?;
    let deadline = Instant::now() + STOP_TIMEOUT;
    loop {
        if master.try_wait()?.is_some() {
            break;
        }
        if Instant::now() > deadline {
            signal_group(pgid, "KILL")?;
            master.wait()?;
            break;
        }
        thread::sleep(Duration::from_millis(20));
    }
    // NOTE: children outlive the master briefly (the log process still writes); removing the
    // directory under them fails with "Directory not empty".
    let deadline = Instant::now() + STOP_TIMEOUT;
    while group_processes(pgid)?.iter().any(|(_, stat)| stat.state != "Z") {
        if Instant::now() > deadline {
            signal_group(pgid, "KILL")?;
            break;
        }
        thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

fn signal_group(pgid: u32, signal: &str) -> io::Result<()> {
    // NOTE: the kill(1) command, because unsafe code (libc::kill) is forbidden workspace-wide.
    // NOTE: the exit status is ignored: it is non-zero when the group is already gone.
    Command::new("kill")
        .args([&format!("-{signal}"), "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status()?;
    Ok(())
}

/// The group's pids and CPU ticks: live processes' own time plus the master's reaped children.
fn group_cpu_ticks(pgid: u32) -> io::Result<(Vec<u32>, u64)> {
    let mut pids = Vec::new();
    let mut ticks = 0u64;
    for (pid, stat) in group_processes(pgid)? {
        let field = |index: usize| -> u64 { stat.fields.get(index).and_then(|value| value.parse().ok()).unwrap_or(0) };
        // NOTE: indexes count from the state after `(comm)`: utime 11, stime 12, cutime 13,
        // cstime 14.
        ticks += field(11) + field(12);
        if pid == pgid {
            ticks += field(13) + field(14);
        }
        pids.push(pid);
    }
    Ok((pids, ticks))
}

struct ProcessStat {
    state: String,
    /// The fields after `(comm)`, starting with the state at index 0.
    fields: Vec<String>,
}

/// The processes of a group, from `/proc/<pid>/stat` (pgrp is field 5).
fn group_processes(pgid: u32) -> io::Result<Vec<(u32, ProcessStat)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc")? {
        let Ok(entry) = entry else { continue };
        let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((_, after_comm)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<String> = after_comm.split_whitespace().map(str::to_owned).collect();
        if fields.get(2).and_then(|pgrp| pgrp.parse::<u32>().ok()) == Some(pgid) {
            let state = fields.first().cloned().unwrap_or_default();
            found.push((pid, ProcessStat { state, fields }));
        }
    }
    Ok(found)
}

fn remove_dir_patiently(dir: &Path) -> io::Result<()> {
    let mut attempts = 0;
    loop {
        match fs::remove_dir_all(dir) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(_) if attempts < 20 => {
                attempts += 1;
                thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(with_path(e, "remove", dir)),
        }
    }
}

/// Fails early, naming the package, when something the server needs is missing.
fn check_environment() -> io::Result<()> {
    for (tool, package) in [
        ("dovecot", "dovecot-imapd"),
        ("doveadm", "dovecot-core"),
        ("openssl", "openssl"),
        ("ss", "iproute2"),
    ] {
        Command::new(tool)
            .arg(if tool == "ss" { "-V" } else { "--version" })
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| missing_package(e, tool, package))?;
    }
    let status = fs::read_to_string("/proc/self/status")?;
    let uid = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .unwrap_or("");
    if uid != "0" {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the test Dovecot must run as root: it switches to mail uid 5000 and the dovecot/dovenull users",
        ));
    }
    Ok(())
}

fn missing_package(error: io::Error, tool: &str, package: &str) -> io::Error {
    if error.kind() == io::ErrorKind::NotFound {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("`{tool}` not found: install the Debian package {package} (apt-get install -y {package}; see scripts/setup)"),
        )
    } else {
        io::Error::new(error.kind(), format!("run {tool}: {error}"))
    }
}

/// The base for instance directories: `$MAILHOUND_TEST_TMPDIR`, else `/dev/shm` when it is a
/// tmpfs (steady timings; imap-test-server.md §5), else the system temp dir.
pub fn scratch_base() -> PathBuf {
    if let Some(dir) = std::env::var_os("MAILHOUND_TEST_TMPDIR") {
        return PathBuf::from(dir);
    }
    let shm_is_tmpfs = fs::read_to_string("/proc/mounts")
        .map(|mounts| {
            mounts.lines().any(|line| {
                let mut fields = line.split_whitespace();
                fields.nth(1) == Some("/dev/shm") && fields.next() == Some("tmpfs")
            })
        })
        .unwrap_or(false);
    if shm_is_tmpfs {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    }
}

/// Creates a new, uniquely named directory under [`scratch_base`] with mode 0755 (Dovecot's
/// processes run as other users and must traverse it).
pub fn create_scratch_dir(prefix: &str) -> io::Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let base = scratch_base();
    loop {
        let index = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!("{prefix}-{}-{index}", std::process::id()));
        match DirBuilder::new().mode(0o755).create(&dir) {
            Ok(()) => {
                fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
                return Ok(dir);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(with_path(e, "create", &dir)),
        }
    }
}

fn create_instance_dir() -> io::Result<PathBuf> {
    create_scratch_dir("mailhound-dovecot")
}

/// Writes `ca.pem` and `key.pem`. The RSA key is made once per process and reused.
fn write_certificate(dir: &Path) -> io::Result<()> {
    static PEM: Mutex<Option<(Vec<u8>, Vec<u8>)>> = Mutex::new(None);
    let mut cached = PEM.lock().map_err(|_| io::Error::other("certificate cache poisoned"))?;
    let (cert, key) = match cached.as_ref() {
        Some(pem) => pem.clone(),
        None => {
            let pem = make_certificate(dir)?;
            *cached = Some(pem.clone());
            pem
        }
    };
    fs::write(dir.join("ca.pem"), cert)?;
    let key_path = dir.join("key.pem");
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&key_path)?;
    file.write_all(&key)
}

fn make_certificate(dir: &Path) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let request = dir.join("openssl-request.cnf");
    fs::write(&request, config::OPENSSL_REQUEST)?;
    let output = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650"])
        .arg("-config")
        .arg(&request)
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("ca.pem"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| missing_package(e, "openssl", "openssl"))?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "openssl req failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    fs::remove_file(&request)?;
    Ok((fs::read(dir.join("ca.pem"))?, fs::read(dir.join("key.pem"))?))
}

/// Writes the `users` file (mode 0640, group dovecot) and creates every home, owned by the mail
/// uid: a root-owned home breaks `Virtual/All` with `[NOPERM]`.
fn create_users(dir: &Path) -> io::Result<BTreeMap<String, TestUser>> {
    let mut entries: Vec<(String, UserKind)> = NAMED_USERS.iter().map(|(name, kind)| ((*name).to_owned(), *kind)).collect();
    entries.extend((1..=STANDARD_POOL).map(|i| (format!("user-{i:02}"), UserKind::Standard)));
    entries.extend((1..=GMAIL_POOL).map(|i| (format!("gmail-{i:02}"), UserKind::Gmail)));

    let mut users = BTreeMap::new();
    let mut passwd = String::new();
    for (name, kind) in entries {
        let (user, line) = create_user(dir, &name, kind)?;
        passwd.push_str(&line);
        users.insert(name, user);
    }
    let path = dir.join("users");
    fs::write(&path, passwd)?;
    let dovecot_gid = group_id("dovecot")?;
    chown(&path, Some(0), Some(dovecot_gid)).map_err(|e| with_path(e, "chown", &path))?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640))?;
    Ok(users)
}

/// Creates the user's home and returns the user with its `users` line.
fn create_user(dir: &Path, name: &str, kind: UserKind) -> io::Result<(TestUser, String)> {
    let home = dir.join("home").join(name);
    DirBuilder::new()
        .mode(0o700)
        .create(&home)
        .map_err(|e| with_path(e, "create", &home))?;
    chown(&home, Some(MAIL_UID), Some(MAIL_UID)).map_err(|e| with_path(e, "chown", &home))?;
    let line = config::user_line(name, &home, kind);
    let user = TestUser {
        name: name.to_owned(),
        password: name.to_owned(),
        maildir: home.join("Maildir"),
        home,
        kind,
    };
    Ok((user, line))
}

fn group_id(group: &str) -> io::Result<u32> {
    let groups = fs::read_to_string("/etc/group")?;
    groups
        .lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            (fields.next() == Some(group))
                .then(|| fields.nth(1))
                .flatten()
                .and_then(|gid| gid.parse().ok())
        })
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no group {group:?}: the dovecot-core package creates it"),
            )
        })
}

/// `count` distinct free loopback ports. NOTE: another process may take one before Dovecot
/// binds it; `start` then retries with new ports.
fn free_ports(count: usize) -> io::Result<Vec<u16>> {
    let listeners: Vec<TcpListener> = (0..count)
        .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
        .collect::<io::Result<_>>()?;
    listeners
        .iter()
        .map(|listener| listener.local_addr().map(|addr| addr.port()))
        .collect()
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join(" | ")
}

fn with_path(error: io::Error, action: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{action} {}: {error}", path.display()))
}
