//! The specification both fronts meet, written once over `fronts::Front` and run on each front
//! and backend by `on_every_front!` (test names read `async_postgres::a_rollback_changes_nothing`):
//! reads and writes, find_many, negative caching, optimistic locking, failed writes, and
//! transactions with savepoints.

use write_through::{Error, Stats};
use write_through_tests::fronts::{Front, TxStep};
use write_through_tests::models::{Document, NewUser, Tag, User};
use write_through_tests::{TestCache, unique};

fn new_user(name: &str) -> NewUser {
    NewUser {
        email: format!("{name}-{}@example.test", unique()),
        name: name.to_owned(),
    }
}

fn stats(tc: &TestCache) -> Stats {
    tc.cache.stats()
}

/// The kind byte of a raw value: 1 row, 2 absent, 3 lock, 4 lease, 5 contended lock.
fn kind(tc: &mut TestCache, rendered: &str) -> Option<u8> {
    tc.raw(rendered).map(|value| value[3])
}

fn create_caches_the_row_and_find_serves_it_from_redis(f: &mut impl Front, tc: &mut TestCache) {
    let created = f.create_user(&tc.cache, &new_user("ada")).unwrap();
    assert!(created.id > 0);
    assert_eq!(
        kind(tc, &format!("user:{}", created.id)),
        Some(1),
        "cached as a row"
    );
    f.execute(&format!(
        "UPDATE wt_users SET name = 'changed behind' WHERE id = {}",
        created.id
    ));
    let hits = stats(tc).hits;
    assert_eq!(
        f.find_user(&tc.cache, created.id).unwrap(),
        Some(created),
        "the cached value, not the database row"
    );
    assert_eq!(stats(tc).hits, hits + 1);
}

fn a_miss_is_filled_from_the_database_then_hit(f: &mut impl Front, tc: &mut TestCache) {
    let created = f.create_user(&tc.cache, &new_user("grace")).unwrap();
    tc.cache.invalidate::<User>(&created.id).unwrap();
    let before = stats(tc);
    assert_eq!(
        f.find_user(&tc.cache, created.id).unwrap(),
        Some(created.clone())
    );
    assert_eq!(f.find_user(&tc.cache, created.id).unwrap(), Some(created));
    let after = stats(tc);
    assert_eq!(
        (
            after.misses - before.misses,
            after.fills - before.fills,
            after.hits - before.hits
        ),
        (1, 1, 1)
    );
}

fn a_save_publishes_the_row_as_stored(f: &mut impl Front, tc: &mut TestCache) {
    let mut user = f.create_user(&tc.cache, &new_user("lin")).unwrap();
    user.name = "Lin Clark".into();
    f.save_user(&tc.cache, &user).unwrap();
    f.execute(&format!(
        "UPDATE wt_users SET name = 'behind' WHERE id = {}",
        user.id
    ));
    assert_eq!(f.find_user(&tc.cache, user.id).unwrap(), Some(user));
}

fn delete_removes_the_row_and_its_cached_value(f: &mut impl Front, tc: &mut TestCache) {
    let user = f.create_user(&tc.cache, &new_user("bye")).unwrap();
    assert!(f.delete_user(&tc.cache, user.id).unwrap());
    assert_eq!(tc.raw(&format!("user:{}", user.id)), None);
    assert_eq!(f.find_user(&tc.cache, user.id).unwrap(), None);
    assert!(
        !f.delete_user(&tc.cache, user.id).unwrap(),
        "nothing left to delete"
    );
}

fn a_cached_absence_is_replaced_by_a_save(f: &mut impl Front, tc: &mut TestCache) {
    let name = format!("absent-{}", unique());
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), None);
    assert_eq!(
        kind(tc, &format!("tag:{name}")),
        Some(2),
        "cached as absent"
    );
    let tag = Tag {
        name: name.clone(),
        uses: 3,
    };
    f.save_tag(&tc.cache, &tag).unwrap();
    assert_eq!(f.find_tag(&tc.cache, &name).unwrap(), Some(tag));
    assert!(f.delete_tag(&tc.cache, &name).unwrap());
    assert_eq!(
        kind(tc, &format!("tag:{name}")),
        Some(2),
        "a delete caches the absence"
    );
}

