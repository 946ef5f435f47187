//! Redis down or hung: reads fall back to the database, writes commit, and what could not be
//! invalidated is invalidated before Redis serves anything else once it answers again.
//!
//! Each test uses a Redis of its own (`PrivateRedis`) or a port where nothing listens, and
//! SQLite in a temporary file: the behaviour under test is the cache's, not the database's.

use std::time::{Duration, Instant};
use write_through::blocking::{ModelOps as _, SaveOps as _};

use write_through::{Cache, Error, WritePolicy};
use write_through_tests::models::Tag;
use write_through_tests::private_redis::{PrivateRedis, dead_redis_url};
use write_through_tests::{sqlite, unique};

const TIMEOUT: Duration = Duration::from_millis(200);

fn cache_on(url: &str, policy: WritePolicy) -> Cache {
    Cache::builder(url)
        .connect_timeout(TIMEOUT)
        .io_timeout(TIMEOUT)
        .write_policy(policy)
        .build()
        .unwrap()
}

fn tag(uses: i32) -> Tag {
    Tag {
        name: format!("outage-{}", unique()),
        uses,
    }
}

#[test]
fn a_read_falls_back_to_the_database_when_redis_is_down() {
    let (mut conn, _dir) = sqlite();
    let cache = cache_on(&dead_redis_url(), WritePolicy::Available);
    let row = tag(1);
    row.save(&mut conn, &cache).unwrap();
    assert_eq!(Tag::find(&mut conn, &cache, &row.name).unwrap(), Some(row));
    assert!(cache.stats().cache_errors >= 2, "{:?}", cache.stats());
}

#[test]
fn a_write_commits_when_redis_is_down_and_owes_the_invalidation() {
    let (mut conn, _dir) = sqlite();
    let cache = cache_on(&dead_redis_url(), WritePolicy::Available);
    let row = tag(1);
    row.save(&mut conn, &cache)
        .expect("the database committed, so the save succeeds");
    assert_eq!(cache.stats().pending_invalidations, 1);
    assert!(
        Tag::delete(&mut conn, &cache, &row.name).unwrap(),
        "the row was committed"
    );
}

#[test]
fn an_owed_invalidation_is_delivered_before_anything_else_when_redis_answers_again() {
    let Some(redis) = PrivateRedis::start() else {
        return;
    };
    let (mut conn, _dir) = sqlite();
    let cache = cache_on(&redis.url(), WritePolicy::Available);
    let mut row = tag(1);
    row.save(&mut conn, &cache).unwrap();

    redis.pause();
    row.uses = 2;
    row.save(&mut conn, &cache).unwrap();
    assert_eq!(
        cache.stats().pending_invalidations,
        1,
        "{:?}",
        cache.stats()
    );
    redis.resume();

    // Without the owed DEL, Redis would still answer uses = 1 here.
    assert_eq!(Tag::find(&mut conn, &cache, &row.name).unwrap(), Some(row));
    let stats = cache.stats();
    assert_eq!(
        (stats.pending_invalidations, stats.recovered_invalidations),
        (0, 1)
    );
}

#[test]
fn strict_policy_refuses_the_write_when_redis_is_down() {
    let (mut conn, _dir) = sqlite();
    let cache = cache_on(&dead_redis_url(), WritePolicy::Strict);
    let row = tag(1);
    let error = row.save(&mut conn, &cache).unwrap_err();
    assert!(matches!(error, Error::Cache(_)), "{error:?}");
    assert_eq!(
        Tag::find(&mut conn, &cache, &row.name).unwrap(),
        None,
        "the database is unchanged"
    );
    assert!(matches!(
        Tag::delete(&mut conn, &cache, &row.name),
        Err(Error::Cache(_))
    ));
}

#[test]
fn strict_policy_writes_normally_when_redis_is_up() {
    let Some(redis) = PrivateRedis::start() else {
        return;
    };
    let (mut conn, _dir) = sqlite();
    let cache = cache_on(&redis.url(), WritePolicy::Strict);
    let row = tag(5);
    row.save(&mut conn, &cache).unwrap();
    let cached: Option<Vec<u8>> = redis::cmd("GET")
        .arg(cache.key::<Tag>(&row.name))
        .query(&mut redis.connection())
        .unwrap();
    assert!(cached.is_some());
}

#[test]
fn a_hung_redis_costs_a_read_no_more_than_the_timeouts() {
    let Some(redis) = PrivateRedis::start() else {
        return;
    };
    let (mut conn, _dir) = sqlite();
    let cache = cache_on(&redis.url(), WritePolicy::Available);
    let row = tag(1);
    row.save(&mut conn, &cache).unwrap();
    redis.pause();
    let started = Instant::now();
    let found = Tag::find(&mut conn, &cache, &row.name).unwrap();
    let waited = started.elapsed();
    redis.resume();
    assert_eq!(found, Some(row));
    // A generous bound: one I/O timeout (200 ms) plus scheduling noise on a shared machine.
    assert!(waited < Duration::from_secs(3), "find waited {waited:?}");
}
