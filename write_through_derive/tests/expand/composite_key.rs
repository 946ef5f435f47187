// A composite key: the id is a tuple of references, in `primary_key(...)` order; the TTL is a
// number of seconds.
#[diesel(table_name = memberships, primary_key(org_id, user_id))]
#[write_through(key = "org:{org_id}:member:{user_id}", ttl = 600, negative_ttl = "30s")]
pub struct Membership {
    pub org_id: i32,
    pub user_id: i32,
    pub role: String,
}
