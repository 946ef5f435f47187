//! A composite unique index over exactly the primary key's fields would duplicate `find`.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    memberships (org_id, user_id) {
        org_id -> BigInt,
        user_id -> BigInt,
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
#[write_through(key = "membership:{org_id}:{user_id}", ttl = "1h", unique(user_id, org_id))]
pub struct Membership {
    pub org_id: i64,
    pub user_id: i64,
    pub role: String,
}

fn main() {}
