//! The binlog change feed (issue 24) on a private MariaDB with its binlog on and the local
//! Redis: how long after a bypassing write commits its key is retired (the feed's lag, measured
//! from outside the library, as in `benches/feed.rs`), and what a running feed costs `save`.
//!
//! ```text
//! cargo bench -p write_through_benches --bench binlog_feed
//! ```
//!
//! - Lag: writer threads pace single-row `UPDATE`s (autocommit) at 1 000, 5 000 and 10 000
//!   changes/s, ~5 s each, every row's key filled before; a watcher `MGET`s the keys of
//!   committed updates every ~0.5 ms and records when each disappeared. Printed, not
//!   criterion's.
//! - `feed_save/mariadb`: `save` of one row (a new name each time) with no feed running, unmarked
//!   and marked (a row of `write_through_marks` in the write's transaction), then with one
//!   running, unmarked and marked; then unmarked with the feed off and marked with it on,
//!   alternated in rounds (paired medians, printed).
//!
//! `WT_BINLOG_BENCH_PHASES` (default `lag,save`) picks the parts to run.
//!
//! The MariaDB server is the tests' private one (a copy of a data directory initialized once,
//! its binlog on, killed at the end); the cache's namespace is this process's own and its keys
//! are deleted at the end.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use diesel::prelude::*;
use write_through::Cache;
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through::feed::{BinlogFeed, FeedHandle};
use write_through_benches::feed_lag::{
    DRAIN, Update, delete_namespace, ms, pace_and_watch, paired_rounds, print_totals, quantile,
    redis,
};
use write_through_benches::{User, redis_url};

#[path = "../../tests/src/private_mariadb.rs"]
mod private_mariadb;

/// What `private_mariadb` asks of the tests' crate: here a missing server ends the bench.
mod skipped {
    pub fn skip(why: &str) {
        panic!("{why}");
    }

    pub fn program_on_path(program: &str) -> bool {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
    }
}

use private_mariadb::PrivateMariaDb;

/// Rows in the table: enough for the fastest phase to touch each once.
const ROWS: i64 = 50_000;

fn start_feed(server: &PrivateMariaDb, cache: &Cache) -> FeedHandle {
    let handle = BinlogFeed::mariadb()
        .model::<User>()
        .standby_retry(Duration::from_millis(20))
        .retry_interval(Duration::from_millis(100))
        .start(cache, &server.url())
        .expect("start the binlog feed");
    let started = Instant::now();
    while !handle.is_active() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the feed never became active"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    handle
}

fn connect(server: &PrivateMariaDb) -> MysqlConnection {
    MysqlConnection::establish(&server.url()).expect("connect to the private MariaDB")
}