fn find_many_answers_in_order_with_duplicates_and_misses(f: &mut impl Front, tc: &mut TestCache) {
    let a = f.create_user(&tc.cache, &new_user("a")).unwrap();
    let b = f.create_user(&tc.cache, &new_user("b")).unwrap();
    tc.cache.invalidate::<User>(&b.id).unwrap();
    let missing = b.id + 1_000_000;
    let found = f
        .find_many_users(&tc.cache, &[b.id, a.id, missing, b.id])
        .unwrap();
    assert_eq!(
        found,
        vec![Some(b.clone()), Some(a.clone()), None, Some(b.clone())]
    );
    assert_eq!(
        kind(tc, &format!("user:{}", b.id)),
        Some(1),
        "the miss was filled"
    );
    let hits = stats(tc).hits;
    assert_eq!(
        f.find_many_users(&tc.cache, &[a.id, b.id]).unwrap(),
        vec![Some(a), Some(b)]
    );
    assert_eq!(stats(tc).hits, hits + 2, "both answered by Redis");
}

fn a_failed_database_write_leaves_the_cache_untouched(f: &mut impl Front, tc: &mut TestCache) {
    let first = f.create_user(&tc.cache, &new_user("first")).unwrap();
    let mut second = f.create_user(&tc.cache, &new_user("second")).unwrap();
    let before = tc.raw(&format!("user:{}", second.id));
    second.email = first.email.clone(); // a unique violation
    let error = f.save_user(&tc.cache, &second).unwrap_err();
    assert!(matches!(error, Error::Database(_)), "{error:?}");
    assert_eq!(
        tc.raw(&format!("user:{}", second.id)),
        before,
        "the lock was undone"
    );
}

fn a_save_of_a_stale_version_is_a_conflict_that_changes_nothing(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let mut document = Document {
        id: i64::from(write_through_tests::unique_i32()),
        title: "draft".into(),
        version: 0,
    };
    f.save_document(&tc.cache, &mut document).unwrap();
    let mut stale = document.clone();
    document.title = "final".into();
    f.save_document(&tc.cache, &mut document).unwrap();
    assert_eq!(document.version, 1, "a save bumps the version here");
    stale.title = "overwritten?".into();
    let error = f.save_document(&tc.cache, &mut stale).unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    assert_eq!(
        f.find_document(&tc.cache, document.id).unwrap(),
        Some(document)
    );
}

fn a_commit_publishes_every_write_after_it(f: &mut impl Front, tc: &mut TestCache) {
    let mut alice = f.create_user(&tc.cache, &new_user("alice")).unwrap();
    let mut bob = f.create_user(&tc.cache, &new_user("bob")).unwrap();
    // Alice gives her email to Bob.
    let freed = std::mem::replace(&mut alice.email, format!("alice-{}@example.test", unique()));
    bob.email = freed;
    f.transaction(
        &tc.cache,
        vec![
            TxStep::SaveUser(alice.clone()),
            TxStep::SaveUser(bob.clone()),
        ],
    )
    .unwrap();
    assert_eq!(f.find_user(&tc.cache, alice.id).unwrap(), Some(alice));
    assert_eq!(f.find_user(&tc.cache, bob.id).unwrap(), Some(bob));
}

fn a_rollback_changes_nothing(f: &mut impl Front, tc: &mut TestCache) {
    let user = f.create_user(&tc.cache, &new_user("kept")).unwrap();
    let before = tc.raw(&format!("user:{}", user.id));
    let renamed = User {
        name: "never".into(),
        ..user.clone()
    };
    let result = f.transaction(
        &tc.cache,
        vec![
            TxStep::SaveUser(renamed),
            TxStep::DeleteUser(user.id),
            TxStep::Fail,
        ],
    );
    assert!(result.is_err());
    let after = tc.raw(&format!("user:{}", user.id));
    if f.trusts_commits() {
        assert_eq!(after, before, "put back as it was");
    } else {
        assert_eq!(
            after, None,
            "MySQL's rollback proves nothing either: deleted"
        );
    }
    tc.cache.invalidate::<User>(&user.id).unwrap();
    assert_eq!(
        f.find_user(&tc.cache, user.id).unwrap(),
        Some(user),
        "the database agrees"
    );
}

