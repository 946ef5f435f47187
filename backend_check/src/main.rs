//! A model compiled with any subset of the backend features, including none: the derive emits
//! each backend's queries only when that backend's feature is on. CI runs it with none and
//! type-checks it with each feature alone.
//!
//! ```text
//! cargo run -p write_through_backend_check --features sqlite
//! ```

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    accounts (id) {
        id -> Integer,
        owner -> Text,
        handle -> Text,
    }
}

/// An account, cached for ten minutes under `acct:{id}`, with a unique index (whose queries and
/// lookups are emitted per backend and front, as the others are).
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
    Debug,
)]
#[diesel(table_name = accounts)]
#[write_through(key = "acct:{id}", ttl = "10m")]
pub struct Account {
    id: i32,
    owner: String,
    #[write_through(unique)]
    handle: String,
}

fn main() {
    let backends: Vec<&str> = [
        (cfg!(feature = "postgres"), "postgres"),
        (cfg!(feature = "mysql"), "mysql"),
        (cfg!(feature = "sqlite"), "sqlite"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    println!(
        "{} is cached under {:?} for {:?} with backends {backends:?}",
        Account::MODEL_NAME,
        Account::KEY_TEMPLATE,
        Account::TTL
    );
    println!(
        "with the unique index {:?}",
        <Account as write_through::UniqueIndex<0>>::INDEX_NAME
    );
}
