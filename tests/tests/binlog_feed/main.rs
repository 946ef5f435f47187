//! The change feed on a private MariaDB with its binlog on: every committed change, whoever
//! wrote it, retires what it changed; `catch_up` makes a bypassing write as strong as `save`.
//! Each test starts a server of its own (the binlog and its positions are per server).

mod bypassing_writes;
mod consumers;
mod own_writes;
mod schema_changes;
mod server_events;

use std::time::Duration;

use diesel::prelude::*;
use write_through::feed::{BinlogFeed, FeedHandle};
use write_through::prelude::*;
use write_through_tests::private_mariadb::PrivateMariaDb;
use write_through_tests::services::TestCache;

diesel::table! {
    wt_bl_users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

diesel::table! {
    wt_bl_posts (id) {
        id -> BigInt,
        user_id -> BigInt,
        title -> Text,
    }
}

/// A user, looked up by key and by email; "no such user" is cached too, so that a row a
/// bypassing write creates must retire a cached absence.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_bl_users)]
#[write_through(key = "bl_user:{id}", ttl = "1h", negative_ttl = "1h")]
pub struct BinlogUser {
    pub id: i64,
    #[write_through(unique)]
    pub email: String,
    pub name: String,
}

/// A user's post, deleted with its user (`ON DELETE CASCADE`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_bl_posts)]
#[write_through(key = "bl_post:{id}", ttl = "1h", collection(by = user_id))]
pub struct BinlogPost {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
}

diesel::table! {
    wt_bl_accounts (id) {
        id -> BigInt,
        user_id -> BigInt,
        avatar -> Nullable<Text>,
    }
}

diesel::joinable!(wt_bl_accounts -> wt_bl_users (user_id));
diesel::allow_tables_to_appear_in_same_query!(wt_bl_users, wt_bl_accounts);

/// A user read through a join with their account: a change of the account retires the user's
/// row.
#[derive(Debug, Clone, PartialEq, HasQuery, Identifiable, WriteThrough)]
#[diesel(
    table_name = wt_bl_users,
    base_query = wt_bl_users::table.left_join(wt_bl_accounts::table),
)]
#[write_through(
    key = "bl_user_avatar:{id}",
    ttl = "1h",
    retired_by(wt_bl_accounts::user_id)
)]
pub struct BinlogUserWithAvatar {
    pub id: i64,
    pub name: String,
    #[diesel(select_expression = wt_bl_accounts::avatar.nullable())]
    pub avatar: Option<String>,
}

const DDL: &[&str] = &[
    "CREATE TABLE wt_bl_users (id BIGINT PRIMARY KEY, email VARCHAR(191) NOT NULL UNIQUE, name TEXT NOT NULL) ENGINE=InnoDB",
    "CREATE TABLE wt_bl_posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, title TEXT NOT NULL,
        FOREIGN KEY (user_id) REFERENCES wt_bl_users (id) ON DELETE CASCADE) ENGINE=InnoDB",
    "CREATE TABLE wt_bl_accounts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, avatar TEXT,
        FOREIGN KEY (user_id) REFERENCES wt_bl_users (id) ON DELETE CASCADE) ENGINE=InnoDB",
];

/// A tokio runtime for the async front's specs (the feed's task and the test share it).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A test's world: its own MariaDB, a connection to it, a cache with a namespace of its own.
pub struct World {
    pub server: PrivateMariaDb,
    pub conn: MysqlConnection,
    pub test: TestCache,
}

impl World {
    /// `None` when a server or Redis is missing outside CI (reported as skipped).
    pub fn new() -> Option<Self> {
        let server = PrivateMariaDb::start()?;
        let mut conn =
            MysqlConnection::establish(&server.url()).expect("connect to the private MariaDB");
        for ddl in DDL {
            diesel::sql_query(*ddl).execute(&mut conn).expect(ddl);
        }
        let test = TestCache::new()?;
        Some(Self { server, conn, test })
    }

    pub fn cache(&self) -> &Cache {
        &self.test.cache
    }

    /// The feed's settings for this world: both models, short waits.
    pub fn feed(&self) -> BinlogFeed {
        BinlogFeed::mariadb()
            .model::<BinlogUser>()
            .model::<BinlogPost>()
            .model::<BinlogUserWithAvatar>()
            .poll_interval(Duration::from_millis(5))
            .standby_retry(Duration::from_millis(50))
            .retry_interval(Duration::from_millis(50))
    }

    /// Starts `feed` on a thread, reading this world's server.
    pub fn start(&self, feed: BinlogFeed) -> FeedHandle {
        feed.start(self.cache(), &self.server.url())
            .expect("start the binlog feed")
    }

    /// Runs SQL as a service that does not use the library would.
    pub fn sql(&mut self, sql: &str) {
        diesel::connection::SimpleConnection::batch_execute(&mut self.conn, sql).expect(sql);
    }

    /// Waits for the feed to apply everything committed so far.
    pub fn catch_up(&mut self) {
        self.test
            .cache
            .catch_up(&mut self.conn, Duration::from_secs(10))
            .unwrap_or_else(|error| {
                let listening = std::process::Command::new("ss")
                    .arg("-ltnp")
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                    .unwrap_or_default();
                panic!(
                    "the feed catches up ({}): {error}\nLOG:\n{}\nSS:\n{listening}",
                    self.server.url(),
                    self.server.log_tail()
                )
            });
    }

    pub fn find_user(&mut self, id: i64) -> Option<BinlogUser> {
        BinlogUser::find(&mut self.conn, &self.test.cache, &id).expect("find")
    }

    /// A user's posts, by `find_all_by_user_id`, in key order.
    pub fn posts_of(&mut self, user: i64) -> Vec<i64> {
        BinlogPost::find_all_by_user_id(&mut self.conn, &self.test.cache, &user)
            .expect("list")
            .iter()
            .map(|post| post.id)
            .collect()
    }

    pub fn find_post(&mut self, id: i64) -> Option<BinlogPost> {
        BinlogPost::find(&mut self.conn, &self.test.cache, &id).expect("find")
    }

    /// Saves a user through the library (cached), then reads it (served from Redis).
    pub fn cached_user(&mut self, id: i64, name: &str) -> BinlogUser {
        let user = BinlogUser {
            id,
            email: format!("user{id}@example.com"),
            name: name.to_owned(),
        };
        user.save(&mut self.conn, &self.test.cache).expect("save");
        assert_eq!(self.find_user(id), Some(user.clone()));
        user
    }

    /// Whether Redis holds anything under the user's key.
    pub fn user_is_cached(&mut self, id: i64) -> bool {
        self.test.raw(&format!("bl_user:{id}")).is_some()
    }
}
