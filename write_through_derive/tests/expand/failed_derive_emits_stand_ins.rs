// A derive that fails emits its errors and stand-ins for the methods, so that callers of
// `save`/`find`/`delete`/`create` see no further errors.
#[diesel(table_name = users)]
#[write_through(key = "user:{email}", ttl = "soon")]
pub struct User {
    pub id: i64,
    pub email: String,
}
