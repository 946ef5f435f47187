//! Redis dies, hangs or refuses writes in the middle of a multi-threaded load against
//! PostgreSQL. For each: no operation fails, each stays within a generous time bound, no read is
//! stale, and once Redis is back every cached key equals its row. Each load runs through both
//! fronts, as one specification: `blocking::name` and `asynch::name`.

use std::thread;
use std::time::Duration;

use write_through::Cache;
use write_through_tests::fronts::{self, Blocking, Front};
use write_through_tests::history::{self, AsyncBackend, LibraryFront, Subject, Workload};
use write_through_tests::models::Tag;
use write_through_tests::private_redis::PrivateRedis;
use write_through_tests::{postgres, unique};

/// Short timeouts, so that a dead Redis costs little; the circuit breaker does the rest.
fn cache_on(redis: &PrivateRedis) -> Cache {
    Cache::builder(&redis.url())
        .connect_timeout(Duration::from_millis(200))
        .io_timeout(Duration::from_millis(200))
        .breaker_cooldown(Duration::from_millis(200))
        .build()
        .unwrap()
}

/// Runs the random workload while `fault` acts on Redis, then checks the history and the end
/// state, and prints what happened.
fn survive(
    front: LibraryFront,
    name: &str,
    redis: Option<PrivateRedis>,
    fault: impl FnOnce(&mut PrivateRedis) + Send,
) {
    let (Some(redis), Some(mut conn)) = (redis, postgres()) else {
        return;
    };
    let cache = cache_on(&redis);
    let workload = Workload {
        at_least: Duration::from_millis(2500),
        ..Workload::from_env(4, 200, 4)
    };
    let names = format!("fault-{}", unique());
    let mut redis = redis;
    let started = std::time::Instant::now();
    let outcome = thread::scope(|scope| {
        let injector = scope.spawn(|| fault(&mut redis));
        let subject = Subject::library(cache.clone(), front);
        let outcome = history::run(workload, &subject, &names, || {
            postgres().expect("PostgreSQL")
        });
        injector.join().expect("fault injector");
        outcome
    });
    let slowest = outcome
        .events
        .iter()
        .map(|e| e.returned - e.invoked)
        .max()
        .unwrap_or_default();
    let stale = history::stale_reads(&outcome.events);
    let stats = cache.stats();
    println!(
        "{name} ({front:?} front): {} operations in {:?}, {} failed, slowest {slowest:?}, stale reads {}; cache errors {}, recovered invalidations {}, pending {}",
        outcome.events.len(),
        started.elapsed(),
        outcome.failed,
        stale.len(),
        stats.cache_errors,
        stats.recovered_invalidations,
        stats.pending_invalidations,
    );
    assert_eq!(
        outcome.failed, 0,
        "no operation may fail because of Redis (seed {})",
        workload.seed
    );
    assert!(
        slowest < Duration::from_secs(3),
        "an operation took {slowest:?}"
    );
    assert!(
        stale.is_empty(),
        "stale reads (seed {}): {stale:#?}",
        workload.seed
    );
    assert!(stats.cache_errors > 0, "the fault was felt");
    history::assert_cache_matches_database(&mut conn, &cache, &names, workload.keys);
}

write_through_tests::on_both_fronts!(
    [
        redis_killed_and_restarted_empty_mid_load,
        redis_paused_and_resumed_mid_load,
        redis_out_of_memory_refusing_writes_mid_load,
        a_dead_redis_is_not_waited_for_on_every_call,
    ],
    blocking: |load| load(super::LibraryFront::Blocking),
    asynch: |load| load(super::LibraryFront::Async(super::AsyncBackend::Postgres)),
);

fn redis_killed_and_restarted_empty_mid_load(front: LibraryFront) {
    survive(
        front,
        "SIGKILL, restart empty",
        PrivateRedis::start(),
        |redis| {
            thread::sleep(Duration::from_millis(300));
            redis.kill();
            thread::sleep(Duration::from_millis(500));
            redis.restart();
        },
    );
}

fn redis_paused_and_resumed_mid_load(front: LibraryFront) {
    survive(
        front,
        "SIGSTOP for 1 s, SIGCONT",
        PrivateRedis::start(),
        |redis| {
            thread::sleep(Duration::from_millis(300));
            redis.pause();
            thread::sleep(Duration::from_millis(1000));
            redis.resume();
        },
    );
}

fn redis_out_of_memory_refusing_writes_mid_load(front: LibraryFront) {
    survive(
        front,
        "maxmemory with noeviction",
        PrivateRedis::start(),
        |redis| {
            thread::sleep(Duration::from_millis(300));
            redis.config_set("maxmemory-policy", "noeviction");
            redis.config_set("maxmemory", "1");
            thread::sleep(Duration::from_millis(700));
            redis.config_set("maxmemory", "0");
        },
    );
}

/// A front of the library on PostgreSQL.
fn front_on_postgres(front: LibraryFront) -> Option<Box<dyn Front>> {
    Some(match front {
        LibraryFront::Blocking => Box::new(Blocking(postgres()?)),
        LibraryFront::Async(_) => Box::new(fronts::async_postgres()?),
    })
}

fn a_dead_redis_is_not_waited_for_on_every_call(front: LibraryFront) {
    let Some(mut front) = front_on_postgres(front) else {
        return;
    };
    let Some(redis) = PrivateRedis::start() else {
        return;
    };
    let cache = Cache::builder(&redis.url())
        .connect_timeout(Duration::from_millis(300))
        .io_timeout(Duration::from_millis(300))
        .breaker_cooldown(Duration::from_secs(30))
        .build()
        .unwrap();
    let row = Tag {
        name: format!("breaker-{}", unique()),
        uses: 1,
    };
    front.save_tag(&cache, &row).unwrap();
    redis.pause();
    let started = std::time::Instant::now();
    for _ in 0..50 {
        assert_eq!(
            front.find_tag(&cache, &row.name).unwrap(),
            Some(row.clone())
        );
    }
    let waited = started.elapsed();
    redis.resume();
    // Without the breaker every call would wait out its 300 ms timeout: 15 s. With it, the
    // first three do, and the rest fail at once.
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert!(cache.stats().cache_errors >= 50);
}
