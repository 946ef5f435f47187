// A unique column named after a Rust keyword, written as a raw identifier: its methods are
// `find_by_type` and `find_many_by_type`, and its name in index keys is `type`.
#[diesel(table_name = tokens)]
#[write_through(key = "token:{id}", ttl = "1h")]
pub struct Token {
    pub id: i64,
    #[write_through(unique)]
    pub r#type: String,
}
