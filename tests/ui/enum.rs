//! An enum is refused: a cached model is a table row. (Diesel's row derives refuse enums too, so
//! only serde's are kept here.)

use serde::{Deserialize, Serialize};
use write_through::prelude::*;

#[derive(Serialize, Deserialize, WriteThrough)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub enum User {
    Active { id: i64 },
    Banned { id: i64 },
}

fn main() {}
