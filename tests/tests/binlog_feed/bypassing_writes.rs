//! Writes that bypass the library, each retired by the binlog feed: raw SQL, a bulk Diesel
//! update, a cascade, a truncate, a key change, a row that fills a cached absence, a write
//! logged as a statement; a rolled-back one retires nothing. Both fronts.

use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection};
use write_through::prelude::*;

use super::{BinlogUser, BinlogUserWithAvatar, World, wt_bl_users};

#[test]
fn a_raw_sql_update_is_retired_and_the_next_find_reads_it() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_bl_users SET name = 'Ada Lovelace' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "Ada Lovelace");
    let stats = world.cache().stats();
    assert!(stats.feed_changes >= 1, "{stats:?}");
    assert!(stats.feed_invalidations >= 1, "{stats:?}");
}

#[test]
fn a_bulk_diesel_update_retires_every_row_it_changed() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    for id in 1..=20 {
        world.cached_user(id, "before");
    }
    diesel::update(wt_bl_users::table.filter(wt_bl_users::id.le(10)))
        .set(wt_bl_users::name.eq("after"))
        .execute(&mut world.conn)
        .unwrap();
    world.catch_up();
    let ids: Vec<i64> = (1..=20).collect();
    let cache = world.cache().clone();
    let found = BinlogUser::find_many(&mut world.conn, &cache, ids.iter()).unwrap();
    for (id, user) in ids.iter().zip(found) {
        let expected = if *id <= 10 { "after" } else { "before" };
        assert_eq!(user.unwrap().name, expected, "user {id}");
    }
}

#[test]
fn a_cascade_retires_the_children_it_deleted() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql("INSERT INTO wt_bl_posts VALUES (10, 1, 'first'), (11, 1, 'second')");
    world.catch_up();
    assert!(world.find_post(10).is_some());
    assert!(world.find_post(11).is_some());
    world.sql("DELETE FROM wt_bl_users WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1), None);
    assert_eq!(world.find_post(10), None, "deleted by the cascade");
    assert_eq!(world.find_post(11), None, "deleted by the cascade");
}

#[test]
fn a_change_of_a_joined_table_retires_the_join_models_row() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql("INSERT INTO wt_bl_accounts VALUES (7, 1, 'old.png')");
    world.catch_up();
    let cache = world.cache().clone();
    let found = BinlogUserWithAvatar::find(&mut world.conn, &cache, &1).unwrap();
    assert_eq!(found.unwrap().avatar.as_deref(), Some("old.png"));
    world.sql("UPDATE wt_bl_accounts SET avatar = 'new.png' WHERE id = 7");
    world.catch_up();
    let found = BinlogUserWithAvatar::find(&mut world.conn, &cache, &1).unwrap();
    assert_eq!(found.unwrap().avatar.as_deref(), Some("new.png"));
}

#[test]
fn a_truncate_makes_the_tables_models_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.cached_user(2, "Grace");
    world.sql("SET FOREIGN_KEY_CHECKS = 0; TRUNCATE TABLE wt_bl_users; SET FOREIGN_KEY_CHECKS = 1");
    world.catch_up();
    assert!(!world.user_is_cached(1));
    assert!(!world.user_is_cached(2));
    assert_eq!(world.find_user(1), None);
    assert!(world.cache().stats().feed_start_overs >= 1);
}

#[test]
fn an_update_of_the_key_retires_the_old_key_and_the_new_keys_cached_absence() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    assert_eq!(world.find_user(1001), None, "an absence, now cached");
    world.sql("UPDATE wt_bl_users SET id = 1001 WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1), None);
    assert_eq!(world.find_user(1001).unwrap().name, "Ada");
}

#[test]
fn a_new_row_retires_its_cached_absence_by_key_and_by_unique_value() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    assert_eq!(world.find_user(5), None);
    assert_eq!(
        BinlogUser::find_by_email(&mut world.conn, &cache, "eve@example.com").unwrap(),
        None
    );
    world.sql("INSERT INTO wt_bl_users VALUES (5, 'eve@example.com', 'Eve')");
    world.catch_up();
    assert_eq!(world.find_user(5).unwrap().name, "Eve");
    let by_email = BinlogUser::find_by_email(&mut world.conn, &cache, "eve@example.com").unwrap();
    assert_eq!(by_email.unwrap().id, 5);
}

