// Optimistic locking: a version field, skipped by AsChangeset and bumped by the derive's upsert.
#[diesel(table_name = documents)]
#[write_through(key = "doc:{id}", ttl = "10m")]
pub struct Document {
    pub id: i64,
    pub title: String,
    #[write_through(version)]
    #[diesel(skip_update)]
    pub version: i32,
}
