//! One deterministic test per race of hand-written caching, on PostgreSQL and Redis.
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
//! a real hazard, i.e. that the library half is not testing a harmless schedule.

use std::thread;
use std::time::Duration;
use write_through::blocking::{ModelOps as _, SaveOps as _, TransactionOps as _};

use diesel::PgConnection;
use diesel::prelude::*;
use write_through::pause::{self, FIND_LOADED, WRITE_COMMITTED, WRITE_LOCKED};
use write_through::{Cache, Error};
use write_through_tests::models::Tag;
use write_through_tests::schema::wt_tags;
use write_through_tests::{TestCache, postgres, unique};

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
fn read(conn: &mut PgConnection, cache: &Cache, name: &str) -> Option<i32> {
    Tag::find(conn, cache, &name.to_owned())
        .unwrap()
        .map(|t| t.uses)
}

struct Setup {
    tc: TestCache,
    a: PgConnection,
    b: PgConnection,
    name: String,
}

fn setup() -> Option<Setup> {
    let (Some(a), Some(b), Some(tc)) = (postgres(), postgres(), TestCache::new()) else {
        return None;
    };
    Some(Setup {
        tc,
        a,
        b,
        name: format!("race-{}", unique()),
    })
}

/// The test's cache with a short lock TTL, for the tests in which a lock expires.
fn with_lock_ttl(tc: &TestCache, ttl: Duration) -> Cache {
    write_through_tests::cache_builder()
        .namespace(tc.cache.namespace())
        .lock_ttl(ttl)
        .build()
        .unwrap()
}

/// Runs `find` on its own thread and connection, paused at `FIND_LOADED`.
fn paused_reader(
    cache: &Cache,
    mut conn: PgConnection,
    name: &str,
) -> (pause::Gate, thread::JoinHandle<(Option<i32>, PgConnection)>) {
    let gate = pause::arm(FIND_LOADED, &cache.key::<Tag>(&name.to_owned()));
    let (cache, name) = (cache.clone(), name.to_owned());
    let reader = thread::spawn(move || {
        let found = read(&mut conn, &cache, &name);
        (found, conn)
    });
    gate.wait_until_reached();
    (gate, reader)
}

#[test]
fn a_fill_that_read_before_an_update_cannot_overwrite_it() {
    let Some(Setup {
        mut tc,
        mut a,
        b,
        name,
    }) = setup()
    else {
        return;
    };
    db_set(&mut a, &name, 1);

    // Naive: the reader loads 1, the writer writes 2 and SETs it, the reader SETs 1.
    let mut n = naive(&mut tc, &name);
    assert_eq!(n.get(), None);
    let loaded = db_uses(&mut a, &name);
    db_set(&mut a, &name, 2);
    n.set(Some(2));
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(1), Some(2)),
        "naive goes stale"
    );
    drop(n);
    db_set(&mut a, &name, 1);

    let (gate, reader) = paused_reader(&tc.cache, b, &name);
    Tag {
        name: name.clone(),
        uses: 2,
    }
    .save(&mut a, &tc.cache)
    .unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, Some(1), "the reader began before the write");
    assert_eq!(read(&mut a, &tc.cache, &name), Some(2));
    assert_eq!(tc.cache.stats().fills_refused, 1);
}

#[test]
fn a_fill_that_read_before_a_delete_cannot_resurrect_the_row() {
    let Some(Setup {
        mut tc,
        mut a,
        b,
        name,
    }) = setup()
    else {
        return;
    };
    db_set(&mut a, &name, 1);

    let mut n = naive(&mut tc, &name);
    let loaded = db_uses(&mut a, &name);
    diesel::delete(wt_tags::table.find(&name))
        .execute(&mut a)
        .unwrap();
    n.del();
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(1), None),
        "naive resurrects"
    );
    drop(n);
    db_set(&mut a, &name, 1);

    let (gate, reader) = paused_reader(&tc.cache, b, &name);
    assert!(Tag::delete(&mut a, &tc.cache, &name).unwrap());
    gate.release();
    reader.join().unwrap();
    assert_eq!(read(&mut a, &tc.cache, &name), None);
    assert!(tc.cache.stats().fills_refused >= 1);
}

