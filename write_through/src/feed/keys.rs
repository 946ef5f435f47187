//! From a changed row, as the database's log gives it, to the cache keys it retires: the row's
//! key, the unique-index entries of its values (an entry may cache the value as absent), and the
//! collections it joins or leaves.
//!
//! The derive writes [`ChangeKeys`] for every model: the columns it needs, by name, and how to
//! read them into the key's types, so that the keys are rendered exactly as a `find` renders
//! them. The log gives values as text (PostgreSQL's output form, the same on every connection of
//! a server), read by [`FromChangeText`].

use diesel::Table;

use crate::cache::Cache;
use crate::model::{Cached, UniqueIndex};
use crate::model_collection::Collection;

/// One column of a changed row, as the log gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnText<'a> {
    /// The value, in the database's text form.
    Value(&'a str),
    /// `NULL`.
    Null,
    /// Not in the change: a column the log leaves out (an unchanged TOASTed value, or a non-key
    /// column of an old row under the default replica identity).
    Absent,
}

/// The columns of one changed row, by name.
pub trait ColumnTexts {
    /// The column named `column`.
    fn column(&self, column: &str) -> ColumnText<'_>;
}

/// A key type read from the database's text form of its column (PostgreSQL's output functions:
/// `42`, `t`, `4b1c...-...`, `2024-05-01 12:00:00.5+00`, `\x0a0b`), for the change feed.
///
/// Implemented for the key types of this crate (integers, `String`, `bool`, `char`, `Vec<u8>`,
/// and with their features `uuid::Uuid` and chrono's dates and times). A key type of your own
/// implements it to be used with the feed; the lifetime only lets the derive name the bound
/// without requiring it of models the feed never reads.
#[diagnostic::on_unimplemented(
    message = "the change feed cannot read `{Self}` from the database's text form",
    label = "a key or unique-index column of a model given to the change feed",
    note = "implement `write_through::feed::FromChangeText` for it (parse PostgreSQL's output form of the column)"
)]
pub trait FromChangeText<'a>: Sized {
    /// The value, or `None` when `text` is not one.
    fn from_change_text(text: &str) -> Option<Self>;
}

macro_rules! from_str_text {
    ($($t:ty),*) => {$(
        impl FromChangeText<'_> for $t {
            fn from_change_text(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

from_str_text!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, String, char
);

impl FromChangeText<'_> for bool {
    fn from_change_text(text: &str) -> Option<Self> {
        match text {
            "t" | "true" => Some(true),
            "f" | "false" => Some(false),
            _ => None,
        }
    }
}

/// `bytea` in its hex output form, `\x` then two digits per byte.
impl FromChangeText<'_> for Vec<u8> {
    fn from_change_text(text: &str) -> Option<Self> {
        let hex = text.strip_prefix("\\x")?.as_bytes();
        if hex.len() % 2 != 0 {
            return None;
        }
        hex.chunks(2)
            .map(|pair| {
                let digits = std::str::from_utf8(pair).ok()?;
                u8::from_str_radix(digits, 16).ok()
            })
            .collect()
    }
}

#[cfg(feature = "uuid")]
impl FromChangeText<'_> for uuid::Uuid {
    fn from_change_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

#[cfg(feature = "chrono")]
impl FromChangeText<'_> for chrono::NaiveDate {
    fn from_change_text(text: &str) -> Option<Self> {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }
}

#[cfg(feature = "chrono")]
impl FromChangeText<'_> for chrono::NaiveDateTime {
    fn from_change_text(text: &str) -> Option<Self> {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").ok()
    }
}

/// `timestamptz` as the server prints it: an offset of hours (`+00`), or hours and minutes.
#[cfg(feature = "chrono")]
impl FromChangeText<'_> for chrono::DateTime<chrono::Utc> {
    fn from_change_text(text: &str) -> Option<Self> {
        let with_minutes = match text.rfind(['+', '-']) {
            Some(at) if text.len() - at == 3 => format!("{text}:00"),
            _ => text.to_owned(),
        };
        chrono::DateTime::parse_from_str(&with_minutes, "%Y-%m-%d %H:%M:%S%.f%:z")
            .ok()
            .map(|time| time.with_timezone(&chrono::Utc))
    }
}

