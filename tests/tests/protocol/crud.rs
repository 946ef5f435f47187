//! save / find / delete / create on PostgreSQL, MariaDB and SQLite against a real Redis.
//!
//! Every behaviour is written once, generic over the Diesel connection, and run on each backend
//! by `on_every_backend!` (test names read `postgres::find_after_save_is_served_by_redis`).

use diesel::connection::LoadConnection;
use diesel::prelude::*;
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through::{DieselCreate, DieselOps, Error};
use write_through_tests::models::{Membership, NewUser, Tag, User};
use write_through_tests::{TestCache, unique, unique_i32};

fn new_user(name: &str) -> NewUser {
    NewUser {
        email: format!("{name}-{}@example.test", unique()),
        name: name.to_owned(),
    }
}

fn create_user<C>(conn: &mut C, tc: &TestCache, name: &str) -> User
where
    C: Connection + LoadConnection,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    User::create(conn, &tc.cache, &new_user(name)).expect("create")
}

/// Changes a row without telling the cache, as another service would.
fn behind_the_cache<C: Connection>(conn: &mut C, sql: &str) {
    conn.batch_execute(sql).expect("raw SQL");
}

fn create_returns_the_generated_key_and_caches_the_row<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let new = new_user("ada");
    let created = User::create(conn, &tc.cache, &new).unwrap();
    assert!(created.id > 0);
    assert_eq!(
        (created.email.as_str(), created.name.as_str()),
        (new.email.as_str(), "ada")
    );
    assert!(
        tc.raw(&format!("user:{}", created.id)).is_some(),
        "created row is cached"
    );
    assert_eq!(
        User::find(conn, &tc.cache, &created.id).unwrap(),
        Some(created)
    );
}

fn find_after_save_is_served_by_redis<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let mut user = create_user(conn, tc, "grace");
    user.name = "Grace Hopper".into();
    user.save(conn, &tc.cache).unwrap();
    behind_the_cache(
        conn,
        &format!(
            "UPDATE wt_users SET name = 'changed behind' WHERE id = {}",
            user.id
        ),
    );
    let hits = tc.cache.stats().hits;
    let found = User::find(conn, &tc.cache, &user.id).unwrap().unwrap();
    assert_eq!(
        found.name, "Grace Hopper",
        "the cached value, not the database row"
    );
    assert_eq!(tc.cache.stats().hits, hits + 1);
}

fn a_miss_is_filled_from_the_database<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let user = create_user(conn, tc, "barbara");
    behind_the_cache(
        conn,
        &format!(
            "UPDATE wt_users SET name = 'from the database' WHERE id = {}",
            user.id
        ),
    );
    tc.cache.invalidate::<User>(&user.id).unwrap();
    assert!(tc.raw(&format!("user:{}", user.id)).is_none());
    let found = User::find(conn, &tc.cache, &user.id).unwrap().unwrap();
    assert_eq!(found.name, "from the database");
    assert!(
        tc.raw(&format!("user:{}", user.id)).is_some(),
        "the miss filled the cache"
    );
    assert_eq!(tc.cache.stats().fills, 1);
}

fn saving_an_existing_row_updates_database_and_cache<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let mut user = create_user(conn, tc, "edsger");
    user.name = "Edsger W. Dijkstra".into();
    user.save(conn, &tc.cache).unwrap();
    tc.cache.invalidate::<User>(&user.id).unwrap();
    assert_eq!(
        User::find(conn, &tc.cache, &user.id).unwrap().unwrap().name,
        "Edsger W. Dijkstra"
    );
}

fn save_inserts_a_row_with_a_key_chosen_by_the_caller<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Membership: DieselOps<C::Backend>,
{
    let member = Membership {
        org_id: unique_i32(),
        user_id: 7,
        role: "admin".into(),
    };
    member.save(conn, &tc.cache).unwrap();
    tc.cache
        .invalidate::<Membership>((&member.org_id, &member.user_id))
        .unwrap();
    assert_eq!(
        Membership::find(conn, &tc.cache, (&member.org_id, &7)).unwrap(),
        Some(member)
    );
}

