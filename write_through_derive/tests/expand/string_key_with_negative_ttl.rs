// A String key that is not called `id`, with "no such row" cached for a minute.
#[diesel(table_name = tags, primary_key(name))]
#[write_through(key = "tag:{name}", ttl = "5m", negative_ttl = "1m")]
pub struct Tag {
    pub name: String,
    pub uses: i32,
}
