//! A Diesel primary key that is no field of the struct is refused, pointing at the name.
//! (`Identifiable` is left out: Diesel's derive reports the same token in its own words.)

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

#[derive(Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize, WriteThrough)]
#[diesel(table_name = users, primary_key(uid))]
#[write_through(key = "user:{uid}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

fn main() {}
