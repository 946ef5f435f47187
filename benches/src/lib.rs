//! What the benchmarks share: the model, connections, and the hand-written baselines that the
//! library is measured against, written here as a careful engineer would write them by hand.

pub mod feed_lag;
pub mod rows;

use diesel::connection::{LoadConnection, SimpleConnection};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    wt_bench_users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

diesel::table! {
    wt_bench_members (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

diesel::table! {
    wt_bench_comments (id) {
        id -> BigInt,
        post_id -> BigInt,
        rank -> Integer,
        body -> Text,
    }
}

/// A post's comment, the post's comments a cached collection (highest rank first).
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_bench_comments)]
#[write_through(key = "comment:{id}", ttl = "1h", collection(by = post_id, order_by = rank.desc()))]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub rank: i32,
    pub body: String,
}

/// [`Comment`]'s row under a model without the collection: what the collection adds to a
/// `save` is the difference.
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_bench_comments)]
#[write_through(key = "comment_alone:{id}", ttl = "1h")]
pub struct CommentAlone {
    pub id: i64,
    pub post_id: i64,
    pub rank: i32,
    pub body: String,
}

/// PostgreSQL with the comments' table (created if missing; the caller drops it).
pub fn postgres_with_comments() -> PgConnection {
    let url = std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut conn = PgConnection::establish(&url).expect("PostgreSQL for the benchmarks");
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS wt_bench_comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL, rank INTEGER NOT NULL, body TEXT NOT NULL);
         CREATE INDEX IF NOT EXISTS wt_bench_comments_post ON wt_bench_comments (post_id, rank)",
    )
    .expect("bench table");
    conn
}

/// The row of [`User`] with a unique index on its email (`find_by_email`).
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
#[diesel(table_name = wt_bench_members)]
#[write_through(key = "member:{id}", ttl = "1h")]
pub struct Member {
    pub id: i64,
    #[write_through(unique)]
    pub email: String,
    pub name: String,
}

impl Member {
    pub fn sample(id: i64) -> Self {
        Member {
            id,
            email: format!("member{id}@example.com"),
            name: format!("Member number {id}"),
        }
    }
}

/// A typical small row.
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
#[diesel(table_name = wt_bench_users)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

impl User {
    pub fn sample(id: i64) -> Self {
        User {
            id,
            email: format!("user{id}@example.com"),
            name: format!("User number {id}"),
        }
    }
}

/// [`User`]'s row under a model whose writes retire another model's row (here the [`Member`]
/// with its id: one more key retired after each write), to measure what `retires(...)` costs a
/// `save`: the row it replaces read `FOR UPDATE` in a transaction of the library's own.
#[derive(
    Queryable, Selectable, Insertable, AsChangeset, Identifiable, WriteThrough, Debug, Clone,
)]
#[diesel(table_name = wt_bench_users)]
#[write_through(key = "user_retiring:{id}", ttl = "1h", retires(Member, foreign_key = id))]
pub struct UserRetiring {
    pub id: i64,
    pub email: String,
    pub name: String,
}

impl From<&User> for UserRetiring {
    fn from(user: &User) -> Self {
        UserRetiring {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
        }
    }
}

