//! The binlog feed's consumers and their failures: one active and the others standing by, a
//! consumer stopped with changes pending (the next one applies them), Redis down (the change is
//! applied once it answers: the position did not move past it), a position the server purged (the models start
//! over), and the server's settings checked at start.

use std::time::Duration;

use write_through::Cache;
use write_through::feed::{BinlogFeed, FeedError};
use write_through::prelude::*;
use write_through_tests::private_redis::PrivateRedis;
use write_through_tests::services::{self, wait_until};

use super::{BinlogUser, World};

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
        "never two active consumers"
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
    world.sql("UPDATE wt_bl_users SET name = 'after the takeover' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "after the takeover");
}

#[test]
fn changes_made_while_no_consumer_runs_are_applied_by_the_next() {
    let Some(mut world) = World::new() else {
        return;
    };
    let first = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    first.stop();
    world.sql("UPDATE wt_bl_users SET name = 'while stopped' WHERE id = 1");
    assert_eq!(
        world.find_user(1).unwrap().name,
        "Ada",
        "stale until a feed runs"
    );
    let starts_over = world.cache().stats().feed_start_overs;
    let _next = world.start(world.feed());
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "while stopped");
    assert_eq!(
        world.cache().stats().feed_start_overs,
        starts_over,
        "the next consumer reads on from the recorded position, without starting over"
    );
}

#[test]
fn a_change_made_while_redis_is_down_is_applied_once_it_answers() {
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
    let _feed = world.feed().start(&cache, &world.server.url()).unwrap();
    let ada = BinlogUser {
        id: 1,
        email: "ada@example.com".into(),
        name: "Ada".into(),
    };
    ada.save(&mut world.conn, &cache).unwrap();
    cache
        .catch_up(&mut world.conn, Duration::from_secs(10))
        .unwrap();
    let recorded = |redis: &PrivateRedis| {
        let client = redis::Client::open(redis.url()).unwrap();
        let mut conn = client.get_connection().unwrap();
        redis::cmd("GET")
            .arg("wt:#feed")
            .query::<Option<String>>(&mut conn)
            .unwrap()
    };
    let before = recorded(&redis);

    redis.pause();
    world.sql("UPDATE wt_bl_users SET name = 'while Redis was down' WHERE id = 1");
    std::thread::sleep(Duration::from_millis(800));
    redis.resume();
    cache
        .catch_up(&mut world.conn, Duration::from_secs(10))
        .unwrap();
    assert_ne!(
        recorded(&redis),
        before,
        "the position moved once Redis answered"
    );
    let found = BinlogUser::find(&mut world.conn, &cache, &1).unwrap();
    assert_eq!(found.unwrap().name, "while Redis was down");
}

#[test]
fn a_position_the_server_purged_makes_every_model_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let first = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    first.stop();
    world.sql("UPDATE wt_bl_users SET name = 'in a purged log' WHERE id = 1");
    // The change's binlog file is closed and removed: no reader can be sent it.
    world.sql("FLUSH BINARY LOGS");
    let current = world
        .server
        .sql("SHOW MASTER STATUS")
        .expect("the binlog's file");
    let file = current.split_whitespace().next().unwrap().to_owned();
    // (A file a reader still has open is kept: the stopped feed's dump thread is being ended.)
    wait_until(
        "the older files are purged",
        Duration::from_secs(10),
        || {
            world.sql(&format!("PURGE BINARY LOGS TO '{file}'"));
            world
                .server
                .sql("SHOW BINARY LOGS")
                .unwrap()
                .lines()
                .count()
                == 1
        },
    );
    assert_eq!(
        world.find_user(1).unwrap().name,
        "Ada",
        "stale until a feed runs"
    );
    let starts_over = world.cache().stats().feed_start_overs;
    let _next = world.start(world.feed());
    wait_until("the models start over", Duration::from_secs(10), || {
        world.cache().stats().feed_start_overs > starts_over
    });
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "in a purged log");
}

#[test]
fn a_feed_without_a_recorded_position_starts_every_model_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    // Cached, then changed behind the cache's back before any feed ran.
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_bl_users SET name = 'before the feed' WHERE id = 1");
    let _feed = world.start(world.feed());
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "before the feed");
}

#[test]
fn a_server_without_its_binlog_or_a_table_without_a_primary_key_is_refused_with_what_to_change() {
    let Some(test) = services::TestCache::new() else {
        return;
    };
    // This machine's shared server runs with its binlog off (never turned on by a test).
    let Some(mut shared) = services::mysql() else {
        return;
    };
    #[derive(diesel::QueryableByName)]
    struct LogBin {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        on: i32,
    }
    let log_bin: LogBin = diesel::RunQueryDsl::get_result(
        diesel::sql_query("SELECT CAST(@@log_bin AS SIGNED) AS `on`"),
        &mut shared,
    )
    .unwrap();
    if log_bin.on == 0 {
        let refused = BinlogFeed::mariadb()
            .model::<BinlogUser>()
            .start(&test.cache, &services::mysql_url());
        match refused {
            Err(FeedError::BinlogSetting { setting, .. }) => assert_eq!(setting, "log_bin"),
            other => panic!("expected log_bin refused, got {other:?}"),
        }
    }
    let Some(mut world) = World::new() else {
        return;
    };
    world.sql("ALTER TABLE wt_bl_posts DROP FOREIGN KEY wt_bl_posts_ibfk_1; ALTER TABLE wt_bl_posts DROP PRIMARY KEY");
    let refused = world.feed().start(world.cache(), &world.server.url());
    assert!(
        matches!(refused, Err(FeedError::NoPrimaryKey { ref table }) if table == "wt_bl_posts"),
        "{refused:?}"
    );
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("add one"), "{message}");
    let bad_url = world
        .feed()
        .start(world.cache(), "mysql://root:secret@127.0.0.1:1/test?x=");
    let message = format!("{:?}", bad_url.map(|_| ()));
    assert!(!message.contains("secret"), "{message}");
}