fn delete_removes_the_row_and_its_cached_value<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let user = create_user(conn, tc, "alan");
    assert!(User::delete(conn, &tc.cache, &user.id).unwrap());
    assert!(tc.raw(&format!("user:{}", user.id)).is_none());
    assert_eq!(User::find(conn, &tc.cache, &user.id).unwrap(), None);
    assert!(
        !User::delete(conn, &tc.cache, &user.id).unwrap(),
        "nothing left to delete"
    );
}

fn a_missing_row_is_none_and_not_cached_without_negative_ttl<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
{
    let id = -(unique() as i64 % 1_000_000_000) - 1;
    assert_eq!(User::find(conn, &tc.cache, &id).unwrap(), None);
    assert!(
        tc.keys().is_empty(),
        "no negative entry: User has no negative_ttl"
    );
}

fn a_missing_row_is_cached_as_absent_with_negative_ttl<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let name = format!("missing-{}", unique());
    assert_eq!(Tag::find(conn, &tc.cache, &name).unwrap(), None);
    let pttl = tc.pttl(&format!("tag:{name}"));
    assert!(
        0 < pttl && pttl <= 60_000,
        "negative entry with the 1m negative_ttl, got {pttl}"
    );
    behind_the_cache(
        conn,
        &format!("INSERT INTO wt_tags (name, uses) VALUES ('{name}', 1)"),
    );
    assert_eq!(
        Tag::find(conn, &tc.cache, &name).unwrap(),
        None,
        "answered by the negative entry"
    );
    assert_eq!(tc.cache.stats().negative_hits, 1);
}

fn a_save_replaces_a_cached_absence_at_once<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let name = format!("soon-{}", unique());
    assert_eq!(Tag::find(conn, &tc.cache, &name).unwrap(), None);
    let tag = Tag {
        name: name.clone(),
        uses: 3,
    };
    tag.save(conn, &tc.cache).unwrap();
    assert_eq!(Tag::find(conn, &tc.cache, &name).unwrap(), Some(tag));
}

fn every_cached_value_has_a_ttl_within_the_configured_bound<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    Membership: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let user = create_user(conn, tc, "ttl");
    let pttl = tc.pttl(&format!("user:{}", user.id));
    // The TTL less the default jitter of up to 10% (CacheBuilder::ttl_jitter).
    assert!(
        3_230_000 < pttl && pttl <= 3_600_000,
        "1h TTL less up to 10%, got {pttl} ms"
    );
    let member = Membership {
        org_id: unique_i32(),
        user_id: 1,
        role: "r".into(),
    };
    member.save(conn, &tc.cache).unwrap();
    let pttl = tc.pttl(&format!("org:{}:member:1", member.org_id));
    assert!(
        530_000 < pttl && pttl <= 600_000,
        "ttl = 600 seconds less up to 10%, got {pttl} ms"
    );
}

fn keys_are_rendered_exactly_as_documented<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    Membership: DieselOps<C::Backend>,
    Tag: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let user = create_user(conn, tc, "keys");
    let org = unique_i32();
    Membership {
        org_id: org,
        user_id: 2,
        role: "r".into(),
    }
    .save(conn, &tc.cache)
    .unwrap();
    let tag_name = format!("a:b {{c}}%-{}", unique());
    Tag {
        name: tag_name.clone(),
        uses: 1,
    }
    .save(conn, &tc.cache)
    .unwrap();
    let ns = tc.cache.namespace().to_owned();
    let escaped = tag_name
        .replace('%', "%25")
        .replace(':', "%3A")
        .replace(' ', "%20")
        .replace('{', "%7B")
        .replace('}', "%7D");
    let mut expected = vec![
        format!("{ns}:user:{}", user.id),
        format!("{ns}:org:{org}:member:2"),
        format!("{ns}:tag:{escaped}"),
    ];
    expected.sort();
    assert_eq!(tc.keys(), expected);
}

