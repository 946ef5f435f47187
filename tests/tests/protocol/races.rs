//! One deterministic test per race of hand-written caching, on PostgreSQL and Redis, with the
//! library driven through each front: `blocking::name` and `asynch::name` run the same
//! specification (written once over `fronts::Front`) on the blocking front's `PgConnection`s and
//! on the async front's `AsyncPgConnection`s, each on a current-thread runtime of its own thread.
//! A pause point blocks the thread it is reached on, which for the async front is the thread
//! whose runtime is polling the paused operation; the test goes on from its own thread.
//!
//! Each test forces one interleaving on the library with pause points (a reader held after its
//! database load, a writer held after its commit) and asserts that nothing stale survives; that
//! half is the test, and it fails if the protocol's compare-and-set is weakened (making FILL
//! and PUBLISH unconditional failed five of the first seven).
//!
//! Before it, each test replays the same interleaving with the hand-written pattern ("write the
//! database, then SET"; "GET, on a miss load and SET"), written below, one step after another on
//! one thread, and asserts the stale end state. That half is not a test of anything that could
//! regress (the hand-written pattern has no way to stop the replay, so it can only fail if Redis
//! or the database misbehave): it is the evidence that the interleaving forced on the library is
//! a real hazard, i.e. that the library half is not testing a harmless schedule. It runs on a
//! blocking `PgConnection`, whichever front the library half uses.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use diesel::PgConnection;
use diesel::prelude::*;
use write_through::pause::{self, FIND_LOADED, WRITE_COMMITTED, WRITE_LOCKED};
use write_through::{Cache, CacheBuilder};
use write_through_tests::fronts::{self, Blocking, Front, Hook, TxStep};
use write_through_tests::models::Tag;
use write_through_tests::schema::wt_tags;
use write_through_tests::{TestCache, postgres, unique};

/// A front of the library on a connection of its own.
type AnyFront = Box<dyn Front + Send>;

/// How a test gets its fronts: `make` opens one (a new database connection each call), and
/// `local` says whether every cache the test uses keeps its `Tag`s in the in-process tier too.
#[derive(Clone, Copy)]
struct Fronts {
    make: fn() -> AnyFront,
    local: bool,
}

const BLOCKING: Fronts = Fronts {
    make: blocking_front,
    local: false,
};

/// The blocking front with the in-process tier on: every race again, with finds answered from
/// the process's own map whenever it holds the key (one Redis only: the tier is refused on a
/// cluster, so `scripts/test` skips these there).
const BLOCKING_WITH_THE_TIER: Fronts = Fronts {
    make: blocking_front,
    local: true,
};

fn blocking_front() -> AnyFront {
    Box::new(Blocking(
        postgres().expect("PostgreSQL answered a moment ago"),
    ))
}

/// The async front. Its cache's Redis connection runs on the cache's own driver thread: these
/// tests, run with the connection driven by the runtime of the front that opened it, found
/// that it stalled every other front while that one was held at a pause point (cache errors on
/// a healthy Redis, and stale reads after a writer that died).
const ASYNC: Fronts = Fronts {
    make: async_front,
    local: false,
};

/// The async front with the in-process tier on.
const ASYNC_WITH_THE_TIER: Fronts = Fronts {
    make: async_front,
    local: true,
};

fn async_front() -> AnyFront {
    Box::new(fronts::async_postgres().expect("PostgreSQL answered a moment ago"))
}

// For each race `name(fronts: Fronts)`: `blocking::name`, `asynch::name`, and both again with
// the in-process tier on.
write_through_tests::on_both_fronts!(
    [
        a_fill_that_read_before_an_update_cannot_overwrite_it,
        a_fill_that_read_before_a_delete_cannot_resurrect_the_row,
        two_writers_publishing_out_of_order_leave_what_the_database_kept,
        a_rolled_back_transaction_changes_nothing_in_the_cache,
        a_writer_that_dies_between_commit_and_publish_leaves_no_stale_value,
        a_lock_that_expires_during_a_long_transaction_still_leaves_no_stale_value,
        a_cached_absence_cannot_hide_a_concurrent_insert,
        a_writer_that_locked_first_commits_last_and_dies_leaves_no_stale_value,
        contending_writers_leave_the_key_empty_when_both_finish,
    ],
    blocking: |race| race(super::BLOCKING),
    asynch: |race| race(super::ASYNC),
    with_the_tier_blocking: |race| race(super::BLOCKING_WITH_THE_TIER),
    with_the_tier_asynch: |race| race(super::ASYNC_WITH_THE_TIER),
);

