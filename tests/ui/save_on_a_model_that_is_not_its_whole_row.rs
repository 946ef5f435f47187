//! `save` writes the whole row, so it is offered only for a model whose fields are every column
//! of its table: not for one that selects some of them (an insert would leave out a column that
//! may have no default), nor for one built on a join or computed expressions. Both are written
//! through `update` with a form and `create`; `partial_save` says the other columns have defaults.

use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        api_secret -> Text,
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

/// Leaves out `api_secret`.
#[derive(Queryable, Selectable, WriteThrough)]
#[diesel(table_name = users)]
#[write_through(key = "partial_user:{id}", ttl = "1h")]
pub struct PartialUser {
    pub id: i32,
    pub name: String,
}

/// Read through a join.
#[derive(HasQuery, WriteThrough)]
#[diesel(table_name = users, base_query = users::table.left_join(accounts::table))]
#[write_through(key = "joined_user:{id}", ttl = "1h")]
pub struct JoinedUser {
    pub id: i32,
    pub name: String,
    #[diesel(select_expression = accounts::avatar.nullable())]
    pub avatar: Option<String>,
}

fn main() {
    fn saves(conn: &mut diesel::PgConnection, cache: &Cache, partial: &PartialUser, joined: &JoinedUser) {
        let _ = partial.save(conn, cache);
        let _ = joined.save(conn, cache);
    }
    let _ = saves;
}
