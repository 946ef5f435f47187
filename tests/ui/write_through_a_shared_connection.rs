//! A shared `&AsyncPgConnection` (diesel-async's pipelining form) reads, but does not write: a
//! write runs in a transaction of its own, which every query pipelined meanwhile on the shared
//! connection would join. The error says to write through the `&mut` it was borrowed from.

use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use write_through::asynch::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        name -> Text,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, WriteThrough)]
#[diesel(table_name = users)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub name: String,
}

async fn rename(mut conn: &AsyncPgConnection, cache: &Cache, user: &User) -> Result<(), Error> {
    // Reads are fine through the shared reference.
    let _found = User::find(&mut conn, cache, &user.id).await?;
    user.save(&mut conn, cache).await?;
    Ok(())
}

fn main() {
    let _ = rename;
}
