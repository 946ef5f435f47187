// A field whose type bincode cannot be proved to decode (a JSON value): the model's rows are
// cached in MessagePack; a disabled backend check leaves every backend in.
#[diesel(table_name = events, check_for_backend(disable = true))]
#[write_through(key = "event:{id}", ttl = "1h")]
pub struct Event {
    pub id: i64,
    pub payload: serde_json::Value,
}
