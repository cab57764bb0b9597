//! Benchmarks hunting: fills a cache with generated headers (once; it is kept), then, in a fresh
//! process so memory is measured from idle, builds the hunt index and times a mixed set of
//! misremembered hunts.
//!
//! Usage: `bench-hunt [--messages N] [--seed N] [--queries N] [--cache FILE]` (defaults 1000000,
//! 7, 400, `target/bench-hunt/cache-N-SEED.sqlite`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::thread;
use std::time::{Duration, Instant};

use mailhound_core::hunt::{HuntIndex, HuntQuery, When};
use mailhound_core::store::Store;
use mailhound_tests::corpus::{Corpus, CorpusMessage, Layout, OWNER_NAME};

#[path = "hunt_common.rs"]
mod hunt_common;

use hunt_common::{Certainty, DAY, Loader, Rng, misremember};

struct Options {
    messages: usize,
    seed: u64,
    queries: usize,
    cache: PathBuf,
    measure: bool,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench-hunt: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    if options.measure {
        return measure(&options);
    }
    if !options.cache.exists() {
        generate(&options)?;
    }
    let status = Command::new(std::env::current_exe()?)
        .args([
            "--messages",
            &options.messages.to_string(),
            "--seed",
            &options.seed.to_string(),
            "--queries",
            &options.queries.to_string(),
            "--cache",
        ])
        .arg(&options.cache)
        .arg("--measure")
        .status()?;
    if !status.success() {
        return Err("the measuring process failed".into());
    }
    Ok(())
}

fn options() -> Result<Options, Box<dyn std::error::Error>> {
    let mut messages = 1_000_000;
    let mut seed = 7;
    let mut queries = 400;
    let mut cache = None;
    let mut measure = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--messages" => messages = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            "--queries" => queries = value()?.parse()?,
            "--cache" => cache = Some(PathBuf::from(value()?)),
            "--measure" => measure = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let cache = cache.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/bench-hunt")
            .join(format!("cache-{messages}-{seed}.sqlite"))
    });
    Ok(Options {
        messages,
        seed,
        queries,
        cache,
        measure,
    })
}

/// Writes the cache under a temporary name, renamed when complete, so an interrupted run is redone.
fn generate(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let partial = options.cache.with_extension("partial");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    {
        let mut store = Store::open(&partial)?;
        let mut loader = Loader::new(&mut store)?;
        let layout = Layout::standard();
        let chunk = 20_000;
        for start in (0..options.messages).step_by(chunk) {
            let end = (start + chunk).min(options.messages);
            let messages = generate_range(options.seed, start, end, &layout);
            loader.load(&mut store, &messages)?;
            eprint!(
                "\rgenerated {end}/{} messages ({:.0} s)",
                options.messages,
                started.elapsed().as_secs_f64()
            );
        }
        eprintln!();
    }
    std::fs::rename(&partial, &options.cache)?;
    Ok(())
}

fn generate_range(seed: u64, start: usize, end: usize, layout: &Layout) -> Vec<CorpusMessage> {
    let middle = start + (end - start) / 2;
    thread::scope(|scope| {
        let halves: Vec<_> = [(start, middle), (middle, end)]
            .into_iter()
            .map(|(a, b)| scope.spawn(move || (a..b).map(|i| Corpus::message(seed, i as u64, layout)).collect::<Vec<_>>()))
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

fn measure(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&options.cache)?;
    let idle = rss_kib("VmRSS");
    let started = Instant::now();
    let index = HuntIndex::build(&store, None)?;
    let build = started.elapsed();
    let built = rss_kib("VmRSS");
    let stats = index.stats();

    let queries = queries(options);
    for q in queries.iter().take(20) {
        index.hunt(&store, q)?;
    }
    let mut latencies = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    for q in &queries {
        let started = Instant::now();
        hits += index.hunt(&store, q)?.len();
        latencies.push(started.elapsed());
    }
    latencies.sort_unstable();
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let peak = rss_kib("VmHWM");
    let after = rss_kib("VmRSS");
    println!("messages indexed     {}", stats.messages);
    println!("distinct words       {}", stats.words);
    println!("index build          {:.2} s", build.as_secs_f64());
    println!("hunts                {} ({} hits)", latencies.len(), hits);
    println!("latency p50          {:.1} ms", ms(at(0.5)));
    println!("latency p90          {:.1} ms", ms(at(0.9)));
    println!("latency p99          {:.1} ms", ms(at(0.99)));
    println!("latency max          {:.1} ms", ms(latencies.last().copied().unwrap_or_default()));
    for (name, query) in worst_cases() {
        let started = Instant::now();
        let found = index.hunt(&store, &query)?.len();
        println!("worst case           {:.1} ms  {name} ({found} hits)", ms(started.elapsed()));
    }
    println!("RSS idle             {:.0} MiB", idle as f64 / 1024.0);
    println!(
        "RSS above idle       {:.0} MiB after build, {:.0} MiB after hunts, {:.0} MiB peak",
        (built - idle) as f64 / 1024.0,
        (after - idle) as f64 / 1024.0,
        (peak - idle) as f64 / 1024.0
    );
    Ok(())
}

/// A realistic mix: misremembered sender, subject and date in various combinations, plus some
/// hunts by date alone and some limited to attachments.
fn queries(options: &Options) -> Vec<HuntQuery> {
    let layout = Layout::standard();
    let mut rng = Rng::new(options.seed ^ 0xBE4C);
    let mut queries = Vec::with_capacity(options.queries);
    while queries.len() < options.queries {
        let index = rng.below(options.messages as u64);
        let m = Corpus::message(options.seed, index, &layout);
        if m.folder == "Sent" || m.folder == "Drafts" {
            continue;
        }
        let mut query = misremember(&mut rng, &m, Certainty::Informative).query(10);
        match rng.below(20) {
            0 => {
                query = HuntQuery {
                    when: m.date.map_or(When::Any, |d| When::Around {
                        day: d.timestamp().div_euclid(DAY) * DAY,
                        slack_days: 1,
                    }),
                    limit: 10,
                    ..HuntQuery::default()
                };
            }
            1 => query.has_attachment = Some(true),
            2 => query.to = Some(OWNER_NAME.to_lowercase()),
            _ => {}
        }
        if query.from.is_none() && query.subject.is_none() && query.when == When::Any {
            continue;
        }
        queries.push(query);
    }
    queries
}

/// Hunts that match a large share of the cache, timed one by one (not part of the percentiles).
fn worst_cases() -> Vec<(&'static str, HuntQuery)> {
    let base = HuntQuery {
        limit: 10,
        ..HuntQuery::default()
    };
    vec![
        (
            "to the mailbox owner, nothing else",
            HuntQuery {
                to: Some(OWNER_NAME.to_lowercase()),
                ..base.clone()
            },
        ),
        (
            "a common first name only",
            HuntQuery {
                from: Some("anna".into()),
                ..base.clone()
            },
        ),
        (
            "one common subject word",
            HuntQuery {
                subject: Some("meeting".into()),
                ..base.clone()
            },
        ),
        (
            "a 60-day range, no words",
            HuntQuery {
                when: When::Between {
                    first_day: 1_700_000_000 / DAY * DAY,
                    last_day: (1_700_000_000 / DAY + 60) * DAY,
                },
                ..base
            },
        ),
    ]
}

/// A line of /proc/self/status in KiB (0 where there is no /proc).
fn rss_kib(field: &str) -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}
