//! A key template starts with fixed text naming the model, so two models never share keys.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        name -> Text,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, Serialize, Deserialize, WriteThrough)]
#[diesel(table_name = users)]
#[write_through(key = "{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub name: String,
}

fn main() {}
