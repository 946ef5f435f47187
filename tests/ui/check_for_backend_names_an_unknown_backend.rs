//! A backend other than Diesel's PostgreSQL, MySQL and SQLite is refused, pointing at its path.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
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
)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::oracle::Oracle))]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

fn main() {}
