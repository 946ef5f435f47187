//! Across OS processes: how long after a write returns can another process's in-process tier
//! still serve the row it replaced? Two reader processes (`local_tier_reader`) read a few hot
//! tags through their tiers in a loop, two threads each; this process writes each tag again
//! every few milliseconds through its own cache. On this machine's two cores the readers, the
//! writer, PostgreSQL and Redis all compete: the delay is measured under load.
//!
//! For every write and every reader process, the delay is how long after the write returned one
//! of its threads still *began* a read that returned an older value (zero when none did). The test
//! prints p50, p99 and the maximum over all writes and threads, and fails when any read saw a
//! replaced value later than [`BOUND`] after its write returned.
//!
//! ```text
//! cargo test --release -p write_through_tests --test local_tier_processes -- --nocapture
//! ```

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use write_through::blocking::SaveOps as _;
use write_through_tests::history::wall_clock;
use write_through_tests::models::Tag;
use write_through_tests::{TestCache, postgres, unique};

const READERS: usize = 2;
const THREADS: usize = 2;
const KEYS: usize = 4;
const RUN: Duration = Duration::from_millis(3000);
/// No read may return a replaced row this long after its write returned: the subscriber's lag
/// limit, past which the tier is cleared rather than trusted.
const BOUND: Duration = Duration::from_millis(250);

#[test]
fn another_process_stops_serving_a_replaced_row_within_one_delivery_under_load() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let names = format!("local-procs-{}", unique());
    let name = |key: usize| format!("{names}-{key}");
    for key in 0..KEYS {
        Tag {
            name: name(key),
            uses: 0,
        }
        .save(&mut conn, &tc.cache)
        .unwrap();
    }
    let mut children: Vec<_> = (0..READERS)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_local_tier_reader"))
                .args([
                    tc.cache.namespace(),
                    &names,
                    &KEYS.to_string(),
                    &THREADS.to_string(),
                    &(RUN.as_millis() + 500).to_string(),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start local_tier_reader")
        })
        .collect();
    let mut outputs: Vec<_> = children
        .iter_mut()
        .map(|child| BufReader::new(child.stdout.take().unwrap()))
        .collect();
    for output in &mut outputs {
        let mut line = String::new();
        output.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "a reader did not start");
    }

    // The writes: every key in turn, a new value each round, until the readers are done.
    let mut returned: HashMap<(usize, i32), u128> = HashMap::new();
    let start = Instant::now();
    let mut value = 0;
    while start.elapsed() < RUN {
        value += 1;
        for key in 0..KEYS {
            Tag {
                name: name(key),
                uses: value,
            }
            .save(&mut conn, &tc.cache)
            .unwrap();
            returned.insert((key, value), wall_clock().as_micros());
        }
        std::thread::sleep(Duration::from_millis(5));
    }

    // Per reader thread, per key: the values it saw and the last time it began reading each.
    let mut delays: Vec<u128> = Vec::new();
    let mut reads_of_values = 0;
    for (child, output) in children.into_iter().zip(outputs) {
        let mut seen: Vec<(usize, i32, u128)> = Vec::new();
        for line in output.lines() {
            let line = line.unwrap();
            let fields: Vec<&str> = line.split(' ').collect();
            if let ["seen", key, value, _first, last] = fields.as_slice() {
                seen.push((
                    key.parse().unwrap(),
                    value.parse().unwrap(),
                    last.parse().unwrap(),
                ));
            }
        }
        let finished = child.wait_with_output().unwrap();
        assert!(
            finished.status.success(),
            "{}",
            String::from_utf8_lossy(&finished.stderr)
        );
        eprintln!(
            "reader: {}",
            String::from_utf8_lossy(&finished.stderr).trim()
        );
        reads_of_values += seen.len();
        // Each thread's lines are consecutive and in the order it saw the values; they are
        // grouped by (key) within a thread only, so the check takes every line as is: for a
        // write (key, v), the last read of that key that began while returning a value < v.
        let mut last_older: HashMap<(usize, i32), u128> = HashMap::new();
        for &(key, value, last) in &seen {
            for newer in value + 1..=value + 1_000 {
                let Some(&at) = returned.get(&(key, newer)) else {
                    break;
                };
                if last <= at {
                    break;
                }
                let worst = last_older.entry((key, newer)).or_default();
                *worst = (*worst).max(last - at);
            }
        }
        for key in 0..KEYS {
            for v in 1..=value {
                delays.push(last_older.get(&(key, v)).copied().unwrap_or(0));
            }
        }
    }
    delays.sort_unstable();
    let at = |q: f64| delays[((delays.len() - 1) as f64 * q) as usize];
    let late = delays.iter().filter(|&&d| d > 0).count();
    println!(
        "{} writes x {READERS} reader processes of {THREADS} threads ({} value changes seen): a replaced row read after its write returned in {late} of {} pairs; delay p50 {} us, p99 {} us, max {} us",
        KEYS * value as usize,
        reads_of_values,
        delays.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
    assert!(
        Duration::from_micros(at(1.0) as u64) <= BOUND,
        "a replaced row was served {} us after its write returned",
        at(1.0)
    );
}
