//! `find_many`: results in the order of the ids, duplicates and missing rows included, in two
//! Redis round trips and one database query, on every backend.

use diesel::connection::LoadConnection;
use diesel::prelude::*;
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through::{DieselCreate, DieselOps};
use write_through_tests::models::{Membership, NewUser, Tag, User};
use write_through_tests::queries::QueryCount;
use write_through_tests::{TestCache, unique, unique_i32};

fn tags(n: usize) -> Vec<Tag> {
    let run = unique();
    (0..n)
        .map(|i| Tag {
            name: format!("many-{run}-{i}"),
            uses: i as i32,
        })
        .collect()
}

fn results_follow_the_ids_with_duplicates_and_missing_rows<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let rows = tags(3);
    for row in &rows {
        row.save(conn, &tc.cache).unwrap();
    }
    tc.cache.invalidate::<Tag>(&rows[1].name).unwrap(); // one cold, two warm
    let missing = format!("missing-{}", unique());
    let ids = [
        &rows[2].name,
        &missing,
        &rows[0].name,
        &rows[1].name,
        &rows[2].name,
        &rows[1].name,
    ];
    let found = Tag::find_many(conn, &tc.cache, ids).unwrap();
    let expected = vec![
        Some(rows[2].clone()),
        None,
        Some(rows[0].clone()),
        Some(rows[1].clone()),
        Some(rows[2].clone()),
        Some(rows[1].clone()),
    ];
    assert_eq!(found, expected);
    assert!(
        tc.raw(&format!("tag:{}", rows[1].name)).is_some(),
        "the cold row was filled"
    );
    assert_eq!(
        tc.raw(&format!("tag:{missing}")).map(|v| v[3]),
        Some(2),
        "absence cached (negative_ttl)"
    );
}

fn a_cold_batch_costs_one_database_query<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let rows = tags(100);
    for row in &rows {
        row.save(conn, &tc.cache).unwrap();
        tc.cache.invalidate::<Tag>(&row.name).unwrap();
    }
    let queries = QueryCount::on(conn);
    let found = Tag::find_many(conn, &tc.cache, rows.iter().map(|r| &r.name)).unwrap();
    assert_eq!(found, rows.iter().cloned().map(Some).collect::<Vec<_>>());
    assert_eq!(queries.get(), 1, "one WHERE name IN (...) for 100 misses");
    assert_eq!(tc.cache.stats().fills, 100);

    let warm = Tag::find_many(conn, &tc.cache, rows.iter().map(|r| &r.name)).unwrap();
    assert_eq!(warm.len(), 100);
    assert_eq!(queries.get(), 1, "a warm batch touches no database");
}

fn composite_keys_are_found_in_one_query<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Membership: DieselOps<C::Backend>,
{
    let org = unique_i32();
    let members: Vec<Membership> = (1..=5)
        .map(|user_id| Membership {
            org_id: org,
            user_id,
            role: "m".into(),
        })
        .collect();
    for member in &members {
        member.save(conn, &tc.cache).unwrap();
        tc.cache
            .invalidate::<Membership>((&member.org_id, &member.user_id))
            .unwrap();
    }
    let queries = QueryCount::on(conn);
    let ids: Vec<(i32, i32)> = vec![(org, 5), (org, 99), (org, 1)];
    let found = Membership::find_many(conn, &tc.cache, ids.iter().map(|(a, b)| (a, b))).unwrap();
    assert_eq!(
        found,
        vec![Some(members[4].clone()), None, Some(members[0].clone())]
    );
    assert_eq!(queries.get(), 1);
}

fn a_batch_longer_than_a_chunk_is_split_into_chunks<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let n = write_through::blocking::LOAD_MANY_CHUNK + 7;
    let names: Vec<String> = (0..n).map(|i| format!("absent-{}-{i}", unique())).collect();
    let queries = QueryCount::on(conn);
    let found = Tag::find_many(conn, &tc.cache, &names).unwrap();
    assert!(found.iter().all(Option::is_none));
    assert_eq!(found.len(), n);
    assert_eq!(queries.get(), 2);
}

fn inside_a_transaction_a_batch_fills_nothing<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    Tag: DieselOps<C::Backend>,
{
    let rows = tags(2);
    for row in &rows {
        row.save(conn, &tc.cache).unwrap();
        tc.cache.invalidate::<Tag>(&row.name).unwrap();
    }
    let found = conn
        .transaction::<_, diesel::result::Error, _>(|conn| {
            Ok(Tag::find_many(conn, &tc.cache, rows.iter().map(|r| &r.name)).unwrap())
        })
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(tc.keys().is_empty(), "{:?}", tc.keys());
}

fn unusable_bytes_and_leases_with_nothing_to_fill_are_cleared<C>(conn: &mut C, tc: &mut TestCache)
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
{
    let new = NewUser {
        email: format!("batch-{}@example.test", unique()),
        name: "b".into(),
    };
    let user = User::create(conn, &tc.cache, &new).unwrap();
    tc.put_raw(&format!("user:{}", user.id), b"garbage");
    let missing = -(unique() as i64 % 1_000_000) - 1;
    let found = User::find_many(conn, &tc.cache, [&user.id, &missing]).unwrap();
    assert_eq!(found, vec![Some(user), None]);
    assert_eq!(tc.cache.stats().unreadable_values, 1);
    assert!(
        tc.keys().is_empty(),
        "garbage deleted, the lease on the missing row released: {:?}",
        tc.keys()
    );
}

write_through_tests::on_every_backend!(
    unusable_bytes_and_leases_with_nothing_to_fill_are_cleared,
    results_follow_the_ids_with_duplicates_and_missing_rows,
    a_cold_batch_costs_one_database_query,
    composite_keys_are_found_in_one_query,
    a_batch_longer_than_a_chunk_is_split_into_chunks,
    inside_a_transaction_a_batch_fills_nothing,
);
