//! The model's serde attributes (a tag on the struct, a skipped secret, a condition) are its API
//! JSON's: the cache encodes every field itself, so they are accepted and change nothing cached.

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
#[serde(tag = "type")]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip)]
    pub name: String,
}

fn main() {}
