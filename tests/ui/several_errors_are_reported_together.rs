//! Every mistake of one derive is reported in the same compile, and the generated stand-ins keep
//! the code that calls the model free of follow-on errors.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    Serialize,
    Deserialize,
    WriteThrough,
)]
#[diesel(table_name = users)]
#[write_through(key = "user:{email}", ttl = "forever", expire = "2h")]
pub struct User {
    pub id: i64,
    pub email: String,
    #[write_through(version)]
    pub name: String,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

#[allow(dead_code)]
fn uses_the_model(
    conn: &mut diesel::PgConnection,
    cache: &Cache,
    user: &User,
) -> Result<(), Error> {
    user.save(conn, cache)?;
    let _found: Option<User> = User::find(conn, cache, &user.id)?;
    let _existed: bool = User::delete(conn, cache, &user.id)?;
    let new = NewUser {
        email: "ada@example.test".into(),
        name: "Ada".into(),
    };
    let _created: User = User::create(conn, cache, &new)?;
    Ok(())
}

fn main() {}
