//! A negative TTL written as a string is refused.

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
#[write_through(key = "user:{id}", ttl = "-5s")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

fn main() {}
