//! Collections the derive accepts: several per model, ordered ascending and descending, by a
//! nullable parent, by a newtype parent, by a nullable order column, with a cap.

use diesel::prelude::*;
use write_through::prelude::*;

diesel::table! {
    comments (id) {
        id -> BigInt,
        post_id -> BigInt,
        creator_id -> Integer,
        parent_id -> Nullable<BigInt>,
        published -> Timestamp,
        score -> Nullable<Integer>,
        body -> Text,
    }
}

/// A person's id, declared as another crate would (Lemmy's `PersonId`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash,
    diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Integer)]
pub struct PersonId(pub i32);

impl diesel::deserialize::FromSql<diesel::sql_types::Integer, diesel::sqlite::Sqlite> for PersonId {
    fn from_sql(bytes: diesel::sqlite::SqliteValue<'_, '_, '_>) -> diesel::deserialize::Result<Self> {
        <i32 as diesel::deserialize::FromSql<diesel::sql_types::Integer, diesel::sqlite::Sqlite>>::from_sql(bytes)
            .map(PersonId)
    }
}

impl diesel::serialize::ToSql<diesel::sql_types::Integer, diesel::sqlite::Sqlite> for PersonId {
    fn to_sql<'b>(
        &'b self,
        out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
    ) -> diesel::serialize::Result {
        out.set_value(self.0);
        Ok(diesel::serialize::IsNull::No)
    }
}

impl serde::Serialize for PersonId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for PersonId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i32::deserialize(deserializer).map(PersonId)
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable, WriteThrough)]
#[diesel(table_name = comments, check_for_backend(diesel::sqlite::Sqlite))]
#[write_through(
    key = "comment:{id}",
    ttl = "1h",
    collection(by = post_id, order_by = published.desc(), max = 300),
    collection(by = creator_id, order_by = published.asc()),
    collection(by = parent_id, order_by = score),
)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    #[write_through(newtype)]
    pub creator_id: PersonId,
    pub parent_id: Option<i64>,
    pub published: chrono::NaiveDateTime,
    pub score: Option<i32>,
    pub body: String,
}

fn lists(conn: &mut SqliteConnection, cache: &Cache) -> Result<(), write_through::Error> {
    let _: Vec<Comment> = Comment::find_all_by_post_id(conn, cache, &7)?;
    let _: Vec<Comment> = Comment::find_all_by_creator_id(conn, cache, &PersonId(3))?;
    let _: Vec<Comment> = Comment::find_all_by_parent_id(conn, cache, &9)?;
    let _: Vec<Vec<Comment>> = Comment::find_all_by_post_id_in(conn, cache, [&7, &8])?;
    Ok(())
}

fn main() {
    let _ = lists;
}
