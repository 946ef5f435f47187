//! The randomized concurrency suite: threads of random save/delete/find on a few hot keys
//! against PostgreSQL or MariaDB and Redis, every operation timed, then checked.
//!
//! A short run by default. The long run (printing the naive pattern's stale reads beside ours):
//!
//! ```text
//! WT_HISTORY_THREADS=8 WT_HISTORY_OPS=5000 cargo test --release -p write_through_tests --test history -- --nocapture
//! ```
//!
//! Reproduce a run's operation sequence with `WT_SEED=<seed>` (printed by every run).

use diesel::connection::{Connection, LoadConnection};
use write_through::DieselOps;
use write_through_tests::history::{self, Subject, Workload};
use write_through_tests::models::Tag;
use write_through_tests::{TestCache, redis_url, unique};

fn check<C>(backend: &str, connect: impl Fn() -> Option<C> + Sync)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let (Some(mut conn), Some(tc)) = (connect(), TestCache::new()) else {
        return;
    };
    let workload = Workload::from_env(6, 250, 3);
    let names = format!("hist-{}", unique());
    let connect = || connect().expect("database");

    let naive = Subject::Naive {
        redis_url: redis_url(),
        prefix: format!("{}:naive", tc.cache.namespace()),
    };
    let naive_run = history::run(workload, &naive, &format!("{names}-naive"), connect);
    let naive_stale = history::stale_reads(&naive_run.events).len();

    let ours = Subject::Library(tc.cache.clone());
    let run = history::run(workload, &ours, &names, connect);
    let stale = history::stale_reads(&run.events);
    let reads = run
        .events
        .iter()
        .filter(|e| matches!(e.op, history::Op::Find(_)))
        .count();
    println!(
        "{backend}: {workload:?}: {} operations ({reads} reads, {} failed); stale reads: naive {naive_stale}, write_through {}",
        run.events.len(),
        run.failed,
        stale.len()
    );
    assert!(
        stale.is_empty(),
        "stale reads with seed {}: {stale:#?}",
        workload.seed
    );
    assert!(
        run.failed * 10 <= run.events.len(),
        "too many failed operations with seed {}",
        workload.seed
    );

    // Writes have stopped: every cached key equals its row, or is absent.
    history::assert_cache_matches_database(&mut conn, &tc.cache, &names, workload.keys);
}

#[test]
fn no_stale_reads_under_random_concurrency_on_postgres() {
    check("PostgreSQL", write_through_tests::postgres);
}

#[test]
fn no_stale_reads_under_random_concurrency_on_mariadb() {
    check("MariaDB", write_through_tests::mysql);
}
