//! Evaluates hunt quality: a seeded corpus plus planted look-alike families (patch series, monthly
//! invoices, near-namesakes, long threads), hunts written from real targets by seeded
//! misremembering, and recall@1/5/10 for Mailhound and for an exact-substring baseline (the AND of
//! the remembered terms, as IMAP SEARCH does). Targets are drawn from the whole corpus, and
//! again from the planted families alone as a stress set; each under two models of how the
//! certainty a person states relates to their date's error (see `hunt_common::Certainty`).
//!
//! One corpus and 1,000 hunts measure recall@1 only to about ±0.03, so the report pools several
//! seeds, each a fresh corpus, look-alike families and hunts, and prints a 95 % interval. Hunts are
//! split by a hash into a dev half (for tuning, `--dev-only`) and a held-out half (for the report
//! only). The default seeds are those of the last report, and their held-out halves have been read:
//! tune and report on new `--seeds`.
//!
//! Usage: `eval-hunt [--messages N] [--seeds A-B|A,B,…] [--hunts N] [--dev-only] [--show-misses N]`
//! (defaults 20000, 501-508, 1000 hunts per seed).

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::process::ExitCode;
use std::sync::Mutex;

use chrono::{Duration, TimeZone as _, Utc};
use mailhound_core::hunt::HuntIndex;
use mailhound_core::store::Store;
use mailhound_tests::corpus::{Corpus, CorpusMessage, Layout};

#[path = "hunt_common.rs"]
mod hunt_common;

use hunt_common::{Certainty, DAY, Loader, Remembered, Rng, day_likelihood, misremember, rememberable_words};

struct Options {
    messages: usize,
    seeds: Vec<u64>,
    hunts: usize,
    dev_only: bool,
    show_misses: usize,
}

/// The date models and target sets every seed is evaluated under, the headline first.
const SETS: [(Certainty, Targets); 4] = [
    (Certainty::Informative, Targets::Anywhere),
    (Certainty::Informative, Targets::LookAlikes),
    (Certainty::Independent, Targets::Anywhere),
    (Certainty::Independent, Targets::LookAlikes),
];

/// Scores closer than this are the same: the hunt's own test for a tie.
const SAME_SCORE: f64 = 1e-9;

/// Where hunt targets are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Targets {
    /// Every message equally likely, the planted families at their share of the corpus.
    Anywhere,
    /// Only the planted families (patch series, invoices, namesakes, threads), where many hunts
    /// cannot tell the target from a sibling on what was remembered.
    LookAlikes,
}

/// One hunt and where its target came out.
struct Outcome {
    held_out: bool,
    planted: bool,
    mailhound: Option<usize>,
    baseline: Option<usize>,
    /// Credit at rank 1 if exact ties were split evenly: 1 / (messages sharing the top score) when
    /// the target is one of them. Shows how much of recall@1 the tie-break order decides.
    tie_share: f64,
    /// The most any ranking could expect at rank 1 on this hunt; see [`Twins::ceiling`].
    ceiling: f64,
    /// Why the target was not first, when it was not.
    miss: Option<Miss>,
}

/// Why a target was not ranked first, judged by the hunt generator's own date model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Miss {
    /// No date remembered, and the top hit scored exactly as the target.
    UndatedTie,
    /// No date remembered, and the top hit scored higher.
    Undated,
    /// A date remembered, and the top hit scored exactly as the target.
    DatedTie,
    /// The top hit's date fits the remembered day strictly better than the target's.
    TopFitsBetter,
    /// Both dates fit the remembered day equally well.
    FitsEqually,
    /// The target's date fits better: the one place a ranking could have done better on dates.
    TargetFitsBetter,
    /// Nothing was found at all.
    NoHits,
}

impl Miss {
    const ALL: [(Miss, &'static str); 7] = [
        (Miss::UndatedTie, "no date, exact tie"),
        (Miss::Undated, "no date, outscored"),
        (Miss::DatedTie, "dated, exact tie"),
        (Miss::TopFitsBetter, "top fits the day better"),
        (Miss::FitsEqually, "fits the day as well"),
        (Miss::TargetFitsBetter, "target fits the day better"),
        (Miss::NoHits, "no hits"),
    ];

    fn name(self) -> &'static str {
        Miss::ALL.iter().find(|(kind, _)| *kind == self).map_or("", |(_, name)| name)
    }

