//! Where the databases differ: MySQL's upsert, auto-increment ids and collations, PostgreSQL's
//! multi-row inserts. Each test states the behaviour the library guarantees on that backend.

use diesel::prelude::*;
use write_through::blocking::{ModelOps as _, SaveOps as _, TransactionOps as _};
use write_through::{Error, UsageError};
use write_through_tests::models::{Document, NewUser, Tag, User};
use write_through_tests::schema::{wt_documents, wt_users};
use write_through_tests::{TestCache, mysql, postgres, unique};

#[test]
fn a_save_that_clashes_with_another_rows_unique_key_is_refused_on_mysql() {
    let (Some(mut conn), Some(tc)) = (mysql(), TestCache::new()) else {
        return;
    };
    let cache = &tc.cache;
    let email = format!("dup-{}@example.test", unique());
    let owner = User::create(
        &mut conn,
        cache,
        &NewUser {
            email: email.clone(),
            name: "owner".into(),
        },
    )
    .unwrap();
    let intruder = User {
        id: owner.id + 1_000_000,
        email,
        name: "intruder".into(),
    };
    let error = intruder.save(&mut conn, cache).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        ),
        "{error:?}"
    );
    let stored: User = wt_users::table.find(owner.id).first(&mut conn).unwrap();
    assert_eq!(stored, owner, "the other row is untouched");
    assert_eq!(
        User::find(&mut conn, cache, &owner.id).unwrap(),
        Some(owner)
    );
}

#[test]
fn a_key_found_under_another_spelling_is_never_cached_on_mysql() {
    let (Some(mut conn), Some(mut tc)) = (mysql(), TestCache::new()) else {
        return;
    };
    let name = format!("case-{}", unique());
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut conn, &tc.cache)
    .unwrap();
    let upper = name.to_uppercase();
    // MariaDB's default collation is case-insensitive: "CASE-..." finds "case-...".
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &upper)
            .unwrap()
            .map(|t| t.uses),
        Some(1)
    );
    assert_eq!(
        tc.raw(&format!("tag:{upper}")),
        None,
        "the alias is not filled"
    );
    Tag {
        name: name.clone(),
        uses: 2,
    }
    .save(&mut conn, &tc.cache)
    .unwrap();
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &upper)
            .unwrap()
            .map(|t| t.uses),
        Some(2)
    );
    let batch = Tag::find_many(&mut conn, &tc.cache, [&upper, &name]).unwrap();
    assert_eq!(
        batch
            .iter()
            .map(|t| t.as_ref().map(|t| t.uses))
            .collect::<Vec<_>>(),
        vec![Some(2), Some(2)]
    );
}

#[test]
fn a_save_under_another_spelling_invalidates_the_stored_key_on_mysql() {
    let (Some(mut conn), Some(mut tc)) = (mysql(), TestCache::new()) else {
        return;
    };
    let name = format!("spell-{}", unique());
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut conn, &tc.cache)
    .unwrap();
    Tag {
        name: name.to_uppercase(),
        uses: 2,
    }
    .save(&mut conn, &tc.cache)
    .unwrap();
    assert_eq!(tc.raw(&format!("tag:{}", name.to_uppercase())), None);
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &name)
            .unwrap()
            .map(|t| t.uses),
        Some(2)
    );
}

#[test]
fn a_versioned_insert_keeps_strict_mode_errors_on_mysql() {
    let (Some(mut conn), Some(tc)) = (mysql(), TestCache::new()) else {
        return;
    };
    let mut doc = Document {
        id: unique() as i64,
        title: "x".repeat(70_000),
        version: 0,
    };
    let error = doc.save(&mut conn, &tc.cache).unwrap_err();
    assert!(
        matches!(error, Error::Database(_)),
        "not truncated in silence: {error:?}"
    );
    let stored = wt_documents::table
        .find(doc.id)
        .count()
        .get_result::<i64>(&mut conn)
        .unwrap();
    assert_eq!(stored, 0);
}

#[test]
fn create_with_a_caller_chosen_key_is_refused_on_mysql() {
    let (Some(mut conn), Some(tc)) = (mysql(), TestCache::new()) else {
        return;
    };
    let first = User::create(
        &mut conn,
        &tc.cache,
        &NewUser {
            email: format!("e1-{}@x", unique()),
            name: "first".into(),
        },
    )
    .unwrap();
    let chosen = User {
        id: first.id + 5_000_000,
        email: format!("e2-{}@x", unique()),
        name: "chosen".into(),
    };
    let error = User::create(&mut conn, &tc.cache, &chosen).unwrap_err();
    assert!(
        matches!(
            error,
            Error::Usage(UsageError::CreateNeedsAutoIncrementKey { .. })
        ),
        "{error:?}"
    );
    let inserted = wt_users::table
        .find(chosen.id)
        .count()
        .get_result::<i64>(&mut conn)
        .unwrap();
    assert_eq!(inserted, 0, "rolled back");
}

#[test]
fn create_inserts_exactly_one_row() {
    let (Some(mut conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let (a, b) = (format!("ba-{}", unique()), format!("bb-{}", unique()));
    let error = Tag::create(
        &mut conn,
        &tc.cache,
        vec![
            Tag {
                name: a.clone(),
                uses: 1,
            },
            Tag {
                name: b.clone(),
                uses: 2,
            },
        ],
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Usage(UsageError::CreateInsertsOneRow { rows: 2, .. })
        ),
        "{error:?}"
    );
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &a).unwrap(),
        None,
        "rolled back"
    );
}

#[test]
fn a_save_under_another_spelling_inside_a_transaction_locks_the_stored_key_on_mysql() {
    let (Some(mut conn), Some(mut reader), Some(mut tc)) = (mysql(), mysql(), TestCache::new())
    else {
        return;
    };
    let name = format!("txspell-{}", unique());
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut conn, &tc.cache)
    .unwrap();
    let cache = tc.cache.clone();
    cache
        .transaction(&mut conn, |conn| {
            Tag {
                name: name.to_uppercase(),
                uses: 2,
            }
            .save(conn, &cache)?;
            // Before the commit, a reader elsewhere must not fill the stored key with uses 1.
            assert_eq!(
                Tag::find(&mut reader, &cache, &name)
                    .unwrap()
                    .map(|t| t.uses),
                Some(1)
            );
            Ok::<_, Error>(())
        })
        .unwrap();
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &name)
            .unwrap()
            .map(|t| t.uses),
        Some(2)
    );
    let _ = tc.keys();
}

#[test]
fn a_batch_with_both_spellings_of_a_key_answers_both_and_caches_no_absence_on_mysql() {
    let (Some(mut conn), Some(mut tc)) = (mysql(), TestCache::new()) else {
        return;
    };
    let name = format!("both-{}", unique());
    Tag {
        name: name.clone(),
        uses: 1,
    }
    .save(&mut conn, &tc.cache)
    .unwrap();
    tc.cache.invalidate::<Tag>(&name).unwrap();
    let upper = name.to_uppercase();
    let found = Tag::find_many(&mut conn, &tc.cache, [&name, &upper]).unwrap();
    assert_eq!(
        found
            .iter()
            .map(|t| t.as_ref().map(|t| t.uses))
            .collect::<Vec<_>>(),
        vec![Some(1), Some(1)]
    );
    assert_eq!(
        tc.raw(&format!("tag:{upper}")),
        None,
        "no absence cached for the alias"
    );
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &upper)
            .unwrap()
            .map(|t| t.uses),
        Some(1)
    );
}
