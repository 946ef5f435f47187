//! What the change-feed benches share, whichever database's log the feed reads: single-row
//! `UPDATE`s paced at a rate from writer threads, a watcher timing when each updated row's key
//! disappears from Redis (the feed's lag, seen from outside the library), and the report.

use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use write_through::Cache;

use crate::{User, redis_url};

/// How often the watcher looks at the keys of committed updates.
const WATCH_PERIOD: Duration = Duration::from_micros(500);
/// How long the watcher waits for the last keys after the writers stopped.
pub const DRAIN: Duration = Duration::from_secs(20);

/// A writer thread's statement: commits an update of row `id` (its `k`-th).
pub type Update = Box<dyn FnMut(i64, u64) + Send>;

/// What one phase measured.
pub struct Lags {
    /// When each seen change committed, and how long its key took to disappear after.
    pub lags: Vec<(Instant, Duration)>,
    /// Changes whose key never disappeared within [`DRAIN`].
    pub never: usize,
    /// How long each `UPDATE` took to commit.
    pub commit_latencies: Vec<Duration>,
    /// Changes per second the writers achieved.
    pub achieved: f64,
    /// Watcher polls.
    pub polls: u64,
    /// When the writers started.
    pub start: Instant,
}

/// Runs `updates` (one per writer thread, ids interleaved) over rows `1..=total` at `rate`
/// changes/s, watching their keys in `cache`; `sample` runs every 250 ms on the watcher's
/// thread (a database's own progress readings).
pub fn pace_and_watch(
    cache: &Cache,
    updates: Vec<Update>,
    rate: u64,
    total: i64,
    mut sample: impl FnMut(),
) -> Lags {
    let writers = updates.len() as u64;
    let mut watcher = redis();
    let (commits, received) = mpsc::channel::<(i64, Instant)>();
    let start = Instant::now() + Duration::from_millis(20);
    let mut threads = Vec::new();
    for (w, mut update) in updates.into_iter().enumerate() {
        let commits = commits.clone();
        threads.push(std::thread::spawn(move || {
            let mut latencies = Vec::new();
            let mut k: u64 = 0;
            loop {
                let id = (k * writers + w as u64 + 1) as i64;
                if id > total {
                    break;
                }
                let due = start + Duration::from_secs_f64((id - 1) as f64 / rate as f64);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
                let sent = Instant::now();
                update(id, k);
                let committed = Instant::now();
                latencies.push(committed - sent);
                commits.send((id, committed)).expect("the watcher");
                k += 1;
            }
            latencies
        }));
    }
    drop(commits);

    // The watcher, on this thread: keys of committed updates, oldest first, polled together.
    let mut pending: VecDeque<(i64, Instant, Vec<u8>)> = VecDeque::new();
    let mut lags: Vec<(Instant, Duration)> = Vec::with_capacity(total as usize);
    let mut writers_done: Option<Instant> = None;
    let mut polls: u64 = 0;
    let mut sampled = Instant::now();
    loop {
        if sampled.elapsed() > Duration::from_millis(250) {
            sample();
            sampled = Instant::now();
        }
        loop {
            match received.try_recv() {
                Ok((id, at)) => pending.push_back((id, at, cache.key::<User>(&id))),
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    writers_done.get_or_insert_with(Instant::now);
                    break;
                }
            }
        }
        if pending.is_empty() {
            if writers_done.is_some() {
                break;
            }
        } else {
            // The feed retires in commit order: the oldest 5 000 are the ones to look at.
            let n = pending.len().min(5_000);
            let keys: Vec<&[u8]> = pending
                .iter()
                .take(n)
                .map(|(_, _, k)| k.as_slice())
                .collect();
            let values: Vec<Option<Vec<u8>>> = redis::cmd("MGET")
                .arg(&keys)
                .query(&mut watcher)
                .expect("MGET");
            let seen = Instant::now();
            polls += 1;
            let mut kept = VecDeque::with_capacity(pending.len());
            for (i, entry) in pending.drain(..).enumerate() {
                if i < n && values[i].is_none() {
                    lags.push((entry.1, seen.saturating_duration_since(entry.1)));
                } else {
                    kept.push_back(entry);
                }
            }
            pending = kept;
        }
        if writers_done.is_some_and(|done| done.elapsed() > DRAIN) {
            break;
        }
        std::thread::sleep(WATCH_PERIOD);
    }
    let mut commit_latencies: Vec<Duration> = Vec::new();
    for thread in threads {
        commit_latencies.extend(thread.join().expect("writer"));
    }
    let last_commit = lags
        .iter()
        .map(|(at, _)| *at)
        .chain(pending.iter().map(|p| p.1))
        .max();
    let achieved = total as f64 / last_commit.map_or(f64::NAN, |l| (l - start).as_secs_f64());
    commit_latencies.sort();
    Lags {
        lags,
        never: pending.len(),
        commit_latencies,
        achieved,
        polls,
        start,
    }
}

