//! A tuple struct is refused, even one Diesel accepts: key placeholders name fields.

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
pub struct User(
    #[diesel(column_name = id)] pub i64,
    #[diesel(column_name = email)] pub String,
    #[diesel(column_name = name)] pub String,
);

fn main() {}
