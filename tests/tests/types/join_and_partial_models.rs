//! Models that are not their table's whole row, as applications write them: one read through a
//! join with computed fields (crates.io's `User`: `HasQuery`, a `base_query` joining the GitHub
//! account, `select_expression` fields), and one that selects some of its table's columns and
//! leaves out a `NOT NULL` column without a default (crates.io's `Version`, `ApiToken`).
//!
//! Both are cached as they are: found through their own query (the join's columns included),
//! found by a unique column, found many at a time, deleted. The partial model is written through
//! the application's insert and update forms; neither is offered a `save` (`tests/ui`:
//! `save_on_a_model_that_is_not_its_whole_row`), which would fail at run time for the partial one
//! and has nothing to write for the joined one.

use diesel::connection::{LoadConnection, SimpleConnection};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use write_through::prelude::*;
use write_through::{DieselCreate, DieselIndex, DieselOps, DieselUpdate};
use write_through_tests::services::{
    TestCache, create_tables, mysql, postgres, postgres_url, sqlite,
};

diesel::table! {
    wt_join_users (id) {
        id -> Integer,
        gh_login -> Text,
        username -> Text,
        api_secret -> Text,
    }
}

diesel::table! {
    wt_join_accounts (id) {
        id -> Integer,
        user_id -> Integer,
        avatar -> Nullable<Text>,
    }
}

diesel::joinable!(wt_join_accounts -> wt_join_users (user_id));
diesel::allow_tables_to_appear_in_same_query!(wt_join_users, wt_join_accounts);

/// crates.io's `User`: its rows are the join of the user and their GitHub account.
#[derive(Debug, Clone, PartialEq, HasQuery, Identifiable, WriteThrough)]
#[diesel(
    table_name = wt_join_users,
    base_query = wt_join_users::table.left_join(wt_join_accounts::table),
)]
#[write_through(key = "join_user:{id}", ttl = "1h")]
pub struct JoinedUser {
    pub id: i32,
    pub gh_login: String,
    #[diesel(select_expression = wt_join_accounts::avatar.nullable())]
    pub gh_avatar: Option<String>,
    #[write_through(unique)]
    pub username: String,
}

/// crates.io's `Version`: some of the table's columns (not `api_secret`, which is `NOT NULL`
/// without a default), so a whole-row `save` could insert nothing.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_join_users)]
#[write_through(key = "partial_user:{id}", ttl = "1h")]
pub struct PartialUser {
    pub id: i32,
    pub gh_login: String,
    pub username: String,
}

/// The application's insert form: every column the table needs.
#[derive(Insertable)]
#[diesel(table_name = wt_join_users)]
pub struct NewUser<'a> {
    pub gh_login: &'a str,
    pub username: &'a str,
    pub api_secret: &'a str,
}

/// The application's update form.
#[derive(AsChangeset)]
#[diesel(table_name = wt_join_users)]
pub struct LoginChange<'a> {
    pub gh_login: &'a str,
}

const POSTGRES_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_join_users (id SERIAL PRIMARY KEY, gh_login TEXT NOT NULL,
        username TEXT NOT NULL UNIQUE, api_secret TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_join_accounts (id SERIAL PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES wt_join_users (id) ON DELETE CASCADE, avatar TEXT)",
];
const MYSQL_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_join_users (id INTEGER AUTO_INCREMENT PRIMARY KEY,
        gh_login TEXT NOT NULL, username VARCHAR(64) NOT NULL UNIQUE, api_secret TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_join_accounts (id INTEGER AUTO_INCREMENT PRIMARY KEY,
        user_id INTEGER NOT NULL, avatar TEXT,
        FOREIGN KEY (user_id) REFERENCES wt_join_users (id) ON DELETE CASCADE)",
];
const SQLITE_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_join_users (id INTEGER PRIMARY KEY, gh_login TEXT NOT NULL,
        username TEXT NOT NULL UNIQUE, api_secret TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_join_accounts (id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES wt_join_users (id) ON DELETE CASCADE, avatar TEXT)",
];

