//! `#[serde(flatten)]` on a field is refused when the model asks for bincode, which cannot decode
//! a flattened struct (without `codec = "bincode"` the derive chooses msgpack, which can).

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

#[derive(Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = users)]
pub struct Contact {
    pub email: String,
    pub name: String,
}

#[derive(Queryable, Selectable, Insertable, Identifiable, Serialize, Deserialize, WriteThrough)]
#[diesel(table_name = users)]
#[write_through(key = "user:{id}", ttl = "1h", codec = "bincode")]
pub struct User {
    pub id: i64,
    #[diesel(embed)]
    #[serde(flatten)]
    pub contact: Contact,
}

fn main() {}