#[test]
fn two_writers_publishing_out_of_order_leave_what_the_database_kept() {
    let Some(Setup {
        mut tc,
        mut a,
        mut b,
        name,
    }) = setup()
    else {
        return;
    };
    db_set(&mut a, &name, 0);

    // Naive: A commits 1, B commits 2 and SETs 2, A's SET of 1 lands last.
    let mut n = naive(&mut tc, &name);
    db_set(&mut a, &name, 1);
    db_set(&mut b, &name, 2);
    n.set(Some(2));
    n.set(Some(1));
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(1), Some(2)),
        "naive reorders"
    );
    drop(n);

    let gate = pause::arm(WRITE_COMMITTED, &tc.cache.key::<Tag>(&name));
    let (cache, writer_name) = (tc.cache.clone(), name.clone());
    let writer_a = thread::spawn(move || {
        Tag {
            name: writer_name,
            uses: 1,
        }
        .save(&mut a, &cache)
        .unwrap();
        a
    });
    gate.wait_until_reached();
    Tag {
        name: name.clone(),
        uses: 2,
    }
    .save(&mut b, &tc.cache)
    .unwrap();
    gate.release();
    let mut a = writer_a.join().unwrap();
    assert_eq!(db_uses(&mut a, &name), Some(2));
    assert_eq!(read(&mut a, &tc.cache, &name), Some(2));
}

#[test]
fn a_rolled_back_transaction_changes_nothing_in_the_cache() {
    let Some(Setup {
        mut tc,
        mut a,
        mut b,
        name,
    }) = setup()
    else {
        return;
    };
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut a, &tc.cache)
    .unwrap();
    let cached_before = tc.raw(&format!("tag:{name}"));

    // Naive: the write and its SET happen inside the transaction, which then rolls back.
    let mut n = naive(&mut tc, &name);
    n.set(Some(1));
    let _ = a.transaction::<(), _, _>(|conn| {
        db_set(conn, &name, 2);
        n.set(Some(2));
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(2), Some(1)),
        "naive keeps the rollback"
    );
    drop(n);

    let result = tc.cache.transaction(&mut a, |conn| {
        Tag {
            name: name.clone(),
            uses: 2,
        }
        .save(conn, &tc.cache)?;
        // Meanwhile another reader sees the lock and reads the committed row.
        assert_eq!(read(&mut b, &tc.cache, &name), Some(1));
        Err::<(), _>(Error::Database(diesel::result::Error::RollbackTransaction))
    });
    assert!(result.is_err());
    assert_eq!(
        tc.raw(&format!("tag:{name}")),
        cached_before,
        "the cached value is back"
    );
    assert_eq!(read(&mut a, &tc.cache, &name), Some(1));
}

#[test]
fn a_writer_that_dies_between_commit_and_publish_leaves_no_stale_value() {
    let Some(Setup {
        mut tc,
        mut a,
        b,
        name,
    }) = setup()
    else {
        return;
    };
    let cache = with_lock_ttl(&tc, Duration::from_millis(500));
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut a, &cache)
    .unwrap();

    // Naive: the process dies after the commit, before its SET.
    let mut n = naive(&mut tc, &name);
    n.set(Some(1));
    db_set(&mut a, &name, 2);
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(1), Some(2)),
        "naive keeps the old value"
    );
    drop(n);
    db_set(&mut a, &name, 1);

    let gate = pause::arm(WRITE_COMMITTED, &cache.key::<Tag>(&name));
    let (dying_cache, dying_name) = (cache.clone(), name.clone());
    let writer = thread::spawn(move || {
        let mut b = b;
        Tag {
            name: dying_name,
            uses: 2,
        }
        .save(&mut b, &dying_cache)
    });
    gate.wait_until_reached();
    gate.die();
    assert!(writer.join().is_err(), "the writer died");
    assert_eq!(
        read(&mut a, &cache, &name),
        Some(2),
        "the lock sends readers to the database"
    );
    thread::sleep(Duration::from_millis(700));
    assert_eq!(
        read(&mut a, &cache, &name),
        Some(2),
        "after the lock expired: a fill"
    );
    assert_eq!(read(&mut a, &cache, &name), Some(2), "and a hit");
    assert!(cache.stats().hits >= 1);
}

