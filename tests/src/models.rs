//! The models under test: a serial key, a composite key, and a String key.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use write_through::prelude::*;

use crate::schema::{
    wt_accounts, wt_avatars, wt_comments, wt_memberships, wt_people, wt_tags, wt_users,
};

/// A row with a database-generated key and a unique column.
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_users)]
#[write_through(key = "user:{id}", ttl = "1h")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// A user before the database gave it an id.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = wt_users)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

/// A composite primary key.
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_memberships, primary_key(org_id, user_id))]
#[write_through(key = "org:{org_id}:member:{user_id}", ttl = 600, negative_ttl = "30s")]
pub struct Membership {
    pub org_id: i32,
    pub user_id: i32,
    pub role: String,
}

/// A String primary key, so key escaping is exercised with user data.
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_tags, primary_key(name))]
#[write_through(key = "tag:{name}", ttl = "5m", negative_ttl = "1m")]
pub struct Tag {
    pub name: String,
    pub uses: i32,
}

/// The tags again, served from the in-process tier for up to 5 s (`local`).
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_tags, primary_key(name))]
#[write_through(key = "hot:{name}", ttl = "5m", negative_ttl = "1m", local = "5s")]
pub struct HotTag {
    pub name: String,
    pub uses: i32,
}

/// A composite key of two strings: the hardest case for key escaping.
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = crate::schema::wt_pairs, primary_key(a, b))]
#[write_through(key = "pair:{a}:{b}", ttl = "1m")]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub v: i32,
}

/// Optimistic locking: `save` changes the row only if its version is still the one read.
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = crate::schema::wt_documents)]
#[write_through(key = "doc:{id}", ttl = "10m")]
pub struct Document {
    pub id: i64,
    pub title: String,
    #[write_through(version)]
    #[diesel(skip_update)]
    pub version: i32,
}

/// An update form for documents: the title only (the library bumps the version).
#[derive(AsChangeset, Debug, Clone)]
#[diesel(table_name = crate::schema::wt_documents)]
pub struct DocumentUpdateForm {
    pub title: Option<String>,
}

/// A key template with a hash tag: every session lives in the slot of the literal `{sessions}`,
/// so that a batch of them is one script call on a cluster.
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
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_tags, primary_key(name))]
#[write_through(key = "{{sessions}}:tag:{name}", ttl = "5m")]
pub struct TaggedSession {
    pub name: String,
    pub uses: i32,
}

/// Unique indexes: one on a column, one on a nullable column, and a composite one.
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
    Clone,
    PartialEq,
)]
// `treat_none_as_null`: saving `login: None` clears the column (Diesel's `AsChangeset` would
// otherwise leave it as it is).
#[diesel(table_name = wt_accounts, treat_none_as_null = true)]
#[write_through(
    key = "account:{id}",
    ttl = "1h",
    negative_ttl = "1m",
    unique(org_id, handle)
)]
pub struct Account {
    pub id: i64,
    #[write_through(unique)]
    pub email: String,
    pub org_id: i32,
    pub handle: String,
    #[write_through(unique)]
    pub login: Option<String>,
    pub name: String,
}

/// The application's update form for accounts, as Lemmy writes its `PersonUpdateForm`: a `None`
/// field leaves its column alone, `login: Some(None)` sets it to `NULL`.
#[derive(AsChangeset, Debug, Clone, Default)]
#[diesel(table_name = wt_accounts)]
pub struct AccountUpdateForm {
    pub email: Option<String>,
    pub login: Option<Option<String>>,
    pub name: Option<String>,
}

/// An account before the database gave it an id.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = wt_accounts)]
pub struct NewAccount {
    pub email: String,
    pub org_id: i32,
    pub handle: String,
    pub login: Option<String>,
    pub name: String,
}

/// A person read through a join with their avatar (as crates.io's `User` joins its GitHub
/// account): read-only, cached under the person's key.
#[derive(HasQuery, Identifiable, WriteThrough, Debug, Clone, PartialEq)]
#[diesel(table_name = wt_people, base_query = wt_people::table.left_join(wt_avatars::table))]
#[write_through(key = "person_avatar:{id}", ttl = "1h")]
pub struct PersonWithAvatar {
    pub id: i64,
    pub name: String,
    #[diesel(select_expression = wt_avatars::url.nullable())]
    pub avatar: Option<String>,
}

/// A person before the database gave it an id.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = wt_people)]
pub struct NewPerson {
    pub name: String,
}

/// An avatar, the joined table's own model: every write of it through the library retires the
/// `PersonWithAvatar` of its person, before and after (an avatar moved to another person
/// retires both).
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_avatars)]
#[write_through(
    key = "avatar:{id}",
    ttl = "1h",
    retires(PersonWithAvatar, foreign_key = person_id)
)]
pub struct Avatar {
    pub id: i64,
    pub person_id: i64,
    pub url: String,
}

/// An avatar before the database gave it an id.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = wt_avatars)]
pub struct NewAvatar {
    pub person_id: i64,
    pub url: String,
}

/// The application's update form for avatars.
#[derive(AsChangeset, Debug, Clone, Default)]
#[diesel(table_name = wt_avatars)]
pub struct AvatarUpdateForm {
    pub person_id: Option<i64>,
    pub url: Option<String>,
}

/// A comment of a post (a post's id is only a number here): the post's comments are a cached
/// collection, highest rank first.
#[derive(
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Identifiable,
    WriteThrough,
    Debug,
    Clone,
    PartialEq,
)]
#[diesel(table_name = wt_comments)]
#[write_through(
    key = "comment:{id}",
    ttl = "1h",
    collection(by = post_id, order_by = rank.desc(), max = 20)
)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub rank: i32,
    pub body: String,
}

/// A comment before the database gave it an id.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = wt_comments)]
pub struct NewComment {
    pub post_id: i64,
    pub rank: i32,
    pub body: String,
}

/// The application's update form for comments.
#[derive(AsChangeset, Debug, Clone, Default)]
#[diesel(table_name = wt_comments)]
pub struct CommentUpdateForm {
    pub post_id: Option<i64>,
    pub rank: Option<i32>,
    pub body: Option<String>,
}
