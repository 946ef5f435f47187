//! The connections services use: the async front on tokio (spawned tasks, deadpool, bb8,
//! nothing blocking an executor) and Diesel's r2d2 pool.

mod async_front;
mod pool_reads;
mod pool_writes;
mod pooled;
mod shared_connection;

use write_through::Cache;
use write_through_tests::TestCache;

/// Runs `test` on a current-thread runtime with the suites' PostgreSQL URL and a cache of its
/// own; skipped, saying so, when a server is missing outside CI.
fn on_postgres(test: impl AsyncFnOnce(String, Cache)) {
    let (Some(_), Some(tc)) = (write_through_tests::postgres(), TestCache::new()) else {
        return;
    };
    let url = write_through_tests::services::postgres_url();
    write_through_tests::fronts::runtime().block_on(test(url, tc.cache.clone()));
}
