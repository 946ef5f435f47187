//! The cache encodes every field; a field whose type has no serde impls (here Diesel's own
//! `PgInterval`) is an error at that field. The fix: `#[write_through(with = "module")]`.

use diesel::pg::data_types::PgInterval;
use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    jobs (id) {
        id -> BigInt,
        every -> Interval,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, WriteThrough)]
#[diesel(table_name = jobs, check_for_backend(diesel::pg::Pg))]
#[write_through(key = "job:{id}", ttl = "1h")]
pub struct Job {
    pub id: i64,
    pub every: PgInterval,
}

fn main() {}
