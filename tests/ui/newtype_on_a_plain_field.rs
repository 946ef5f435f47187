//! `newtype` says how a field is written into a key, so it is refused on a field that is in none.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
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
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    #[write_through(newtype)]
    pub name: String,
}

fn main() {}
