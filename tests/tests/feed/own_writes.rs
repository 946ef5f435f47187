//! The library's own writes come back through the log like any other, but a write marks what it
//! publishes itself, and the feed leaves those keys in place: the next read is a hit, not the
//! miss an invalidation would cost. What the mark does not cover (another cache's unmarked
//! writes, raw SQL after the write in the same transaction) is still retired.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through::prelude::*;

use super::{FeedUser, World, wt_feed_users};

/// The user as a new save would write it.
fn user(id: i64, name: &str) -> FeedUser {
    FeedUser {
        id,
        email: format!("user{id}@example.com"),
        name: name.to_owned(),
    }
}

/// Each write through the library, read back by the feed before the next one: after each, the
/// row is still cached and the next `find` is a hit. (Writes to one key closer together than the
/// feed's lag can still cost a miss: the feed, reading the earlier write, makes the later
/// writer's lock contended, as it must for a lock it cannot place.)
#[test]
fn save_update_create_and_delete_stay_cached_after_the_feed_read_them() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    let hit = |world: &mut World, id: i64, what: &str| {
        world.catch_up();
        let misses = cache.stats().misses;
        let found = world.find_user(id);
        assert_eq!(
            cache.stats().misses,
            misses,
            "{what}: the find after it was a hit"
        );
        found
    };
    user(1, "Ada").save(&mut world.conn, &cache).unwrap();
    assert_eq!(hit(&mut world, 1, "save of a new row").unwrap().name, "Ada");
    user(1, "Ada L.").save(&mut world.conn, &cache).unwrap();
    assert_eq!(hit(&mut world, 1, "save").unwrap().name, "Ada L.");
    FeedUser::update(
        &mut world.conn,
        &cache,
        &1,
        wt_feed_users::name.eq("Ada Lovelace"),
    )
    .unwrap();
    assert_eq!(hit(&mut world, 1, "update").unwrap().name, "Ada Lovelace");
    user(2, "Grace").save(&mut world.conn, &cache).unwrap();
    // Read back before the next write to the same key, as the test's premise says.
    world.catch_up();
    FeedUser::delete(&mut world.conn, &cache, &2).unwrap();
    assert_eq!(hit(&mut world, 2, "delete (its cached absence)"), None);
    let created: FeedUser = FeedUser::create(
        &mut world.conn,
        &cache,
        (
            wt_feed_users::id.eq(3),
            wt_feed_users::email.eq("alan@example.com"),
            wt_feed_users::name.eq("Alan"),
        ),
    )
    .unwrap();
    assert_eq!(hit(&mut world, 3, "create"), Some(created));
    assert!(cache.stats().feed_changes >= 6, "the feed read every write");
}

#[test]
fn raw_sql_after_a_save_in_the_same_transaction_is_retired() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    world.cached_user(1, "Ada");
    cache
        .transaction(&mut world.conn, |conn| {
            user(1, "saved").save(conn, &cache)?;
            // What the save publishes at the commit does not have this.
            diesel::update(wt_feed_users::table.find(1))
                .set(wt_feed_users::name.eq("raw"))
                .execute(conn)?;
            Ok::<_, write_through::Error>(())
        })
        .unwrap();
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "raw");
}

/// The known gap, with the mark: a writer's lock expires before its statement (the statement
/// waited), a reader refills the key with the row as it was, and the writer commits and dies
/// before its publish. The write's mark must not keep that older row: the feed leaves a covered
/// key alone only when it holds the write's lock or the value the write publishes.
#[test]
fn a_writer_that_died_after_its_lock_expired_is_still_retired() {
    use write_through::pause;
    let Some(mut world) =
        World::with_cache(|builder| builder.lock_ttl(std::time::Duration::from_millis(200)))
    else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    world.cached_user(1, "before");
    let key = cache.key::<FeedUser>(&1);
    let locked = pause::arm(pause::WRITE_LOCKED, &key);
    let committed = pause::arm(pause::WRITE_COMMITTED, &key);
    let (url, writer_cache) = (world.server.url(), cache.clone());
    let writer = std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        user(1, "after").save(&mut conn, &writer_cache)
    });
    locked.wait_until_reached();
    std::thread::sleep(std::time::Duration::from_millis(400));
    // The lock expired: the reader leases, reads the row as it is, and fills it.
    assert_eq!(world.find_user(1).unwrap().name, "before");
    assert!(world.user_is_cached(1));
    locked.release();
    committed.wait_until_reached();
    committed.die();
    assert!(writer.join().is_err(), "the writer died before its publish");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "after");
    assert!(cache.stats().feed_invalidations >= 1);
}

#[test]
fn a_writer_s_cache_marks_its_writes_for_a_feed_that_runs_elsewhere() {
    let Some(mut world) = World::new() else {
        return;
    };
    // The feed's process (a sidecar) and a service's, sharing the namespace.
    let _feed = world.start(world.feed());
    let writer = |mark: bool| {
        write_through_tests::services::cache_builder()
            .namespace(world.cache().namespace())
            .mark_writes_for_feed(mark)
            .build()
            .unwrap()
    };
    let (marking, unmarked) = (writer(true), writer(false));
    user(1, "marked").save(&mut world.conn, &marking).unwrap();
    user(2, "unmarked")
        .save(&mut world.conn, &unmarked)
        .unwrap();
    world.catch_up();
    assert!(world.user_is_cached(1), "a marked write keeps its value");
    assert!(
        !world.user_is_cached(2),
        "an unmarked one is retired like any other change"
    );
    assert_eq!(world.find_user(2).unwrap().name, "unmarked");
}

#[test]
fn on_the_async_front() {
    let Some(mut world) = World::new() else {
        return;
    };
    let url = world.server.url();
    let cache = world.cache().clone();
    write_through_tests::fronts::runtime().block_on(async {
        let feed = world.start_async(world.feed()).await;
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        write_through::asynch::save(&user(1, "Ada"), &mut conn, &cache)
            .await
            .unwrap();
        // Read back by the feed before the next write (see the first test).
        write_through::asynch::catch_up(&cache, &mut conn, std::time::Duration::from_secs(10))
            .await
            .unwrap();
        write_through::asynch::update::<FeedUser, _, _>(
            &mut conn,
            &cache,
            &1,
            wt_feed_users::name.eq("Ada Lovelace"),
        )
        .await
        .unwrap();
        write_through::asynch::catch_up(&cache, &mut conn, std::time::Duration::from_secs(10))
            .await
            .unwrap();
        feed.stop();
    });
    assert!(world.user_is_cached(1));
    let misses = cache.stats().misses;
    assert_eq!(world.find_user(1).unwrap().name, "Ada Lovelace");
    assert_eq!(cache.stats().misses, misses);
}
