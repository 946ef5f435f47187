//! What the server does beside row changes: it rotates its binlog, swaps tables, runs XA
//! transactions, logs a session's rows without all their columns; and several namespaces read
//! one server.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use write_through_tests::services::{TestCache, wait_until};

use super::World;

#[test]
fn a_rotated_binlog_is_read_on_and_catch_up_returns() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    // The server goes on in a new file; the feed must not wait for a position of the old one.
    world.sql("FLUSH BINARY LOGS");
    world.sql("UPDATE wt_bl_users SET name = 'in the new file' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "in the new file");
    world.sql("FLUSH BINARY LOGS");
    world.catch_up();
}

#[test]
fn a_table_swapped_by_rename_makes_its_models_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql(
        "SET FOREIGN_KEY_CHECKS = 0;
         CREATE TABLE wt_bl_users_new LIKE wt_bl_users;
         INSERT INTO wt_bl_users_new VALUES (1, 'user1@example.com', 'from the new table');
         RENAME TABLE wt_bl_users TO wt_bl_users_old, wt_bl_users_new TO wt_bl_users;
         SET FOREIGN_KEY_CHECKS = 1",
    );
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "from the new table");
}

#[test]
fn an_xa_transaction_is_retired_at_its_commit() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    // The XA transaction on a connection of its own (a prepared one takes no other statement).
    let mut xa = MysqlConnection::establish(&world.server.url()).unwrap();
    xa.batch_execute(
        "XA START 'wt1'; UPDATE wt_bl_users SET name = 'by XA' WHERE id = 1; XA END 'wt1';
         XA PREPARE 'wt1'",
    )
    .unwrap();
    world.catch_up();
    // Prepared, not committed: a reader still reads the row as it was, and may cache it.
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
    xa.batch_execute("XA COMMIT 'wt1'").unwrap();
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "by XA");
}

#[test]
fn a_row_logged_without_all_its_columns_makes_its_models_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.cached_user(2, "Grace");
    world.catch_up();
    let starts_over = world.cache().stats().feed_start_overs;
    world.sql(
        "SET SESSION binlog_row_image = 'MINIMAL';
         UPDATE wt_bl_users SET name = 'minimal' WHERE id = 2;
         SET SESSION binlog_row_image = 'FULL'",
    );
    world.catch_up();
    assert_eq!(world.find_user(2).unwrap().name, "minimal");
    assert!(world.cache().stats().feed_start_overs > starts_over);
}

#[test]
fn feeds_of_two_namespaces_on_one_server_are_both_active() {
    let Some(mut world) = World::new() else {
        return;
    };
    let Some(other) = TestCache::new() else {
        return;
    };
    let first = world.start(world.feed());
    let second = world
        .feed()
        .start(&other.cache, &world.server.url())
        .expect("start the second namespace's feed");
    wait_until("both feeds active", Duration::from_secs(10), || {
        first.is_active() && second.is_active()
    });
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_bl_users SET name = 'seen by both' WHERE id = 1");
    world.catch_up();
    other
        .cache
        .catch_up(&mut world.conn, Duration::from_secs(10))
        .expect("the second namespace's feed catches up");
}
