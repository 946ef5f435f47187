//! The quickstart: a write, a cache hit, a miss filled from the database, and the TTL.
//!
//! ```text
//! cargo run --bin quickstart
//! ```
//!
//! Uses SQLite in a temporary file unless `DATABASE_URL` names PostgreSQL (`postgres://...`)
//! or MySQL/MariaDB (`mysql://...`), and the Redis at `REDIS_URL` (default
//! `redis://127.0.0.1:6379`).

use std::process::ExitCode;

use diesel::connection::LoadConnection;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;
use write_through::{DieselCreate, DieselOps};

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
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let cache = match Cache::builder(&redis_url).namespace("quickstart").build() {
        Ok(cache) => cache,
        Err(error) => return fail(&format!("cannot configure the cache: {error}")),
    };
    if let Err(error) = cache.ping() {
        return fail(&format!(
            "Redis is not reachable at {} ({error}).\nStart it (redis-server) or point REDIS_URL at one.",
            redact(&redis_url)
        ));
    }
    let result = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => PgConnection::establish(&url)
            .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))
            .and_then(|mut conn| {
                run(
                    &mut conn,
                    &cache,
                    "PostgreSQL",
                    "id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL",
                )
            }),
        Ok(url) if url.starts_with("mysql") => MysqlConnection::establish(&url)
            .map_err(|e| format!("cannot connect to MySQL: {e}"))
            .and_then(|mut conn| {
                run(
                    &mut conn,
                    &cache,
                    "MySQL",
                    "id BIGINT AUTO_INCREMENT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL",
                )
            }),
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

fn run<C>(conn: &mut C, cache: &Cache, backend: &str, columns: &str) -> Result<(), String>
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
    let pttl = remaining_ttl(&key)?;
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
fn remaining_ttl(key: &[u8]) -> Result<i64, String> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let mut conn = redis::Client::open(url.as_str())
        .and_then(|client| client.get_connection())
        .map_err(|e| e.to_string())?;
    redis::cmd("PTTL")
        .arg(key)
        .query(&mut conn)
        .map_err(|e| e.to_string())
}

/// The URL without any password, for the error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("quickstart: {message}");
    ExitCode::FAILURE
}
