//! The library's own writes come back through the binlog like any other; marked in their
//! transaction (a row of the feed's marks table), they cost no extra miss. A raw change after
//! the mark, in the same transaction, is still retired.

use diesel::prelude::*;
use write_through::prelude::*;

use super::{BinlogUser, World};

fn user(id: i64, name: &str) -> BinlogUser {
    BinlogUser {
        id,
        email: format!("user{id}@example.com"),
        name: name.to_owned(),
    }
}

#[test]
fn a_library_write_keeps_what_it_published_when_the_feed_reads_it_back() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    user(1, "Ada").save(&mut world.conn, &cache).unwrap();
    user(1, "Ada L.").save(&mut world.conn, &cache).unwrap();
    world.catch_up();
    let misses = cache.stats().misses;
    assert_eq!(world.find_user(1).unwrap().name, "Ada L.");
    assert_eq!(
        cache.stats().misses,
        misses,
        "served from Redis, not retired"
    );
    assert!(cache.stats().feed_changes >= 2, "the feed read both writes");
}

#[test]
fn a_raw_change_after_the_write_in_its_transaction_is_still_retired() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    user(1, "Ada").save(&mut world.conn, &cache).unwrap();
    cache
        .transaction(&mut world.conn, |conn| {
            user(1, "saved").save(conn, &cache)?;
            // What the save publishes at the commit does not have this.
            diesel::sql_query("UPDATE wt_bl_users SET name = 'raw, after' WHERE id = 1")
                .execute(conn)?;
            Ok::<_, write_through::Error>(())
        })
        .unwrap();
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "raw, after");
}

#[test]
fn a_sidecars_feed_keeps_marked_writes_and_retires_unmarked_ones() {
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
fn a_write_whose_mark_cannot_be_written_goes_on_and_is_retired() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.sql("DROP TABLE write_through_marks");
    let cache = world.cache().clone();
    user(1, "Ada").save(&mut world.conn, &cache).unwrap();
    cache
        .transaction(&mut world.conn, |conn| {
            user(1, "in a transaction").save(conn, &cache)
        })
        .unwrap();
    world.catch_up();
    assert!(!world.user_is_cached(1), "unmarked, so retired");
    assert_eq!(world.find_user(1).unwrap().name, "in a transaction");
}

#[test]
fn on_the_async_front_a_marked_write_stays_cached() {
    let Some(world) = World::new() else {
        return;
    };
    super::runtime().block_on(async {
        use diesel_async::{AsyncConnection, AsyncMysqlConnection};
        let cache = world.cache().clone();
        let _feed = world
            .feed()
            .start_async(&cache, &world.server.url())
            .await
            .unwrap();
        let mut conn = AsyncMysqlConnection::establish(&world.server.url())
            .await
            .unwrap();
        write_through::asynch::SaveOps::save(&user(1, "Ada"), &mut conn, &cache)
            .await
            .unwrap();
        let caught_up =
            write_through::asynch::catch_up(&cache, &mut conn, std::time::Duration::from_secs(10))
                .await;
        assert!(caught_up.is_ok(), "{caught_up:?} {:?}", cache.stats());
        let misses = cache.stats().misses;
        let found = <BinlogUser as write_through::asynch::ModelOps>::find(&mut conn, &cache, &1)
            .await
            .unwrap();
        assert_eq!(found.unwrap().name, "Ada");
        assert_eq!(
            cache.stats().misses,
            misses,
            "served from Redis, not retired"
        );
    });
}
