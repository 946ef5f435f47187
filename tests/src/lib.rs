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
pub mod pools;
pub mod private_cluster;
pub mod private_mariadb;
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

/// Runs specifications written once on both fronts (and any other variant): for each module
/// `name: |spec| run`, a module `name` with one test per specification, whose body binds the
/// specification (`super::spec`) to `spec` and evaluates `run`, written as from inside that
/// module. The list of specifications comes first, in brackets.
///
/// ```ignore
/// on_both_fronts!(
///     [a_fill_cannot_overwrite_a_write, a_rollback_changes_nothing],
///     blocking: |race| race(super::BLOCKING),
///     asynch: |race| race(super::ASYNC),
/// );
/// ```
#[macro_export]
macro_rules! on_both_fronts {
    (@module $module:ident, |$spec_var:ident| $run:expr, [$($spec:ident),* $(,)?]) => {
        mod $module {
            $(
                #[test]
                fn $spec() {
                    let $spec_var = super::$spec;
                    $run
                }
            )*
        }
    };
    ($specs:tt, $($module:ident: |$spec_var:ident| $run:expr),+ $(,)?) => {
        $( $crate::on_both_fronts!(@module $module, |$spec_var| $run, $specs); )+
    };
}
