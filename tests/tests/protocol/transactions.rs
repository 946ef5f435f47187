//! `Cache::transaction`: cache writes are published after the commit and undone on rollback,
//! savepoints included; a foreign transaction is refused with what to do instead.

use diesel::prelude::*;
use write_through::blocking::{ModelOps as _, SaveOps as _, TransactionOps as _};
use write_through::{Error, UsageError};
use write_through_tests::models::{NewUser, Tag, User};
use write_through_tests::{TestCache, postgres, unique};

fn tag(uses: i32) -> Tag {
    Tag {
        name: format!("tx-{}", unique()),
        uses,
    }
}

/// The kind byte of the raw value: 1 row, 2 absent, 3 lock, 4 lease.
fn kind(tc: &mut TestCache, name: &str) -> Option<u8> {
    tc.raw(&format!("tag:{name}")).map(|v| v[3])
}

#[test]
fn writes_are_locked_during_the_transaction_and_published_after_the_commit() {
    let (Some(mut conn), Some(mut tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    let row = tag(1);
    let mut kind_inside = None;
    cache
        .transaction(&mut conn, |conn| {
            row.save(conn, &cache)?;
            kind_inside = kind(&mut tc, &row.name);
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(
        kind_inside,
        Some(3),
        "locked, not published, before the commit"
    );
    assert_eq!(
        kind(&mut tc, &row.name),
        Some(1),
        "published after the commit"
    );
    assert_eq!(Tag::find(&mut conn, &cache, &row.name).unwrap(), Some(row));
}

#[test]
fn a_rolled_back_savepoint_keeps_the_outer_write() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = &tc.cache;
    let mut row = tag(1);
    cache
        .transaction(&mut conn, |conn| {
            row.save(conn, cache)?;
            let inner = cache.transaction(conn, |conn| {
                Tag {
                    uses: 2,
                    ..row.clone()
                }
                .save(conn, cache)?;
                Err::<(), _>(Error::Database(diesel::result::Error::RollbackTransaction))
            });
            assert!(inner.is_err());
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(
        Tag::find(&mut conn, cache, &row.name).unwrap(),
        Some(row.clone())
    );
    cache.invalidate::<Tag>(&row.name).unwrap();
    assert_eq!(
        Tag::find(&mut conn, cache, &row.name).unwrap(),
        Some(row.clone()),
        "the database agrees"
    );

    row.uses = 3;
    cache
        .transaction(&mut conn, |conn| {
            cache.transaction(conn, |conn| row.save(conn, cache))?;
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(
        Tag::find(&mut conn, cache, &row.name).unwrap(),
        Some(row),
        "a released savepoint publishes with the outer commit"
    );
}

#[test]
fn a_key_locked_by_a_rolled_back_savepoint_is_put_back_at_the_commit() {
    let (Some(mut conn), Some(mut tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    let row = tag(1);
    row.save(&mut conn, &cache).unwrap();
    let before = tc.raw(&format!("tag:{}", row.name));
    cache
        .transaction(&mut conn, |conn| {
            let _ = cache.transaction(conn, |conn| {
                Tag {
                    uses: 9,
                    ..row.clone()
                }
                .save(conn, &cache)?;
                Err::<(), _>(Error::Database(diesel::result::Error::RollbackTransaction))
            });
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(tc.raw(&format!("tag:{}", row.name)), before);
}

#[test]
fn create_and_delete_inside_a_transaction_publish_at_the_commit() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = &tc.cache;
    let doomed = tag(1);
    doomed.save(&mut conn, cache).unwrap();
    let created = cache
        .transaction(&mut conn, |conn| {
            assert!(Tag::delete(conn, cache, &doomed.name)?);
            let new = NewUser {
                email: format!("tx-{}@example.test", unique()),
                name: "tx".into(),
            };
            User::create(conn, cache, &new)
        })
        .unwrap();
    assert_eq!(Tag::find(&mut conn, cache, &doomed.name).unwrap(), None);
    assert_eq!(
        User::find(&mut conn, cache, &created.id).unwrap(),
        Some(created.clone())
    );
    assert_eq!(cache.stats().misses, 0, "both answered from the cache");
}

#[test]
fn a_cache_transaction_inside_a_foreign_transaction_is_refused() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let refused = conn
        .transaction::<_, diesel::result::Error, _>(|conn| {
            Ok(tc.cache.transaction(conn, |_| Ok::<_, Error>(())))
        })
        .unwrap();
    assert!(
        matches!(
            refused,
            Err(Error::Usage(
                UsageError::TransactionInsideForeignTransaction
            ))
        ),
        "{refused:?}"
    );
}

#[test]
fn a_panic_inside_the_transaction_undoes_its_locks() {
    let (Some(mut conn), Some(mut tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    let row = tag(1);
    row.save(&mut conn, &cache).unwrap();
    let before = tc.raw(&format!("tag:{}", row.name));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = cache.transaction(&mut conn, |conn| {
            Tag {
                uses: 5,
                ..row.clone()
            }
            .save(conn, &cache)?;
            panic!("the application failed mid-transaction");
            #[allow(unreachable_code)]
            Ok::<_, Error>(())
        });
    }));
    assert!(panicked.is_err());
    assert_eq!(tc.raw(&format!("tag:{}", row.name)), before);
}

#[test]
fn a_write_inside_diesels_own_savepoint_within_a_cache_transaction_is_refused() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = &tc.cache;
    let row = tag(1);
    row.save(&mut conn, cache).unwrap();
    cache
        .transaction(&mut conn, |conn| {
            let inner: Result<(), Error> = conn.transaction(|conn| {
                Tag {
                    uses: 2,
                    ..row.clone()
                }
                .save(conn, cache)?;
                Err(Error::Database(diesel::result::Error::RollbackTransaction))
            });
            assert!(
                matches!(
                    inner,
                    Err(Error::Usage(UsageError::InsideTransaction { .. }))
                ),
                "{inner:?}"
            );
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(Tag::find(&mut conn, cache, &row.name).unwrap(), Some(row));
}

#[test]
fn a_statement_error_swallowed_by_the_body_rolls_back_and_publishes_nothing() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = &tc.cache;
    let row = tag(1);
    row.save(&mut conn, cache).unwrap();
    let result = cache.transaction(&mut conn, |conn| {
        Tag {
            uses: 2,
            ..row.clone()
        }
        .save(conn, cache)?;
        let _ = diesel::sql_query("SELECT 1/0").execute(conn); // tolerated by the application
        Ok::<_, Error>(())
    });
    assert!(
        result.is_err(),
        "the aborted transaction is reported, not committed in silence"
    );
    assert_eq!(Tag::find(&mut conn, cache, &row.name).unwrap(), Some(row));
}

#[test]
fn a_failed_write_inside_a_transaction_makes_its_commit_publish_deletions() {
    let (Some(mut conn), Some(mut tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let cache = tc.cache.clone();
    let (first, second) = (tag(1), tag(1));
    cache
        .transaction(&mut conn, |conn| {
            first.save(conn, &cache)?;
            // A versionless conflict is impossible here; provoke a refused statement instead,
            // inside a savepoint so that the outer transaction survives it.
            let failed = cache.transaction(conn, |conn| {
                User::create(
                    conn,
                    &cache,
                    &NewUser {
                        email: "x".into(),
                        name: "x".into(),
                    },
                )?;
                User::create(
                    conn,
                    &cache,
                    &NewUser {
                        email: "x".into(),
                        name: "x".into(),
                    },
                )
            });
            assert!(failed.is_err());
            second.save(conn, &cache)?;
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(
        tc.raw(&format!("tag:{}", first.name)),
        None,
        "a tainted commit publishes deletions"
    );
    assert_eq!(
        Tag::find(&mut conn, &cache, &first.name).unwrap(),
        Some(first)
    );
    assert_eq!(
        Tag::find(&mut conn, &cache, &second.name).unwrap(),
        Some(second)
    );
}
