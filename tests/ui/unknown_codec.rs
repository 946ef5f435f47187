//! A codec the library does not have is refused, naming the ones it has.

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

#[derive(Queryable, Selectable, Insertable, Identifiable, Serialize, Deserialize, WriteThrough)]
#[diesel(table_name = users)]
#[write_through(key = "user:{id}", ttl = "1h", codec = "json")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

fn main() {}
