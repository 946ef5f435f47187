//! Real-looking models with the column types applications use, one table set per backend, for
//! `tests/types/columns.rs`. PostgreSQL: UUID keys (alone and in a composite key), JSONB,
//! TIMESTAMPTZ, TIMESTAMP, BYTEA, TEXT[]. MySQL/MariaDB: JSON, BLOB, DATETIME. SQLite: JSON (as
//! text), BLOB, TIMESTAMP. On each backend, an `i32` key and `i16`, `i32`, `f32`, `f64` and
//! `bool` columns beside an enum: a PostgreSQL `CREATE TYPE ... AS ENUM` and a MySQL `ENUM(...)`
//! column, each mapped with a custom SQL type and hand-written `ToSql`/`FromSql` (as Diesel's
//! documentation shows), and on SQLite, which has no enum type, a `TEXT` column. On each
//! backend, money and time (`*Ledger`): `NUMERIC`/`DECIMAL` as `bigdecimal::BigDecimal`, the
//! `time` crate's `OffsetDateTime`, `PrimitiveDateTime`, `Date` and `Time`, chrono's
//! `NaiveTime`, under a composite key of a chrono `NaiveDate` and text. The tables are created
//! by [`create_tables`].

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use write_through::prelude::*;

/// The tables, for the cleanup at the end of `.ci/run`.
pub mod schema {
    /// The SQL types of the enum columns.
    pub mod sql_types {
        /// PostgreSQL's `wt_pg_status` (`CREATE TYPE wt_pg_status AS ENUM (...)`).
        #[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
        #[diesel(postgres_type(name = "wt_pg_status"))]
        pub struct WtPgStatus;

        /// A MySQL `ENUM('draft', 'published', 'archived')` column.
        #[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
        #[diesel(mysql_type(name = "Enum"))]
        pub struct WtMyStatus;
    }

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
        use diesel::sql_types::*;
        use super::sql_types::WtPgStatus;

        /// An `i32` key, the other scalar types, and an enum of a type of its own.
        wt_pg_scalars (id) {
            id -> Integer,
            small -> SmallInt,
            stars -> Integer,
            ratio -> Float,
            score -> Double,
            active -> Bool,
            status -> WtPgStatus,
            previous -> Nullable<WtPgStatus>,
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
        use diesel::sql_types::*;
        use super::sql_types::WtMyStatus;

        wt_my_scalars (id) {
            id -> Integer,
            small -> SmallInt,
            stars -> Integer,
            ratio -> Float,
            score -> Double,
            active -> Bool,
            status -> WtMyStatus,
            previous -> Nullable<WtMyStatus>,
        }
    }

