//! Connections from Diesel's r2d2 pool work like plain ones, and one `Cache` serves many threads.

use diesel::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through_tests::models::{Membership, Tag};
use write_through_tests::{TestCache, unique, unique_i32};

fn pool() -> Option<Pool<ConnectionManager<PgConnection>>> {
    // Creates the tables (and reports a missing server) through the plain helper first.
    write_through_tests::postgres()?;
    let url = std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    Some(
        Pool::builder()
            .max_size(4)
            .build(ConnectionManager::new(url))
            .expect("pool"),
    )
}

#[test]
fn a_pooled_connection_saves_finds_and_deletes() {
    let (Some(pool), Some(tc)) = (pool(), TestCache::new()) else {
        return;
    };
    let mut conn = pool.get().unwrap();
    let member = Membership {
        org_id: unique_i32(),
        user_id: 1,
        role: "pooled".into(),
    };
    member.save(&mut conn, &tc.cache).unwrap();
    assert_eq!(
        Membership::find(&mut conn, &tc.cache, (&member.org_id, &1)).unwrap(),
        Some(member.clone())
    );
    assert!(Membership::delete(&mut conn, &tc.cache, (&member.org_id, &1)).unwrap());
}

#[test]
fn one_cache_serves_many_threads_each_with_a_pooled_connection() {
    let (Some(pool), Some(tc)) = (pool(), TestCache::new()) else {
        return;
    };
    let prefix = format!("thread-{}", unique());
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let (pool, cache, prefix) = (pool.clone(), tc.cache.clone(), prefix.clone());
            scope.spawn(move || {
                let mut conn = pool.get().unwrap();
                for i in 0..25 {
                    let tag = Tag {
                        name: format!("{prefix}-{thread}-{i}"),
                        uses: i,
                    };
                    tag.save(&mut conn, &cache).unwrap();
                    assert_eq!(
                        Tag::find(&mut conn, &cache, &tag.name).unwrap(),
                        Some(tag.clone())
                    );
                    assert!(Tag::delete(&mut conn, &cache, &tag.name).unwrap());
                }
            });
        }
    });
    let stats = tc.cache.stats();
    // 100 saves publish the row; 100 deletes publish Tag's negative-cache marker.
    assert_eq!(
        (stats.publishes, stats.hits, stats.cache_errors),
        (200, 100, 0),
        "{stats:?}"
    );
}
