//! A version field must be left alone by AsChangeset: the derive bumps it itself.

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
    pub title: String,
    #[write_through(version)]
    pub version: i32,
}

fn main() {}
