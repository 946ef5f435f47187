// Without `table_name`, the table is Diesel's default: the struct name in snake case plus `s`.
#[write_through(key = "account:{id}", ttl = "1d")]
pub struct UserAccount {
    pub id: i64,
    pub balance: i64,
}
