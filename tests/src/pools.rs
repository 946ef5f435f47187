//! diesel-async's pools for the suites that read and write through `write_through::Pooled`:
//! deadpool and bb8 of `AsyncPgConnection`.

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;

/// diesel-async's deadpool pool of PostgreSQL connections.
pub type Deadpool = diesel_async::pooled_connection::deadpool::Pool<AsyncPgConnection>;
/// diesel-async's bb8 pool of PostgreSQL connections.
pub type Bb8 = diesel_async::pooled_connection::bb8::Pool<AsyncPgConnection>;

/// A deadpool pool of `size` connections to `url` (no wait timeout: a checkout waits).
pub fn deadpool(url: &str, size: usize) -> Deadpool {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Deadpool::builder(manager)
        .max_size(size)
        .build()
        .expect("a deadpool pool")
}

/// A bb8 pool of `size` connections to `url`, whose checkouts give up after `timeout`.
pub async fn bb8(url: &str, size: u32, timeout: Duration) -> Bb8 {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Bb8::builder()
        .max_size(size)
        .connection_timeout(timeout)
        .test_on_check_out(true)
        .build(manager)
        .await
        .expect("a bb8 pool")
}
