//! Writes that bypass the library, each retired by the feed: raw SQL, a bulk Diesel update, a
//! cascade, a truncate, a key change, a row that fills a cached absence; a rolled-back one
//! retires nothing. Both fronts, with the in-process tier on and off.

use std::time::Duration;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through::prelude::*;

use write_through::feed::ChangeFeed;

use super::{FeedPost, FeedUser, FeedUserWithAvatar, World, wt_feed_users};

#[test]
fn a_raw_sql_update_is_retired_and_the_next_find_reads_it() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'Ada Lovelace' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "Ada Lovelace");
    assert!(world.cache().stats().feed_invalidations >= 1);
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
    diesel::update(wt_feed_users::table.filter(wt_feed_users::id.le(10)))
        .set(wt_feed_users::name.eq("after"))
        .execute(&mut world.conn)
        .unwrap();
    world.catch_up();
    let ids: Vec<i64> = (1..=20).collect();
    let cache = world.cache().clone();
    let found = FeedUser::find_many(&mut world.conn, &cache, ids.iter()).unwrap();
    for (id, user) in ids.iter().zip(found) {
        let expected = if *id <= 10 { "after" } else { "before" };
        assert_eq!(user.unwrap().name, expected, "user {id}");
    }
}

#[test]
fn a_transaction_larger_than_the_feeds_key_cap_makes_only_its_model_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    // The transaction below names some 6 000 keys of `FeedUser` (a row key and an email entry
    // per row), read through the feed's cursor a thousand messages at a time.
    let _feed = world.start(world.feed().max_keys(500));
    for id in 1..=5 {
        world.cached_user(id, "before");
    }
    world.sql("INSERT INTO wt_feed_posts VALUES (10, 1, 'kept')");
    world.catch_up();
    assert!(world.find_post(10).is_some());
    world.sql(
        "BEGIN;
         INSERT INTO wt_feed_users
             SELECT g, 'bulk' || g || '@example.com', 'bulk' FROM generate_series(1000, 3999) g;
         UPDATE wt_feed_users SET name = 'after' WHERE id <= 5;
         COMMIT;",
    );
    world.catch_up();
    for id in 1..=5 {
        assert!(!world.user_is_cached(id), "user {id} is still cached");
        assert_eq!(world.find_user(id).unwrap().name, "after");
    }
    assert!(world.cache().stats().feed_start_overs >= 1);
    // The other model's rows were not in the transaction, and stay cached.
    assert!(world.test.raw("feed_post:10").is_some());
}

#[test]
fn a_cascade_retires_the_children_it_deleted() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.sql("INSERT INTO wt_feed_posts VALUES (10, 1, 'first'), (11, 1, 'second')");
    assert!(world.find_post(10).is_some());
    assert!(world.find_post(11).is_some());
    world.sql("DELETE FROM wt_feed_users WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1), None);
    assert_eq!(world.find_post(10), None);
    assert_eq!(world.find_post(11), None);
}

#[test]
fn a_truncate_makes_the_models_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    // Enough rows that, on a Redis Cluster, every master holds some: each is scanned.
    let ids = 1..=24;
    for id in ids.clone() {
        world.cached_user(id, "Ada");
    }
    world.sql("TRUNCATE wt_feed_users CASCADE");
    world.catch_up();
    for id in ids {
        assert!(!world.user_is_cached(id), "user {id} is still cached");
        assert_eq!(world.find_user(id), None);
    }
    assert!(world.cache().stats().feed_start_overs >= 1);
}

#[test]
fn an_update_of_the_key_retires_the_old_key_and_the_new_keys_cached_absence() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    assert_eq!(world.find_user(1001), None, "cached as absent");
    world.sql("UPDATE wt_feed_users SET id = 1001 WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1), None);
    assert_eq!(world.find_user(1001).unwrap().name, "Ada");
}

#[test]
fn a_new_row_retires_the_cached_absence_of_its_unique_value() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    let before = FeedUser::find_by_email(&mut world.conn, &cache, "new@example.com").unwrap();
    assert_eq!(before, None, "cached as absent");
    world.sql("INSERT INTO wt_feed_users VALUES (7, 'new@example.com', 'New')");
    world.catch_up();
    let after = FeedUser::find_by_email(&mut world.conn, &cache, "new@example.com").unwrap();
    assert_eq!(after.map(|user| user.id), Some(7));
}

#[test]
fn a_rolled_back_transaction_retires_nothing() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    // The save itself comes back through the feed; cached again after it.
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
    let before = world.cache().stats().feed_invalidations;
    world.sql("BEGIN; UPDATE wt_feed_users SET name = 'never' WHERE id = 1; ROLLBACK;");
    world.catch_up();
    assert_eq!(world.cache().stats().feed_invalidations, before);
    assert!(world.user_is_cached(1), "the cached row stays");
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
}

#[test]
fn the_in_process_tier_is_retired_with_redis() {
    let Some(mut world) =
        World::with_cache(|builder| builder.local::<FeedUser>(Duration::from_secs(60)))
    else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    assert_eq!(world.find_user(1).unwrap().name, "Ada");
    world.sql("UPDATE wt_feed_users SET name = 'changed' WHERE id = 1");
    world.catch_up();
    assert_eq!(world.find_user(1).unwrap().name, "changed");
}