    /// Exact ties: the hunt as remembered cannot tell the top hit from the target (a patch
    /// series, a thread, monthly invoices).
    fn is_tie(self) -> bool {
        matches!(self, Miss::UndatedTie | Miss::DatedTie)
    }

    fn of(
        target: &CorpusMessage,
        top: Option<&mailhound_core::hunt::Hit>,
        tied: bool,
        remembered: &Remembered,
        certainty: Certainty,
    ) -> Miss {
        let Some(top) = top else { return Miss::NoHits };
        let Some((day, slack)) = remembered.day else {
            return if tied { Miss::UndatedTie } else { Miss::Undated };
        };
        if tied {
            return Miss::DatedTie;
        }
        let fit = |date: Option<i64>| date.map_or(0.0, |d| day_likelihood(certainty, day.div_euclid(DAY) - d.div_euclid(DAY), slack));
        let (own, other) = (fit(target.date.map(|d| d.timestamp())), fit(top.message.date));
        if other > own + 1e-12 {
            Miss::TopFitsBetter
        } else if own > other + 1e-12 {
            Miss::TargetFitsBetter
        } else {
            Miss::FitsEqually
        }
    }
}

/// What one seed produced: outcomes per entry of [`SETS`], and the misses to show.
struct SeedResult {
    seed: u64,
    corpus: usize,
    planted: usize,
    outcomes: [Vec<Outcome>; 4],
    misses: Vec<String>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("eval-hunt: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    // NOTE: seeds are independent; two workers keep both cores busy.
    let queue = Mutex::new(options.seeds.iter().copied());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                    let Some(seed) = next else { break };
                    let result = evaluate_seed(&options, seed).map_err(|e| format!("seed {seed}: {e}"));
                    if let Ok(mut all) = results.lock() {
                        all.push(result);
                    }
                }
            });
        }
    });
    let mut results = results
        .into_inner()
        .map_err(|_| "a worker panicked")?
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    results.sort_by_key(|r| r.seed);
    print_report(&options, &results);
    Ok(())
}

