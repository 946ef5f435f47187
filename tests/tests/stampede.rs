//! Concurrent finds of one cold key in one process cause one database load.
//!
//! Its own test binary: it opens 64 PostgreSQL connections, more than the other suites should
//! compete with.

use std::sync::{Arc, Barrier};
use write_through::blocking::{ModelOps as _, SaveOps as _};

use diesel::prelude::*;
use write_through_tests::models::Tag;
use write_through_tests::queries::QueryCount;
use write_through_tests::{TestCache, postgres, unique};

#[test]
fn sixty_four_concurrent_finds_of_a_cold_key_cause_one_database_query() {
    const READERS: usize = 64;
    let (Some(mut setup), Some(tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let row = Tag {
        name: format!("cold-{}", unique()),
        uses: 64,
    };
    diesel::insert_into(write_through_tests::schema::wt_tags::table)
        .values(&row)
        .execute(&mut setup)
        .unwrap();

    let queries = QueryCount::default();
    let mut connections: Vec<_> = (0..READERS)
        .map(|_| postgres().expect("PostgreSQL"))
        .collect();
    for conn in &mut connections {
        queries.install(conn);
    }
    let start = Arc::new(Barrier::new(READERS));
    let found: Vec<Option<Tag>> = std::thread::scope(|scope| {
        let readers: Vec<_> = connections
            .iter_mut()
            .map(|conn| {
                let (start, cache, name) = (start.clone(), &tc.cache, &row.name);
                scope.spawn(move || {
                    start.wait();
                    Tag::find(conn, cache, name).unwrap()
                })
            })
            .collect();
        readers.into_iter().map(|r| r.join().unwrap()).collect()
    });

    assert!(
        found.iter().all(|f| f.as_ref() == Some(&row)),
        "every reader got the row"
    );
    assert_eq!(queries.get(), 1, "one database query for {READERS} readers");
    assert_eq!(tc.cache.stats().fills, 1);
}

/// A lease as another process would leave it while it fills the key.
fn foreign_lease() -> Vec<u8> {
    let mut lease = b"WT\x01\x04".to_vec();
    lease.extend_from_slice(b"another-process!");
    lease
}

#[test]
fn a_reader_that_finds_another_process_filling_waits_for_its_value() {
    let (Some(mut conn), Some(mut tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let row = Tag {
        name: format!("filling-{}", unique()),
        uses: 3,
    };
    row.save(&mut conn, &tc.cache).unwrap();
    let key = format!("tag:{}", row.name);
    let filled = tc.raw(&key).unwrap();
    tc.put_raw(&key, &foreign_lease());

    let queries = QueryCount::default();
    queries.install(&mut conn);
    let mut filler = write_through_tests::any_redis_connection().unwrap();
    let full_key = tc.key(&key);
    let other_process = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(15));
        redis::cmd("SET")
            .arg(full_key)
            .arg(filled)
            .query::<()>(&mut *filler)
            .unwrap();
    });
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &row.name).unwrap(),
        Some(row)
    );
    other_process.join().unwrap();
    assert_eq!(queries.get(), 0, "answered by the other process's fill");
}

#[test]
fn a_reader_does_not_wait_long_for_a_fill_that_never_comes() {
    let (Some(mut conn), Some(mut tc)) = (postgres(), TestCache::new()) else {
        return;
    };
    let row = Tag {
        name: format!("abandoned-{}", unique()),
        uses: 4,
    };
    row.save(&mut conn, &tc.cache).unwrap();
    let key = format!("tag:{}", row.name);
    tc.put_raw(&key, &foreign_lease());
    let queries = QueryCount::default();
    queries.install(&mut conn);
    assert_eq!(
        Tag::find(&mut conn, &tc.cache, &row.name).unwrap(),
        Some(row)
    );
    assert_eq!(queries.get(), 1, "read from the database after the wait");
    assert_eq!(
        tc.raw(&key),
        Some(foreign_lease()),
        "and left the other's lease alone"
    );
}