/// The hand-written pattern, on a key space of its own. The cached value is the `uses` column.
struct Naive<'a> {
    redis: &'a mut dyn redis::ConnectionLike,
    key: String,
}

impl Naive<'_> {
    fn get(&mut self) -> Option<i32> {
        redis::cmd("GET").arg(&self.key).query(self.redis).unwrap()
    }
    fn set(&mut self, uses: Option<i32>) {
        match uses {
            Some(uses) => redis::cmd("SET")
                .arg(&self.key)
                .arg(uses)
                .query::<()>(self.redis),
            None => redis::cmd("SET")
                .arg(&self.key)
                .arg(-1)
                .query::<()>(self.redis),
        }
        .unwrap();
    }
    fn del(&mut self) {
        redis::cmd("DEL")
            .arg(&self.key)
            .query::<()>(self.redis)
            .unwrap();
    }
}

impl Drop for Naive<'_> {
    fn drop(&mut self) {
        self.del();
    }
}

fn naive<'a>(tc: &'a mut TestCache, name: &str) -> Naive<'a> {
    let key = format!("{}:naive:{name}", tc.cache.namespace());
    Naive {
        redis: &mut *tc.redis,
        key,
    }
}

fn db_uses(conn: &mut PgConnection, name: &str) -> Option<i32> {
    wt_tags::table
        .find(name)
        .select(wt_tags::uses)
        .first(conn)
        .optional()
        .unwrap()
}

fn db_set(conn: &mut PgConnection, name: &str, uses: i32) {
    diesel::insert_into(wt_tags::table)
        .values((wt_tags::name.eq(name), wt_tags::uses.eq(uses)))
        .on_conflict(wt_tags::name)
        .do_update()
        .set(wt_tags::uses.eq(uses))
        .execute(conn)
        .unwrap();
}

/// What a fresh reader gets from the library: the cache, or the database behind it.
fn read(front: &mut dyn Front, cache: &Cache, name: &str) -> Option<i32> {
    front.find_tag(cache, name).unwrap().map(|t| t.uses)
}

fn tag(name: &str, uses: i32) -> Tag {
    Tag {
        name: name.to_owned(),
        uses,
    }
}

/// A test's cache, its blocking connection for the naive half and for looking at the database,
/// and two fronts of the library.
struct Setup {
    tc: TestCache,
    conn: PgConnection,
    a: AnyFront,
    b: AnyFront,
    name: String,
}

fn setup(fronts: Fronts) -> Option<Setup> {
    let (Some(conn), Some(tc)) = (postgres(), TestCache::with(|b| with_the_tier(fronts, b))) else {
        return None;
    };
    tier_live(fronts, &tc.cache);
    Some(Setup {
        tc,
        conn,
        a: (fronts.make)(),
        b: (fronts.make)(),
        name: format!("race-{}", unique()),
    })
}

/// The test's cache with a short lock TTL, for the tests in which a lock expires.
fn with_lock_ttl(fronts: Fronts, tc: &TestCache, ttl: Duration) -> Cache {
    let builder = write_through_tests::cache_builder()
        .namespace(tc.cache.namespace())
        .lock_ttl(ttl);
    let cache = with_the_tier(fronts, builder).build().unwrap();
    tier_live(fronts, &cache);
    cache
}

/// `builder` with `Tag`s in the in-process tier when `fronts` asks for it (a minute of local
/// TTL, so that only the protocol retires entries).
fn with_the_tier(fronts: Fronts, builder: CacheBuilder) -> CacheBuilder {
    if fronts.local {
        builder.local::<Tag>(Duration::from_secs(60))
    } else {
        builder
    }
}

