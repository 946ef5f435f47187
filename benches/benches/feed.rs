//! The change feed (issue 22) on a private PostgreSQL with `wal_level = logical` and the local
//! Redis: how long after a bypassing write commits its key is retired (the feed's lag, measured
//! from outside the library), what a running feed costs `save`, and the miss it adds after a
//! library write (its own write comes back through the log and retires the row it published).
//!
//! ```text
//! cargo bench -p write_through_benches --bench feed
//! ```
//!
//! - Lag: writer threads pace raw SQL `UPDATE`s of single rows (autocommit) at a target rate and
//!   record when each commit returned; every row's key was filled before (`find_many`), and a
//!   watcher `MGET`s the keys of committed updates every ~0.5 ms and records when each
//!   disappeared. Lag = disappearance seen - commit returned (an upper bound, by at most the
//!   watcher's period and one round trip). At 1 000, 5 000 and 10 000 changes/s, ~5 s each,
//!   with the feed's default 10 ms poll interval and with 1 ms, then at 5 000 and 10 000 with
//!   the default poll and batches of 10 000 changes instead of 1 000, then 5 000/s for 20 s
//!   with the defaults. Each phase starts after a `CHECKPOINT` has let the slot's restart point
//!   catch up (how much WAL each read of the slot decodes again is printed with the phase).
//!   Printed, not criterion's.
//! - `feed_save/postgres`: `save` of one row with no feed running, then with one running
//!   (criterion), then the two alternated in rounds (paired medians, printed).
//! - `feed_save/postgres`: also `save` through a cache that marks its writes
//!   (`mark_writes_for_feed`: a transaction of its own with `pg_logical_emit_message`), feed off
//!   and on; the paired rounds compare unmarked saves with the feed off to marked ones with it on.
//! - Misses: `save` a row, `find` it 50 ms later, ~5 s with the feed off, then on with unmarked
//!   and with marked writes; the fraction of those finds that missed (the key was absent just
//!   before the find, and `Stats::misses`).
//!
//! `WT_FEED_BENCH_PHASES` (default `lag,save,misses`) picks the parts to run.
//!
//! The PostgreSQL server is started here (initdb in a temporary directory, as the tests'
//! `PrivatePostgres` does, run as the `postgres` user) and stopped at the end; the cache's
//! namespace is this process's own and its keys are deleted at the end.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use write_through::Cache;
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through::feed::{ChangeFeed, FeedHandle};
use write_through_benches::feed_lag::{
    DRAIN, Update, delete_namespace, ms, pace_and_watch, paired_rounds, print_totals, quantile,
    redis,
};
use write_through_benches::{User, redis_url};

/// Rows in the table: enough for the fastest phase to touch each once.
const ROWS: i64 = 100_000;
const PHASE: Duration = Duration::from_secs(5);

/// A PostgreSQL server of this bench's own, `wal_level = logical`; stopped when dropped.
struct PrivatePostgres {
    dir: tempfile::TempDir,
    port: u16,
}

impl PrivatePostgres {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        run("chown", &["postgres", &dir.path().to_string_lossy()]);
        let server = Self { dir, port };
        let data = server.data();
        as_postgres(&[
            "initdb",
            "-D",
            &data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ]);
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off \
             -c wal_level=logical -c max_replication_slots=8 -c max_wal_senders=8",
            server.port,
            server.dir.path().to_string_lossy()
        );
        let log = server.dir.path().join("log").to_string_lossy().into_owned();
        as_postgres(&[
            "pg_ctl", "-D", &data, "-o", &options, "-l", &log, "-w", "start",
        ]);
        server
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url()).expect("the private PostgreSQL")
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = Command::new("runuser")
            .args([
                "-u", "postgres", "--", "pg_ctl", "-D", &data, "-m", "fast", "-w", "stop",
            ])
            .stdin(Stdio::null())
            .output();
    }
}

fn as_postgres(args: &[&str]) {
    let mut full = vec!["-u", "postgres", "--"];
    full.extend_from_slice(args);
    run("runuser", &full);
}

