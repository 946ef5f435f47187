// Cached collections: the comments of a post, newest first with a cap, and those of a parent
// comment (a nullable column); each gets `Collection<N>`, its query by parent in order (ties by
// key), an entry in `write_collection_keys`, its column in `ChangeKeys`, and
// `find_all_by_<name>` / `find_all_by_<name>_in`.
#[diesel(table_name = comments)]
#[write_through(
    key = "comment:{id}",
    ttl = "1h",
    collection(by = post_id, order_by = published.desc(), max = 300),
    collection(by = parent_id)
)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub published: i64,
    pub body: String,
}