/// Waits until `cache`'s tier is in use when `fronts` asks for it (until then finds bypass it,
/// and the race would run without it).
fn tier_live(fronts: Fronts, cache: &Cache) {
    if fronts.local {
        fronts::go_live(blocking_front().as_mut(), cache);
    }
}

/// Runs `find` on its own thread and front, paused at `FIND_LOADED`.
fn paused_reader(
    cache: &Cache,
    mut front: AnyFront,
    name: &str,
) -> (pause::Gate, thread::JoinHandle<(Option<i32>, AnyFront)>) {
    let gate = pause::arm(FIND_LOADED, &cache.key::<Tag>(&name.to_owned()));
    let (cache, name) = (cache.clone(), name.to_owned());
    let reader = thread::spawn(move || {
        let found = read(front.as_mut(), &cache, &name);
        (found, front)
    });
    gate.wait_until_reached();
    (gate, reader)
}

fn a_fill_that_read_before_an_update_cannot_overwrite_it(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    db_set(&mut conn, &name, 1);

    // Naive: the reader loads 1, the writer writes 2 and SETs it, the reader SETs 1.
    let mut n = naive(&mut tc, &name);
    assert_eq!(n.get(), None);
    let loaded = db_uses(&mut conn, &name);
    db_set(&mut conn, &name, 2);
    n.set(Some(2));
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(1), Some(2)),
        "naive goes stale"
    );
    drop(n);
    db_set(&mut conn, &name, 1);

    let (gate, reader) = paused_reader(&tc.cache, b, &name);
    a.save_tag(&tc.cache, &tag(&name, 2)).unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, Some(1), "the reader began before the write");
    assert_eq!(read(a.as_mut(), &tc.cache, &name), Some(2));
    let stats = tc.cache.stats();
    assert_eq!(stats.fills_refused, 1, "{stats:?}");
}

fn a_fill_that_read_before_a_delete_cannot_resurrect_the_row(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    db_set(&mut conn, &name, 1);

    let mut n = naive(&mut tc, &name);
    let loaded = db_uses(&mut conn, &name);
    diesel::delete(wt_tags::table.find(&name))
        .execute(&mut conn)
        .unwrap();
    n.del();
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(1), None),
        "naive resurrects"
    );
    drop(n);
    db_set(&mut conn, &name, 1);

    let (gate, reader) = paused_reader(&tc.cache, b, &name);
    assert!(a.delete_tag(&tc.cache, &name).unwrap());
    gate.release();
    reader.join().unwrap();
    assert_eq!(read(a.as_mut(), &tc.cache, &name), None);
    let stats = tc.cache.stats();
    assert!(stats.fills_refused >= 1, "{stats:?}");
}

fn two_writers_publishing_out_of_order_leave_what_the_database_kept(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        a,
        mut b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    db_set(&mut conn, &name, 0);

    // Naive: A commits 1, B commits 2 and SETs 2, A's SET of 1 lands last.
    let mut n = naive(&mut tc, &name);
    db_set(&mut conn, &name, 1);
    db_set(&mut conn, &name, 2);
    n.set(Some(2));
    n.set(Some(1));
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(1), Some(2)),
        "naive reorders"
    );
    drop(n);

    let gate = pause::arm(WRITE_COMMITTED, &tc.cache.key::<Tag>(&name));
    let (cache, writer_name) = (tc.cache.clone(), name.clone());
    let writer_a = thread::spawn(move || {
        let mut a = a;
        a.save_tag(&cache, &tag(&writer_name, 1)).unwrap();
        a
    });
    gate.wait_until_reached();
    b.save_tag(&tc.cache, &tag(&name, 2)).unwrap();
    gate.release();
    let mut a = writer_a.join().unwrap();
    assert_eq!(db_uses(&mut conn, &name), Some(2));
    assert_eq!(read(a.as_mut(), &tc.cache, &name), Some(2));
}

