//! A generic model is refused: a cached row must be one concrete type. (`AsChangeset` is left out:
//! Diesel's own derive needs bounds on the parameter that would only add Diesel's errors.)

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
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User<Name> {
    pub id: i64,
    pub email: String,
    pub name: Name,
}

fn main() {}
