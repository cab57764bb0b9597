//! Benchmarks the header sync: loads a seeded corpus into a fresh test user, then times a raw,
//! non-parsing IMAPS client (the floor, imap-test-server.md §7) against `mailhound sync`.
//!
//! After the full scans it times two resyncs of the last cache: one with nothing changed, and one
//! after 1,000 new messages and 1,000 flag changes. It prints the ratio to the raw client and the
//! cache size per message.
//!
//! Usage: `bench-sync [--messages N] [--seed N] [--runs N]` (defaults 100000, 1, 3).
//! `MAILHOUND_BIN` names the CLI binary (default `target/release/mailhound`). The one command:
//! `cargo build --release -p mailhound-cli -p mailhound-tests && target/release/bench-sync`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use mailhound_tests::corpus::{Corpus, Layout};
use mailhound_tests::dovecot::{Endpoint, ServerOptions, TestServer, TestUser, create_scratch_dir};
use mailhound_tests::raw_imap::{RawSession, Status, mailbox_argument};

/// The header fields Mailhound caches, as the raw client asks for them.
const FETCH: &str = "UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC REPLY-TO SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID RETURN-PATH CONTENT-TYPE)])";

struct Options {
    messages: usize,
    seed: u64,
    runs: usize,
}

/// One timed sync.
struct Run {
    wall: Duration,
    messages: u64,
    bytes: u64,
    server_cpu: Duration,
    client_cpu: Option<Duration>,
    cache_bytes: Option<u64>,
    /// Headers the scan downloaded (mailhound only).
    fetched: u64,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench-sync: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let options = parse_args()?;
    let server = TestServer::start(ServerOptions::default())?;
    let user = server.fresh_user();
    let layout = Layout::ten_folders();

    let started = Instant::now();
    let messages = Corpus::generate(options.seed, options.messages, &layout);
    let generate = started.elapsed();
    let delivery = server.deliver_maildir(&user, &messages)?;
    let stored = messages.len();
    drop(messages);
    let load = generate + delivery.write + delivery.resync;
    println!(
        "load: {stored} messages ({} generated, seed {}) in {} folders, {:.0} MB, into {} on {}",
        options.messages,
        options.seed,
        delivery.folders.len(),
        delivery.bytes as f64 / 1e6,
        user.name,
        server.dir().display()
    );
    println!(
        "load: generate {:.2} s + write {:.2} s + resync {:.2} s = {:.2} s ({:.0} msg/s)",
        generate.as_secs_f64(),
        delivery.write.as_secs_f64(),
        delivery.resync.as_secs_f64(),
        load.as_secs_f64(),
        stored as f64 / load.as_secs_f64()
    );

    // NOTE: the auto-created, empty Drafts is synced too: Mailhound syncs every folder, and an
    // empty `UID FETCH 1:*` answers with only the tagged line.
    let mut folders: Vec<String> = layout.folders().iter().map(|f| (*f).to_owned()).collect();
    folders.push("Drafts".to_owned());

    let warm_up = raw_sync(&server, &user, &folders)?;
    println!(
        "raw warm-up (Dovecot cache empty): {:.2} s, {} messages, {:.1} MB, server CPU {:.2} s",
        warm_up.wall.as_secs_f64(),
        warm_up.messages,
        warm_up.bytes as f64 / 1e6,
        warm_up.server_cpu.as_secs_f64()
    );

    let mailhound = mailhound_binary();
    if mailhound.is_none() {
        println!(
            "mailhound: skipped, no binary at $MAILHOUND_BIN or target/release/mailhound \
             (build it with `cargo build --release -p mailhound-cli`)"
        );
    }
    let mut raw_runs = Vec::new();
    let mut mailhound_runs = Vec::new();
    let mut last_cache = None;
    for round in 1..=options.runs {
        let raw = raw_sync(&server, &user, &folders)?;
        print_run(&format!("raw #{round}"), &raw);
        raw_runs.push(raw);
        if let Some(binary) = &mailhound {
            let data_dir = create_scratch_dir("mailhound-bench-data")?;
            let run = mailhound_sync(&server, &user, binary, &data_dir)?;
            print_run(&format!("mailhound #{round}"), &run);
            mailhound_runs.push(run);
            if let Some(old) = last_cache.replace(data_dir) {
                fs::remove_dir_all(old)?;
            }
        }
    }

