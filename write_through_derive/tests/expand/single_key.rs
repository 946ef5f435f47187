// The common case: one integer key column named `id`, the table named explicitly.
#[diesel(table_name = users)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}
