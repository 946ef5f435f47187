//! Several OS processes share one PostgreSQL and one Redis: locks, leases and fills live in
//! Redis, so the guarantees hold across processes. Each process runs the random workload on the
//! same hot keys and prints its history; the merged history must have no stale read, and after
//! the processes exit every cached key equals its row. Once with processes on the blocking
//! front, once on the async front (`history_worker ... async`).

use std::process::{Command, Stdio};

use write_through_tests::history::{self, Event};
use write_through_tests::{TestCache, postgres, unique};

const PROCESSES: usize = 3;
const KEYS: usize = 3;

#[test]
fn the_merged_history_of_three_processes_has_no_stale_read() {
    three_processes("blocking");
}

#[test]
fn the_merged_history_of_three_processes_has_no_stale_read_through_the_async_front() {
    three_processes("async");
}

/// Three `history_worker` processes driving the library through `front`.
fn three_processes(front: &str) {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let names = format!("procs-{}", unique());
    let seed = unique();
    // All processes run at once: spawn them all, then collect their histories.
    let children: Vec<_> = (0..PROCESSES)
        .map(|process| {
            Command::new(env!("CARGO_BIN_EXE_history_worker"))
                .args([
                    tc.cache.namespace(),
                    &names,
                    &process.to_string(),
                    &seed.to_string(),
                    "3",
                    "300",
                    &KEYS.to_string(),
                    front,
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start history_worker")
        })
        .collect();
    let workers: Vec<_> = children
        .into_iter()
        .map(|child| child.wait_with_output().expect("history_worker"))
        .collect();
    let mut events: Vec<Event> = Vec::new();
    for (process, output) in workers.iter().enumerate() {
        assert!(
            output.status.success(),
            "process {process}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        events.extend(
            stdout
                .lines()
                .map(|line| history::from_line(line).expect("an event line")),
        );
    }
    let stale = history::stale_reads(&events);
    println!(
        "{PROCESSES} processes ({front} front), {} operations merged, seed {seed}: {} stale reads",
        events.len(),
        stale.len()
    );
    assert_eq!(events.len(), PROCESSES * 3 * 300, "no operation failed");
    assert!(stale.is_empty(), "seed {seed}: {stale:#?}");
    history::assert_cache_matches_database(&mut conn, &tc.cache, &names, KEYS);
}

#[test]
fn events_survive_the_trip_through_a_line() {
    for line in [
        "0 find 5 10 20",
        "2 find - 1 2",
        "1 save 7 3 4",
        "1 delete - 5 6",
    ] {
        let event = history::from_line(line).unwrap();
        assert_eq!(history::to_line(&event), line);
    }
}