    diesel::table! {
        /// SQLite has no enum type: the enum is stored as its name.
        wt_lite_scalars (id) {
            id -> Integer,
            small -> SmallInt,
            stars -> Integer,
            ratio -> Float,
            score -> Double,
            active -> Bool,
            status -> Text,
            previous -> Nullable<Text>,
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
        /// Money and time, under a date and a code.
        wt_pg_ledger (day, code) {
            day -> Date,
            code -> Text,
            amount -> Numeric,
            fee -> Nullable<Numeric>,
            opens_at -> Time,
            booked_at -> Timestamptz,
            settles_on -> Date,
            cutoff -> Time,
            recorded_at -> Timestamp,
        }
    }

    diesel::table! {
        wt_my_ledger (day, code) {
            day -> Date,
            code -> Varchar,
            amount -> Numeric,
            fee -> Nullable<Numeric>,
            opens_at -> Time,
            booked_at -> Datetime,
            settles_on -> Date,
            cutoff -> Time,
            recorded_at -> Datetime,
        }
    }

    diesel::table! {
        /// SQLite keeps a `NUMERIC` as a double (Diesel converts through `f64`), and an
        /// instant with its offset as text.
        wt_lite_ledger (day, code) {
            day -> Date,
            code -> Text,
            amount -> Numeric,
            fee -> Nullable<Numeric>,
            opens_at -> Time,
            booked_at -> TimestamptzSqlite,
            settles_on -> Date,
            cutoff -> Time,
            recorded_at -> Timestamp,
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

use schema::sql_types::{WtMyStatus, WtPgStatus};
use schema::{
    wt_lite_forced, wt_lite_ledger, wt_lite_scalars, wt_lite_versions, wt_my_ledger, wt_my_scalars,
    wt_my_versions, wt_pg_accounts, wt_pg_ledger, wt_pg_scalars, wt_pg_versions,
};

pub const POSTGRES_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_pg_versions (id UUID PRIMARY KEY, num TEXT NOT NULL, features JSONB NOT NULL, checksum BYTEA NOT NULL, authors TEXT[] NOT NULL, created_at TIMESTAMPTZ NOT NULL, yanked_at TIMESTAMP NULL, meta JSONB NULL)",
    "CREATE TABLE IF NOT EXISTS wt_pg_accounts (tenant UUID NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL, avatar BYTEA NULL, roles TEXT[] NOT NULL, joined_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (tenant, id))",
    // No IF NOT EXISTS for types: "already exists" is expected after the first run.
    "CREATE TYPE wt_pg_status AS ENUM ('draft', 'published', 'archived')",
    "CREATE TABLE IF NOT EXISTS wt_pg_scalars (id INTEGER PRIMARY KEY, small SMALLINT NOT NULL, stars INTEGER NOT NULL, ratio REAL NOT NULL, score DOUBLE PRECISION NOT NULL, active BOOLEAN NOT NULL, status wt_pg_status NOT NULL, previous wt_pg_status NULL)",
    "CREATE TABLE IF NOT EXISTS wt_pg_ledger (day DATE NOT NULL, code TEXT NOT NULL, amount NUMERIC NOT NULL, fee NUMERIC NULL, opens_at TIME NOT NULL, booked_at TIMESTAMPTZ NOT NULL, settles_on DATE NOT NULL, cutoff TIME NOT NULL, recorded_at TIMESTAMP NOT NULL, PRIMARY KEY (day, code))",
];

pub const MYSQL_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_my_versions (id BIGINT PRIMARY KEY, num VARCHAR(64) NOT NULL, features JSON NOT NULL, checksum BLOB NOT NULL, created_at DATETIME(6) NOT NULL, meta JSON NULL)",
    "CREATE TABLE IF NOT EXISTS wt_my_scalars (id INT PRIMARY KEY, small SMALLINT NOT NULL, stars INT NOT NULL, ratio FLOAT NOT NULL, score DOUBLE NOT NULL, active BOOL NOT NULL, status ENUM('draft', 'published', 'archived') NOT NULL, previous ENUM('draft', 'published', 'archived') NULL)",
    // A binary collation for the key's text: one spelling, one row (see `write_through::guide::limits`).
    "CREATE TABLE IF NOT EXISTS wt_my_ledger (day DATE NOT NULL, code VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, amount DECIMAL(38, 12) NOT NULL, fee DECIMAL(38, 12) NULL, opens_at TIME(6) NOT NULL, booked_at DATETIME(6) NOT NULL, settles_on DATE NOT NULL, cutoff TIME(6) NOT NULL, recorded_at DATETIME(6) NOT NULL, PRIMARY KEY (day, code))",
];

pub const SQLITE_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_lite_versions (id BIGINT PRIMARY KEY, num TEXT NOT NULL, features TEXT NOT NULL, checksum BLOB NOT NULL, created_at TIMESTAMP NOT NULL, meta TEXT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_lite_forced (id BIGINT PRIMARY KEY, features TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_lite_scalars (id INTEGER PRIMARY KEY, small SMALLINT NOT NULL, stars INTEGER NOT NULL, ratio REAL NOT NULL, score DOUBLE NOT NULL, active BOOLEAN NOT NULL, status TEXT NOT NULL, previous TEXT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_lite_ledger (day DATE NOT NULL, code TEXT NOT NULL, amount NUMERIC NOT NULL, fee NUMERIC NULL, opens_at TIME NOT NULL, booked_at TEXT NOT NULL, settles_on DATE NOT NULL, cutoff TIME NOT NULL, recorded_at TIMESTAMP NOT NULL, PRIMARY KEY (day, code))",
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

/// A release's status: a PostgreSQL enum type, a MySQL `ENUM` column, or text on SQLite.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = WtPgStatus)]
#[diesel(sql_type = WtMyStatus)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Status {
    Draft,
    Published,
    Archived,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    fn from_label(label: &[u8]) -> diesel::deserialize::Result<Self> {
        match label {
            b"draft" => Ok(Status::Draft),
            b"published" => Ok(Status::Published),
            b"archived" => Ok(Status::Archived),
            other => Err(format!("unknown status {:?}", String::from_utf8_lossy(other)).into()),
        }
    }
}

mod status_sql {
    use std::io::Write;

    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::mysql::{Mysql, MysqlValue};
    use diesel::pg::{Pg, PgValue};
    use diesel::serialize::{self, IsNull, Output, ToSql};
    use diesel::sql_types::Text;
    use diesel::sqlite::Sqlite;

    use super::{Status, WtMyStatus, WtPgStatus};

    impl ToSql<WtPgStatus, Pg> for Status {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
            out.write_all(self.label().as_bytes())?;
            Ok(IsNull::No)
        }
    }

    impl FromSql<WtPgStatus, Pg> for Status {
        fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
            Status::from_label(bytes.as_bytes())
        }
    }

    impl ToSql<WtMyStatus, Mysql> for Status {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
            out.write_all(self.label().as_bytes())?;
            Ok(IsNull::No)
        }
    }

    impl FromSql<WtMyStatus, Mysql> for Status {
        fn from_sql(bytes: MysqlValue<'_>) -> deserialize::Result<Self> {
            Status::from_label(bytes.as_bytes())
        }
    }

    impl ToSql<Text, Sqlite> for Status {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
            out.set_value(self.label());
            Ok(IsNull::No)
        }
    }