#[test]
fn a_rolled_back_transaction_retires_nothing() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    let before = world.cache().stats().feed_invalidations;
    world.sql("BEGIN; UPDATE wt_bl_users SET name = 'never' WHERE id = 1; ROLLBACK");
    // A committed change after it, on a table no model caches, moves the position on.
    world.sql("CREATE TABLE wt_bl_other (id INT PRIMARY KEY); INSERT INTO wt_bl_other VALUES (1)");
    world.catch_up();
    assert!(
        world.user_is_cached(1),
        "the rolled-back update retired the row"
    );
    assert_eq!(world.cache().stats().feed_invalidations, before);
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
}

#[test]
fn a_write_logged_as_a_statement_makes_every_model_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql(
        "SET SESSION binlog_format = 'STATEMENT'; \
         UPDATE wt_bl_users SET name = 'by statement' WHERE id = 1; \
         SET SESSION binlog_format = 'ROW'",
    );
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "by statement");
    assert!(world.cache().stats().feed_start_overs >= 1);
}

#[test]
fn the_async_front_runs_the_feed_as_a_task_and_catches_up() {
    let Some(world) = World::new() else {
        return;
    };
    super::runtime().block_on(async {
        let cache = world.cache().clone();
        let _feed = world
            .feed()
            .start_async(&cache, &world.server.url())
            .await
            .expect("start the feed as a task");
        let mut conn = AsyncMysqlConnection::establish(&world.server.url())
            .await
            .unwrap();
        let ada = BinlogUser {
            id: 1,
            email: "ada@example.com".into(),
            name: "Ada".into(),
        };
        write_through::asynch::SaveOps::save(&ada, &mut conn, &cache)
            .await
            .unwrap();
        diesel_async::RunQueryDsl::execute(
            diesel::sql_query("UPDATE wt_bl_users SET name = 'from elsewhere' WHERE id = 1"),
            &mut conn,
        )
        .await
        .unwrap();
        write_through::asynch::catch_up(&cache, &mut conn, Duration::from_secs(10))
            .await
            .unwrap();
        let found = <BinlogUser as write_through::asynch::ModelOps>::find(&mut conn, &cache, &1)
            .await
            .unwrap();
        assert_eq!(found.unwrap().name, "from elsewhere");
    });
}

#[test]
fn a_cascade_empties_the_cached_collection_of_the_parent_it_deleted() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.cached_user(2, "Grace");
    world
        .sql("INSERT INTO wt_bl_posts VALUES (10, 1, 'first'), (11, 1, 'second'), (12, 2, 'kept')");
    world.catch_up();
    assert_eq!(world.posts_of(1), [10, 11]);
    assert_eq!(world.posts_of(1), [10, 11], "cached");
    assert_eq!(world.posts_of(2), [12]);
    world.sql("DELETE FROM wt_bl_users WHERE id = 1");
    world.catch_up();
    assert!(world.posts_of(1).is_empty(), "deleted by the cascade");
    assert!(world.posts_of(1).is_empty(), "and again");
    assert_eq!(world.posts_of(2), [12]);
}

#[test]
fn children_inserted_and_moved_by_raw_sql_are_listed_under_their_new_parents() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.cached_user(2, "Grace");
    world.sql("INSERT INTO wt_bl_posts VALUES (10, 1, 'first')");
    world.catch_up();
    assert_eq!(world.posts_of(1), [10]);
    assert!(world.posts_of(2).is_empty());
    assert!(world.posts_of(2).is_empty(), "cached as empty");
    world.sql("INSERT INTO wt_bl_posts VALUES (11, 1, 'second')");
    world.catch_up();
    assert_eq!(world.posts_of(1), [10, 11], "an insert joins");
    world.sql("UPDATE wt_bl_posts SET user_id = 2 WHERE id = 10");
    world.catch_up();
    assert_eq!(world.posts_of(1), [11], "a move leaves");
    assert_eq!(world.posts_of(2), [10], "and joins");
    assert_eq!(world.posts_of(2), [10], "cached");
}
