//! A model using every Diesel option the derive reads compiles: a table reached through a module
//! path, a key field whose column has another name, a single checked backend and a String key.
//! `primary_key(...)` names columns, as in Diesel; the key template names fields.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

mod schema {
    diesel::table! {
        people (handle) {
            handle -> Text,
            display_name -> Text,
        }
    }
}

#[derive(
    Queryable, Selectable, Insertable, AsChangeset, Identifiable, Serialize, Deserialize, WriteThrough,
)]
#[diesel(table_name = crate::schema::people, primary_key(handle))]
#[diesel(check_for_backend(diesel::pg::Pg))]
#[write_through(key = "person:{login}", ttl = "10m", negative_ttl = "30s")]
pub struct Person {
    #[diesel(column_name = handle)]
    pub login: String,
    pub display_name: String,
}

fn main() {
    fn uses_the_model(
        conn: &mut diesel::PgConnection,
        cache: &Cache,
        person: &Person,
    ) -> Result<(), Error> {
        person.save(conn, cache)?;
        let _found: Option<Person> = Person::find(conn, cache, &person.login)?;
        let _existed: bool = Person::delete(conn, cache, &person.login)?;
        let _created: Person = Person::create(conn, cache, person)?;
        Ok(())
    }
    let _ = uses_the_model;
}
