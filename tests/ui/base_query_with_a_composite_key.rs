use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    memberships (team_id, user_id) {
        team_id -> Integer,
        user_id -> Integer,
        active -> Bool,
    }
}

#[derive(HasQuery, WriteThrough)]
#[diesel(table_name = memberships, primary_key(team_id, user_id))]
#[diesel(base_query = memberships::table.filter(memberships::active.eq(true)))]
#[write_through(key = "membership:{team_id}:{user_id}", ttl = "1h")]
pub struct ActiveMembership {
    pub team_id: i32,
    pub user_id: i32,
    pub active: bool,
}

fn main() {}
