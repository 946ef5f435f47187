//! What the feed refuses to start with, each a typed error that says what to change.

use diesel::prelude::*;
use write_through::feed::{ChangeFeed, FeedError};
use write_through_tests::private_postgres::PrivatePostgres;
use write_through_tests::services::{TestCache, postgres_url};

use super::{FeedUser, World};

#[test]
fn a_server_without_logical_decoding_is_refused_with_what_to_set() {
    // A server of the test's own, with the default `wal_level = replica`.
    let Some(server) = PrivatePostgres::start() else {
        return;
    };
    let Some(test) = TestCache::new() else { return };
    let url = server.url();
    let error = ChangeFeed::postgres()
        .model::<FeedUser>()
        .start(&test.cache, move || PgConnection::establish(&url))
        .unwrap_err();
    assert!(matches!(&error, FeedError::WalLevel { found } if found == "replica"));
    assert!(error.to_string().contains("wal_level = logical"), "{error}");
}

#[test]
fn a_table_without_a_primary_key_is_refused_not_published() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.sql("ALTER TABLE wt_feed_posts DROP CONSTRAINT wt_feed_posts_pkey");
    let url = world.server.url();
    let error = world
        .feed()
        .start(world.cache(), move || PgConnection::establish(&url))
        .unwrap_err();
    assert!(
        matches!(&error, FeedError::NoPrimaryKey { table } if table.contains("wt_feed_posts")),
        "{error}"
    );
    let published: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM pg_publication)",
    ))
    .get_result(&mut world.conn)
    .unwrap();
    assert_eq!(published, 0, "nothing is published");
}

#[test]
fn a_slot_name_postgres_would_need_quoted_is_refused() {
    let Some(test) = TestCache::new() else { return };
    let url = postgres_url();
    let error = ChangeFeed::postgres()
        .slot("Feed; DROP")
        .model::<FeedUser>()
        .start(&test.cache, move || PgConnection::establish(&url))
        .unwrap_err();
    assert!(
        matches!(error, FeedError::InvalidName { what: "slot", .. }),
        "{error}"
    );
}

#[test]
fn a_model_keyed_outside_the_replica_identity_is_refused() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.sql("ALTER TABLE wt_feed_accounts REPLICA IDENTITY DEFAULT");
    let url = world.server.url();
    let error = world
        .feed()
        .model::<super::FeedUserWithAvatar>()
        .start(world.cache(), move || PgConnection::establish(&url))
        .unwrap_err();
    assert!(
        matches!(&error, FeedError::ReplicaIdentity { table, columns } if table.contains("wt_feed_accounts") && columns == "user_id"),
        "{error}"
    );
    assert!(
        error.to_string().contains("REPLICA IDENTITY FULL"),
        "{error}"
    );
}

#[test]
fn a_publication_that_hides_changes_is_refused() {
    let Some(mut world) = World::new() else {
        return;
    };
    world.sql("CREATE PUBLICATION write_through FOR TABLE wt_feed_users, wt_feed_posts WITH (publish = 'insert')");
    let url = world.server.url();
    let error = world
        .feed()
        .start(world.cache(), move || PgConnection::establish(&url))
        .unwrap_err();
    assert!(matches!(error, FeedError::Publication { .. }), "{error}");
}
