//! The quickstart: a write, a cache hit, a miss filled from the database, and the TTL.
//!
//! ```text
//! cargo run --bin quickstart
//! ```
//!
//! Uses SQLite in a temporary file (compiled in: no system library needed) unless
//! `DATABASE_URL` names PostgreSQL (`postgres://...`, build with `--features postgres`) or
//! MySQL/MariaDB (`mysql://...`, `--features mysql`). Uses the Redis at `REDIS_URL` (default
//! `redis://127.0.0.1:6379`); when nothing answers there and `redis-server` is on `PATH`, it
//! starts a private one on a free port and stops it at exit.

use std::process::ExitCode;

use diesel::connection::LoadConnection;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;
use write_through::{DieselCreate, DieselOps};

mod redis_server;
use redis_server::Redis;

diesel::table! {
    quickstart_users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = quickstart_users)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(table_name = quickstart_users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
}

fn main() -> ExitCode {
    let redis = match Redis::find_or_start() {
        Ok(redis) => redis,
        Err(message) => return fail(&message),
    };
    let cache = match Cache::builder(&redis.url).namespace("quickstart").build() {
        Ok(cache) => cache,
        Err(error) => return fail(&format!("cannot configure the cache: {error}")),
    };
    let result = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => postgres(&url, &cache, &redis),
        Ok(url) if url.starts_with("mysql") => mysql(&url, &cache, &redis),
        Ok(url) => Err(format!(
            "DATABASE_URL must start with postgres:// or mysql:// (unset it for SQLite), got a {}-character value",
            url.len()
        )),
        Err(_) => {
            let dir = tempfile::tempdir().map_err(|e| e.to_string());
            dir.and_then(|dir| {
                let path = dir.path().join("quickstart.sqlite");
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(|e| format!("cannot open SQLite: {e}"))?;
                run(
                    &mut conn,
                    &cache,
                    &redis,
                    "SQLite (temporary file)",
                    "id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, name TEXT NOT NULL",
                )
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

#[cfg(feature = "postgres")]
fn postgres(url: &str, cache: &Cache, redis: &Redis) -> Result<(), String> {
    let mut conn =
        PgConnection::establish(url).map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
    run(
        &mut conn,
        cache,
        redis,
        "PostgreSQL",
        "id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL",
    )
}

#[cfg(not(feature = "postgres"))]
fn postgres(_: &str, _: &Cache, _: &Redis) -> Result<(), String> {
    Err(without_backend("PostgreSQL", "postgres", "libpq-dev"))
}

#[cfg(feature = "mysql")]
fn mysql(url: &str, cache: &Cache, redis: &Redis) -> Result<(), String> {
    let mut conn =
        MysqlConnection::establish(url).map_err(|e| format!("cannot connect to MySQL: {e}"))?;
    run(
        &mut conn,
        cache,
        redis,
        "MySQL",
        "id BIGINT AUTO_INCREMENT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL",
    )
}

#[cfg(not(feature = "mysql"))]
fn mysql(_: &str, _: &Cache, _: &Redis) -> Result<(), String> {
    Err(without_backend(
        "MySQL/MariaDB",
        "mysql",
        "libmariadb-dev and libmariadb-dev-compat",
    ))
}

/// Why a backend is missing and how to get it: the default build is SQLite alone, so that it
/// links no database client library.
#[allow(dead_code)] // unused when both backends are compiled in
fn without_backend(backend: &str, feature: &str, package: &str) -> String {
    format!(
        "DATABASE_URL names {backend}, but this build has SQLite only.\n\
         Run `cargo run --bin quickstart --features {feature}`; it links {backend}'s client \
         library ({package} on Debian and Ubuntu)."
    )
}

fn run<C>(
    conn: &mut C,
    cache: &Cache,
    redis: &Redis,
    backend: &str,
    columns: &str,
) -> Result<(), String>
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, NewUser<'a>>,
{
    println!(
        "database: {backend}; cache namespace: {}",
        cache.namespace()
    );
    conn.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS quickstart_users ({columns})"
    ))
    .map_err(|e| format!("cannot create the table: {e}"))?;
    let e = |error: Error| error.to_string();

    // 1. A write: the database commits first, then the row is published to Redis.
    let mut ada = User::create(
        conn,
        cache,
        NewUser {
            email: "ada@example.com",
            name: "Ada",
        },
    )
    .map_err(e)?;
    println!("created  {ada:?}");
    ada.name = "Ada Lovelace".into();
    ada.save(conn, cache).map_err(e)?;
    println!("saved    {ada:?}");

    // 2. A hit: served by Redis without touching the database.
    let before = cache.stats();
    let hit = User::find(conn, cache, &ada.id).map_err(e)?;
    println!(
        "found    {hit:?} (cache hits: {} -> {})",
        before.hits,
        cache.stats().hits
    );

    // 3. A miss: after an invalidation the row comes from the database and refills the cache.
    cache
        .invalidate::<User>(&ada.id)
        .map_err(|error| error.to_string())?;
    let refilled = User::find(conn, cache, &ada.id).map_err(e)?;
    let stats = cache.stats();
    println!(
        "refilled {refilled:?} (misses: {}, fills: {})",
        stats.misses, stats.fills
    );

    // 4. The key and its TTL, fixed at compile time by #[write_through(key, ttl)].
    let key = cache.key::<User>(&ada.id);
    let pttl = remaining_ttl(&redis.url, &key)?;
    println!(
        "key      {} expires in {:.0} s",
        String::from_utf8_lossy(&key),
        pttl as f64 / 1000.0
    );

    let deleted = User::delete(conn, cache, &ada.id).map_err(e)?;
    println!(
        "deleted  {deleted}; find now gives {:?}",
        User::find(conn, cache, &ada.id).map_err(e)?
    );
    Ok(())
}

/// Asks Redis directly, to show that the key really carries the TTL.
fn remaining_ttl(url: &str, key: &[u8]) -> Result<i64, String> {
    let mut conn = redis::Client::open(url)
        .and_then(|client| client.get_connection())
        .map_err(|e| e.to_string())?;
    redis::cmd("PTTL")
        .arg(key)
        .query(&mut conn)
        .map_err(|e| e.to_string())
}

fn fail(message: &str) -> ExitCode {
    eprintln!("quickstart: {message}");
    ExitCode::FAILURE
}
