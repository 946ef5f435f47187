//! The feed's consumers and their failures: one active per slot and the others standing by, a
//! consumer stopped with changes pending (the next one applies them), Redis down (the slot does
//! not move until Redis acknowledged), the slot dropped behind the feed's back (the models start
//! over).

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use write_through::Cache;
use write_through_tests::private_redis::PrivateRedis;
use write_through_tests::services::wait_until;

use super::{FeedUser, World};
use write_through::prelude::*;

#[derive(QueryableByName)]
struct Answer {
    #[diesel(sql_type = Bool)]
    yes: bool,
}

/// Whether the slot has been advanced past everything written so far.
fn slot_is_past_now(conn: &mut PgConnection, written: &str) -> bool {
    diesel::sql_query(
        "SELECT coalesce(confirmed_flush_lsn >= $1::pg_lsn, false) AS yes FROM pg_replication_slots WHERE slot_name = 'write_through'",
    )
    .bind::<Text, _>(written)
    .get_result::<Answer>(conn)
    .map(|answer| answer.yes)
    .unwrap_or(false)
}

#[derive(QueryableByName)]
struct Lsn {
    #[diesel(sql_type = Text)]
    lsn: String,
}

fn written(conn: &mut PgConnection) -> String {
    diesel::sql_query("SELECT pg_current_wal_lsn()::text AS lsn")
        .get_result::<Lsn>(conn)
        .unwrap()
        .lsn
}

#[test]
fn one_consumer_is_active_and_another_takes_over_when_it_stops() {
    let Some(mut world) = World::new() else {
        return;
    };
    let first = world.start(world.feed());
    let second = world.start(world.feed());
    wait_until("one consumer active", Duration::from_secs(10), || {
        first.is_active() || second.is_active()
    });
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !(first.is_active() && second.is_active()),
        "never two active consumers of one slot"
    );
    let (active, standby) = if first.is_active() {
        (first, second)
    } else {
        (second, first)
    };
    active.stop();
    wait_until("the standby takes over", Duration::from_secs(10), || {
        standby.is_active()
    });
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'after the takeover' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "after the takeover");
}

#[test]
fn changes_made_while_no_consumer_runs_are_applied_by_the_next() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.start(world.feed()).stop();
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'while stopped' WHERE id = 1");
    assert_eq!(
        world.find_user(1).unwrap().name,
        "Ada",
        "stale until a feed runs"
    );
    let _next = world.start(world.feed());
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "while stopped");
}

#[test]
fn while_redis_is_down_the_slot_keeps_the_changes_until_it_answers() {
    let Some(mut world) = World::new() else {
        return;
    };
    let Some(redis) = PrivateRedis::start() else {
        return;
    };
    let cache = Cache::builder(&redis.url())
        .io_timeout(Duration::from_millis(200))
        .breaker_cooldown(Duration::from_millis(100))
        .build()
        .unwrap();
    let url = world.server.url();
    let _feed = world
        .feed()
        .start(&cache, move || PgConnection::establish(&url))
        .unwrap();
    let ada = FeedUser {
        id: 1,
        email: "ada@example.com".into(),
        name: "Ada".into(),
    };
    ada.save(&mut world.conn, &cache).unwrap();
    cache
        .catch_up(&mut world.conn, Duration::from_secs(10))
        .unwrap();

    redis.pause();
    world.sql("UPDATE wt_feed_users SET name = 'while Redis was down' WHERE id = 1");
    let after_update = written(&mut world.conn);
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        !slot_is_past_now(&mut world.conn, &after_update),
        "the slot must not move past a change whose invalidation Redis did not acknowledge"
    );
    redis.resume();
    cache
        .catch_up(&mut world.conn, Duration::from_secs(10))
        .unwrap();
    // The marker `catch_up` waits for is written once the confirmation is sent; a streaming
    // walsender moves the slot when it has read that confirmation, a moment later.
    wait_until(
        "the slot moves past the change",
        Duration::from_secs(10),
        || slot_is_past_now(&mut world.conn, &after_update),
    );
    let found = FeedUser::find(&mut world.conn, &cache, &1).unwrap();
    assert_eq!(found.unwrap().name, "while Redis was down");
}

#[test]
fn a_slot_dropped_behind_the_feeds_back_makes_every_model_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    a_dropped_slot_makes_every_model_start_over(&mut world);
}

/// Drops the slot of the running feed (its walsender ended first, when it streams; retried
/// until the drop comes in between), then changes a row: lost with the slot, and retired by the
/// start-over of every model.
pub(super) fn a_dropped_slot_makes_every_model_start_over(world: &mut World) {
    wait_until("the slot dropped", Duration::from_secs(10), || {
        diesel::connection::SimpleConnection::batch_execute(
            &mut world.conn,
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots \
             WHERE slot_name = 'write_through' AND active_pid IS NOT NULL; \
             SELECT pg_drop_replication_slot('write_through')",
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

/// With a synchronous standby, a commit is in the log (and decoded) before other sessions can
/// see it. Retired then, the key could be filled again from the row as it was: the feed waits
/// until the transaction is visible.
#[test]
fn a_commit_in_the_log_but_not_yet_visible_is_retired_once_it_is() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
    // A standby that never acknowledges: commits wait for it, visible to no one else.
    world.sql("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
    world.sql("SELECT pg_reload_conf()");
    world.sql("SET synchronous_commit = local");
    let url = world.server.url();
    let writer = std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            "SELECT pg_backend_pid(); UPDATE wt_feed_users SET name = 'waiting for the standby' WHERE id = 1",
        )
    });
    // The commit is flushed and decoded while it waits; reads keep seeing (and caching) Ada.
    wait_until(
        "the commit waits for the standby",
        Duration::from_secs(10),
        || {
            diesel::sql_query(
                "SELECT true AS yes FROM pg_stat_activity WHERE wait_event = 'SyncRep'",
            )
            .get_result::<Answer>(&mut world.conn)
            .is_ok()
        },
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
    // The wait is cancelled: the commit becomes visible, and only then is the key retired.
    world.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'SyncRep'");
    world.sql("ALTER SYSTEM RESET synchronous_standby_names");
    world.sql("SELECT pg_reload_conf()");
    let _ = writer.join();
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "waiting for the standby");
}

/// A transaction that stays open while the feed moves the slot on past its first change is
/// still applied at its commit.
#[test]
fn a_long_transaction_is_applied_at_its_commit() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    let url = world.server.url();
    let writer = std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            "BEGIN; UPDATE wt_feed_users SET name = 'after a long transaction' WHERE id = 1; \
             SELECT pg_sleep(1); COMMIT;",
        )
    });
    // Other writes move the log, and the slot, on meanwhile.
    for i in 0..10 {
        world.sql(&format!(
            "INSERT INTO wt_feed_posts VALUES ({}, 1, 'meanwhile')",
            100 + i
        ));
        std::thread::sleep(Duration::from_millis(50));
    }
    writer.join().unwrap().unwrap();
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "after a long transaction");
}
