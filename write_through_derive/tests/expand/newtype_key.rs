// Newtype ids declared in another crate of the application (diesel-derive-newtype's
// `PersonId(pub i32)`): `newtype` keys each by its one field, `person:7`, with no `KeyPart`
// impl for the newtype; on MySQL `create` builds the newtype from `LAST_INSERT_ID()`.
#[diesel(table_name = people, check_for_backend(diesel::mysql::Mysql))]
#[write_through(key = "person:{id}", ttl = "1h")]
pub struct Person {
    #[write_through(newtype)]
    pub id: PersonId,
    #[write_through(newtype, unique)]
    pub account_id: AccountId,
    pub name: String,
}
