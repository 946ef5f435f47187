// A model checked for PostgreSQL only: only the PostgreSQL impls are generated. The table is
// reached through a path and the key field's column has another name.
#[diesel(table_name = crate::schema::people, primary_key(login))]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[write_through(key = "person:{login}", ttl = "1h30m")]
pub struct Person {
    #[diesel(column_name = handle)]
    pub login: String,
    pub display_name: String,
}
