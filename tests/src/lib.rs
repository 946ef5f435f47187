//! Test support for the integration suites: connections to the real services on this machine,
//! caches in namespaces of their own that are emptied afterwards, and the models under test.
//!
//! Services are found through `DATABASE_URL_PG`, `DATABASE_URL_MYSQL` and `REDIS_URL`, with the
//! local defaults of this machine. When one cannot be reached, the test says so loudly and is
//! skipped, except under CI (`CI=true`), where it fails.

pub mod column_types;
pub mod fronts;
pub mod history;
pub mod models;
pub mod private_cluster;
pub mod private_postgres;
pub mod private_redis;
pub mod queries;
pub mod schema;
pub mod services;
pub mod skipped;

pub use services::{
    TestCache, any_redis_connection, cache_builder, cluster_urls, mysql, postgres,
    redis_connection, redis_url, sqlite, unique, unique_i32,
};

/// Runs behaviours written once, generic over the Diesel connection, on every backend: for
/// each name, a test `postgres::name`, `mysql::name` and `sqlite::name` calling
/// `super::name(&mut conn, &mut test_cache)`.
#[macro_export]
macro_rules! on_every_backend {
    ($($behaviour:ident),* $(,)?) => {
        mod postgres {
            $(
                #[test]
                fn $behaviour() {
                    let (Some(mut conn), Some(mut tc)) = ($crate::postgres(), $crate::TestCache::new()) else { return };
                    super::$behaviour(&mut conn, &mut tc);
                }
            )*
        }
        mod mysql {
            $(
                #[test]
                fn $behaviour() {
                    let (Some(mut conn), Some(mut tc)) = ($crate::mysql(), $crate::TestCache::new()) else { return };
                    super::$behaviour(&mut conn, &mut tc);
                }
            )*
        }
        mod sqlite {
            $(
                #[test]
                fn $behaviour() {
                    let Some(mut tc) = $crate::TestCache::new() else { return };
                    let (mut conn, _dir) = $crate::sqlite();
                    super::$behaviour(&mut conn, &mut tc);
                }
            )*
        }
    };
}