fn a_failed_database_write_leaves_the_cache_untouched<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let first = create_user(conn, tc, "first");
    let second = create_user(conn, tc, "second");
    let cached_before = tc.raw(&format!("user:{}", second.id));
    let clash = User {
        email: first.email.clone(),
        ..second.clone()
    };
    let error = clash.save(conn, &tc.cache).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        ),
        "a typed unique violation, got {error:?}"
    );
    assert_eq!(
        tc.raw(&format!("user:{}", second.id)),
        cached_before,
        "cache untouched"
    );
    assert_eq!(
        User::find(conn, &tc.cache, &second.id).unwrap(),
        Some(second)
    );
}

fn writes_inside_a_foreign_transaction_are_refused<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let tag = Tag {
        name: format!("tx-{}", unique()),
        uses: 1,
    };
    let refused = conn
        .transaction::<_, diesel::result::Error, _>(|conn| Ok(tag.save(conn, &tc.cache)))
        .unwrap();
    assert!(
        matches!(
            refused,
            Err(Error::Usage(
                write_through::UsageError::InsideTransaction { .. }
            ))
        ),
        "{refused:?}"
    );
    assert!(tc.keys().is_empty());
    assert_eq!(
        Tag::find(conn, &tc.cache, &tag.name).unwrap(),
        None,
        "nothing was written"
    );
}

fn reads_inside_a_transaction_never_fill_the_cache<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let name = format!("uncommitted-{}", unique());
    let sql = format!("INSERT INTO wt_tags (name, uses) VALUES ('{name}', 1)");
    let mut seen = None;
    let rolled_back = conn.transaction::<(), _, _>(|conn| {
        conn.batch_execute(&sql)?;
        seen = Tag::find(conn, &tc.cache, &name).unwrap();
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    assert!(seen.is_some(), "the transaction sees its own row");
    assert!(
        tc.keys().is_empty(),
        "but the uncommitted row never reached the cache"
    );
    assert_eq!(
        Tag::find(conn, &tc.cache, &name).unwrap(),
        None,
        "and it was rolled back"
    );
}

fn an_old_schema_value_is_a_miss_that_refills<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let user = create_user(conn, tc, "schema");
    let key = format!("user:{}", user.id);
    let mut value = tc.raw(&key).unwrap();
    value[4] ^= 0xFF; // another fingerprint: the struct changed shape in another deploy
    tc.put_raw(&key, &value);
    assert_eq!(
        User::find(conn, &tc.cache, &user.id).unwrap(),
        Some(user.clone())
    );
    assert_eq!(tc.cache.stats().unreadable_values, 1);
    value[4] ^= 0xFF;
    assert_eq!(
        tc.raw(&key),
        Some(value),
        "refilled with the current schema"
    );
}

fn garbage_under_a_key_is_a_miss_that_refills<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let user = create_user(conn, tc, "garbage");
    let key = format!("user:{}", user.id);
    let good = tc.raw(&key).unwrap();
    let mut truncated = good.clone();
    truncated.truncate(good.len() - 3);
    for bad in [
        b"not ours at all".to_vec(),
        b"WT\x01\x01".to_vec(),
        truncated,
    ] {
        tc.put_raw(&key, &bad);
        assert_eq!(
            User::find(conn, &tc.cache, &user.id).unwrap(),
            Some(user.clone())
        );
        assert_eq!(tc.raw(&key), Some(good.clone()));
    }
    assert_eq!(tc.cache.stats().unreadable_values, 3);
}

