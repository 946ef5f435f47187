//! Keys of newtypes an application declares in a crate of its own, as Lemmy does with
//! diesel-derive-newtype (`pub struct PersonId(pub i32)`): one `#[write_through(newtype)]` on the
//! model's field, and no code in the crate that defines the newtype. A newtype's key is its
//! field's, byte for byte, so a model that moves from `i32` to `PersonId` keeps its cache.

use diesel::connection::LoadConnection;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};
use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;
use write_through::{DieselCreate, DieselIndex, DieselOps};
use write_through_tests::services::{
    TestCache, create_tables, mysql, mysql_url, postgres, postgres_url, sqlite, unique_i32,
};

/// As the application's own crate declares them: no `write_through` in sight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, DieselNewType, Serialize, Deserialize)]
pub struct PersonId(pub i32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, DieselNewType, Serialize, Deserialize)]
pub struct AccountId(pub i32);

diesel::table! {
    wt_newtype_people (id) {
        id -> Integer,
        account_id -> Integer,
        name -> Text,
    }
}

#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
)]
#[diesel(table_name = wt_newtype_people)]
#[write_through(key = "newtype_person:{id}", ttl = "1h")]
pub struct Person {
    #[write_through(newtype)]
    pub id: PersonId,
    #[write_through(newtype, unique)]
    pub account_id: AccountId,
    pub name: String,
}

/// The application's insert form: the database picks the id.
#[derive(Insertable)]
#[diesel(table_name = wt_newtype_people)]
pub struct PersonInsertForm {
    pub account_id: AccountId,
    pub name: String,
}

/// The same model with a plain `i32` key, as before the move to newtypes.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
)]
#[diesel(table_name = wt_newtype_people)]
#[write_through(key = "newtype_person:{id}", ttl = "1h")]
pub struct PlainPerson {
    pub id: i32,
    #[write_through(unique)]
    pub account_id: i32,
    pub name: String,
}

const POSTGRES_DDL: &str = "CREATE TABLE IF NOT EXISTS wt_newtype_people (
    id SERIAL PRIMARY KEY, account_id INTEGER NOT NULL UNIQUE, name TEXT NOT NULL)";
const MYSQL_DDL: &str = "CREATE TABLE IF NOT EXISTS wt_newtype_people (
    id INTEGER AUTO_INCREMENT PRIMARY KEY, account_id INTEGER NOT NULL UNIQUE, name TEXT NOT NULL)";
const SQLITE_DDL: &str = "CREATE TABLE IF NOT EXISTS wt_newtype_people (
    id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL UNIQUE, name TEXT NOT NULL)";

#[test]
fn a_newtype_is_keyed_as_its_field_byte_for_byte() {
    let cache = write_through::Cache::builder("redis://127.0.0.1:6379")
        .namespace("ns")
        .build()
        .unwrap();
    assert_eq!(cache.key::<Person>(&PersonId(7)), b"ns:newtype_person:7");
    assert_eq!(
        cache.key::<Person>(&PersonId(-12)),
        cache.key::<PlainPerson>(&-12)
    );
    assert_eq!(
        cache.index_key::<Person, 0>(&AccountId(41)),
        cache.index_key::<PlainPerson, 0>(&41)
    );
}

