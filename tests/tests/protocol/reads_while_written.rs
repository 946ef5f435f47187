//! A read of a key while a writer holds it (locked, its statement running) waits briefly for the
//! writer's publish and is served it from Redis: a hot key being written costs its readers no
//! database read and, through a pool, no connection. When writers met on the key (a contended
//! lock), none publishes and the last to finish leaves the key empty: the readers waiting then
//! fill it once, as readers of an empty key do. A wait longer than the cache's `lease_wait`
//! sends the reader to the database without filling. Both fronts, on PostgreSQL.

use std::thread;
use std::time::Duration;

use write_through::CacheBuilder;
use write_through::pause::{self, WRITE_LOCKED};
use write_through_tests::fronts::{self, Blocking, Front};
use write_through_tests::models::{NewUser, User};
use write_through_tests::queries::QueryCount;
use write_through_tests::{TestCache, any_redis_connection, cache_builder, postgres, unique};

type AnyFront = Box<dyn Front + Send>;

/// Readers that wait long enough for any schedule of this machine (the writers are let go
/// right after).
fn waiting(builder: CacheBuilder) -> CacheBuilder {
    builder
        .lease_ttl(Duration::from_secs(10))
        .lease_wait(Duration::from_secs(5))
}

/// A [`waiting`] cache and a user created through `writer`; `None` when Redis is missing (the
/// callers have checked PostgreSQL, which their fronts need).
fn waiting_cache_and_user(writer: &mut AnyFront) -> Option<(TestCache, User)> {
    let tc = TestCache::with(waiting)?;
    let new = NewUser {
        email: format!("written-{}@example.test", unique()),
        name: "before".into(),
    };
    let user = writer.create_user(&tc.cache, &new).unwrap();
    Some((tc, user))
}

fn a_read_while_the_key_is_written_is_served_the_writers_value(make: fn() -> AnyFront) {
    if postgres().is_none() {
        return;
    }
    let (mut writer, mut reader) = (make(), make());
    let Some((tc, user)) = waiting_cache_and_user(&mut writer) else {
        return;
    };
    let renamed = User {
        name: "after".into(),
        ..user.clone()
    };

    // The writer holds its lock, its statement not yet run.
    let gate = pause::arm(WRITE_LOCKED, &tc.cache.key::<User>(&user.id));
    let (cache, saved) = (tc.cache.clone(), renamed.clone());
    let write = thread::spawn(move || writer.save_user(&cache, &saved).unwrap());
    gate.wait_until_reached();
    let count = QueryCount::default();
    reader.count_queries(&count);
    let (cache, id) = (tc.cache.clone(), user.id);
    let read = thread::spawn(move || reader.find_user(&cache, id).unwrap());
    // Let the reader find the lock (it is served the same whenever it looks: the lock, then the
    // publish, or the published row).
    thread::sleep(Duration::from_millis(20));
    gate.release();
    write.join().unwrap();
    assert_eq!(
        read.join().unwrap(),
        Some(renamed),
        "served the writer's row, not the database's older one"
    );
    assert_eq!(count.get(), 0, "the reader sent the database nothing");
}

fn readers_of_a_key_two_writers_met_on_fill_it_once_when_they_are_done(make: fn() -> AnyFront) {
    readers_waiting_on_writers_that_met(make, false);
}

/// The same with each reader on a `Cache` of its own, as in two processes: no single flight
/// joins them, so they race for the lease in Redis, and the loser waits for the winner's fill.
fn readers_in_two_processes_of_a_key_two_writers_met_on_fill_it_once(make: fn() -> AnyFront) {
    readers_waiting_on_writers_that_met(make, true);
}

fn readers_waiting_on_writers_that_met(make: fn() -> AnyFront, two_processes: bool) {
    if postgres().is_none() {
        return;
    }
    let (mut first, mut second) = (make(), make());
    let Some((tc, user)) = waiting_cache_and_user(&mut first) else {
        return;
    };
    let key = tc.cache.key::<User>(&user.id);
    let named = |name: &str| User {
        name: name.into(),
        ..user.clone()
    };

    // The first writer holds its lock; the second meets it (the lock is now contended), writes
    // and finishes: the key stays held for the first, which commits last.
    let gate = pause::arm(WRITE_LOCKED, &key);
    let (cache, last) = (tc.cache.clone(), named("last"));
    let write = thread::spawn(move || first.save_user(&cache, &last).unwrap());
    gate.wait_until_reached();
    second.save_user(&tc.cache, &named("second")).unwrap();
    let mut redis = any_redis_connection().expect("Redis answered a moment ago");
    let held: Vec<u8> = redis::cmd("GET").arg(&key).query(&mut *redis).unwrap();
    assert_eq!(held.get(..4), Some(&b"WT\x01\x05"[..]), "a contended lock");

    let count = QueryCount::default();
    let readers: Vec<_> = (0..2)
        .map(|index| {
            let mut reader = make();
            reader.count_queries(&count);
            let cache = if two_processes && index == 1 {
                waiting(cache_builder().namespace(tc.cache.namespace()))
                    .build()
                    .expect("a second cache")
            } else {
                tc.cache.clone()
            };
            thread::spawn(move || {
                let found = reader.find_user(&cache, user.id).unwrap();
                (found, reader)
            })
        })
        .collect();
    // Let both readers find the contended lock: they wait there, where they used to read the
    // database at once (the second writer's row) and return.
    thread::sleep(Duration::from_millis(50));
    assert!(
        readers.iter().all(|reader| !reader.is_finished()),
        "the readers wait while the writers hold the key"
    );
    gate.release();
    write.join().unwrap();
    let mut fronts = Vec::new();
    for reader in readers {
        let (found, front) = reader.join().unwrap();
        assert_eq!(
            found,
            Some(named("last")),
            "served the row the database holds"
        );
        fronts.push(front);
    }
    assert_eq!(
        count.get(),
        1,
        "the two waiting readers read the database once, between them"
    );
    assert_eq!(
        fronts[0].find_user(&tc.cache, user.id).unwrap(),
        Some(named("last"))
    );
    assert_eq!(count.get(), 1, "and filled the key: the next read is a hit");
}

fn blocking_front() -> AnyFront {
    Box::new(Blocking(
        postgres().expect("PostgreSQL answered a moment ago"),
    ))
}

fn async_front() -> AnyFront {
    Box::new(fronts::async_postgres().expect("PostgreSQL answered a moment ago"))
}

write_through_tests::on_both_fronts!(
    [
        a_read_while_the_key_is_written_is_served_the_writers_value,
        readers_of_a_key_two_writers_met_on_fill_it_once_when_they_are_done,
        readers_in_two_processes_of_a_key_two_writers_met_on_fill_it_once,
    ],
    blocking: |spec| spec(super::blocking_front),
    asynch: |spec| spec(super::async_front),
);