fn a_failed_write_never_puts_back_a_readers_lease<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let first = create_user(conn, tc, "lease-a");
    let second = create_user(conn, tc, "lease-b");
    tc.put_raw(
        &format!("user:{}", second.id),
        b"WT\x01\x04a-reader-that-gave-up",
    );
    let clash = User {
        email: first.email.clone(),
        ..second.clone()
    };
    assert!(clash.save(conn, &tc.cache).is_err());
    assert_eq!(
        tc.raw(&format!("user:{}", second.id)),
        None,
        "the abandoned lease is not restored"
    );
    assert_eq!(
        User::find(conn, &tc.cache, &second.id).unwrap(),
        Some(second)
    );
}

fn a_key_of_another_type_in_our_namespace_never_jams_the_cache<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let row = Tag {
        name: format!("hash-{}", unique()),
        uses: 1,
    };
    let key = tc.key(&format!("tag:{}", row.name));
    redis::cmd("HSET")
        .arg(&key)
        .arg("field")
        .arg("value")
        .query::<()>(&mut *tc.redis)
        .unwrap();
    row.save(conn, &tc.cache).unwrap();
    assert_eq!(
        Tag::find(conn, &tc.cache, &row.name).unwrap(),
        Some(row.clone())
    );
    assert_eq!(
        Tag::find_many(conn, &tc.cache, [&row.name]).unwrap(),
        vec![Some(row)]
    );
    assert_eq!(
        tc.cache.stats().pending_invalidations,
        0,
        "nothing owed, nothing stuck"
    );
    tc.cache.ping().unwrap();
}

fn a_row_whose_key_is_too_long_is_served_from_the_database<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    // Every ':' renders as "%3A": 400 of them make a key far over MAX_KEY_BYTES.
    let name = format!("{}-{}", ":".repeat(400), unique());
    assert!(tc.cache.key::<Tag>(&name).len() > write_through::key::MAX_KEY_BYTES);
    let row = Tag {
        name: name.clone(),
        uses: 1,
    };
    row.save(conn, &tc.cache).unwrap();
    assert_eq!(
        Tag::find(conn, &tc.cache, &name).unwrap(),
        Some(row.clone())
    );
    assert_eq!(
        Tag::find_many(conn, &tc.cache, [&name]).unwrap(),
        vec![Some(row)]
    );
    assert!(tc.keys().is_empty(), "never cached: {:?}", tc.keys());
    assert!(Tag::delete(conn, &tc.cache, &name).unwrap());
}

fn composite_and_string_keys_round_trip<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Membership: DieselOps<C::Backend>,
    Tag: DieselOps<C::Backend>,
{
    let member = Membership {
        org_id: unique_i32(),
        user_id: 3,
        role: "owner".into(),
    };
    member.save(conn, &tc.cache).unwrap();
    assert_eq!(
        Membership::find(conn, &tc.cache, (&member.org_id, &3)).unwrap(),
        Some(member.clone())
    );
    assert_eq!(
        Membership::find(conn, &tc.cache, (&member.org_id, &4)).unwrap(),
        None
    );
    assert!(Membership::delete(conn, &tc.cache, (&member.org_id, &3)).unwrap());

    let tag = Tag {
        name: format!("ünïcode:{}/x y", unique()),
        uses: 9,
    };
    tag.save(conn, &tc.cache).unwrap();
    assert_eq!(
        Tag::find(conn, &tc.cache, &tag.name).unwrap(),
        Some(tag.clone())
    );
    assert!(Tag::delete(conn, &tc.cache, &tag.name).unwrap());
    assert_eq!(Tag::find(conn, &tc.cache, &tag.name).unwrap(), None);
}

