//! The polling reader (no `ChangeFeed::streaming`: `peek` and `advance` over the connect
//! function's connection), on the cases that exercise its own code: single and bulk changes, a
//! key change, a truncate, changes made while no consumer ran, a transaction read through its
//! cursor in chunks, a slot dropped behind its back, and the async front. Everything else is
//! shared with the streaming reader and tested through it.

use super::World;

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
    // A slot dropped behind the polling reader's back.
    super::consumers::a_dropped_slot_makes_every_model_start_over(&mut world);
}

#[test]
fn on_the_async_front() {
    super::bypassing_writes::an_update_on_the_async_front_is_retired(World::polling_feed);
}
