//! A version field is an integer column.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    documents (id) {
        id -> BigInt,
        title -> Text,
        version -> Integer,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize, WriteThrough)]
#[diesel(table_name = documents)]
#[write_through(key = "doc:{id}", ttl = "1h")]
pub struct Document {
    pub id: i64,
    #[write_through(version)]
    #[diesel(skip_update)]
    pub title: String,
    pub version: i32,
}

fn main() {}
