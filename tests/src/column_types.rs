//! Real-looking models with the column types applications use, one table set per backend, for
//! `tests/column_types.rs`. PostgreSQL: UUID keys (alone and in a composite key), JSONB,
//! TIMESTAMPTZ, TIMESTAMP, BYTEA, TEXT[]. MySQL/MariaDB: JSON, BLOB, DATETIME. SQLite: JSON (as
//! text), BLOB, TIMESTAMP. The tables are created by [`create_tables`].

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use write_through::prelude::*;

/// The tables, for the cleanup at the end of `.ci/run`.
pub mod schema {
    diesel::table! {
        /// A crates.io `versions`-like row: JSON features, a checksum, authors, timestamps.
        wt_pg_versions (id) {
            id -> Uuid,
            num -> Text,
            features -> Jsonb,
            checksum -> Bytea,
            authors -> Array<Text>,
            created_at -> Timestamptz,
            yanked_at -> Nullable<Timestamp>,
            meta -> Nullable<Jsonb>,
        }
    }

    diesel::table! {
        /// A composite key mixing a UUID and an integer.
        wt_pg_accounts (tenant, id) {
            tenant -> Uuid,
            id -> BigInt,
            name -> Text,
            avatar -> Nullable<Bytea>,
            roles -> Array<Text>,
            joined_at -> Timestamptz,
        }
    }

    diesel::table! {
        wt_my_versions (id) {
            id -> BigInt,
            num -> Text,
            features -> Json,
            checksum -> Blob,
            created_at -> Datetime,
            meta -> Nullable<Json>,
        }
    }

    diesel::table! {
        wt_lite_versions (id) {
            id -> BigInt,
            num -> Text,
            features -> Json,
            checksum -> Binary,
            created_at -> Timestamp,
            meta -> Nullable<Json>,
        }
    }

    diesel::table! {
        /// A model that forces bincode on a JSON column, which bincode cannot decode.
        wt_lite_forced (id) {
            id -> BigInt,
            features -> Json,
        }
    }
}

use schema::{wt_lite_forced, wt_lite_versions, wt_my_versions, wt_pg_accounts, wt_pg_versions};

pub const POSTGRES_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_pg_versions (id UUID PRIMARY KEY, num TEXT NOT NULL, features JSONB NOT NULL, checksum BYTEA NOT NULL, authors TEXT[] NOT NULL, created_at TIMESTAMPTZ NOT NULL, yanked_at TIMESTAMP NULL, meta JSONB NULL)",
    "CREATE TABLE IF NOT EXISTS wt_pg_accounts (tenant UUID NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL, avatar BYTEA NULL, roles TEXT[] NOT NULL, joined_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (tenant, id))",
];

pub const MYSQL_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_my_versions (id BIGINT PRIMARY KEY, num VARCHAR(64) NOT NULL, features JSON NOT NULL, checksum BLOB NOT NULL, created_at DATETIME(6) NOT NULL, meta JSON NULL)",
];

pub const SQLITE_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_lite_versions (id BIGINT PRIMARY KEY, num TEXT NOT NULL, features TEXT NOT NULL, checksum BLOB NOT NULL, created_at TIMESTAMP NOT NULL, meta TEXT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_lite_forced (id BIGINT PRIMARY KEY, features TEXT NOT NULL)",
];

/// Creates the tables of `ddl`; a table another test thread created first is fine.
pub fn create_tables<C: Connection>(conn: &mut C, ddl: &[&str]) {
    for statement in ddl {
        if let Err(error) = conn.batch_execute(statement) {
            let text = error.to_string();
            assert!(
                text.contains("already exists") || text.contains("duplicate key"),
                "creating column-type tables failed: {text}"
            );
        }
    }
}

/// JSON, bytes, a text array and timestamps: the derive chooses MessagePack (JSON needs it).
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
#[diesel(table_name = wt_pg_versions, check_for_backend(diesel::pg::Pg))]
#[write_through(key = "pg_version:{id}", ttl = "1h")]
pub struct PgVersion {
    pub id: Uuid,
    pub num: String,
    pub features: serde_json::Value,
    pub checksum: Vec<u8>,
    pub authors: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub yanked_at: Option<NaiveDateTime>,
    pub meta: Option<serde_json::Value>,
}

/// Only types bincode decodes: the derive keeps bincode.
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
#[diesel(table_name = wt_pg_accounts, primary_key(tenant, id))]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[write_through(key = "pg_account:{tenant}:{id}", ttl = "1h")]
pub struct PgAccount {
    pub tenant: Uuid,
    pub id: i64,
    pub name: String,
    pub avatar: Option<Vec<u8>>,
    pub roles: Vec<String>,
    pub joined_at: DateTime<Utc>,
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
#[diesel(table_name = wt_my_versions, check_for_backend(diesel::mysql::Mysql))]
#[write_through(key = "my_version:{id}", ttl = "1h")]
pub struct MyVersion {
    pub id: i64,
    pub num: String,
    pub features: serde_json::Value,
    pub checksum: Vec<u8>,
    pub created_at: NaiveDateTime,
    pub meta: Option<serde_json::Value>,
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
#[diesel(table_name = wt_lite_versions, check_for_backend(diesel::sqlite::Sqlite))]
#[write_through(key = "lite_version:{id}", ttl = "1h")]
pub struct LiteVersion {
    pub id: i64,
    pub num: String,
    pub features: serde_json::Value,
    pub checksum: Vec<u8>,
    pub created_at: NaiveDateTime,
    pub meta: Option<serde_json::Value>,
}

/// Says `codec = "bincode"` over a JSON column: it cannot be cached, and must say so.
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
#[diesel(table_name = wt_lite_forced, check_for_backend(diesel::sqlite::Sqlite))]
#[write_through(key = "lite_forced:{id}", ttl = "1h", codec = "bincode")]
pub struct LiteForced {
    pub id: i64,
    pub features: serde_json::Value,
}
