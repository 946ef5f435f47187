// Unique indexes: one on a column (looked up by `&str`), one on a nullable column, and a
// composite one on the struct; each gets `UniqueIndex<N>`, its queries by value, an entry in
// `write_index_keys`, and `find_by_<name>` / `find_many_by_<name>`.
#[diesel(table_name = accounts)]
#[write_through(key = "account:{id}", ttl = "1h", unique(org_id, handle))]
pub struct Account {
    pub id: i64,
    #[write_through(unique)]
    pub email: String,
    pub org_id: i32,
    pub handle: String,
    #[write_through(unique)]
    pub login: Option<String>,
}