fn run(program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The feed's settings here: the bench's `User`, a quick standby (feeds are stopped and
/// started between measurements).
fn feed(poll: Duration, max_changes: usize) -> ChangeFeed {
    ChangeFeed::postgres()
        .model::<User>()
        .poll_interval(poll)
        .max_changes(max_changes)
        .standby_retry(Duration::from_millis(20))
        .retry_interval(Duration::from_millis(100))
}

/// How a lag run reads the slot.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reader {
    /// `peek` and `advance` over the connect function's connection.
    Polling,
    /// The replication protocol (`ChangeFeed::streaming`).
    Streaming,
}

/// The default batch size (`ChangeFeed::max_changes`).
const BATCH: usize = 1000;

fn start_feed(
    server: &PrivatePostgres,
    cache: &Cache,
    poll: Duration,
    max_changes: usize,
    reader: Reader,
) -> FeedHandle {
    let url = server.url();
    let mut feed = feed(poll, max_changes);
    if reader == Reader::Streaming {
        feed = feed.streaming(&url);
    }
    let handle = feed
        .start(cache, move || PgConnection::establish(&url))
        .expect("start the change feed");
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

/// A feed with the default poll interval and batch size, streaming the slot.
fn start_default_feed(server: &PrivatePostgres, cache: &Cache) -> FeedHandle {
    start_feed(
        server,
        cache,
        Duration::from_millis(10),
        BATCH,
        Reader::Streaming,
    )
}

/// Fills the keys of `ids` through the library and returns how many are in Redis.
fn arm(
    conn: &mut PgConnection,
    cache: &Cache,
    redis: &mut redis::Connection,
    ids: &[i64],
) -> usize {
    let mut present = 0;
    for chunk in ids.chunks(500) {
        User::find_many(conn, cache, chunk).expect("find_many");
        let keys: Vec<Vec<u8>> = chunk.iter().map(|id| cache.key::<User>(id)).collect();
        let values: Vec<Option<Vec<u8>>> =
            redis::cmd("MGET").arg(&keys).query(redis).expect("MGET");
        present += values.iter().filter(|v| v.is_some()).count();
    }
    present
}

/// How far behind the log the slot is, in bytes: its `restart_lsn` (where each read of the slot
/// starts decoding) and its `confirmed_flush_lsn` (what the feed has applied).
#[derive(diesel::QueryableByName)]
struct SlotDistance {
    #[diesel(sql_type = diesel::sql_types::Double)]
    restart: f64,
    #[diesel(sql_type = diesel::sql_types::Double)]
    confirmed: f64,
}

fn slot_distance(conn: &mut PgConnection) -> SlotDistance {
    diesel::sql_query(
        "SELECT (pg_current_wal_lsn() - restart_lsn)::float8 AS restart, \
         (pg_current_wal_lsn() - confirmed_flush_lsn)::float8 AS confirmed \
         FROM pg_replication_slots WHERE slot_name = 'write_through'",
    )
    .get_result(conn)
    .expect("the slot")
}

/// A `CHECKPOINT` logs the running transactions, from which the slot's `restart_lsn` can move
/// up to where the feed is: each phase starts with little WAL behind the slot (on its own,
/// PostgreSQL logs them every 15 s while the server is busy).
fn reset_restart_point(conn: &mut PgConnection, cache: &Cache) -> f64 {
    conn.batch_execute("CHECKPOINT").expect("CHECKPOINT");
    let started = Instant::now();
    loop {
        cache
            .catch_up(conn, Duration::from_secs(60))
            .expect("the feed catches up");
        let distance = slot_distance(conn).restart;
        if distance < 1e5 || started.elapsed() > Duration::from_secs(2) {
            return distance;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One lag phase: `rate` committed single-row `UPDATE`s per second for `seconds` from
/// `writers` threads, the watcher timing each key's disappearance.
fn lag_phase(
    server: &PrivatePostgres,
    conn: &mut PgConnection,
    cache: &Cache,
    (poll, max_changes, reader): (Duration, usize, Reader),
    (rate, writers, seconds): (u64, u64, u64),
) {
    let total = (rate * seconds).min(ROWS as u64) as i64;
    let ids: Vec<i64> = (1..=total).collect();
    let mut watcher_redis = redis();
    // Nothing of the previous phase is still to be applied, then every key is filled.
    let restart_at_start = reset_restart_point(conn, cache);
    let armed = arm(conn, cache, &mut watcher_redis, &ids);
    let before = cache.stats();

    let (mut most_restart, mut most_behind) = (0f64, 0f64);
    let updates: Vec<Update> = (0..writers)
        .map(|_| {
            let mut db = server.connect();
            Box::new(move |id: i64, k: u64| {
                db.batch_execute(&format!(
                    "UPDATE wt_bench_users SET name = 'changed {k}' WHERE id = {id}"
                ))
                .expect("UPDATE");
            }) as Update
        })
        .collect();
    let mut sampler = server.connect();
    let measured = pace_and_watch(cache, updates, rate, total, || {
        let distance = slot_distance(&mut sampler);
        most_restart = most_restart.max(distance.restart);
        most_behind = most_behind.max(distance.confirmed);
    });
    // The feed counts a batch after its invalidations, before it records its progress.
    cache
        .catch_up(conn, Duration::from_secs(60))
        .expect("the feed catches up after the phase");
    let after = cache.stats();

    let sorted = measured.sorted();
    let over_50 = measured.over_50_ms();
    let commit_latencies = &measured.commit_latencies;
    let (achieved, polls) = (measured.achieved, measured.polls);
    eprintln!(
        "feed lag, {reader:?}, poll {poll:?}, max_changes {max_changes}, target {rate}/s for {seconds} s ({writers} writer(s)): achieved {achieved:.0} changes/s, \
         {} seen of {total} ({} keys armed, {} never retired within {DRAIN:?}); \
         p50 {}, p99 {}, max {}; over 50 ms: {over_50} ({:.2}%)",
        sorted.len(),
        armed,
        measured.never,
        ms(quantile(&sorted, 0.50)),
        ms(quantile(&sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or_default()),
        100.0 * over_50 as f64 / sorted.len().max(1) as f64,
    );
    eprintln!(
        "    commit latency p50 {}, p99 {}; watcher polls {polls}; slot's WAL since restart_lsn \
         {:.1} MB at the start, at most {:.1} MB; applied at most {:.1} MB behind; \
         worst lag per second: [{}]; \
         feed: {} changes, {} invalidations, {} restarts, {} start-overs, {} unreadable",
        ms(quantile(commit_latencies, 0.50)),
        ms(quantile(commit_latencies, 0.99)),
        restart_at_start / 1e6,
        most_restart / 1e6,
        most_behind / 1e6,
        measured.worst_per_second(),
        after.feed_changes - before.feed_changes,
        after.feed_invalidations - before.feed_invalidations,
        after.feed_restarts - before.feed_restarts,
        after.feed_start_overs - before.feed_start_overs,
        after.feed_unreadable_changes - before.feed_unreadable_changes,
    );
}

/// Saves rows and finds each again 50 ms later, for [`PHASE`]: the fraction of those finds that
/// missed (the key was absent just before; and the cache's miss counter).
fn misses_after_save(conn: &mut PgConnection, cache: &Cache, feed_cache: &Cache, label: &str) {
    const LATER: Duration = Duration::from_millis(50);
    let mut r = redis();
    let before = cache.stats();
    let feed_before = feed_cache.stats().feed_invalidations;
    let mut queue: VecDeque<(i64, Instant)> = VecDeque::new();
    let (mut saves, mut finds, mut absent, mut counted_misses) = (0u64, 0u64, 0u64, 0u64);
    let started = Instant::now();
    let mut next_id: i64 = 1;
    let mut name = 0u64;
    while started.elapsed() < PHASE || !queue.is_empty() {
        if started.elapsed() < PHASE {
            let mut user = User::sample(next_id);
            user.name = format!("saved {label} {name}");
            name += 1;
            user.save(conn, cache).expect("save");
            queue.push_back((next_id, Instant::now()));
            saves += 1;
            next_id = next_id % 20_000 + 1;
        }
        while let Some(&(id, saved)) = queue.front() {
            if saved.elapsed() < LATER {
                break;
            }
            queue.pop_front();
            let exists: bool = redis::cmd("EXISTS")
                .arg(cache.key::<User>(&id))
                .query(&mut r)
                .expect("EXISTS");
            let misses = cache.stats().misses;
            User::find(conn, cache, &id).expect("find");
            counted_misses += cache.stats().misses - misses;
            absent += u64::from(!exists);
            finds += 1;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let after = cache.stats();
    eprintln!(
        "find 50 ms after save, feed {label}: {finds} finds after {saves} saves; key absent before the find: {absent} ({:.1}%); \
         Stats::misses {counted_misses} ({:.1}%); fills {}, fills refused {}, publishes {}, feed invalidations {}",
        100.0 * absent as f64 / finds.max(1) as f64,
        100.0 * counted_misses as f64 / finds.max(1) as f64,
        after.fills - before.fills,
        after.fills_refused - before.fills_refused,
        after.publishes - before.publishes,
        feed_cache.stats().feed_invalidations - feed_before,
    );
}

/// Mean time of one `save` over `n`, in µs.
fn time_saves(conn: &mut PgConnection, cache: &Cache, user: &User, n: u32) -> f64 {
    let started = Instant::now();
    for _ in 0..n {
        user.save(conn, cache).expect("save");
    }
    started.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

/// A feed's settings (poll interval, batch size) and the phases run with them (rate, writer
/// threads, seconds).
type LagRun<'a> = (Reader, Duration, usize, &'a [(u64, u64, u64)]);

fn on_postgres(c: &mut Criterion) {
    let server = PrivatePostgres::start();
    let mut conn = server.connect();
    conn.batch_execute(&format!(
        "CREATE TABLE wt_bench_users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL);
         INSERT INTO wt_bench_users SELECT g, 'user' || g || '@example.com', 'User number ' || g
           FROM generate_series(1, {ROWS}) g;"
    ))
    .expect("the bench table");
    conn.batch_execute("VACUUM ANALYZE wt_bench_users")
        .expect("vacuum");
    let namespace = format!("wt-bench-feed-{}", std::process::id());
    // The feed's own cache; a service's cache that never marks its writes, and one that does
    // (`mark_writes_for_feed`), all in one namespace.
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
    let phases = std::env::var("WT_FEED_BENCH_PHASES").unwrap_or_else(|_| "lag,save,misses".into());

    // 1. Lag: the default poll interval, 1 ms, and the default with batches of 10 000 changes.
    // Last, 5 000/s for 20 s with the defaults: longer than PostgreSQL's 15 s between two
    // moves of the slot's restart point.
    let all: &[(u64, u64, u64)] = &[(1_000, 1, 5), (5_000, 2, 5), (10_000, 2, 5)];
    let lag_runs: &[LagRun] = if phases.contains("lag") {
        &[
            (Reader::Streaming, Duration::from_millis(10), BATCH, all),
            (
                Reader::Streaming,
                Duration::from_millis(10),
                BATCH,
                &[(5_000, 2, 20), (10_000, 2, 20)],
            ),
            (Reader::Polling, Duration::from_millis(10), BATCH, all),
            (Reader::Polling, Duration::from_millis(1), BATCH, all),
            (
                Reader::Polling,
                Duration::from_millis(10),
                10_000,
                &all[1..],
            ),
            (
                Reader::Polling,
                Duration::from_millis(10),
                BATCH,
                &[(5_000, 2, 20)],
            ),
        ]
    } else {
        &[]
    };
    for &(reader, poll, max_changes, rates) in lag_runs {
        let handle = start_feed(&server, &cache, poll, max_changes, reader);
        for &phase in rates {
            lag_phase(
                &server,
                &mut conn,
                &cache,
                (poll, max_changes, reader),
                phase,
            );
        }
        cache
            .catch_up(&mut conn, Duration::from_secs(60))
            .expect("catch up");
        handle.stop();
    }

    // 2. What a running feed costs `save` (default poll interval), and what marking costs it.
    let user = User::sample(1);
    user.save(&mut conn, &plain).expect("seed");
    if phases.contains("save") {
        let mut group = c.benchmark_group("feed_save/postgres");
        group.bench_function("feed_off", |b| {
            b.iter(|| user.save(&mut conn, &plain).unwrap())
        });
        group.bench_function("feed_off_marked", |b| {
            b.iter(|| user.save(&mut conn, &marking).unwrap())
        });
        let handle = start_default_feed(&server, &cache);
        group.bench_function("feed_on_unmarked", |b| {
            b.iter(|| user.save(&mut conn, &plain).unwrap())
        });
        group.bench_function("feed_on_marked", |b| {
            b.iter(|| user.save(&mut conn, &marking).unwrap())
        });
        group.finish();
        handle.stop();
    }

    // The same, alternated: the feed stopped and started between rounds; off, the writes are
    // not marked, on, they are.
    let rounds = if phases.contains("save") { 12 } else { 0 };
    paired_rounds(rounds, |feed_on| {
        let handle = feed_on.then(|| start_default_feed(&server, &cache));
        let writer = if feed_on { &marking } else { &plain };
        time_saves(&mut conn, writer, &user, 50);
        let mean = time_saves(&mut conn, writer, &user, 300);
        if let Some(handle) = handle {
            handle.stop();
        }
        mean
    });

    // 3. The miss the feed adds after a library write, unless the write is marked.
    if phases.contains("misses") {
        misses_after_save(&mut conn, &plain, &cache, "off");
        let handle = start_default_feed(&server, &cache);
        cache
            .catch_up(&mut conn, Duration::from_secs(60))
            .expect("catch up");
        misses_after_save(&mut conn, &plain, &cache, "on, writes unmarked");
        misses_after_save(&mut conn, &marking, &cache, "on, writes marked");
        cache
            .catch_up(&mut conn, Duration::from_secs(60))
            .expect("catch up");
        handle.stop();
    }
    print_totals(&cache);

    // Every key of the namespace (rows, the feed's marker) goes; a second pass finds none.
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
    targets = on_postgres
}
criterion_main!(benches);