/// Why a change could not be turned into keys: the feed cannot know which cached row it
/// changed, so it counts and logs it (a key column the model reads as another type than the
/// database holds).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnreadableChange {
    /// A key column is not in the change, or is `NULL`.
    #[error("the change has no value for key column `{column}`")]
    MissingKey {
        /// The column's name.
        column: &'static str,
    },
    /// A column's text is not a value of the model's type.
    #[error(
        "column `{column}` holds a value of {length} bytes that is not one of the model's type"
    )]
    Unparsable {
        /// The column's name.
        column: &'static str,
        /// The length of what the change held (not the value: it may be personal data).
        length: usize,
    },
}

/// A key column of the change, read into the key's type.
pub fn key_column<'a, T: FromChangeText<'a>>(
    row: &dyn ColumnTexts,
    column: &'static str,
) -> Result<T, UnreadableChange> {
    match row.column(column) {
        ColumnText::Value(text) => parse(column, text),
        ColumnText::Null | ColumnText::Absent => Err(UnreadableChange::MissingKey { column }),
    }
}

/// A unique-index column of the change: `None` when it is `NULL` (in no entry) or not in the
/// change (unchanged, so no entry can hold it as absent).
pub fn index_column<'a, T: FromChangeText<'a>>(
    row: &dyn ColumnTexts,
    column: &'static str,
) -> Result<Option<T>, UnreadableChange> {
    match row.column(column) {
        ColumnText::Value(text) => parse(column, text).map(Some),
        ColumnText::Null | ColumnText::Absent => Ok(None),
    }
}

fn parse<'a, T: FromChangeText<'a>>(
    column: &'static str,
    text: &str,
) -> Result<T, UnreadableChange> {
    T::from_change_text(text).ok_or(UnreadableChange::Unparsable {
        column,
        length: text.len(),
    })
}

/// Collects the keys a change retires, rendered as `find` renders them.
pub struct ChangeKeyWriter<'c> {
    cache: &'c Cache,
    keys: Vec<Vec<u8>>,
}

// Made and emptied by the PostgreSQL feed; the derive's code only adds to one.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
impl<'c> ChangeKeyWriter<'c> {
    pub(crate) fn new(cache: &'c Cache) -> Self {
        Self {
            cache,
            keys: Vec::new(),
        }
    }

    /// The row with key `id`.
    pub fn row<M: Cached>(&mut self, id: M::Id<'_>) {
        self.keys.push(self.cache.key::<M>(id));
    }

    /// The entry of `value` in unique index `N`.
    pub fn index<M: UniqueIndex<N>, const N: usize>(&mut self, value: M::Value<'_>) {
        self.keys.push(self.cache.index_key::<M, N>(value));
    }

    /// The collection `N` of `parent`: a row that joins or leaves it changes its members.
    pub fn collection<M: Collection<N>, const N: usize>(&mut self, parent: M::Parent<'_>) {
        self.keys.push(self.cache.collection_key::<M, N>(parent));
    }

    pub(crate) fn into_keys(self) -> Vec<Vec<u8>> {
        self.keys
    }
}

/// What the change feed needs of a model, written by the derive: its table, the columns of its
/// key and of its unique indexes, and how a changed row's values become its keys.
pub trait ChangeKeys: Cached {
    /// The model's Diesel table (its SQL name is read from it).
    type Table: Table + Default;

