//! Diesel 2.3's model options compile next to `WriteThrough`: the derive reads the ones it needs
//! (`table_name`, `primary_key`, `column_name`, `check_for_backend`, `skip_update`) with
//! Diesel's grammar and ignores the others.
//!
//! `embed` is on `Release::notes` (selected, loaded, inserted and updated as a struct of its
//! own). `base_query` and `base_query_type` are on `ListedKrate`, which derives `HasQuery` (the
//! derive that reads them, and that implements `Selectable` and `Queryable` itself) in place of
//! `Queryable` and `Selectable`; the cache's own queries (`find`, `find_many`) select through the
//! base query. A model with a base query or a `select_expression` field (`Version::yanked`) is
//! read-only: found, found many, deleted, but neither saved nor updated through the cache.
//!
//! `check_for_backend(disable = true)` is not here: diesel_derives 2.3.10 itself refuses it
//! ("expected `,`": it parses the option on a fork and never advances past it). The derive
//! accepts it (`internals::attr` tests, the `json_field_is_message_pack` expansion snapshot).
//! Nor is `serialize_as`: with it Diesel implements `Insertable` and `AsChangeset` for the owned
//! struct only, and `save` inserts a borrowed row.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    crates (id) {
        id -> Integer,
        name -> Text,
    }
}

diesel::table! {
    versions (id) {
        id -> Integer,
        crate_id -> Integer,
        num -> Text,
        downloads -> Integer,
        yanked -> Bool,
        license -> Nullable<Text>,
        edition -> Nullable<Text>,
    }
}

diesel::table! {
    releases (id) {
        id -> Integer,
        title -> Text,
        notes -> Nullable<Text>,
    }
}

diesel::joinable!(versions -> crates (crate_id));
diesel::allow_tables_to_appear_in_same_query!(crates, versions);

#[derive(Queryable, Selectable, Identifiable, Serialize, Deserialize)]
#[diesel(table_name = crates)]
pub struct Krate {
    pub id: i32,
    pub name: String,
}

#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Associations,
    Serialize,
    Deserialize,
    WriteThrough,
)]
#[diesel(table_name = versions, primary_key(id))]
#[diesel(belongs_to(Krate, foreign_key = crate_id))]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
#[write_through(key = "version:{id}", ttl = "1h")]
pub struct Version {
    pub id: i32,
    pub crate_id: i32,
    #[diesel(column_name = "num", sql_type = diesel::sql_types::Text)]
    pub number: String,
    #[diesel(skip_insertion, skip_update)]
    pub downloads: i32,
    #[diesel(treat_none_as_null = false)]
    pub license: Option<String>,
    #[diesel(deserialize_as = Edition)]
    pub edition: Option<String>,
    #[diesel(select_expression = versions::yanked.eq(true), select_expression_type = diesel::dsl::Eq<versions::yanked, bool>)]
    pub yanked: bool,
}

/// Columns of `releases` grouped in a struct of their own, for `#[diesel(embed)]`.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = releases)]
pub struct ReleaseNotes {
    pub title: String,
    pub notes: Option<String>,
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
)]
#[diesel(table_name = releases)]
// An embedded struct's columns are not counted: `partial_save` says the row is written whole.
#[write_through(key = "release:{id}", ttl = "1h", partial_save)]
pub struct Release {
    pub id: i32,
    #[diesel(embed)]
    pub text: ReleaseNotes,
}

/// A model with a base query of its own (`HasQuery`), its type given.
#[derive(
    HasQuery,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
)]
#[diesel(table_name = crates)]
#[diesel(base_query = crates::table.filter(crates::id.gt(0)))]
#[diesel(base_query_type = diesel::dsl::Filter<crates::table, diesel::dsl::Gt<crates::id, i32>>)]
#[write_through(key = "listed_crate:{id}", ttl = "1h")]
pub struct ListedKrate {
    pub id: i32,
    pub name: String,
}

/// A column read through another type, as `deserialize_as` allows.
#[derive(Debug, Clone, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
pub struct Edition(Option<String>);

impl From<Edition> for Option<String> {
    fn from(edition: Edition) -> Self {
        edition.0
    }
}

impl From<Option<String>> for Edition {
    fn from(edition: Option<String>) -> Self {
        Edition(edition)
    }
}

impl<DB: diesel::backend::Backend> diesel::deserialize::FromSql<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB> for Edition
where
    Option<String>: diesel::deserialize::FromSql<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
        Ok(Edition(<Option<String>>::from_sql(bytes)?))
    }

    fn from_nullable_sql(bytes: Option<DB::RawValue<'_>>) -> diesel::deserialize::Result<Self> {
        Ok(Edition(<Option<String>>::from_nullable_sql(bytes)?))
    }
}

impl<DB: diesel::backend::Backend> diesel::serialize::ToSql<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB> for Edition
where
    Option<String>: diesel::serialize::ToSql<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
        self.0.to_sql(out)
    }
}

fn main() {
    fn uses_the_model(conn: &mut diesel::PgConnection, cache: &Cache, version: &Version) -> Result<(), Error> {
        let _found: Option<Version> = Version::find(conn, cache, &version.id)?;
        let _many: Vec<Option<Version>> = Version::find_many(conn, cache, [&version.id])?;
        let _deleted: bool = Version::delete(conn, cache, &version.id)?;
        Ok(())
    }
    let _ = uses_the_model;

    fn uses_the_embedding_model(conn: &mut diesel::PgConnection, cache: &Cache, release: &Release) -> Result<(), Error> {
        release.save(conn, cache)?;
        let _found: Option<Release> = Release::find(conn, cache, &release.id)?;
        let _many: Vec<Option<Release>> = Release::find_many(conn, cache, [&release.id])?;
        Ok(())
    }
    let _ = uses_the_embedding_model;

    fn uses_the_base_query_model(conn: &mut diesel::PgConnection, cache: &Cache, krate: &ListedKrate) -> Result<(), Error> {
        let _found: Option<ListedKrate> = ListedKrate::find(conn, cache, &krate.id)?;
        let _many: Vec<Option<ListedKrate>> = ListedKrate::find_many(conn, cache, [&krate.id])?;
        let _listed: QueryResult<Vec<ListedKrate>> = ListedKrate::query().load(conn);
        Ok(())
    }
    let _ = uses_the_base_query_model;
}
