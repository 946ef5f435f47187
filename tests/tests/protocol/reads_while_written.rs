//! A read of a key while a writer holds it (locked, its statement running) waits briefly for the
//! writer's publish and is served it from Redis: a hot key being written costs its readers no
//! database read and, through a pool, no connection. Only an uncontended lock is waited for (its
//! writer publishes next); a contended one, or a wait longer than the cache's `lease_wait`,
//! sends the reader to the database as before. Both fronts, on PostgreSQL.

use std::thread;
use std::time::Duration;

use write_through::pause::{self, WRITE_LOCKED};
use write_through_tests::fronts::{self, Blocking, Front};
use write_through_tests::models::{NewUser, User};
use write_through_tests::queries::QueryCount;
use write_through_tests::{TestCache, postgres, unique};

type AnyFront = Box<dyn Front + Send>;

fn a_read_while_the_key_is_written_is_served_the_writers_value(make: fn() -> AnyFront) {
    // A wait long enough for any schedule of this machine: the writer is let go right after.
    let Some(tc) = TestCache::with(|builder| {
        builder
            .lease_ttl(Duration::from_secs(10))
            .lease_wait(Duration::from_secs(5))
    }) else {
        return;
    };
    if postgres().is_none() {
        return;
    }
    let (mut writer, mut reader) = (make(), make());
    let new = NewUser {
        email: format!("written-{}@example.test", unique()),
        name: "before".into(),
    };
    let user = writer.create_user(&tc.cache, &new).unwrap();
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

fn blocking_front() -> AnyFront {
    Box::new(Blocking(
        postgres().expect("PostgreSQL answered a moment ago"),
    ))
}

fn async_front() -> AnyFront {
    Box::new(fronts::async_postgres().expect("PostgreSQL answered a moment ago"))
}

write_through_tests::on_both_fronts!(
    [a_read_while_the_key_is_written_is_served_the_writers_value],
    blocking: |spec| spec(super::blocking_front),
    asynch: |spec| spec(super::async_front),
);