/// PostgreSQL at `DATABASE_URL_PG` (default the local one), with the bench table.
pub fn postgres() -> PgConnection {
    let url = std::env::var("DATABASE_URL_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut conn = PgConnection::establish(&url).expect("PostgreSQL for the benchmarks");
    conn.batch_execute("CREATE TABLE IF NOT EXISTS wt_bench_users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL)")
        .expect("bench table");
    conn.batch_execute("CREATE TABLE IF NOT EXISTS wt_bench_members (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL)")
        .expect("bench table");
    conn
}

/// SQLite in a temporary file, with the bench table.
pub fn sqlite() -> (SqliteConnection, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("SQLite");
    conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE IF NOT EXISTS wt_bench_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL)")
        .expect("bench table");
    (conn, dir)
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// The hand-written pattern, as a careful engineer writes it: one redis-rs connection, bincode
/// by hand, keys `hand:user:{id}`.
pub struct HandWritten {
    pub redis: redis::Connection,
    lock: redis::Script,
    publish: redis::Script,
}

impl HandWritten {
    pub fn new() -> Self {
        let redis = redis::Client::open(redis_url())
            .and_then(|c| c.get_connection())
            .expect("Redis");
        // The same two scripts a hand-written lock-then-publish needs.
        let lock =
            redis::Script::new("redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1");
        let publish = redis::Script::new(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end redis.call('DEL', KEYS[1]) return 0",
        );
        Self {
            redis,
            lock,
            publish,
        }
    }

    pub fn key(id: i64) -> String {
        format!("hand:user:{id}")
    }

    fn encode(user: &User) -> Vec<u8> {
        bincode::serde::encode_to_vec(user, bincode::config::standard()).expect("encode")
    }

    /// `GET`, decode; on a miss load and `SET`.
    pub fn find<C>(&mut self, conn: &mut C, id: i64) -> Option<User>
    where
        C: Connection + LoadConnection,
        User: write_through::DieselOps<C::Backend>,
    {
        let key = Self::key(id);
        let cached: Option<Vec<u8>> = redis::cmd("GET")
            .arg(&key)
            .query(&mut self.redis)
            .expect("GET");
        let decoded = cached.and_then(|bytes| {
            bincode::serde::decode_from_slice::<User, _>(&bytes, bincode::config::standard()).ok()
        });
        if let Some((user, _)) = decoded {
            return Some(user);
        }
        let user = <User as write_through::DieselOps<C::Backend>>::load(conn, &id).expect("select");
        if let Some(user) = &user {
            redis::cmd("SET")
                .arg(&key)
                .arg(Self::encode(user))
                .arg("PX")
                .arg(3_600_000)
                .query::<()>(&mut self.redis)
                .expect("SET");
        }
        user
    }

    /// The naive write: upsert, then `SET`.
    pub fn save_naive<C>(&mut self, conn: &mut C, user: &User)
    where
        C: Connection + LoadConnection,
        User: write_through::DieselOps<C::Backend>,
    {
        <User as write_through::DieselOps<C::Backend>>::upsert(user, conn).expect("upsert");
        redis::cmd("SET")
            .arg(Self::key(user.id))
            .arg(Self::encode(user))
            .arg("PX")
            .arg(3_600_000)
            .query::<()>(&mut self.redis)
            .expect("SET");
    }

    /// The same round trips as the library's save: lock script, upsert, publish script.
    pub fn save_locked<C>(&mut self, conn: &mut C, user: &User)
    where
        C: Connection + LoadConnection,
        User: write_through::DieselOps<C::Backend>,
    {
        let key = Self::key(user.id);
        let token = b"hand-written-lock";
        self.lock
            .key(&key)
            .arg(token)
            .arg(10_000)
            .invoke::<i64>(&mut self.redis)
            .expect("lock");
        let stored =
            <User as write_through::DieselOps<C::Backend>>::upsert(user, conn).expect("upsert");
        let value = Self::encode(stored.as_ref().unwrap_or(user));
        self.publish
            .key(&key)
            .arg(token)
            .arg(value)
            .arg(3_600_000)
            .invoke::<i64>(&mut self.redis)
            .expect("publish");
    }

    /// Delete, then `DEL`.
    pub fn delete<C>(&mut self, conn: &mut C, id: i64)
    where
        C: Connection + LoadConnection,
        User: write_through::DieselOps<C::Backend>,
    {
        <User as write_through::DieselOps<C::Backend>>::remove(conn, &id).expect("delete");
        redis::cmd("DEL")
            .arg(Self::key(id))
            .query::<()>(&mut self.redis)
            .expect("DEL");
    }

    /// Removes every key of the hand-written baseline.
    pub fn clean(&mut self, ids: impl IntoIterator<Item = i64>) {
        for id in ids {
            let _: () = redis::cmd("DEL")
                .arg(Self::key(id))
                .query(&mut self.redis)
                .expect("DEL");
        }
    }
}

impl Default for HandWritten {
    fn default() -> Self {
        Self::new()
    }
}
