use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    people (id) {
        id -> Integer,
        email -> Text,
        name -> Text,
    }
}

#[derive(Queryable, Selectable, WriteThrough)]
#[diesel(table_name = people)]
#[write_through(key = "person:{id}", ttl = "1h")]
pub struct Person {
    pub id: i32,
    pub email: String,
    #[diesel(column_name = email)]
    pub email_again: String,
}

fn main() {}
