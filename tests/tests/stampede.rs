//! Concurrent finds of one cold key in one process cause one database load.
//!
//! Its own test binary: it opens 64 PostgreSQL connections, more than the other suites should
//! compete with.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use write_through_tests::models::Tag;
use write_through_tests::{TestCache, postgres, unique};

/// Counts the queries a connection starts.
struct QueryCounter(Arc<AtomicUsize>);

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

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

    let queries = Arc::new(AtomicUsize::new(0));
    let mut connections: Vec<_> = (0..READERS)
        .map(|_| postgres().expect("PostgreSQL"))
        .collect();
    for conn in &mut connections {
        conn.set_instrumentation(QueryCounter(queries.clone()));
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
    assert_eq!(
        queries.load(Ordering::Relaxed),
        1,
        "one database query for {READERS} readers"
    );
    assert_eq!(tc.cache.stats().fills, 1);
}
