use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> Integer,
        user_id -> Integer,
        avatar -> Nullable<Text>,
    }
}

diesel::joinable!(accounts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, accounts);

#[derive(HasQuery, WriteThrough)]
#[diesel(table_name = users, base_query = users::table.left_join(accounts::table))]
#[write_through(key = "joined_user:{id}", ttl = "1h", partial_save)]
pub struct JoinedUser {
    pub id: i32,
    pub name: String,
    #[diesel(select_expression = accounts::avatar.nullable())]
    pub avatar: Option<String>,
}

fn main() {}