    let raw_median = median(&raw_runs);
    print_summary("raw (warm, IMAPS, 1 connection)", &raw_runs);
    if !mailhound_runs.is_empty() {
        print_summary("mailhound (cold cache, Dovecot warm)", &mailhound_runs);
        let ratio = median(&mailhound_runs).as_secs_f64() / raw_median.as_secs_f64();
        println!("ratio mailhound ÷ raw: {ratio:.2}");
        let cache: Vec<u64> = mailhound_runs.iter().filter_map(|r| r.cache_bytes).collect();
        if let (Some(bytes), Some(run)) = (cache.last(), mailhound_runs.last()) {
            println!(
                "cache: {:.1} MB, {:.0} bytes per message",
                *bytes as f64 / 1e6,
                *bytes as f64 / run.messages.max(1) as f64
            );
        }
    }
    if let (Some(binary), Some(data_dir)) = (&mailhound, &last_cache) {
        resyncs(&server, &user, binary, data_dir, &options, &layout)?;
        fs::remove_dir_all(data_dir)?;
    }
    server.stop()
}

/// Times a resync with nothing changed, then one after 1,000 new messages and 1,000 flag changes.
fn resyncs(server: &TestServer, user: &TestUser, binary: &Path, data_dir: &Path, options: &Options, layout: &Layout) -> io::Result<()> {
    let mut unchanged = Vec::new();
    for round in 1..=options.runs {
        let run = mailhound_sync(server, user, binary, data_dir)?;
        print_run(&format!("mailhound resync, nothing changed #{round}"), &run);
        if run.fetched != 0 {
            return Err(io::Error::other(format!("an unchanged resync fetched {} headers", run.fetched)));
        }
        unchanged.push(run);
    }
    println!(
        "resync with nothing changed: median {:.3} s (target ≤ 0.5 s)",
        median(&unchanged).as_secs_f64()
    );

    let new_mail = Corpus::generate(options.seed + 1, 1000, layout);
    server.deliver_maildir(user, &new_mail)?;
    // NOTE: 1,000 flag changes spread over two folders, by UID range, as another client would.
    for folder in ["INBOX", "Archive"] {
        server.doveadm(&["flags", "add", "-u", &user.name, "\\Flagged", "mailbox", folder, "uid", "1:500"])?;
    }
    let changed = mailhound_sync(server, user, binary, data_dir)?;
    print_run("mailhound resync, 1,000 new + 1,000 flag changes", &changed);
    println!(
        "resync after 1,000 new + 1,000 flag changes: {:.3} s, {} headers fetched",
        changed.wall.as_secs_f64(),
        changed.fetched
    );
    Ok(())
}

/// LOGIN, LIST, then EXAMINE + UID FETCH per folder over implicit TLS; counts FETCH responses.
fn raw_sync(server: &TestServer, user: &TestUser, folders: &[String]) -> io::Result<Run> {
    let server_cpu = server.cpu_time()?;
    let client_cpu = process_cpu_time()?;
    let started = Instant::now();
    let mut session = RawSession::connect_tls(server.endpoint())?;
    session.login(user)?;
    let mut bytes = 0;
    bytes += expect_ok(session.stream_command("LIST \"\" \"*\"", |_| {})?)?;
    let mut messages = 0u64;
    for folder in folders {
        let examine = format!("EXAMINE {}", mailbox_argument(folder));
        bytes += expect_ok(session.stream_command(&examine, |_| {})?)?;
        bytes += expect_ok(session.stream_command(FETCH, |line| {
            if line.starts_with(b"* ") && line.get(2..24).is_some_and(|head| head.windows(7).any(|w| w == b" FETCH ")) {
                messages += 1;
            }
        })?)?;
    }
    bytes += expect_ok(session.stream_command("LOGOUT", |_| {})?)?;
    let wall = started.elapsed();
    Ok(Run {
        wall,
        messages,
        bytes,
        server_cpu: server.cpu_time()?.saturating_sub(server_cpu),
        client_cpu: Some(process_cpu_time()?.saturating_sub(client_cpu)),
        cache_bytes: None,
        fetched: 0,
    })
}

fn expect_ok(completion: mailhound_tests::raw_imap::Completion) -> io::Result<u64> {
    if completion.status == Status::Ok {
        Ok(completion.bytes)
    } else {
        Err(io::Error::other(format!("server said {}", completion.text)))
    }
}

/// `mailhound --data-dir DIR sync imaps://USER@localhost:PORT --ca-file CA --json`.
fn mailhound_sync(server: &TestServer, user: &TestUser, binary: &Path, data_dir: &Path) -> io::Result<Run> {
    let Endpoint {
        host, imaps_port, ca_file, ..
    } = server.endpoint();
    let server_cpu = server.cpu_time()?;
    let client_cpu = children_cpu_time()?;
    let started = Instant::now();
    let output = Command::new(binary)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("sync")
        .arg(format!("imaps://{}@{host}:{imaps_port}", user.name))
        .arg("--ca-file")
        .arg(ca_file)
        .arg("--json")
        .env("MAILHOUND_PASSWORD", &user.password)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("run {}: {e}", binary.display())))?;
    let wall = started.elapsed();
    let server_cpu = server.cpu_time()?.saturating_sub(server_cpu);
    let client_cpu = children_cpu_time()?.saturating_sub(client_cpu);
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "mailhound sync failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str::<serde_json::Value>(line.trim()).ok())
        .or_else(|| serde_json::from_str::<serde_json::Value>(stdout.trim()).ok())
        .ok_or_else(|| io::Error::other(format!("no JSON report in mailhound's output: {stdout}")))?;
    let messages = report
        .get("messages")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| io::Error::other(format!("no \"messages\" in {report}")))?;
    let fetched = report.get("fetched").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let cache_bytes = sqlite_bytes(data_dir)?;
    Ok(Run {
        wall,
        messages,
        bytes: 0,
        server_cpu,
        client_cpu: Some(client_cpu),
        cache_bytes: Some(cache_bytes),
        fetched,
    })
}