    /// The primary-key columns, in order.
    const KEY_COLUMNS: &'static [&'static str];

    /// Each unique index's columns, in the order of `UniqueIndex<N>`.
    const INDEX_COLUMNS: &'static [&'static [&'static str]];

    /// Each collection's parent column, in the order of `Collection<N>`.
    const COLLECTION_COLUMNS: &'static [&'static str] = &[];

    /// Adds the keys that `row` (an inserted, updated or deleted row: new or old values) names:
    /// its row key, the entries of its unique-index values, and the collections of its parents
    /// (those the change carries: a deleted row's old parent may not be in it, and need not be,
    /// since its row key is retired).
    fn change_keys(
        row: &dyn ColumnTexts,
        keys: &mut ChangeKeyWriter<'_>,
    ) -> Result<(), UnreadableChange>;

    /// The other tables whose changes retire rows of this model (`retired_by(...)`: the tables a
    /// join model reads), each with how its rows name this model's key.
    fn dependencies(list: &mut Dependencies<'_>) {
        let _ = list;
    }
}

/// How a changed row names keys: what [`ChangeKeys::change_keys`] is, for one table.
pub type KeysOf = fn(&dyn ColumnTexts, &mut ChangeKeyWriter<'_>) -> Result<(), UnreadableChange>;

/// The tables whose changes retire a model's rows besides its own, collected from
/// [`ChangeKeys::dependencies`] (the PostgreSQL feed's `on` adds one).
pub struct Dependencies<'a> {
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) found: &'a mut Vec<Dependency>,
}

/// One table a model depends on: its SQL name, the column holding the model's key, and how its
/// rows name keys.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) struct Dependency {
    pub(crate) schema: Option<String>,
    pub(crate) table: String,
    pub(crate) column: &'static str,
    pub(crate) keys: KeysOf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_strings_and_booleans_read_as_postgres_prints_them() {
        assert_eq!(i64::from_change_text("-42"), Some(-42));
        assert_eq!(i32::from_change_text("4.2"), None);
        assert_eq!(String::from_change_text("ada"), Some("ada".to_owned()));
        assert_eq!(bool::from_change_text("t"), Some(true));
        assert_eq!(bool::from_change_text("f"), Some(false));
        assert_eq!(bool::from_change_text("yes"), None);
    }

    #[test]
    fn bytea_reads_its_hex_form() {
        assert_eq!(
            Vec::<u8>::from_change_text("\\x0aff"),
            Some(vec![0x0a, 0xff])
        );
        assert_eq!(Vec::<u8>::from_change_text("\\x0"), None);
        assert_eq!(Vec::<u8>::from_change_text("0aff"), None);
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn timestamps_read_with_the_servers_offsets() {
        use chrono::{TimeZone, Utc};
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        assert_eq!(
            chrono::DateTime::<Utc>::from_change_text("2024-05-01 12:00:00+00"),
            Some(at)
        );
        assert_eq!(
            chrono::DateTime::<Utc>::from_change_text("2024-05-01 14:30:00+02:30"),
            Some(at)
        );
        assert_eq!(
            chrono::NaiveDateTime::from_change_text("2024-05-01 12:00:00.5"),
            Some(at.naive_utc() + chrono::Duration::milliseconds(500))
        );
    }

    struct Row(&'static [(&'static str, ColumnText<'static>)]);

    impl ColumnTexts for Row {
        fn column(&self, column: &str) -> ColumnText<'_> {
            self.0
                .iter()
                .find(|(name, _)| *name == column)
                .map_or(ColumnText::Absent, |(_, text)| *text)
        }
    }

    #[test]
    fn a_key_column_must_hold_a_value_and_an_index_column_may_not() {
        let row = Row(&[("id", ColumnText::Value("7")), ("email", ColumnText::Null)]);
        assert_eq!(key_column::<i64>(&row, "id"), Ok(7));
        assert_eq!(
            key_column::<i64>(&row, "email"),
            Err(UnreadableChange::MissingKey { column: "email" })
        );
        assert_eq!(index_column::<String>(&row, "email"), Ok(None));
        assert_eq!(index_column::<String>(&row, "name"), Ok(None));
        assert!(matches!(
            key_column::<bool>(&row, "id"),
            Err(UnreadableChange::Unparsable { column: "id", .. })
        ));
    }
}
