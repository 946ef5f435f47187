//! Options on fields are checked like options on the struct.

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
    #[write_through(key, colour = "blue")]
    pub id: i64,
    pub title: String,
    pub version: i32,
}

fn main() {}
