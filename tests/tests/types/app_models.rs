//! Models as applications write them, cached as they are: a serde derive that is the API's JSON
//! (a secret redacted, an empty field left out, camelCase names), a model with no serde at all,
//! and a field of a type without serde impls encoded through its `#[serde(with)]`. The cache
//! holds every column the model selects, whatever its serde attributes say; the JSON is the
//! application's, unchanged.

use diesel::connection::{LoadConnection, SimpleConnection};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use diesel_derive_newtype::DieselNewType;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use write_through::Cache;
use write_through::prelude::*;
use write_through::{DieselCreate, DieselOps};
use write_through_tests::services::{
    TestCache, create_tables, mysql, postgres, postgres_url, sqlite,
};

/// A type from another crate, with Diesel's impls but no serde: the model says how to encode it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, DieselNewType)]
pub struct Label(pub String);

/// The API shows that a password is set, never its hash.
fn redacted<S: serde::Serializer>(_: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("***")
}

/// How `Label` is written, as Lemmy writes `LtreeDef` for `Ltree`.
mod label_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        label: &super::Label,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        label.0.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<super::Label, D::Error> {
        String::deserialize(deserializer).map(super::Label)
    }
}

diesel::table! {
    wt_app_people (id) {
        id -> Integer,
        display_name -> Text,
        password_hash -> Text,
        bio -> Nullable<Text>,
        label -> Text,
    }
}

/// The API's shape of a person, as the application's JSON needs it.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    serde::Serialize,
    WriteThrough,
)]
#[diesel(table_name = wt_app_people)]
#[serde(rename_all = "camelCase")]
#[write_through(key = "app_person:{id}", ttl = "1h")]
pub struct Person {
    pub id: i32,
    pub display_name: String,
    /// Redacted in the API's JSON (a lone `serialize_with` is the API's, not the cache's).
    #[serde(serialize_with = "redacted")]
    pub password_hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(with = "label_text")]
    pub label: Label,
}

/// The application's insert form.
#[derive(Insertable)]
#[diesel(table_name = wt_app_people)]
pub struct PersonInsertForm<'a> {
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub bio: Option<&'a str>,
    pub label: Label,
}

/// The same table through a model with no serde at all.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    WriteThrough,
)]
#[diesel(table_name = wt_app_people)]
#[write_through(key = "app_person_plain:{id}", ttl = "1h")]
pub struct PlainPerson {
    pub id: i32,
    pub display_name: String,
    pub password_hash: String,
    pub bio: Option<String>,
    /// No serde here to say it: the cache's own attribute.
    #[write_through(with = "label_text")]
    pub label: Label,
}

/// A lossy encoding: the cache keeps a label's first three characters only.
mod label_prefix {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        label: &super::Label,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&label.0.chars().take(3).collect::<String>())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<super::Label, D::Error> {
        String::deserialize(deserializer).map(super::Label)
    }
}

/// Clones of [`PrefixPerson`] made, process-wide.
static CLONES: AtomicUsize = AtomicUsize::new(0);

/// The table through a `Clone` model whose label the cache keeps cut short; its `Clone` counts
/// itself, so that a test sees the tier clone it.
#[derive(Debug, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_app_people)]
#[write_through(key = "app_person_prefix:{id}", ttl = "1h", local = "1m")]
pub struct PrefixPerson {
    pub id: i32,
    pub display_name: String,
    pub password_hash: String,
    pub bio: Option<String>,
    #[write_through(with = "label_prefix")]
    pub label: Label,
}

impl Clone for PrefixPerson {
    fn clone(&self) -> Self {
        CLONES.fetch_add(1, SeqCst);
        PrefixPerson {
            id: self.id,
            display_name: self.display_name.clone(),
            password_hash: self.password_hash.clone(),
            bio: self.bio.clone(),
            label: self.label.clone(),
        }
    }
}

/// The table through a model that is not `Clone`.
#[derive(Debug, PartialEq, Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = wt_app_people)]
#[write_through(key = "app_person_unclonable:{id}", ttl = "1h", local = "1m")]
pub struct UnclonablePerson {
    pub id: i32,
    pub display_name: String,
    pub password_hash: String,
    pub bio: Option<String>,
    #[write_through(with = "label_text")]
    pub label: Label,
}