write_through_tests::on_every_backend!(
    create_returns_the_generated_key_and_caches_the_row,
    find_after_save_is_served_by_redis,
    a_miss_is_filled_from_the_database,
    saving_an_existing_row_updates_database_and_cache,
    save_inserts_a_row_with_a_key_chosen_by_the_caller,
    delete_removes_the_row_and_its_cached_value,
    a_missing_row_is_none_and_not_cached_without_negative_ttl,
    a_missing_row_is_cached_as_absent_with_negative_ttl,
    a_save_replaces_a_cached_absence_at_once,
    every_cached_value_has_a_ttl_within_the_configured_bound,
    keys_are_rendered_exactly_as_documented,
    a_failed_database_write_leaves_the_cache_untouched,
    writes_inside_a_foreign_transaction_are_refused,
    reads_inside_a_transaction_never_fill_the_cache,
    an_old_schema_value_is_a_miss_that_refills,
    garbage_under_a_key_is_a_miss_that_refills,
    composite_and_string_keys_round_trip,
    a_failed_write_never_puts_back_a_readers_lease,
    a_key_of_another_type_in_our_namespace_never_jams_the_cache,
);

// Not on MySQL, whose VARCHAR(191) key column cannot hold such a key.
#[test]
fn postgres_serves_a_row_whose_key_is_too_long_from_the_database() {
    let (Some(mut conn), Some(mut tc)) = (write_through_tests::postgres(), TestCache::new()) else {
        return;
    };
    a_row_whose_key_is_too_long_is_served_from_the_database(&mut conn, &mut tc);
}

#[test]
fn sqlite_serves_a_row_whose_key_is_too_long_from_the_database() {
    let Some(mut tc) = TestCache::new() else {
        return;
    };
    let (mut conn, _dir) = write_through_tests::sqlite();
    a_row_whose_key_is_too_long_is_served_from_the_database(&mut conn, &mut tc);
}

mod optimistic_locking {
    use super::*;
    use write_through_tests::models::Document;

    pub fn a_save_bumps_the_version_here_and_in_the_database<C>(conn: &mut C, tc: &mut TestCache)
    where
        C: Connection + LoadConnection,
        Document: DieselOps<C::Backend>,
    {
        let mut doc = Document {
            id: unique() as i64,
            title: "draft".into(),
            version: 0,
        };
        doc.save(conn, &tc.cache).unwrap();
        assert_eq!(doc.version, 0, "a new row keeps the version it was given");
        doc.title = "final".into();
        doc.save(conn, &tc.cache).unwrap();
        assert_eq!(doc.version, 1);
        tc.cache.invalidate::<Document>(&doc.id).unwrap();
        assert_eq!(Document::find(conn, &tc.cache, &doc.id).unwrap(), Some(doc));
    }

    pub fn a_save_of_a_stale_version_is_a_conflict_that_changes_nothing<C>(
        conn: &mut C,
        tc: &mut TestCache,
    ) where
        C: Connection + LoadConnection,
        Document: DieselOps<C::Backend>,
    {
        let mut doc = Document {
            id: unique() as i64,
            title: "v0".into(),
            version: 0,
        };
        doc.save(conn, &tc.cache).unwrap();
        let mut stale = doc.clone();
        doc.title = "theirs".into();
        doc.save(conn, &tc.cache).unwrap();
        let cached = tc.raw(&format!("doc:{}", doc.id));

        stale.title = "mine".into();
        let error = stale.save(conn, &tc.cache).unwrap_err();
        assert!(matches!(error, Error::Conflict(_)), "{error:?}");
        assert_eq!(
            stale.version, 0,
            "a refused save leaves the caller's version alone"
        );
        assert_eq!(
            tc.raw(&format!("doc:{}", doc.id)),
            cached,
            "the cache never moves back"
        );
        tc.cache.invalidate::<Document>(&doc.id).unwrap();
        assert_eq!(
            Document::find(conn, &tc.cache, &doc.id).unwrap(),
            Some(doc),
            "nor the database"
        );
    }
}

use optimistic_locking::{
    a_save_bumps_the_version_here_and_in_the_database,
    a_save_of_a_stale_version_is_a_conflict_that_changes_nothing,
};

mod versioned {
    use super::*;
    write_through_tests::on_every_backend!(
        a_save_bumps_the_version_here_and_in_the_database,
        a_save_of_a_stale_version_is_a_conflict_that_changes_nothing,
    );
}