/// One lag phase: `rate` committed single-row `UPDATE`s per second for `seconds` from
/// `writers` threads.
fn lag_phase(
    server: &PrivateMariaDb,
    conn: &mut MysqlConnection,
    cache: &Cache,
    (rate, writers, seconds): (u64, u64, u64),
) {
    let total = (rate * seconds).min(ROWS as u64) as i64;
    let ids: Vec<i64> = (1..=total).collect();
    cache
        .catch_up(conn, Duration::from_secs(60))
        .expect("the feed catches up");
    let mut armed = 0;
    let mut watcher = redis();
    for chunk in ids.chunks(500) {
        User::find_many(conn, cache, chunk).expect("find_many");
        let keys: Vec<Vec<u8>> = chunk.iter().map(|id| cache.key::<User>(id)).collect();
        let values: Vec<Option<Vec<u8>>> = redis::cmd("MGET")
            .arg(&keys)
            .query(&mut watcher)
            .expect("MGET");
        armed += values.iter().filter(|v| v.is_some()).count();
    }
    let before = cache.stats();
    let updates: Vec<Update> = (0..writers)
        .map(|_| {
            let mut db = connect(server);
            Box::new(move |id: i64, k: u64| {
                // A value of this phase's own: MariaDB logs no row an update leaves as it was.
                diesel::sql_query(format!(
                    "UPDATE wt_bench_users SET name = 'changed {rate} {k}' WHERE id = {id}"
                ))
                .execute(&mut db)
                .expect("UPDATE");
            }) as Update
        })
        .collect();
    let measured = pace_and_watch(cache, updates, rate, total, || {});
    cache
        .catch_up(conn, Duration::from_secs(60))
        .expect("the feed catches up after the phase");
    let after = cache.stats();
    let sorted = measured.sorted();
    let over_50 = measured.over_50_ms();
    eprintln!(
        "binlog feed lag, target {rate}/s for {seconds} s ({writers} writer(s)): achieved {:.0} changes/s, \
         {} seen of {total} ({armed} keys armed, {} never retired within {DRAIN:?}); \
         p50 {}, p99 {}, max {}; over 50 ms: {over_50} ({:.2}%)",
        measured.achieved,
        sorted.len(),
        measured.never,
        ms(quantile(&sorted, 0.50)),
        ms(quantile(&sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or_default()),
        100.0 * over_50 as f64 / sorted.len().max(1) as f64,
    );
    eprintln!(
        "    commit latency p50 {}, p99 {}; watcher polls {}; worst lag per second: [{}]; \
         feed: {} changes, {} invalidations, {} restarts, {} start-overs",
        ms(quantile(&measured.commit_latencies, 0.50)),
        ms(quantile(&measured.commit_latencies, 0.99)),
        measured.polls,
        measured.worst_per_second(),
        after.feed_changes - before.feed_changes,
        after.feed_invalidations - before.feed_invalidations,
        after.feed_restarts - before.feed_restarts,
        after.feed_start_overs - before.feed_start_overs,
    );
}

/// `save`s of row 1, each with a name of its own: MariaDB neither logs nor commits much of an
/// update that leaves the row as it was.
struct Saves {
    user: User,
    count: u64,
}

impl Saves {
    fn save(&mut self, conn: &mut MysqlConnection, cache: &Cache) {
        self.count += 1;
        self.user.name = format!("saved {}", self.count);
        self.user.save(conn, cache).expect("save");
    }

    /// Mean time of one `save` over `n`, in µs.
    fn time(&mut self, conn: &mut MysqlConnection, cache: &Cache, n: u32) -> f64 {
        let started = Instant::now();
        for _ in 0..n {
            self.save(conn, cache);
        }
        started.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    }
}

fn on_mariadb(c: &mut Criterion) {
    let server = PrivateMariaDb::start().expect("a private MariaDB");
    let mut conn = connect(&server);
    diesel::sql_query(
        "CREATE TABLE wt_bench_users (id BIGINT PRIMARY KEY, email VARCHAR(191) NOT NULL, name TEXT NOT NULL)",
    )
    .execute(&mut conn)
    .expect("the bench table");
    diesel::sql_query(format!(
        "INSERT INTO wt_bench_users SELECT seq, CONCAT('user', seq, '@example.com'), \
         CONCAT('User number ', seq) FROM seq_1_to_{ROWS}"
    ))
    .execute(&mut conn)
    .expect("the bench rows");
    let namespace = format!("wt-bench-binlog-{}", std::process::id());
    let cache = Cache::builder(&redis_url())
        .namespace(&namespace)
        .build()
        .expect("cache");
    let writer = |mark: bool| {
        Cache::builder(&redis_url())
            .namespace(&namespace)
            .mark_writes_for_feed(mark)
            .build()
            .expect("cache")
    };
    let (plain, marking) = (writer(false), writer(true));

    let phases = std::env::var("WT_BINLOG_BENCH_PHASES").unwrap_or_else(|_| "lag,save".into());

    // 1. Lag.
    if phases.contains("lag") {
        let handle = start_feed(&server, &cache);
        for phase in [(1_000, 1, 5), (5_000, 2, 5), (10_000, 2, 5)] {
            lag_phase(&server, &mut conn, &cache, phase);
        }
        handle.stop();
    } else {
        // The marks table, which the feed creates.
        start_feed(&server, &cache).stop();
    }
    if !phases.contains("save") {
        delete_namespace(&namespace);
        return;
    }

    // 2. What a running feed costs `save`, and what marking costs it.
    let mut saves = Saves {
        user: User::sample(1),
        count: 0,
    };
    let mut group = c.benchmark_group("feed_save/mariadb");
    group.bench_function("feed_off", |b| b.iter(|| saves.save(&mut conn, &plain)));
    group.bench_function("feed_off_marked", |b| {
        b.iter(|| saves.save(&mut conn, &marking))
    });
    let handle = start_feed(&server, &cache);
    group.bench_function("feed_on_unmarked", |b| {
        b.iter(|| saves.save(&mut conn, &plain))
    });
    group.bench_function("feed_on_marked", |b| {
        b.iter(|| saves.save(&mut conn, &marking))
    });
    group.finish();
    handle.stop();

    // The same, alternated: off, the writes are not marked; on, they are.
    paired_rounds(12, |feed_on| {
        let handle = feed_on.then(|| start_feed(&server, &cache));
        let writer = if feed_on { &marking } else { &plain };
        saves.time(&mut conn, writer, 50);
        let mean = saves.time(&mut conn, writer, 300);
        if let Some(handle) = handle {
            handle.stop();
        }
        mean
    });
    print_totals(&cache);
    let deleted = delete_namespace(&namespace);
    let left = delete_namespace(&namespace);
    eprintln!("deleted {deleted} keys of {namespace}; {left} found on a second pass");
    drop(conn);
    drop(server);
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = on_mariadb
}
criterion_main!(benches);
