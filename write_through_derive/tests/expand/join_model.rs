// A model read through a join (crates.io's `User`): its base query is what the cache selects
// from, and a computed field makes it read-only: no save, no update of its own.
#[diesel(table_name = users, base_query = users::table.left_join(oauth_github::table))]
#[write_through(key = "user:{id}", ttl = "10m")]
pub struct User {
    pub id: i32,
    pub gh_login: String,
    #[diesel(select_expression = oauth_github::avatar.nullable())]
    pub gh_avatar: Option<String>,
    #[write_through(unique)]
    pub username: String,
}