fn evaluate_seed(options: &Options, seed: u64) -> Result<SeedResult, Box<dyn std::error::Error>> {
    let mut corpus = Corpus::generate(seed, options.messages, &Layout::standard());
    let planted_from = corpus.len();
    corpus.extend(look_alikes(seed));

    let dir = std::env::temp_dir().join(format!("eval-hunt-{}-{seed}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = (|| {
        let mut store = Store::open(&dir.join("eval.sqlite"))?;
        let mut loader = Loader::new(&mut store)?;
        for chunk in corpus.chunks(5000) {
            loader.load(&mut store, chunk)?;
        }
        let index = HuntIndex::build(&store, None)?;
        let twins = Twins::new(&corpus);
        let mut misses = Vec::new();
        let mut outcomes: [Vec<Outcome>; 4] = Default::default();
        for (slot, (certainty, targets)) in outcomes.iter_mut().zip(SETS) {
            let show = if (certainty, targets) == SETS[0] { options.show_misses } else { 0 };
            *slot = hunts(
                options.hunts,
                seed,
                &corpus,
                &twins,
                planted_from,
                &store,
                &index,
                certainty,
                targets,
                show,
                &mut misses,
            )?;
        }
        Ok::<_, Box<dyn std::error::Error>>(SeedResult {
            seed,
            corpus: corpus.len(),
            planted: corpus.len() - planted_from,
            outcomes,
            misses,
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs one seed's hunts under one date model and target set.
#[allow(clippy::too_many_arguments)] // NOTE: a benchmark's plumbing; a struct would only rename them.
fn hunts(
    count: usize,
    seed: u64,
    corpus: &[CorpusMessage],
    twins: &Twins<'_>,
    planted_from: usize,
    store: &Store,
    index: &HuntIndex,
    certainty: Certainty,
    targets: Targets,
    show_misses: usize,
    misses: &mut Vec<String>,
) -> Result<Vec<Outcome>, Box<dyn std::error::Error>> {
    let mut rng = Rng::new(seed ^ 0xE7A1);
    let mut outcomes = Vec::new();
    let mut attempts = 0;
    while outcomes.len() < count && attempts < count * 20 {
        attempts += 1;
        let i = match targets {
            Targets::Anywhere => rng.below(corpus.len() as u64) as usize,
            Targets::LookAlikes if corpus.len() > planted_from => planted_from + rng.below((corpus.len() - planted_from) as u64) as usize,
            Targets::LookAlikes => break,
        };
        let planted = i >= planted_from;
        let Some(target) = corpus.get(i) else { continue };
        let Some(target_id) = target.message_id.as_deref().filter(|_| is_target(target)) else {
            continue;
        };
        let remembered = misremember(&mut rng, target, certainty);
        if remembered.from.is_none() && remembered.subject.is_none() {
            continue;
        }
        let hits = index.hunt(store, &remembered.query(10))?;
        let mailhound = hits.iter().position(|h| h.message.message_id.as_deref() == Some(target_id));
        let target_score = hits
            .iter()
            .find(|h| h.message.message_id.as_deref() == Some(target_id))
            .map(|h| h.score);
        let top_score = hits.first().map_or(0.0, |h| h.score);
        let same = |score: f64| (score - top_score).abs() < SAME_SCORE;
        let tied = mailhound.is_some_and(|r| r > 0) && target_score.is_some_and(same);
        let sharing = hits.iter().filter(|h| same(h.score)).count();
        let tie_share = if target_score.is_some_and(same) {
            1.0 / sharing.max(1) as f64
        } else {
            0.0
        };
        let baseline = baseline(corpus, &remembered).iter().position(|id| id == target_id);
        let ceiling = twins.ceiling(i, &remembered, certainty);
        let miss = (mailhound != Some(0)).then(|| Miss::of(target, hits.first(), tied, &remembered, certainty));
        let held_out = held_out(target_id, outcomes.len());
        if !held_out && mailhound != Some(0) && misses.len() < show_misses {
            let top = hits.first().map(|h| {
                format!(
                    "{} <{}> | {} | {:?} | {:.4}",
                    h.message.from_name,
                    h.message.from_address,
                    h.message.subject,
                    h.message
                        .date
                        .and_then(|d| chrono::DateTime::from_timestamp(d, 0))
                        .map(|d| d.date_naive()),
                    h.score
                )
            });
            misses.push(format!(
                "({}; ceiling {ceiling:.2}) {:?} remembered day {:?}\n    target: {} <{}> | {} | {:?} | {:?}\n    rank {:?}, top: {}",
                miss.map_or("", Miss::name),
                remembered,
                remembered
                    .day
                    .and_then(|(d, _)| chrono::DateTime::from_timestamp(d, 0))
                    .map(|d| d.date_naive()),
                target.from_name,
                target.from_address,
                target.subject,
                target.date.map(|d| d.date_naive()),
                target_score,
                mailhound.map(|r| r + 1),
                top.unwrap_or_default()
            ));
        }
        outcomes.push(Outcome {
            held_out,
            planted,
            mailhound,
            baseline,
            tie_share,
            ceiling,
            miss,
        });
    }
    Ok(outcomes)
}

fn print_report(options: &Options, results: &[SeedResult]) {
    let seeds: Vec<String> = results.iter().map(|r| r.seed.to_string()).collect();
    println!("seeds                {}", seeds.join(", "));
    for r in results {
        println!(
            "corpus, seed {:<6} {} messages ({} planted look-alikes)",
            r.seed, r.corpus, r.planted
        );
    }
    let half = |held_out: bool| move |o: &&Outcome| o.held_out == held_out;
    for (slot, (certainty, targets)) in SETS.into_iter().enumerate() {
        let dates = match certainty {
            Certainty::Informative => "stated certainty mostly right (the realistic model)",
            Certainty::Independent => "stated certainty independent of the error (harsher)",
        };
        let which = match targets {
            Targets::Anywhere => "any message (the corpus as it is)",
            Targets::LookAlikes => "only messages of planted look-alike families (stress set)",
        };
        println!("\ndates: {dates}; targets: {which}");
        let pooled = || results.iter().flat_map(move |r| r.outcomes.get(slot).into_iter().flatten());
        let mut halves = vec![("dev", false)];
        if !options.dev_only {
            halves.push(("held-out", true));
        }
        for (name, held_out) in halves {
            for r in results {
                let outcomes = r.outcomes.get(slot).into_iter().flatten().filter(half(held_out));
                report(&format!("{name}, seed {}", r.seed), outcomes, false);
            }
            report(&format!("{name}, pooled"), pooled().filter(half(held_out)), true);
            if targets == Targets::Anywhere {
                report(
                    &format!("{name}, look-alikes"),
                    pooled().filter(half(held_out)).filter(|o| o.planted),
                    true,
                );
                report(
                    &format!("{name}, ordinary"),
                    pooled().filter(half(held_out)).filter(|o| !o.planted),
                    true,
                );
            }
        }
    }
    for miss in results.iter().flat_map(|r| &r.misses) {
        println!("miss: {miss}");
    }
}

fn report<'a>(name: &str, outcomes: impl Iterator<Item = &'a Outcome>, with_interval: bool) {
    let outcomes: Vec<&Outcome> = outcomes.collect();
    let n = outcomes.len();
    let recall = |rank: fn(&Outcome) -> Option<usize>, k: usize| {
        outcomes.iter().filter(|o| rank(o).is_some_and(|r| r < k)).count() as f64 / n.max(1) as f64
    };
    let tied = outcomes.iter().filter(|o| o.miss.is_some_and(Miss::is_tie)).count();
    let split = outcomes.iter().map(|o| o.tie_share).sum::<f64>() / n.max(1) as f64;
    let ceiling = outcomes.iter().map(|o| o.ceiling).sum::<f64>() / n.max(1) as f64;
    let (at1, at5) = (recall(|o| o.mailhound, 1), recall(|o| o.mailhound, 5));
    let interval = |p: f64| {
        if with_interval {
            let (low, high) = wilson(p, n);
            format!(" [{low:.3}–{high:.3}]")
        } else {
            String::new()
        }
    };
    println!(
        "{name:<22} n={n:<5} Mailhound recall@1 {at1:.3}{} (ties split {split:.3}, ceiling {ceiling:.3}) @5 {at5:.3}{} @10 {:.3} (top tied with target {tied}) | baseline recall@1 {:.3} @5 {:.3} @10 {:.3}",
        interval(at1),
        interval(at5),
        recall(|o| o.mailhound, 10),
        recall(|o| o.baseline, 1),
        recall(|o| o.baseline, 5),
        recall(|o| o.baseline, 10),
    );
    if with_interval {
        let kinds: Vec<String> = Miss::ALL
            .iter()
            .map(|(kind, name)| format!("{name} {}", outcomes.iter().filter(|o| o.miss == Some(*kind)).count()))
            .collect();
        println!("{:<22} rank-1 misses: {}", "", kinds.join(", "));
    }
}

/// The 95 % Wilson score interval of a proportion `p` measured over `n` hunts.
fn wilson(p: f64, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (n, z) = (n as f64, 1.96_f64);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    (centre - half, centre + half)
}

/// The hunt targets grouped by what a hunt can remember of them: the sender (name and address) and
/// the rememberable subject words. Two messages alike in both are equally likely to have produced
/// a hunt's sender and subject text, so only the date can tell them apart.
struct Twins<'a> {
    corpus: &'a [CorpusMessage],
    /// Each message's rememberable subject words, sorted.
    subjects: Vec<Vec<String>>,
    by_sender: HashMap<(&'a str, &'a str), Vec<usize>>,
    by_subject: HashMap<Vec<String>, Vec<usize>>,
}

impl<'a> Twins<'a> {
    fn new(corpus: &'a [CorpusMessage]) -> Twins<'a> {
        let subjects: Vec<Vec<String>> = corpus
            .iter()
            .map(|m| {
                let mut words = rememberable_words(&m.subject);
                words.sort_unstable();
                words
            })
            .collect();
        let mut by_sender: HashMap<_, Vec<usize>> = HashMap::new();
        let mut by_subject: HashMap<_, Vec<usize>> = HashMap::new();
        for ((i, m), subject) in corpus.iter().enumerate().zip(&subjects) {
            if is_target(m) {
                by_sender
                    .entry((m.from_name.as_str(), m.from_address.as_str()))
                    .or_default()
                    .push(i);
                by_subject.entry(subject.clone()).or_default().push(i);
            }
        }
        Twins {
            corpus,
            subjects,
            by_sender,
            by_subject,
        }
    }

    /// The most any ranking could expect at rank 1 on this hunt: 0 when a twin of the target
    /// (alike on every remembered field but the date) fits the remembered day strictly better
    /// under the hunt generator's own date model, else 1 / (the target and its equally fitting
    /// twins). An upper bound: other messages, say a namesake with the same typo distance, can
    /// only lower it.
    fn ceiling(&self, target: usize, remembered: &Remembered, certainty: Certainty) -> f64 {
        let (Some(m), Some(subject)) = (self.corpus.get(target), self.subjects.get(target)) else {
            return 0.0;
        };
        let group = match (&remembered.from, &remembered.subject) {
            (Some(_), _) => self.by_sender.get(&(m.from_name.as_str(), m.from_address.as_str())),
            (None, Some(_)) => self.by_subject.get(subject),
            (None, None) => None,
        };
        let fit = |i: usize| match (remembered.day, self.corpus.get(i).and_then(|m| m.date)) {
            (Some((day, slack)), Some(date)) => day_likelihood(certainty, day.div_euclid(DAY) - date.timestamp().div_euclid(DAY), slack),
            _ => 1.0,
        };
        let mut seen = HashSet::new();
        let rivals: Vec<f64> = group
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| remembered.subject.is_none() || self.subjects.get(i) == Some(subject))
            .filter(|&i| seen.insert(self.corpus.get(i).and_then(|m| m.message_id.as_deref())))
            .map(fit)
            .collect();
        let own = fit(target);
        if rivals.iter().any(|&f| f > own + 1e-12) {
            return 0.0;
        }
        1.0 / rivals.iter().filter(|&&f| (f - own).abs() <= 1e-12).count().max(1) as f64
    }
}

/// Whether a hunt may be written for `m`: mail someone sent, with a date and a Message-ID.
fn is_target(m: &CorpusMessage) -> bool {
    m.folder != "Sent" && m.folder != "Drafts" && m.defect.is_none() && m.date.is_some() && m.message_id.is_some()
}

/// Which half a hunt belongs to, by a hash of its target and position.
fn held_out(target: &str, position: usize) -> bool {
    let mut hasher = DefaultHasher::new();
    (target, position, "held-out").hash(&mut hasher);
    hasher.finish() % 2 == 1
}

/// IMAP SEARCH as a person would use it: FROM and SUBJECT each remembered word (case-insensitive
/// substring), SENTSINCE/SENTBEFORE the stated days; newest first, one per Message-ID.
fn baseline(corpus: &[CorpusMessage], r: &Remembered) -> Vec<String> {
    let from_terms: Vec<String> = r
        .from
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| *w != "at")
        .map(str::to_lowercase)
        .collect();
    let subject_terms: Vec<String> = r
        .subject
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut found: Vec<(i64, &str)> = corpus
        .iter()
        .filter(|m| {
            let from = format!("{} <{}>", m.from_name, m.from_address).to_lowercase();
            let subject = m.subject.to_lowercase();
            let date_ok = match (r.day, m.date) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((day, slack)), Some(date)) => {
                    let d = date.timestamp().div_euclid(DAY) * DAY;
                    d >= day - i64::from(slack) * DAY && d <= day + i64::from(slack) * DAY
                }
            };
            date_ok && from_terms.iter().all(|t| from.contains(t.as_str())) && subject_terms.iter().all(|t| subject.contains(t.as_str()))
        })
        .filter_map(|m| Some((m.date.map_or(0, |d| d.timestamp()), m.message_id.as_deref()?)))
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter(|(_, id)| seen.insert(*id))
        .take(10)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// Families of messages that differ in small ways, where a careless ranking picks a sibling.
fn look_alikes(seed: u64) -> Vec<CorpusMessage> {
    let mut rng = Rng::new(seed ^ 0x100C);
    let mut out = Vec::new();
    let base = Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).single().unwrap_or_default();
    let day = |rng: &mut Rng| base + Duration::days(rng.below(1000) as i64) + Duration::minutes(rng.below(600) as i64);
    let firsts = [
        "Margaret", "Anna", "Jürgen", "Søren", "Élodie", "Daniel", "Priya", "Tomasz", "Hannah", "Luis", "Chloé", "Björn",
    ];
    let lasts = [
        "Hollins",
        "Müller",
        "Kowalski",
        "Fernández",
        "Nakamura",
        "Brightman",
        "Okafor",
        "Lindqvist",
        "Moreau",
        "Petrović",
    ];
    let orgs = [
        "brightwater",
        "northwind",
        "acme-roofing",
        "kestrel",
        "bluefin",
        "harbourview",
        "oakridge",
        "lumen",
    ];
    let variants = |name: &str, k: u64| -> String {
        let mut chars: Vec<char> = name.chars().collect();
        let i = 1 + (k as usize % (chars.len() - 2));
        if let Some(c) = chars.get_mut(i) {
            *c = ['a', 'e', 'i', 'o', 'r', 'l'][k as usize % 6];
        }
        chars.into_iter().collect()
    };
    let person = |rng: &mut Rng| -> (String, String, String) {
        let first = firsts.get(rng.below(firsts.len() as u64) as usize).copied().unwrap_or("Anna");
        let last = lasts.get(rng.below(lasts.len() as u64) as usize).copied().unwrap_or("Hollins");
        let org = orgs.get(rng.below(orgs.len() as u64) as usize).copied().unwrap_or("lumen");
        (first.to_string(), last.to_string(), org.to_string())
    };
    let address = |first: &str, last: &str, org: &str| {
        format!(
            "{}.{}@{org}.example",
            mailhound_core::message::text::fold(first),
            mailhound_core::message::text::fold(last).replace(' ', "")
        )
    };

    // Patch series: one author, one area, parts 1..n a few hours apart.
    let areas = ["net", "fs", "mm", "sched", "drm", "usb", "crypto", "docs"];
    let objects = [
        "buffer",
        "queue",
        "lock",
        "timer",
        "cache",
        "parser",
        "driver",
        "handler",
        "allocator",
        "refcount",
    ];
    let verbs = ["fix", "rework", "remove", "add", "split", "simplify", "document", "harden"];
    for s in 0..40 {
        let (first, last, org) = person(&mut rng);
        let area = areas.get(s % areas.len()).copied().unwrap_or("net");
        let n = 3 + rng.below(6);
        let version = 1 + rng.below(3);
        let start = day(&mut rng);
        for part in 1..=n {
            let verb = verbs.get(rng.below(verbs.len() as u64) as usize).copied().unwrap_or("fix");
            let object = objects.get(rng.below(objects.len() as u64) as usize).copied().unwrap_or("queue");
            let subject = format!(
                "[PATCH v{version} {part}/{n}] {area}: {verb} the {object} {}",
                if part % 2 == 0 { "on teardown" } else { "handling" }
            );
            out.push(
                CorpusMessage::builder()
                    .folder("Lists/debian-devel")
                    .from(&format!("{first} {last}"), &address(&first, &last, &org))
                    .subject(&subject)
                    .date(start + Duration::hours(part as i64))
                    .message_id(&format!("<patch.{s}.{part}@{org}.example>"))
                    .build(),
            );
        }
    }
    // Monthly invoices from the same vendor.
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    for v in 0..25 {
        let org = orgs.get(v % orgs.len()).copied().unwrap_or("lumen");
        let start = day(&mut rng);
        for k in 0..8 {
            let date = start + Duration::days(30 * k);
            let month = months
                .get(date.format("%m").to_string().parse::<usize>().unwrap_or(1) - 1)
                .copied()
                .unwrap_or("May");
            out.push(
                CorpusMessage::builder()
                    .folder(if k % 3 == 0 { "Receipts" } else { "INBOX" })
                    .from(&format!("{} Billing", capitalise(org)), &format!("billing@{org}.example"))
                    .subject(&format!("Your invoice INV-{} for {month}", 4000 + v * 100 + k as usize))
                    .date(date)
                    .message_id(&format!("<invoice.{v}.{k}@{org}.example>"))
                    .build(),
            );
        }
    }
    // Near-namesakes writing about the same things.
    let topics = [
        "Your roofing quote, revised",
        "Roofing quote for the garage",
        "Quote for the roof repairs",
        "Updated quote: roof and gutters",
        "Site visit for the roof",
        "Invoice for the roof repairs",
        "Photos from the site visit",
        "Meeting notes from Tuesday",
        "Notes from the Tuesday meeting",
        "Draft contract for review",
        "Contract draft, second review",
    ];
    for g in 0..35 {
        let (first, last, org) = person(&mut rng);
        let people = [
            (first.clone(), last.clone()),
            (first.clone(), variants(&last, g)),
            (variants(&first, g + 3), last.clone()),
            (
                firsts.get((g as usize + 5) % firsts.len()).copied().unwrap_or("Anna").to_string(),
                last.clone(),
            ),
        ];
        let start = day(&mut rng);
        for (p, (f, l)) in people.iter().enumerate() {
            for k in 0..3 {
                let topic = topics.get(rng.below(topics.len() as u64) as usize).copied().unwrap_or("Quote");
                let folder = ["INBOX", "Junk", "Archive", "Trash"]
                    .get(rng.below(4) as usize)
                    .copied()
                    .unwrap_or("INBOX");
                out.push(
                    CorpusMessage::builder()
                        .folder(folder)
                        .from(&format!("{f} {l}"), &address(f, l, &org))
                        .subject(topic)
                        .date(start + Duration::days(rng.below(40) as i64) + Duration::minutes(p as i64 * 7 + k))
                        .message_id(&format!("<near.{g}.{p}.{k}@{org}.example>"))
                        .build(),
                );
            }
        }
    }
    // Long threads: the same subject from a few people over a couple of weeks.
    for t in 0..40 {
        let topic = topics.get(t % topics.len()).copied().unwrap_or("Quote");
        let members: Vec<(String, String, String)> = (0..3).map(|_| person(&mut rng)).collect();
        let start = day(&mut rng);
        for k in 0..6 {
            let Some((f, l, o)) = members.get(k % members.len()) else {
                continue;
            };
            let subject = if k == 0 { topic.to_string() } else { format!("Re: {topic}") };
            out.push(
                CorpusMessage::builder()
                    .from(&format!("{f} {l}"), &address(f, l, o))
                    .subject(&subject)
                    .date(start + Duration::days(2 * k as i64) + Duration::hours(rng.below(12) as i64))
                    .message_id(&format!("<thread.{t}.{k}@{o}.example>"))
                    .build(),
            );
        }
    }
    out
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn options() -> Result<Options, Box<dyn std::error::Error>> {
    let mut options = Options {
        messages: 20_000,
        seeds: (501..=508).collect(),
        hunts: 1000,
        dev_only: false,
        show_misses: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--messages" => options.messages = value()?.parse()?,
            "--seed" | "--seeds" => options.seeds = seeds(&value()?)?,
            "--hunts" => options.hunts = value()?.parse()?,
            "--show-misses" => options.show_misses = value()?.parse()?,
            "--dev-only" => options.dev_only = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(options)
}

/// `401-408`, `5,6,7` or `11`.
fn seeds(text: &str) -> Result<Vec<u64>, Box<dyn std::error::Error>> {
    let mut seeds = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((first, last)) => seeds.extend(first.trim().parse::<u64>()?..=last.trim().parse::<u64>()?),
            None => seeds.push(part.trim().parse()?),
        }
    }
    if seeds.is_empty() {
        return Err("no seeds given".into());
    }
    Ok(seeds)
}