const POSTGRES_DDL: &str = "CREATE TABLE IF NOT EXISTS wt_app_people (id SERIAL PRIMARY KEY,
    display_name TEXT NOT NULL, password_hash TEXT NOT NULL, bio TEXT, label TEXT NOT NULL)";
const MYSQL_DDL: &str =
    "CREATE TABLE IF NOT EXISTS wt_app_people (id INTEGER AUTO_INCREMENT PRIMARY KEY,
    display_name TEXT NOT NULL, password_hash TEXT NOT NULL, bio TEXT, label TEXT NOT NULL)";
const SQLITE_DDL: &str = "CREATE TABLE IF NOT EXISTS wt_app_people (id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL, password_hash TEXT NOT NULL, bio TEXT, label TEXT NOT NULL)";

fn form(name: &str) -> PersonInsertForm<'_> {
    PersonInsertForm {
        display_name: name,
        password_hash: "$argon2id$v=19$secret",
        bio: None,
        label: Label(format!("{name}.label")),
    }
}

#[test]
fn the_json_is_the_applications_own() {
    let person = Person {
        id: 7,
        display_name: "Ada".into(),
        password_hash: "secret".into(),
        bio: None,
        label: Label("a.b".into()),
    };
    assert_eq!(
        serde_json::to_value(&person).unwrap(),
        serde_json::json!({ "id": 7, "displayName": "Ada", "passwordHash": "***", "label": "a.b" })
    );
}

/// Create, then find served from Redis with every column, secret included; then a model with
/// no serde (nor `Insertable`, `AsChangeset`) saved and served the same way, and a `None` saved
/// as `NULL`.
fn every_column_is_cached<C>(conn: &mut C)
where
    C: Connection + LoadConnection,
    for<'f> Person: DieselCreate<C::Backend, C, &'f PersonInsertForm<'f>>,
    Person: DieselOps<C::Backend>,
    PlainPerson: DieselOps<C::Backend>,
{
    let Some(test) = TestCache::new() else { return };
    let cache = &test.cache;
    let ada: Person = write_through::blocking::create(conn, cache, &form("Ada")).unwrap();
    assert_eq!(ada.password_hash, "$argon2id$v=19$secret");
    conn.batch_execute(&format!(
        "UPDATE wt_app_people SET display_name = 'behind', password_hash = 'behind' WHERE id = {}",
        ada.id
    ))
    .unwrap();
    let cached = write_through::blocking::find::<Person, _>(conn, cache, &ada.id).unwrap();
    assert_eq!(
        cached,
        Some(ada.clone()),
        "served from Redis, every column as created"
    );

    let plain = PlainPerson {
        id: ada.id,
        display_name: "Ada Lovelace".into(),
        password_hash: "rotated".into(),
        bio: Some("Analyst".into()),
        label: Label("ada.lovelace".into()),
    };
    write_through::blocking::save(&plain, conn, cache).unwrap();
    conn.batch_execute(&format!(
        "UPDATE wt_app_people SET bio = NULL WHERE id = {}",
        ada.id
    ))
    .unwrap();
    let served = write_through::blocking::find::<PlainPerson, _>(conn, cache, &ada.id).unwrap();
    assert_eq!(served, Some(plain.clone()));

    // `save` makes the row the struct: a `None` clears its column (no `treat_none_as_null`).
    let cleared = PlainPerson { bio: None, ..plain };
    write_through::blocking::save(&cleared, conn, cache).unwrap();
    cache.invalidate::<PlainPerson>(&ada.id).unwrap();
    let from_the_database =
        write_through::blocking::find::<PlainPerson, _>(conn, cache, &ada.id).unwrap();
    assert_eq!(from_the_database, Some(cleared));
    write_through::blocking::delete::<PlainPerson, _>(conn, cache, &ada.id).unwrap();
    cache.invalidate::<Person>(&ada.id).unwrap();
}

#[test]
fn on_postgres() {
    let Some(mut conn) = postgres() else { return };
    create_tables(&mut conn, &[POSTGRES_DDL]);
    every_column_is_cached(&mut conn);
}

