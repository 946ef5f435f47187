//! A unique index of one field is declared on the field, not as a group.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
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
#[write_through(key = "user:{id}", ttl = "1h", unique(email))]
pub struct User {
    pub id: i64,
    pub email: String,
}

fn main() {}
