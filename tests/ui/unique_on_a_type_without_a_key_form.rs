//! An indexed column's type must have a key form (KeyPart): a JSON value has none.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        settings -> Jsonb,
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
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    #[write_through(unique)]
    pub settings: serde_json::Value,
}

fn main() {}
