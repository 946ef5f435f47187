//! `retires` names the field holding the other model's key: `foreign_key = ...`.

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
        id -> Integer,
        user_id -> BigInt,
        owner -> Text,
        avatar -> Nullable<Text>,
    }
}

diesel::joinable!(accounts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, accounts);

/// The user with their account's avatar, read through a join.
#[derive(HasQuery, Identifiable, WriteThrough)]
#[diesel(table_name = users, base_query = users::table.left_join(accounts::table))]
#[write_through(key = "user_with_avatar:{id}", ttl = "1h")]
pub struct UserWithAvatar {
    pub id: i64,
    pub name: String,
    #[diesel(select_expression = accounts::avatar.nullable())]
    pub avatar: Option<String>,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, WriteThrough)]
#[diesel(table_name = accounts)]
#[write_through(key = "account:{id}", ttl = "1h", retires(UserWithAvatar))]
pub struct Account {
    pub id: i32,
    pub user_id: i64,
    pub owner: String,
    pub avatar: Option<String>,
}

fn main() {}