/// Bytes of every SQLite database under `dir`, with its `-wal` file.
fn sqlite_bytes(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            total += sqlite_bytes(&path)?;
            continue;
        }
        let mut header = [0u8; 16];
        let is_sqlite = fs::File::open(&path)
            .and_then(|mut file| io::Read::read_exact(&mut file, &mut header))
            .is_ok()
            && &header == b"SQLite format 3\0";
        if is_sqlite {
            total += fs::metadata(&path)?.len();
            let mut wal = path.clone().into_os_string();
            wal.push("-wal");
            total += fs::metadata(&wal).map_or(0, |meta| meta.len());
        }
    }
    Ok(total)
}

fn mailhound_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MAILHOUND_BIN") {
        return Some(PathBuf::from(path));
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        PathBuf::from("target/release/mailhound"),
        workspace.join("target/release/mailhound"),
    ]
    .into_iter()
    .find(|path| path.is_file())
}

/// User + system CPU of this process so far, from `/proc/self/stat` (USER_HZ = 100).
fn process_cpu_time() -> io::Result<Duration> {
    stat_cpu_time(11)
}

/// User + system CPU of the children this process has waited for (the `mailhound` runs).
fn children_cpu_time() -> io::Result<Duration> {
    stat_cpu_time(13)
}

/// The sum of the user and system tick fields starting at `field` (counted after the command name).
fn stat_cpu_time(field: usize) -> io::Result<Duration> {
    let stat = fs::read_to_string("/proc/self/stat")?;
    let after_comm = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after_comm.split_whitespace().map(|field| field.parse().unwrap_or(0)).collect();
    let ticks = fields.get(field).copied().unwrap_or(0) + fields.get(field + 1).copied().unwrap_or(0);
    Ok(Duration::from_millis(ticks * 10))
}

fn print_run(label: &str, run: &Run) {
    let client = run
        .client_cpu
        .map(|cpu| format!(", client CPU {:.2} s", cpu.as_secs_f64()))
        .unwrap_or_default();
    let wire = if run.bytes > 0 {
        format!(", {:.1} MB", run.bytes as f64 / 1e6)
    } else {
        String::new()
    };
    println!(
        "{label}: {:.2} s, {} messages ({:.0} msg/s){wire}, server CPU {:.2} s{client}",
        run.wall.as_secs_f64(),
        run.messages,
        run.messages as f64 / run.wall.as_secs_f64(),
        run.server_cpu.as_secs_f64()
    );
}

fn median(runs: &[Run]) -> Duration {
    let mut walls: Vec<Duration> = runs.iter().map(|run| run.wall).collect();
    walls.sort();
    walls.get(walls.len() / 2).copied().unwrap_or_default()
}

fn print_summary(label: &str, runs: &[Run]) {
    let wall = median(runs);
    let messages = runs.first().map_or(0, |run| run.messages);
    let mut cpu: Vec<Duration> = runs.iter().map(|run| run.server_cpu).collect();
    cpu.sort();
    println!(
        "median {label}: {:.2} s, {:.0} msg/s, server CPU {:.2} s ({} runs)",
        wall.as_secs_f64(),
        messages as f64 / wall.as_secs_f64(),
        cpu.get(cpu.len() / 2).copied().unwrap_or_default().as_secs_f64(),
        runs.len()
    );
}

fn parse_args() -> io::Result<Options> {
    let mut options = Options {
        messages: 100_000,
        seed: 1,
        runs: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        let invalid = || io::Error::new(io::ErrorKind::InvalidInput, format!("bad {flag} {value:?}"));
        match flag.as_str() {
            "--messages" => options.messages = value.parse().map_err(|_| invalid())?,
            "--seed" => options.seed = value.parse().map_err(|_| invalid())?,
            "--runs" => options.runs = value.parse().map_err(|_| invalid())?,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("unknown argument {flag:?}; usage: bench-sync [--messages N] [--seed N] [--runs N]"),
                ));
            }
        }
    }
    Ok(options)
}