/// A name no other run of this test uses, so that runs sharing a database do not collide on
/// the unique username.
fn unique(name: &str) -> String {
    format!(
        "{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    )
}

/// The joined model is read through its join, served from Redis, looked up by its unique
/// column, read many at a time and deleted; the partial one is created and updated through the
/// application's forms, every write returning the row as stored.
fn cached_as_they_are<C>(conn: &mut C)
where
    C: Connection + LoadConnection,
    for<'f> PartialUser: DieselCreate<C::Backend, C, &'f NewUser<'f>>,
    for<'f> PartialUser: DieselUpdate<C::Backend, &'f LoginChange<'f>>,
    JoinedUser: DieselOps<C::Backend> + DieselIndex<C::Backend, 0>,
{
    let Some(test) = TestCache::new() else { return };
    let cache = &test.cache;
    let username = unique("ada");
    let new = NewUser {
        gh_login: "ada",
        username: &username,
        api_secret: "s3cret",
    };
    let created: PartialUser = write_through::blocking::create(conn, cache, &new).unwrap();
    assert_eq!(
        (created.gh_login.as_str(), created.username.as_str()),
        ("ada", username.as_str())
    );
    conn.batch_execute(&format!(
        "INSERT INTO wt_join_accounts (user_id, avatar) VALUES ({}, 'first.png')",
        created.id
    ))
    .unwrap();

    // Read through the join, by its unique column (which caches the entry) and by its key (which
    // caches the row), then served from Redis although the account changed behind it.
    let joined =
        write_through::blocking::find_by::<JoinedUser, 0, _>(conn, cache, username.as_str())
            .unwrap()
            .expect("the user exists");
    assert_eq!(joined.gh_avatar.as_deref(), Some("first.png"));
    let by_key = write_through::blocking::find::<JoinedUser, _>(conn, cache, &created.id).unwrap();
    assert_eq!(by_key, Some(joined.clone()));
    conn.batch_execute(&format!(
        "UPDATE wt_join_accounts SET avatar = 'second.png' WHERE user_id = {}",
        created.id
    ))
    .unwrap();
    let served = write_through::blocking::find::<JoinedUser, _>(conn, cache, &created.id).unwrap();
    assert_eq!(served, Some(joined.clone()), "served from Redis");
    let by_name =
        write_through::blocking::find_by::<JoinedUser, 0, _>(conn, cache, username.as_str())
            .unwrap();
    assert_eq!(
        by_name,
        Some(joined.clone()),
        "looked up by its unique column, from Redis"
    );

    // A write the application made itself is retired by naming the row.
    cache.invalidate::<JoinedUser>(&created.id).unwrap();
    let many =
        write_through::blocking::find_many::<JoinedUser, _, _>(conn, cache, [&created.id, &-1])
            .unwrap();
    assert_eq!(many.len(), 2);
    assert_eq!(
        many[0].as_ref().and_then(|u| u.gh_avatar.as_deref()),
        Some("second.png")
    );
    assert_eq!(many[1], None);

    // The partial model's update form: the row as stored, cached.
    let updated: PartialUser = write_through::blocking::update(
        conn,
        cache,
        &created.id,
        &LoginChange { gh_login: "ada-l" },
    )
    .unwrap();
    assert_eq!(updated.gh_login, "ada-l");
    conn.batch_execute(&format!(
        "UPDATE wt_join_users SET gh_login = 'behind' WHERE id = {}",
        created.id
    ))
    .unwrap();
    let partial =
        write_through::blocking::find::<PartialUser, _>(conn, cache, &created.id).unwrap();
    assert_eq!(
        partial,
        Some(updated),
        "the update published the stored row"
    );

    assert!(write_through::blocking::delete::<JoinedUser, _>(conn, cache, &created.id).unwrap());
    assert_eq!(
        write_through::blocking::find::<JoinedUser, _>(conn, cache, &created.id).unwrap(),
        None
    );
    cache.invalidate::<PartialUser>(&created.id).unwrap();
}

#[test]
fn on_postgres() {
    let Some(mut conn) = postgres() else { return };
    create_tables(&mut conn, POSTGRES_DDL);
    cached_as_they_are(&mut conn);
}

#[test]
fn on_mariadb() {
    let Some(mut conn) = mysql() else { return };
    create_tables(&mut conn, MYSQL_DDL);
    cached_as_they_are(&mut conn);
}

#[test]
fn on_sqlite() {
    let (mut conn, _dir) = sqlite();
    create_tables(&mut conn, SQLITE_DDL);
    conn.batch_execute("PRAGMA foreign_keys = ON").unwrap();
    cached_as_they_are(&mut conn);
}

#[test]
fn on_postgres_async() {
    let Some(mut setup) = postgres() else { return };
    create_tables(&mut setup, POSTGRES_DDL);
    let Some(test) = TestCache::new() else { return };
    write_through_tests::fronts::runtime().block_on(async {
        let mut conn = AsyncPgConnection::establish(&postgres_url()).await.unwrap();
        let cache = &test.cache;
        let username = unique("grace");
        let new = NewUser {
            gh_login: "grace",
            username: &username,
            api_secret: "s3cret",
        };
        let created: PartialUser = write_through::asynch::create(&mut conn, cache, &new)
            .await
            .unwrap();
        setup
            .batch_execute(&format!(
                "INSERT INTO wt_join_accounts (user_id, avatar) VALUES ({}, 'g.png')",
                created.id
            ))
            .unwrap();
        let joined =
            write_through::asynch::find_by::<JoinedUser, 0, _>(&mut conn, cache, username.as_str())
                .await
                .unwrap()
                .expect("the user exists");
        assert_eq!(joined.gh_avatar.as_deref(), Some("g.png"));
        let by_key = write_through::asynch::find::<JoinedUser, _>(&mut conn, cache, &created.id)
            .await
            .unwrap();
        assert_eq!(by_key, Some(joined.clone()));
        setup
            .batch_execute(&format!(
                "UPDATE wt_join_accounts SET avatar = NULL WHERE user_id = {}",
                created.id
            ))
            .unwrap();
        let served = write_through::asynch::find::<JoinedUser, _>(&mut conn, cache, &created.id)
            .await
            .unwrap();
        assert_eq!(served, Some(joined), "served from Redis");
        let updated: PartialUser = write_through::asynch::update(
            &mut conn,
            cache,
            &created.id,
            &LoginChange {
                gh_login: "grace-h",
            },
        )
        .await
        .unwrap();
        assert_eq!(updated.gh_login, "grace-h");
        assert!(
            write_through::asynch::delete::<JoinedUser, _>(&mut conn, cache, &created.id)
                .await
                .unwrap()
        );
        cache.invalidate::<PartialUser>(&created.id).unwrap();
    });
}
