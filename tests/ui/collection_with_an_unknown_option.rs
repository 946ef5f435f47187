//! A `collection(...)` takes `by`, `order_by` and `max`.

use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    versions (id) {
        id -> BigInt,
        crate_id -> Integer,
        num -> Text,
        downloads -> Double,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, WriteThrough)]
#[diesel(table_name = versions)]
#[write_through(key = "version:{id}", ttl = "1h", collection(by = crate_id, limit = 10))]
pub struct Version {
    pub id: i64,
    pub crate_id: i32,
    pub num: String,
    pub downloads: f64,
}

fn main() {}