#[test]
fn a_lock_that_expires_during_a_long_transaction_still_leaves_no_stale_value() {
    let Some(Setup {
        mut tc,
        mut a,
        b,
        name,
    }) = setup()
    else {
        return;
    };
    let cache = with_lock_ttl(&tc, Duration::from_millis(200));
    db_set(&mut a, &name, 1);

    // Naive: a reader loads 1 during the transaction; its SET lands after the writer's.
    let mut n = naive(&mut tc, &name);
    let loaded = db_uses(&mut a, &name);
    a.transaction::<_, diesel::result::Error, _>(|conn| {
        db_set(conn, &name, 2);
        Ok(())
    })
    .unwrap();
    n.set(Some(2));
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(1), Some(2)),
        "naive goes stale"
    );
    drop(n);
    db_set(&mut a, &name, 1);

    let mut reader = None;
    cache
        .transaction(&mut a, |conn| {
            Tag {
                name: name.clone(),
                uses: 2,
            }
            .save(conn, &cache)?;
            thread::sleep(Duration::from_millis(400)); // longer than the lock TTL
            let (gate, handle) = paused_reader(&cache, b, &name);
            reader = Some((gate, handle));
            Ok::<_, Error>(())
        })
        .unwrap();
    let (gate, handle) = reader.unwrap();
    gate.release();
    let (seen_by_reader, _) = handle.join().unwrap();
    assert_eq!(seen_by_reader, Some(1), "it read before the commit");
    assert_eq!(read(&mut a, &cache, &name), Some(2));
}

#[test]
fn a_cached_absence_cannot_hide_a_concurrent_insert() {
    let Some(Setup {
        mut tc,
        mut a,
        b,
        name,
    }) = setup()
    else {
        return;
    };

    // Naive: the reader finds no row, the writer inserts and SETs, the reader caches "absent".
    let mut n = naive(&mut tc, &name);
    let loaded = db_uses(&mut a, &name);
    db_set(&mut a, &name, 7);
    n.set(Some(7));
    n.set(loaded);
    assert_eq!(
        (n.get(), db_uses(&mut a, &name)),
        (Some(-1), Some(7)),
        "naive hides the row"
    );
    drop(n);
    diesel::delete(wt_tags::table.find(&name))
        .execute(&mut a)
        .unwrap();

    let (gate, reader) = paused_reader(&tc.cache, b, &name);
    Tag {
        name: name.clone(),
        uses: 7,
    }
    .save(&mut a, &tc.cache)
    .unwrap();
    gate.release();
    let (seen_by_reader, _) = reader.join().unwrap();
    assert_eq!(seen_by_reader, None, "it read before the insert");
    assert_eq!(read(&mut a, &tc.cache, &name), Some(7));
}

/// A race of the protocol itself rather than of the naive pattern: the writer that locked first
/// commits last and dies before its publish. The later writer must not have published its older
/// row in the meantime (its lock was contended), so the key ends empty, never stale.
#[test]
fn a_writer_that_locked_first_commits_last_and_dies_leaves_no_stale_value() {
    let Some(Setup { tc, mut a, b, name }) = setup() else {
        return;
    };
    let cache = with_lock_ttl(&tc, Duration::from_millis(600));
    Tag {
        name: name.clone(),
        uses: 0,
    }
    .save(&mut a, &cache)
    .unwrap();
    let key = cache.key::<Tag>(&name);

    let locked = pause::arm(WRITE_LOCKED, &key);
    let (first_cache, first_name) = (cache.clone(), name.clone());
    let first = thread::spawn(move || {
        let mut b = b;
        Tag {
            name: first_name,
            uses: 3,
        }
        .save(&mut b, &first_cache)
    });
    locked.wait_until_reached();
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut a, &cache)
    .unwrap();
    let committed = pause::arm(WRITE_COMMITTED, &key);
    locked.release();
    committed.wait_until_reached();
    committed.die();
    assert!(
        first.join().is_err(),
        "the first writer died after its commit"
    );

    assert_eq!(db_uses(&mut a, &name), Some(3));
    assert_eq!(
        read(&mut a, &cache, &name),
        Some(3),
        "the contended lock sends reads to the database"
    );
    thread::sleep(Duration::from_millis(800));
    assert_eq!(
        read(&mut a, &cache, &name),
        Some(3),
        "after it expired: a fill of the row the database kept"
    );
}

/// Two writers that finish normally after contending leave the key empty, not stale: the last
/// holder's publish deletes the contended lock.
#[test]
fn contending_writers_leave_the_key_empty_when_both_finish() {
    let Some(Setup {
        mut tc,
        mut a,
        b,
        name,
    }) = setup()
    else {
        return;
    };
    let key = tc.cache.key::<Tag>(&name);
    let locked = pause::arm(WRITE_LOCKED, &key);
    let (first_cache, first_name) = (tc.cache.clone(), name.clone());
    let first = thread::spawn(move || {
        let mut b = b;
        Tag {
            name: first_name,
            uses: 3,
        }
        .save(&mut b, &first_cache)
        .unwrap();
    });
    locked.wait_until_reached();
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut a, &tc.cache)
    .unwrap();
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
    assert_eq!(read(&mut a, &tc.cache, &name), Some(3));
}
