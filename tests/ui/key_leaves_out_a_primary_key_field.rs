//! A template that leaves out one column of a composite key is refused: rows would share a key.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    memberships (org_id, user_id) {
        org_id -> Integer,
        user_id -> Integer,
        role -> Text,
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
#[diesel(table_name = memberships, primary_key(org_id, user_id))]
#[write_through(key = "org:{org_id}", ttl = "1h")]
pub struct User {
    pub org_id: i32,
    pub user_id: i32,
    pub role: String,
}

fn main() {}
