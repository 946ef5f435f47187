//! `serialize_as` makes Diesel implement `Insertable` and `AsChangeset` for the owned struct only,
//! while `save` writes a borrowed row: refused with that reason, at the option.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Email(pub String);

impl From<String> for Email {
    fn from(email: String) -> Email {
        Email(email)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
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
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub email: Email,
}

fn main() {}
