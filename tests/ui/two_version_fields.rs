//! Only one field can carry the version.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    documents (id) {
        id -> BigInt,
        title -> Text,
        version -> Integer,
        also -> Integer,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize, WriteThrough)]
#[diesel(table_name = documents)]
#[write_through(key = "doc:{id}", ttl = "1h")]
pub struct Document {
    pub id: i64,
    pub title: String,
    #[write_through(version)]
    #[diesel(skip_update)]
    pub version: i32,
    #[write_through(version)]
    #[diesel(skip_update)]
    pub also: i32,
}

fn main() {}