fn a_rolled_back_transaction_changes_nothing_in_the_cache(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    a.save_tag(&tc.cache, &tag(&name, 1)).unwrap();
    let cached_before = tc.raw(&format!("tag:{name}"));

    // Naive: the write and its SET happen inside the transaction, which then rolls back.
    let mut n = naive(&mut tc, &name);
    n.set(Some(1));
    let _ = conn.transaction::<(), _, _>(|conn| {
        db_set(conn, &name, 2);
        n.set(Some(2));
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(2), Some(1)),
        "naive keeps the rollback"
    );
    drop(n);

    // Meanwhile another reader sees the lock and reads the committed row.
    let reader = Arc::new(Mutex::new(b));
    let (reader_cache, reader_name, other) = (tc.cache.clone(), name.clone(), reader.clone());
    let meanwhile = Hook::new(move || {
        let mut b = other.lock().unwrap();
        assert_eq!(read(b.as_mut(), &reader_cache, &reader_name), Some(1));
    });
    let result = a.transaction(
        &tc.cache,
        vec![
            TxStep::SaveTag(tag(&name, 2)),
            TxStep::Hook(meanwhile),
            TxStep::Fail,
        ],
    );
    assert!(result.is_err());
    assert_eq!(
        tc.raw(&format!("tag:{name}")),
        cached_before,
        "the cached value is back"
    );
    assert_eq!(read(a.as_mut(), &tc.cache, &name), Some(1));
}

fn a_writer_that_dies_between_commit_and_publish_leaves_no_stale_value(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    let cache = with_lock_ttl(fronts, &tc, Duration::from_millis(500));
    a.save_tag(&cache, &tag(&name, 1)).unwrap();

    // Naive: the process dies after the commit, before its SET.
    let mut n = naive(&mut tc, &name);
    n.set(Some(1));
    db_set(&mut conn, &name, 2);
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(1), Some(2)),
        "naive keeps the old value"
    );
    drop(n);
    db_set(&mut conn, &name, 1);

    let gate = pause::arm(WRITE_COMMITTED, &cache.key::<Tag>(&name));
    let (dying_cache, dying_name) = (cache.clone(), name.clone());
    let writer = thread::spawn(move || {
        let mut b = b;
        b.save_tag(&dying_cache, &tag(&dying_name, 2))
    });
    gate.wait_until_reached();
    gate.die();
    assert!(writer.join().is_err(), "the writer died");
    assert_eq!(
        read(a.as_mut(), &cache, &name),
        Some(2),
        "the lock sends readers to the database"
    );
    thread::sleep(Duration::from_millis(700));
    assert_eq!(
        read(a.as_mut(), &cache, &name),
        Some(2),
        "after the lock expired: a fill"
    );
    assert_eq!(read(a.as_mut(), &cache, &name), Some(2), "and a hit");
    let stats = cache.stats();
    assert!(
        stats.hits + stats.local_hits >= 1,
        "served from Redis, or with the tier from the process"
    );
}

fn a_lock_that_expires_during_a_long_transaction_still_leaves_no_stale_value(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    let cache = with_lock_ttl(fronts, &tc, Duration::from_millis(200));
    db_set(&mut conn, &name, 1);

    // Naive: a reader loads 1 during the transaction; its SET lands after the writer's.
    let mut n = naive(&mut tc, &name);
    let loaded = db_uses(&mut conn, &name);
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        db_set(conn, &name, 2);
        Ok(())
    })
    .unwrap();
    n.set(Some(2));
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(1), Some(2)),
        "naive goes stale"
    );
    drop(n);
    db_set(&mut conn, &name, 1);

    type Paused = (pause::Gate, thread::JoinHandle<(Option<i32>, AnyFront)>);
    let reader: Arc<Mutex<Option<Paused>>> = Arc::default();
    let waiting = Arc::new(Mutex::new(Some(b)));
    let (reader_cache, reader_name, started) = (cache.clone(), name.clone(), reader.clone());
    let long = Hook::new(move || {
        thread::sleep(Duration::from_millis(400)); // longer than the lock TTL
        let b = waiting.lock().unwrap().take().expect("one reader");
        *started.lock().unwrap() = Some(paused_reader(&reader_cache, b, &reader_name));
    });
    a.transaction(
        &cache,
        vec![TxStep::SaveTag(tag(&name, 2)), TxStep::Hook(long)],
    )
    .unwrap();
    let (gate, handle) = reader.lock().unwrap().take().unwrap();
    gate.release();
    let (seen_by_reader, _) = handle.join().unwrap();
    assert_eq!(seen_by_reader, Some(1), "it read before the commit");
    assert_eq!(read(a.as_mut(), &cache, &name), Some(2));
}