/// Create through the insert form, find (from Redis), find by the index, save, find_many,
/// delete: on one blocking connection.
fn lifecycle<C>(conn: &mut C)
where
    C: Connection + LoadConnection,
    Person: DieselOps<C::Backend>
        + DieselIndex<C::Backend, 0>
        + for<'n> DieselCreate<C::Backend, C, &'n PersonInsertForm>,
{
    let Some(test) = TestCache::new() else { return };
    let cache = &test.cache;
    let account = AccountId(unique_i32());
    let form = PersonInsertForm {
        account_id: account,
        name: "Ada".into(),
    };
    let created: Person = write_through::blocking::create(conn, cache, &form).unwrap();
    assert_eq!(
        (created.account_id, created.name.as_str()),
        (account, "Ada")
    );

    // Changed behind the cache's back: a find that still sees "Ada" was served from Redis.
    conn.batch_execute(&format!(
        "UPDATE wt_newtype_people SET name = 'behind' WHERE id = {}",
        created.id.0
    ))
    .unwrap();
    let found = write_through::blocking::find::<Person, _>(conn, cache, &created.id).unwrap();
    assert_eq!(found.as_ref().map(|p| p.name.as_str()), Some("Ada"));
    let by_account =
        write_through::blocking::find_by::<Person, 0, _>(conn, cache, &account).unwrap();
    assert_eq!(by_account.map(|p| p.id), Some(created.id));

    let renamed = Person {
        name: "Ada Lovelace".into(),
        ..created.clone()
    };
    write_through::blocking::save(&renamed, conn, cache).unwrap();
    let many = write_through::blocking::find_many::<Person, _, _>(
        conn,
        cache,
        [&created.id, &PersonId(-1)],
    )
    .unwrap();
    assert_eq!(many, [Some(renamed.clone()), None]);

    assert!(write_through::blocking::delete::<Person, _>(conn, cache, &created.id).unwrap());
    assert_eq!(
        write_through::blocking::find::<Person, _>(conn, cache, &created.id).unwrap(),
        None
    );
}

#[test]
fn on_postgres_blocking() {
    let Some(mut conn) = postgres() else { return };
    create_tables(&mut conn, &[POSTGRES_DDL]);
    lifecycle(&mut conn);
}

#[test]
fn on_mariadb_blocking() {
    let Some(mut conn) = mysql() else { return };
    create_tables(&mut conn, &[MYSQL_DDL]);
    lifecycle(&mut conn);
}

#[test]
fn on_sqlite_blocking() {
    let (mut conn, _dir) = sqlite();
    create_tables(&mut conn, &[SQLITE_DDL]);
    lifecycle(&mut conn);
}

/// The same lifecycle through diesel-async.
async fn lifecycle_async<C>(conn: &mut C)
where
    C: AsyncConnection,
    Person: write_through::AsyncDieselOps<C::Backend>
        + write_through::AsyncDieselIndex<C::Backend, 0>
        + for<'n> write_through::AsyncDieselCreate<C::Backend, C, &'n PersonInsertForm>,
{
    let Some(test) = TestCache::new() else { return };
    let cache = &test.cache;
    let account = AccountId(unique_i32());
    let form = PersonInsertForm {
        account_id: account,
        name: "Grace".into(),
    };
    let created: Person = write_through::asynch::create(conn, cache, &form)
        .await
        .unwrap();
    let found = write_through::asynch::find::<Person, _>(conn, cache, &created.id)
        .await
        .unwrap();
    assert_eq!(found.as_ref(), Some(&created));
    let by_account = write_through::asynch::find_by::<Person, 0, _>(conn, cache, &account)
        .await
        .unwrap();
    assert_eq!(by_account.map(|p| p.id), Some(created.id));
    let renamed = Person {
        name: "Grace Hopper".into(),
        ..created.clone()
    };
    write_through::asynch::save(&renamed, conn, cache)
        .await
        .unwrap();
    let many = write_through::asynch::find_many::<Person, _, _>(conn, cache, [&created.id])
        .await
        .unwrap();
    assert_eq!(many, [Some(renamed)]);
    assert!(
        write_through::asynch::delete::<Person, _>(conn, cache, &created.id)
            .await
            .unwrap()
    );
}

#[test]
fn on_postgres_async() {
    let Some(mut setup) = postgres() else { return };
    create_tables(&mut setup, &[POSTGRES_DDL]);
    write_through_tests::fronts::runtime().block_on(async {
        let mut conn = AsyncPgConnection::establish(&postgres_url()).await.unwrap();
        lifecycle_async(&mut conn).await;
    });
}

#[test]
fn on_mariadb_async() {
    let Some(mut setup) = mysql() else { return };
    create_tables(&mut setup, &[MYSQL_DDL]);
    write_through_tests::fronts::runtime().block_on(async {
        let mut conn = AsyncMysqlConnection::establish(&mysql_url()).await.unwrap();
        lifecycle_async(&mut conn).await;
    });
}
