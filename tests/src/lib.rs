//! Test support for the integration suites: connections to the real services on this machine,
//! caches in namespaces of their own that are emptied afterwards, and the models under test.
//!
//! Services are found through `DATABASE_URL_PG`, `DATABASE_URL_MYSQL` and `REDIS_URL`, with the
//! local defaults of this machine. When one cannot be reached, the test says so loudly and is
//! skipped, except under CI (`CI=true`), where it fails.

pub mod history;
pub mod models;
pub mod private_redis;
pub mod schema;
pub mod services;

pub use services::{
    TestCache, mysql, postgres, redis_connection, redis_url, sqlite, unique, unique_i32,
};
