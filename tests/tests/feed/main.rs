//! The change feed on a private PostgreSQL with `wal_level = logical`: every committed change,
//! whoever wrote it, retires what it changed; `catch_up` makes a bypassing write as strong as
//! `save`. Each test starts a server of its own (slots and publications are per server).

mod bypassing_writes;
mod cluster_start_over;
mod consumers;
mod own_writes;
mod polling;
mod random_history;
mod setup;
mod streaming;

use std::time::Duration;

use diesel::prelude::*;
use write_through::feed::{ChangeFeed, FeedHandle};
use write_through::prelude::*;
use write_through_tests::private_postgres::PrivatePostgres;
use write_through_tests::services::TestCache;

diesel::table! {
    wt_feed_users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

diesel::table! {
    wt_feed_posts (id) {
        id -> BigInt,
        user_id -> BigInt,
        title -> Text,
    }
}

/// A user, looked up by key and by email; "no such user" is cached too, so that a row a
/// bypassing write creates must retire a cached absence.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_feed_users)]
#[write_through(key = "feed_user:{id}", ttl = "1h", negative_ttl = "1h")]
pub struct FeedUser {
    pub id: i64,
    #[write_through(unique)]
    pub email: String,
    pub name: String,
}

/// A user's post, deleted with its user (`ON DELETE CASCADE`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_feed_posts)]
#[write_through(key = "feed_post:{id}", ttl = "1h", collection(by = user_id))]
pub struct FeedPost {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
}

diesel::table! {
    wt_feed_accounts (id) {
        id -> BigInt,
        user_id -> BigInt,
        avatar -> Nullable<Text>,
    }
}

diesel::joinable!(wt_feed_accounts -> wt_feed_users (user_id));
diesel::allow_tables_to_appear_in_same_query!(wt_feed_users, wt_feed_accounts);

/// A user read through a join with their account (as crates.io's `User` joins its GitHub
/// account): a change of the account retires the user's row.
#[derive(Debug, Clone, PartialEq, HasQuery, Identifiable, WriteThrough)]
#[diesel(
    table_name = wt_feed_users,
    base_query = wt_feed_users::table.left_join(wt_feed_accounts::table),
)]
#[write_through(
    key = "feed_user_avatar:{id}",
    ttl = "1h",
    retired_by(wt_feed_accounts::user_id)
)]
pub struct FeedUserWithAvatar {
    pub id: i64,
    pub name: String,
    #[diesel(select_expression = wt_feed_accounts::avatar.nullable())]
    pub avatar: Option<String>,
}

const DDL: &str = "
    CREATE TABLE wt_feed_users (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
    CREATE TABLE wt_feed_accounts (id BIGINT PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES wt_feed_users (id) ON DELETE CASCADE, avatar TEXT);
    -- A deleted account must name its user: the feed refuses the table otherwise.
    ALTER TABLE wt_feed_accounts REPLICA IDENTITY FULL;
    CREATE TABLE wt_feed_posts (id BIGINT PRIMARY KEY,
        user_id BIGINT NOT NULL REFERENCES wt_feed_users (id) ON DELETE CASCADE, title TEXT NOT NULL);
";

/// The settings every test's server runs with.
const LOGICAL: &[&str] = &[
    "wal_level=logical",
    "max_replication_slots=8",
    "max_wal_senders=8",
];

/// A test's world: its own PostgreSQL, a connection to it, a cache with a namespace of its own,
/// and a feed serving both models.
pub struct World {
    pub server: PrivatePostgres,
    pub conn: PgConnection,
    pub test: TestCache,
}

impl World {
    /// `None` when a server or Redis is missing outside CI (reported as skipped).
    pub fn new() -> Option<Self> {
        Self::with_cache(|builder| builder)
    }

    pub fn with_cache(
        configure: impl FnOnce(write_through::CacheBuilder) -> write_through::CacheBuilder,
    ) -> Option<Self> {
        let (server, conn) = Self::database()?;
        let test = TestCache::with(configure)?;
        Some(Self { server, conn, test })
    }

    /// A private PostgreSQL for logical decoding, with the tables, and a connection to it.
    fn database() -> Option<(PrivatePostgres, PgConnection)> {
        let server = PrivatePostgres::start_with(LOGICAL)?;
        let mut conn =
            PgConnection::establish(&server.url()).expect("connect to the private PostgreSQL");
        diesel::connection::SimpleConnection::batch_execute(&mut conn, DDL)
            .expect("create the tables");
        Some((server, conn))
    }

    /// A world whose cache is on `cluster` (a Redis Cluster of the test's own).
    pub fn on_cluster(
        cluster: &write_through_tests::private_cluster::PrivateCluster,
    ) -> Option<Self> {
        let (server, conn) = Self::database()?;
        let urls = cluster.urls();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let cache = Cache::cluster_builder(&urls)
            .namespace(&format!(
                "wt-feed-cluster-{}",
                write_through_tests::unique()
            ))
            .build()
            .expect("a cache on the cluster");
        let redis = redis::cluster::ClusterClient::new(urls)
            .and_then(|client| client.get_connection())
            .expect("a connection to the cluster");
        let test = TestCache {
            cache,
            redis: Box::new(redis),
        };
        Some(Self { server, conn, test })
    }

    pub fn cache(&self) -> &Cache {
        &self.test.cache
    }

    /// The feed's settings for this world: both models, streamed from this world's server, a
    /// short poll.
    pub fn feed(&self) -> ChangeFeed {
        self.polling_feed().streaming(&self.server.url())
    }

    /// The feed's settings, reading the slot by polling (`peek` and `advance`) instead.
    pub fn polling_feed(&self) -> ChangeFeed {
        ChangeFeed::postgres()
            .model::<FeedUser>()
            .model::<FeedPost>()
            .poll_interval(Duration::from_millis(5))
            .standby_retry(Duration::from_millis(50))
            .retry_interval(Duration::from_millis(50))
    }

    /// Starts `feed` on a thread, connecting to this world's server.
    pub fn start(&self, feed: ChangeFeed) -> FeedHandle {
        let url = self.server.url();
        feed.start(self.cache(), move || PgConnection::establish(&url))
            .expect("start the change feed")
    }

    /// Starts `feed` as a tokio task (inside a runtime), connecting to this world's server.
    pub async fn start_async(&self, feed: ChangeFeed) -> FeedHandle {
        let url = self.server.url();
        feed.start_async(self.cache(), move || {
            let url = url.clone();
            async move {
                <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&url)
                    .await
            }
        })
        .await
        .expect("start the feed as a task")
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
            .expect("the feed catches up");
    }

    pub fn find_user(&mut self, id: i64) -> Option<FeedUser> {
        FeedUser::find(&mut self.conn, &self.test.cache, &id).expect("find")
    }

    /// A user's posts, by `find_all_by_user_id`, in key order.
    pub fn posts_of(&mut self, user: i64) -> Vec<i64> {
        FeedPost::find_all_by_user_id(&mut self.conn, &self.test.cache, &user)
            .expect("list")
            .iter()
            .map(|post| post.id)
            .collect()
    }

    pub fn find_post(&mut self, id: i64) -> Option<FeedPost> {
        FeedPost::find(&mut self.conn, &self.test.cache, &id).expect("find")
    }

    /// Saves a user through the library (cached), then reads it (served from Redis).
    pub fn cached_user(&mut self, id: i64, name: &str) -> FeedUser {
        let user = FeedUser {
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
        self.test.raw(&format!("feed_user:{id}")).is_some()
    }
}
