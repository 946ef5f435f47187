use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    memberships (team_id, user_id) {
        team_id -> Integer,
        user_id -> Integer,
        role -> Text,
    }
}

diesel::table! {
    invitations (id) {
        id -> Integer,
        team_id -> Integer,
    }
}

#[derive(Queryable, Selectable, WriteThrough)]
#[diesel(table_name = memberships, primary_key(team_id, user_id))]
#[write_through(key = "membership:{team_id}:{user_id}", ttl = "1h", retired_by(invitations::team_id))]
pub struct Membership {
    pub team_id: i32,
    pub user_id: i32,
    pub role: String,
}

fn main() {}