impl Lags {
    /// The lags, sorted.
    pub fn sorted(&self) -> Vec<Duration> {
        let mut sorted: Vec<Duration> = self.lags.iter().map(|(_, lag)| *lag).collect();
        sorted.sort();
        sorted
    }

    /// How many changes took longer than 50 ms.
    pub fn over_50_ms(&self) -> usize {
        self.lags
            .iter()
            .filter(|(_, lag)| *lag > Duration::from_millis(50))
            .count()
    }

    /// The worst lag of the changes committed in each second of the phase, in ms.
    pub fn worst_per_second(&self) -> String {
        let mut per_second: Vec<Duration> = Vec::new();
        for (at, lag) in &self.lags {
            let second = (at.saturating_duration_since(self.start).as_secs()) as usize;
            if per_second.len() <= second {
                per_second.resize(second + 1, Duration::ZERO);
            }
            per_second[second] = per_second[second].max(*lag);
        }
        per_second
            .iter()
            .map(|d| format!("{:.0}", d.as_secs_f64() * 1e3))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A blocking connection to the bench's Redis.
pub fn redis() -> redis::Connection {
    redis::Client::open(redis_url())
        .and_then(|c| c.get_connection())
        .expect("Redis")
}

/// `q` quantile (nearest rank) of sorted durations.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// A duration in milliseconds, one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// `SCAN MATCH namespace:*` and `DEL` what it finds; how many.
pub fn delete_namespace(namespace: &str) -> usize {
    let mut r = redis();
    let pattern = format!("{namespace}:*");
    let mut cursor: u64 = 0;
    let mut deleted = 0;
    loop {
        let (next, keys): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(&pattern)
            .arg("COUNT")
            .arg(1000)
            .query(&mut r)
            .expect("SCAN");
        if !keys.is_empty() {
            let _: () = redis::cmd("DEL").arg(&keys).query(&mut r).expect("DEL");
            deleted += keys.len();
        }
        if next == 0 {
            return deleted;
        }
        cursor = next;
    }
}

/// `rounds` alternating pairs of `measure(false)` (the feed off, writes unmarked) and
/// `measure(true)` (on, marked), each a mean time in µs, the order swapped every round;
/// printed as medians and the median of the per-round ratios.
pub fn paired_rounds(rounds: usize, mut measure: impl FnMut(bool) -> f64) {
    let (mut off, mut on, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut pair = [0.0; 2];
        for turn in 0..2 {
            let feed_on = (round + turn) % 2 == 1;
            pair[usize::from(feed_on)] = measure(feed_on);
        }
        off.push(pair[0]);
        on.push(pair[1]);
        ratios.push(pair[1] / pair[0]);
    }
    if rounds == 0 {
        return;
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    };
    eprintln!(
        "save, paired rounds ({rounds} x 300 saves each): feed off {:.1} µs, feed on and writes marked {:.1} µs (medians); on/off ratio median {:.3}, rounds {:?}",
        median(&mut off),
        median(&mut on),
        median(&mut ratios.clone()),
        ratios.iter().map(|r| format!("{r:.3}")).collect::<Vec<_>>(),
    );
}

/// Prints the feed's counters for the whole run.
pub fn print_totals(cache: &Cache) {
    let stats = cache.stats();
    eprintln!(
        "feed totals: {} changes, {} invalidations, {} restarts, {} start-overs, {} unreadable; cache errors {}",
        stats.feed_changes,
        stats.feed_invalidations,
        stats.feed_restarts,
        stats.feed_start_overs,
        stats.feed_unreadable_changes,
        stats.cache_errors
    );
}