/// The in-process tier answers what a Redis hit would: for a `Clone` model a clone of the row
/// its bytes decoded to when it was installed (so a lossy field is as Redis holds it, not as
/// the database returned it on the fill), for another model the bytes decoded at each hit.
#[test]
fn the_tier_answers_what_redis_holds_for_clone_models_and_others() {
    let Some(mut conn) = postgres() else { return };
    create_tables(&mut conn, &[POSTGRES_DDL]);
    let Some(test) = TestCache::new() else { return };
    let ada: Person =
        write_through::blocking::create(&mut conn, &test.cache, &form("Ada")).unwrap();
    let tiered = write_through_tests::cache_builder()
        .namespace(test.cache.namespace())
        .build()
        .unwrap();
    let find_prefix = |conn: &mut PgConnection, cache: &Cache| {
        write_through::blocking::find::<PrefixPerson, _>(conn, cache, &ada.id)
            .unwrap()
            .unwrap()
    };
    let filled = find_prefix(&mut conn, &tiered);
    assert_eq!(
        filled.label,
        Label("Ada.label".into()),
        "the fill returns the database's row"
    );
    write_through_tests::services::wait_until(
        "the tier is live",
        std::time::Duration::from_secs(5),
        || {
            find_prefix(&mut conn, &tiered);
            tiered.local_tier_is_live()
        },
    );
    let from_redis = find_prefix(&mut conn, &test.cache);
    assert_eq!(
        from_redis.label,
        Label("Ada".into()),
        "Redis holds the label cut short"
    );
    let (hits, redis_hits) = (tiered.stats().local_hits, tiered.stats().hits);
    find_prefix(&mut conn, &tiered);
    let from_the_tier = find_prefix(&mut conn, &tiered);
    assert_eq!(tiered.stats().local_hits - hits, 2, "answered by the tier");
    assert_eq!(tiered.stats().hits, redis_hits, "without Redis");
    assert_eq!(from_the_tier, from_redis);

    let find_unclonable = |conn: &mut PgConnection, cache: &Cache| {
        write_through::blocking::find::<UnclonablePerson, _>(conn, cache, &ada.id)
            .unwrap()
            .unwrap()
    };
    find_unclonable(&mut conn, &tiered);
    find_unclonable(&mut conn, &tiered);
    find_unclonable(&mut conn, &tiered);
    let hits = tiered.stats().local_hits;
    let from_the_tier = find_unclonable(&mut conn, &tiered);
    assert_eq!(tiered.stats().local_hits - hits, 1, "answered by the tier");
    assert_eq!(from_the_tier, find_unclonable(&mut conn, &test.cache));
    assert_eq!(from_the_tier.label, Label("Ada.label".into()));
    write_through::blocking::delete::<Person, _>(&mut conn, &test.cache, &ada.id).unwrap();
    for cache in [&test.cache, &tiered] {
        cache.invalidate::<PrefixPerson>(&ada.id).unwrap();
        cache.invalidate::<UnclonablePerson>(&ada.id).unwrap();
    }
}

#[test]
fn on_mariadb() {
    let Some(mut conn) = mysql() else { return };
    create_tables(&mut conn, &[MYSQL_DDL]);
    every_column_is_cached(&mut conn);
}

#[test]
fn on_sqlite() {
    let (mut conn, _dir) = sqlite();
    create_tables(&mut conn, &[SQLITE_DDL]);
    every_column_is_cached(&mut conn);
}

#[test]
fn on_postgres_async() {
    let Some(mut setup) = postgres() else { return };
    create_tables(&mut setup, &[POSTGRES_DDL]);
    let Some(test) = TestCache::new() else { return };
    write_through_tests::fronts::runtime().block_on(async {
        let mut conn = AsyncPgConnection::establish(&postgres_url()).await.unwrap();
        let cache = &test.cache;
        let grace: Person = write_through::asynch::create(&mut conn, cache, &form("Grace"))
            .await
            .unwrap();
        setup
            .batch_execute(&format!(
                "UPDATE wt_app_people SET password_hash = 'behind' WHERE id = {}",
                grace.id
            ))
            .unwrap();
        let cached = write_through::asynch::find::<Person, _>(&mut conn, cache, &grace.id)
            .await
            .unwrap();
        assert_eq!(cached, Some(grace.clone()));
        write_through::asynch::delete::<Person, _>(&mut conn, cache, &grace.id)
            .await
            .unwrap();
    });
}
