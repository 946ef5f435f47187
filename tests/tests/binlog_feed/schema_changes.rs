//! The binlog gives a row's values by position. Their names come with each table map when the
//! server sends them (`binlog_row_metadata = FULL`), else from `information_schema`, read again
//! after a DDL statement names the table; a row whose column count no longer fits the names
//! read makes the model start over rather than read the wrong column. The server's settings
//! are checked at start.

use write_through::feed::FeedError;

use super::World;

#[test]
fn a_column_added_before_the_key_is_read_with_the_new_names() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    let starts_over = world.cache().stats().feed_start_overs;
    world.sql("ALTER TABLE wt_bl_users ADD COLUMN nick TEXT FIRST");
    world.catch_up();
    // The ALTER may have rewritten values (a converted column) with no row in the log.
    assert!(world.cache().stats().feed_start_overs > starts_over);
    world.cached_user(2, "Grace");
    world.sql("UPDATE wt_bl_users SET name = 'after the ALTER' WHERE id = 2");
    world.catch_up();
    assert_eq!(world.find_user(2).unwrap().name, "after the ALTER");
    let stats = world.cache().stats();
    assert_eq!(stats.feed_unreadable_changes, 0, "{stats:?}");
}

/// A feed that reads rows written before a schema change it has not reached yet.
fn behind_a_schema_change(world: &mut World) -> u64 {
    let first = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    first.stop();
    world.sql("UPDATE wt_bl_users SET name = 'before the ALTER' WHERE id = 1");
    world.sql("ALTER TABLE wt_bl_users ADD COLUMN nick TEXT FIRST");
    let starts_over = world.cache().stats().feed_start_overs;
    let _next = world.start(world.feed());
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "before the ALTER");
    world.cache().stats().feed_start_overs - starts_over
}

#[test]
fn rows_older_than_the_names_read_make_the_model_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    assert!(behind_a_schema_change(&mut world) >= 1);
}

#[test]
fn a_mixed_or_minimal_binlog_is_refused_with_what_to_set() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.sql("SET GLOBAL binlog_format = 'MIXED'");
    let refused = world.feed().start(world.cache(), &world.server.url());
    match refused {
        Err(FeedError::BinlogSetting {
            setting, wanted, ..
        }) => assert_eq!((setting, wanted), ("binlog_format", "ROW")),
        other => panic!("expected binlog_format refused, got {other:?}"),
    }
    world.sql("SET GLOBAL binlog_format = 'ROW'; SET GLOBAL binlog_row_image = 'MINIMAL'");
    let refused = world.feed().start(world.cache(), &world.server.url());
    let message = refused.map(|_| ()).unwrap_err().to_string();
    assert!(
        message.contains("binlog_row_image = FULL"),
        "the error says what to set: {message}"
    );
}

#[test]
fn a_cascade_added_while_the_feed_runs_retires_the_children_it_deletes() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.sql("ALTER TABLE wt_bl_posts DROP FOREIGN KEY wt_bl_posts_ibfk_1");
    let _feed = world.start(world.feed());
    // The session is reading (it read the foreign keys at its start) before the key is added.
    world.cached_user(2, "Grace");
    world.catch_up();
    world.sql(
        "ALTER TABLE wt_bl_posts ADD CONSTRAINT wt_bl_posts_user FOREIGN KEY (user_id)
         REFERENCES wt_bl_users (id) ON DELETE CASCADE",
    );
    world.cached_user(1, "Ada");
    world.sql("INSERT INTO wt_bl_posts VALUES (10, 1, 'first')");
    world.catch_up();
    assert!(world.find_post(10).is_some(), "cached");
    world.sql("DELETE FROM wt_bl_users WHERE id = 1");
    world.catch_up();
    assert_eq!(
        world.find_post(10),
        None,
        "deleted by the cascade added after the start"
    );
}