    impl FromSql<Text, Sqlite> for Status {
        fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
            let text = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
            Status::from_label(text.as_bytes())
        }
    }
}

/// An `i32` key, `i16`, `i32`, `f32`, `f64` and `bool` columns, and an enum of a PostgreSQL
/// type (plain and nullable). The enum is a type the derive cannot prove bincode-safe, so it
/// chooses MessagePack.
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
#[diesel(table_name = wt_pg_scalars, check_for_backend(diesel::pg::Pg))]
#[diesel(treat_none_as_null = true)]
#[write_through(key = "pg_scalars:{id}", ttl = "1h")]
pub struct PgScalars {
    pub id: i32,
    pub small: i16,
    pub stars: i32,
    pub ratio: f32,
    pub score: f64,
    pub active: bool,
    pub status: Status,
    pub previous: Option<Status>,
}

/// [`PgScalars`] on MySQL, with an `ENUM(...)` column.
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
#[diesel(table_name = wt_my_scalars, check_for_backend(diesel::mysql::Mysql))]
#[diesel(treat_none_as_null = true)]
#[write_through(key = "my_scalars:{id}", ttl = "1h")]
pub struct MyScalars {
    pub id: i32,
    pub small: i16,
    pub stars: i32,
    pub ratio: f32,
    pub score: f64,
    pub active: bool,
    pub status: Status,
    pub previous: Option<Status>,
}

/// [`PgScalars`] on SQLite, the enum as text.
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
#[diesel(table_name = wt_lite_scalars, check_for_backend(diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_null = true)]
#[write_through(key = "lite_scalars:{id}", ttl = "1h")]
pub struct LiteScalars {
    pub id: i32,
    pub small: i16,
    pub stars: i32,
    pub ratio: f32,
    pub score: f64,
    pub active: bool,
    pub status: Status,
    pub previous: Option<Status>,
}

/// One ledger model per backend: money and time under a date-and-code key. `BigDecimal` and the
/// `time` crate's types are not provably bincode-safe, so the derive chooses MessagePack.
macro_rules! ledger_model {
    ($(#[$doc:meta])* $model:ident, $table:ident, $backend:path, $key:literal) => {
        $(#[$doc])*
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
        #[diesel(table_name = $table, primary_key(day, code), check_for_backend($backend))]
        #[diesel(treat_none_as_null = true)]
        #[write_through(key = $key, ttl = "1h")]
        pub struct $model {
            pub day: NaiveDate,
            pub code: String,
            pub amount: BigDecimal,
            pub fee: Option<BigDecimal>,
            pub opens_at: NaiveTime,
            pub booked_at: time::OffsetDateTime,
            pub settles_on: time::Date,
            pub cutoff: time::Time,
            pub recorded_at: time::PrimitiveDateTime,
        }
    };
}

ledger_model!(
    /// `NUMERIC`, `TIME`, `TIMESTAMPTZ`, `DATE` and `TIMESTAMP` on PostgreSQL.
    PgLedger,
    wt_pg_ledger,
    diesel::pg::Pg,
    "pg_ledger:{day}:{code}"
);
ledger_model!(
    /// `DECIMAL(38, 12)`, `TIME(6)`, `DATETIME(6)` and `DATE` on MySQL/MariaDB.
    MyLedger,
    wt_my_ledger,
    diesel::mysql::Mysql,
    "my_ledger:{day}:{code}"
);
ledger_model!(
    /// SQLite's `NUMERIC` (a double), dates and times as text.
    LiteLedger,
    wt_lite_ledger,
    diesel::sqlite::Sqlite,
    "lite_ledger:{day}:{code}"
);
