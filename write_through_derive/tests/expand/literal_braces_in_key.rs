// `{{` and `}}` are literal braces: the template is kept as written, the rendered key gets one
// brace each.
#[diesel(table_name = users)]
#[write_through(key = "{{users}}:u:{id}", ttl = "1500ms")]
pub struct User {
    pub id: i64,
    pub name: String,
}
