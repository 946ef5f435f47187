//! A write of a model that retires others reads the row it replaces first, locked: a model
//! built on a join has no row of its own to lock (it is read-only). `retires` goes on the model
//! of the table it joins.

use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        user_id -> BigInt,
        avatar -> Nullable<Text>,
    }
}

diesel::joinable!(accounts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, accounts);

#[derive(Queryable, Selectable, Identifiable, WriteThrough)]
#[diesel(table_name = users)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub name: String,
}

#[derive(HasQuery, Identifiable, WriteThrough)]
#[diesel(table_name = users, base_query = users::table.left_join(accounts::table))]
#[write_through(key = "user_with_avatar:{id}", ttl = "1h", retires(User, foreign_key = id))]
pub struct UserWithAvatar {
    pub id: i64,
    pub name: String,
    #[diesel(select_expression = accounts::avatar.nullable())]
    pub avatar: Option<String>,
}

fn main() {}