/// Another process's tier may hold a row Redis no longer does (evicted there, or expired there
/// first): a start-over, which finds what it retires by scanning Redis, tells every tier to
/// forget what it holds. Here a second cache of the namespace, with the tier, stands for the
/// other process.
#[test]
fn the_in_process_tier_is_retired_with_redis_in_every_process_on_a_start_over() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let other = write_through_tests::services::cache_builder()
        .namespace(world.cache().namespace())
        .local::<FeedUser>(Duration::from_secs(60))
        .build()
        .expect("the other process's cache");
    world.cached_user(1, "Ada");
    let find = |world: &mut World| FeedUser::find(&mut world.conn, &other, &1).expect("find");
    assert_eq!(find(&mut world).unwrap().name, "Ada");
    write_through_tests::services::wait_until(
        "the other tier is live",
        Duration::from_secs(5),
        || other.local_tier_is_live(),
    );
    assert_eq!(find(&mut world).unwrap().name, "Ada");
    let local_hits = other.stats().local_hits;
    assert_eq!(find(&mut world).unwrap().name, "Ada");
    assert_eq!(
        other.stats().local_hits,
        local_hits + 1,
        "held in the other tier"
    );
    // Redis loses the row without a word (as an eviction would); the table is truncated.
    world.test.delete_raw("feed_user:1");
    world.sql("TRUNCATE wt_feed_users CASCADE");
    world.catch_up();
    write_through_tests::services::wait_until(
        "the other tier forgets the row",
        Duration::from_secs(5),
        || find(&mut world).is_none(),
    );
}

#[test]
fn on_the_async_front() {
    an_update_on_the_async_front_is_retired(World::feed);
}

/// A feed of `feed`'s settings, started as a task, retires an update made on a diesel-async
/// connection, and `asynch::catch_up` waits for it.
pub(super) fn an_update_on_the_async_front_is_retired(feed: fn(&World) -> ChangeFeed) {
    let Some(mut world) = World::new() else {
        return;
    };
    let url = world.server.url();
    let cache = world.cache().clone();
    world.cached_user(1, "Ada");
    write_through_tests::fronts::runtime().block_on(async {
        let feed = world.start_async(feed(&world)).await;
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
        let post = write_through::asynch::find::<FeedPost, _>(&mut conn, &cache, &5)
            .await
            .unwrap();
        assert_eq!(post, None);
        feed.stop();
    });
}

#[test]
fn a_change_of_a_joined_table_retires_the_join_models_row() {
    let Some(mut world) = World::new() else {
        return;
    };
    let feed = world.feed().model::<FeedUserWithAvatar>();
    let _feed = world.start(feed);
    world.cached_user(1, "Ada");
    let cache = world.cache().clone();
    let find = |world: &mut World| {
        FeedUserWithAvatar::find(&mut world.conn, &cache, &1)
            .unwrap()
            .expect("the user exists")
            .avatar
    };
    assert_eq!(find(&mut world), None, "no account yet");
    world.sql("INSERT INTO wt_feed_accounts VALUES (1, 1, 'first.png')");
    world.catch_up();
    assert_eq!(find(&mut world).as_deref(), Some("first.png"));
    world.sql("UPDATE wt_feed_accounts SET avatar = 'second.png' WHERE user_id = 1");
    world.catch_up();
    assert_eq!(find(&mut world).as_deref(), Some("second.png"));
    world.sql("DELETE FROM wt_feed_accounts WHERE user_id = 1");
    world.catch_up();
    assert_eq!(find(&mut world), None);
}

#[test]
fn catch_up_waits_for_commits_made_without_waiting_for_the_log() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.catch_up();
    world.sql("SET synchronous_commit = off");
    for round in 0..20 {
        let name = format!("async commit {round}");
        world.sql(&format!(
            "UPDATE wt_feed_users SET name = '{name}' WHERE id = 1"
        ));
        world.catch_up();
        assert_eq!(world.find_user(1).unwrap().name, name, "round {round}");
    }
}

#[test]
fn catch_up_inside_a_transaction_is_refused() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    let cache = world.cache().clone();
    let refused = world.conn.transaction(|conn| {
        Ok::<_, diesel::result::Error>(cache.catch_up(conn, Duration::from_secs(1)))
    });
    assert!(matches!(
        refused,
        Ok(Err(write_through::feed::FeedError::InsideTransaction))
    ));
}

#[test]
fn a_cascade_empties_the_cached_collection_of_the_parent_it_deleted() {
    let Some(mut world) = World::new() else {
        return;
    };
    let _feed = world.start(world.feed());
    world.cached_user(1, "Ada");
    world.cached_user(2, "Grace");
    world.sql(
        "INSERT INTO wt_feed_posts VALUES (10, 1, 'first'), (11, 1, 'second'), (12, 2, 'kept')",
    );
    world.catch_up();
    assert_eq!(world.posts_of(1), [10, 11]);
    assert_eq!(world.posts_of(1), [10, 11], "cached");
    assert_eq!(world.posts_of(2), [12]);
    world.sql("DELETE FROM wt_feed_users WHERE id = 1");
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
    world.sql("INSERT INTO wt_feed_posts VALUES (10, 1, 'first')");
    world.catch_up();
    assert_eq!(world.posts_of(1), [10]);
    assert!(world.posts_of(2).is_empty());
    assert!(world.posts_of(2).is_empty(), "cached as empty");
    world.sql("INSERT INTO wt_feed_posts VALUES (11, 1, 'second')");
    world.catch_up();
    assert_eq!(world.posts_of(1), [10, 11], "an insert joins");
    world.sql("UPDATE wt_feed_posts SET user_id = 2 WHERE id = 10");
    world.catch_up();
    assert_eq!(world.posts_of(1), [11], "a move leaves");
    assert_eq!(world.posts_of(2), [10], "and joins");
    assert_eq!(world.posts_of(2), [10], "cached");
}
