//! A bounded soak: mixed load on a few hot keys for a while, with Redis killed and restarted
//! empty twice. Nothing fails, nothing is stale, owed invalidations drain, memory stays bounded.
//! Once through each front (the async one on diesel-async connections).
//!
//! Short in CI (6 s). The long run, five minutes:
//!
//! ```text
//! WT_SOAK_SECONDS=300 cargo test --release -p write_through_tests --test linearizability soak -- --nocapture
//! ```

use std::thread;
use std::time::Duration;

use write_through::Cache;
use write_through_tests::history::{self, AsyncBackend, LibraryFront, Subject, Workload};
use write_through_tests::private_redis::PrivateRedis;
use write_through_tests::{postgres, unique};

/// Resident memory of this process, from /proc.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn mixed_load_with_two_redis_restarts() {
    soak(LibraryFront::Blocking);
}

#[test]
fn mixed_load_with_two_redis_restarts_through_the_async_front() {
    soak(LibraryFront::Async(AsyncBackend::Postgres));
}

fn soak(front: LibraryFront) {
    let Some(mut conn) = postgres() else { return };
    let seconds: u64 = std::env::var("WT_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let Some(mut redis) = PrivateRedis::start() else {
        return;
    };
    let cache = Cache::builder(&redis.url())
        .connect_timeout(Duration::from_millis(200))
        .io_timeout(Duration::from_millis(200))
        .breaker_cooldown(Duration::from_millis(200))
        .build()
        .unwrap();
    let workload = Workload {
        at_least: Duration::from_secs(seconds),
        ..Workload::from_env(4, 100, 8)
    };
    let names = format!("soak-{}", unique());
    let memory_before = resident_bytes();
    let outcome = thread::scope(|scope| {
        let third = Duration::from_secs(seconds) / 3;
        let redis = &mut redis;
        scope.spawn(move || {
            for _ in 0..2 {
                thread::sleep(third);
                redis.kill();
                thread::sleep(Duration::from_millis(300));
                redis.restart();
            }
        });
        history::run(
            workload,
            &Subject::library(cache.clone(), front),
            &names,
            || postgres().expect("PostgreSQL"),
        )
    });
    let memory_growth = resident_bytes().saturating_sub(memory_before);
    let stale = history::stale_reads(&outcome.events);
    // Bring every key back from Redis once, which also delivers what is still owed.
    history::assert_cache_matches_database(&mut conn, &cache, &names, workload.keys);
    let stats = cache.stats();
    println!(
        "soak {seconds} s ({front:?} front): {} operations, {} failed, {} stale; cache errors {}, recovered invalidations {}, pending {}; memory +{} KiB",
        outcome.events.len(),
        outcome.failed,
        stale.len(),
        stats.cache_errors,
        stats.recovered_invalidations,
        stats.pending_invalidations,
        memory_growth / 1024
    );
    assert_eq!(outcome.failed, 0);
    assert!(stale.is_empty(), "seed {}: {stale:#?}", workload.seed);
    assert_eq!(stats.pending_invalidations, 0);
    // The recorded history itself grows with the run (~64 bytes an operation); everything
    // else must stay flat.
    let allowed = 64 * 1024 * 1024 + 128 * outcome.events.len() as u64;
    assert!(
        memory_growth < allowed,
        "memory grew by {memory_growth} bytes"
    );
}