fn a_rolled_back_savepoint_keeps_the_outer_write(f: &mut impl Front, tc: &mut TestCache) {
    let user = f.create_user(&tc.cache, &new_user("outer")).unwrap();
    let outer = User {
        name: "outer write".into(),
        ..user.clone()
    };
    let inner = User {
        name: "inner write".into(),
        ..user.clone()
    };
    f.transaction(
        &tc.cache,
        vec![
            TxStep::SaveUser(outer.clone()),
            TxStep::Savepoint(vec![TxStep::SaveUser(inner), TxStep::Fail]),
        ],
    )
    .unwrap();
    assert_eq!(
        f.find_user(&tc.cache, user.id).unwrap(),
        Some(outer.clone())
    );
    tc.cache.invalidate::<User>(&user.id).unwrap();
    assert_eq!(
        f.find_user(&tc.cache, user.id).unwrap(),
        Some(outer),
        "the database agrees"
    );
}

fn a_released_savepoint_publishes_with_the_outer_commit(f: &mut impl Front, tc: &mut TestCache) {
    let user = f.create_user(&tc.cache, &new_user("inner")).unwrap();
    let inner = User {
        name: "from the savepoint".into(),
        ..user.clone()
    };
    f.transaction(
        &tc.cache,
        vec![TxStep::Savepoint(vec![TxStep::SaveUser(inner.clone())])],
    )
    .unwrap();
    if f.trusts_commits() {
        f.execute(&format!(
            "UPDATE wt_users SET name = 'behind' WHERE id = {}",
            user.id
        ));
        assert_eq!(
            f.find_user(&tc.cache, user.id).unwrap(),
            Some(inner),
            "published"
        );
    } else {
        let raw = tc.raw(&format!("user:{}", user.id));
        assert_eq!(raw, None, "MySQL: deleted, not published");
        assert_eq!(
            f.find_user(&tc.cache, user.id).unwrap(),
            Some(inner),
            "as stored"
        );
    }
}

fn reads_inside_a_transaction_never_fill_the_cache(f: &mut impl Front, tc: &mut TestCache) {
    let user = f.create_user(&tc.cache, &new_user("reader")).unwrap();
    tc.cache.invalidate::<User>(&user.id).unwrap();
    f.transaction(&tc.cache, vec![TxStep::FindUser(user.id)])
        .unwrap();
    assert_eq!(tc.raw(&format!("user:{}", user.id)), None, "not filled");
}

fn both_fronts_count_the_same_events(f: &mut impl Front, tc: &mut TestCache) {
    let user = f.create_user(&tc.cache, &new_user("counted")).unwrap();
    tc.cache.invalidate::<User>(&user.id).unwrap();
    f.find_user(&tc.cache, user.id).unwrap();
    f.find_user(&tc.cache, user.id).unwrap();
    f.save_user(&tc.cache, &user).unwrap();
    f.delete_user(&tc.cache, user.id).unwrap();
    let s = stats(tc);
    // create, save and delete each lock once; create and save publish a row, delete an
    // invalidation; one miss filled, one hit.
    assert_eq!(
        (
            s.misses,
            s.fills,
            s.hits,
            s.locks,
            s.publishes,
            s.invalidations
        ),
        (1, 1, 1, 3, 2, 1),
        "{} front: {s:?}",
        f.name()
    );
}

write_through_tests::on_every_front!(
    create_caches_the_row_and_find_serves_it_from_redis,
    a_miss_is_filled_from_the_database_then_hit,
    a_save_publishes_the_row_as_stored,
    delete_removes_the_row_and_its_cached_value,
    a_cached_absence_is_replaced_by_a_save,
    find_many_answers_in_order_with_duplicates_and_misses,
    a_failed_database_write_leaves_the_cache_untouched,
    a_save_of_a_stale_version_is_a_conflict_that_changes_nothing,
    a_commit_publishes_every_write_after_it,
    a_rollback_changes_nothing,
    a_rolled_back_savepoint_keeps_the_outer_write,
    a_released_savepoint_publishes_with_the_outer_commit,
    reads_inside_a_transaction_never_fill_the_cache,
    both_fronts_count_the_same_events,
);