fn a_cached_absence_cannot_hide_a_concurrent_insert(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };

    // Naive: the reader finds no row, the writer inserts and SETs, the reader caches "absent".
    let mut n = naive(&mut tc, &name);
    let loaded = db_uses(&mut conn, &name);
    db_set(&mut conn, &name, 7);
    n.set(Some(7));
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut conn, &name)),
        (Some(-1), Some(7)),
        "naive hides the row"
    );
    drop(n);
    diesel::delete(wt_tags::table.find(&name))
        .execute(&mut conn)
        .unwrap();

    let (gate, reader) = paused_reader(&tc.cache, b, &name);
    a.save_tag(&tc.cache, &tag(&name, 7)).unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, None, "it read before the insert");
    assert_eq!(read(a.as_mut(), &tc.cache, &name), Some(7));
}

/// A race of the protocol itself rather than of the naive pattern: the writer that locked first
/// commits last and dies before its publish. The later writer must not have published its older
/// row in the meantime (its lock was contended), so the key ends empty, never stale.
fn a_writer_that_locked_first_commits_last_and_dies_leaves_no_stale_value(fronts: Fronts) {
    let Some(Setup {
        tc,
        mut conn,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    let cache = with_lock_ttl(fronts, &tc, Duration::from_millis(600));
    a.save_tag(&cache, &tag(&name, 0)).unwrap();
    let key = cache.key::<Tag>(&name);

    let locked = pause::arm(WRITE_LOCKED, &key);
    let (first_cache, first_name) = (cache.clone(), name.clone());
    let first = thread::spawn(move || {
        let mut b = b;
        b.save_tag(&first_cache, &tag(&first_name, 3))
    });
    locked.wait_until_reached();
    a.save_tag(&cache, &tag(&name, 1)).unwrap();
    let committed = pause::arm(WRITE_COMMITTED, &key);
    locked.release();
    committed.wait_until_reached();
    committed.die();
    assert!(
        first.join().is_err(),
        "the first writer died after its commit"
    );

    assert_eq!(db_uses(&mut conn, &name), Some(3));
    assert_eq!(
        read(a.as_mut(), &cache, &name),
        Some(3),
        "the contended lock sends reads to the database after `lease_wait`"
    );
    thread::sleep(Duration::from_millis(800));
    assert_eq!(
        read(a.as_mut(), &cache, &name),
        Some(3),
        "after it expired: a fill of the row the database kept"
    );
}

/// Two writers that finish normally after contending leave the key empty, not stale: the last
/// holder's publish deletes the contended lock.
fn contending_writers_leave_the_key_empty_when_both_finish(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        conn: _,
        mut a,
        b,
        name,
    }) = setup(fronts)
    else {
        return;
    };
    let key = tc.cache.key::<Tag>(&name);
    let locked = pause::arm(WRITE_LOCKED, &key);
    let (first_cache, first_name) = (tc.cache.clone(), name.clone());
    let first = thread::spawn(move || {
        let mut b = b;
        b.save_tag(&first_cache, &tag(&first_name, 3)).unwrap();
    });
    locked.wait_until_reached();
    a.save_tag(&tc.cache, &tag(&name, 1)).unwrap();
    // The first writer is still in flight and may commit last: the second must not have
    // published its row, only contended the lock (envelope kind 5).
    let while_in_flight = tc.raw(&format!("tag:{name}"));
    assert_eq!(
        while_in_flight.as_deref().map(|v| v[3]),
        Some(5),
        "{while_in_flight:?}"
    );
    locked.release();
    first.join().unwrap();
    assert_eq!(
        tc.raw(&format!("tag:{name}")),
        None,
        "neither writer may publish"
    );
    assert_eq!(read(a.as_mut(), &tc.cache, &name), Some(3));
}
