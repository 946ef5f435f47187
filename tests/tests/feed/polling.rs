//! The polling reader (no `ChangeFeed::streaming`: `peek` and `advance` over the connect
//! function's connection), on the cases that exercise its own code: single and bulk changes, a
//! key change, a truncate, changes made while no consumer ran, a transaction read through its
//! cursor in chunks, a slot dropped behind its back, and the async front. Everything else is
//! shared with the streaming reader and tested through it.

use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through_tests::services::wait_until;

use super::{FeedUser, World, wt_feed_users};

#[test]
fn raw_updates_bulk_changes_and_a_key_change_are_retired() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.polling_feed());
    for id in 1..=3 {
        world.cached_user(id, "before");
    }
    assert_eq!(world.find_user(1001), None, "cached as absent");
    world.sql("UPDATE wt_feed_users SET name = 'after' WHERE id <= 2");
    world.sql("UPDATE wt_feed_users SET id = 1001 WHERE id = 3");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "after");
    assert_eq!(world.find_user(2).unwrap().name, "after");
    assert_eq!(world.find_user(3), None);
    assert_eq!(world.find_user(1001).unwrap().name, "before");
}

#[test]
fn a_transaction_read_in_chunks_and_a_truncate_are_applied() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.polling_feed());
    world.cached_user(1, "before");
    // Some 3 000 messages: three FETCHes of the batch's cursor.
    world.sql(
        "BEGIN;
         INSERT INTO wt_feed_users
             SELECT g, 'bulk' || g || '@example.com', 'bulk' FROM generate_series(1000, 3999) g;
         UPDATE wt_feed_users SET name = 'after' WHERE id = 1;
         COMMIT;",
    );
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "after");
    world.sql("TRUNCATE wt_feed_users CASCADE");
    world.catch_up();
    assert_eq!(world.find_user(1), None);
    assert!(world.cache().stats().feed_start_overs >= 1);
}

#[test]
fn changes_made_while_no_consumer_ran_and_a_dropped_slot_are_applied() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.start(world.polling_feed()).stop();
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'while stopped' WHERE id = 1");
    let _feed = world.start(world.polling_feed());
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "while stopped");
    // The slot is busy only while a peek or an advance reads it.
    wait_until("the slot dropped", Duration::from_secs(10), || {
        diesel::connection::SimpleConnection::batch_execute(
            &mut world.conn,
            "SELECT pg_drop_replication_slot('write_through')",
        )
        .is_ok()
    });
    world.sql("UPDATE wt_feed_users SET name = 'lost with the slot' WHERE id = 1");
    wait_until("the model starts over", Duration::from_secs(20), || {
        world.cache().stats().feed_start_overs >= 2
    });
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "lost with the slot");
}

#[test]
fn on_the_async_front() {
    let Some(mut world) = World::new() else {
        return;
    };
    let url = world.server.url();
    let cache = world.cache().clone();
    world.cached_user(1, "Ada");
    write_through_tests::fronts::runtime().block_on(async {
        let feed = world.start_async(world.polling_feed()).await;
        let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
        diesel_async::RunQueryDsl::execute(
            diesel::update(wt_feed_users::table.find(1)).set(wt_feed_users::name.eq("async")),
            &mut conn,
        )
        .await
        .unwrap();
        write_through::asynch::catch_up(&cache, &mut conn, Duration::from_secs(10))
            .await
            .unwrap();
        let found = write_through::asynch::find::<FeedUser, _>(&mut conn, &cache, &1)
            .await
            .unwrap();
        assert_eq!(found.unwrap().name, "async");
        feed.stop();
    });
}
