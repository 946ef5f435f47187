//! Rendering a row's Redis key from its primary key: `{namespace}:{template}` with every value
//! from user data escaped. Keys longer than [`MAX_KEY_BYTES`] are not cached.
//!
//! Escaping makes the rendering injective: a rendered component never contains a raw `:`
//! (or `%`, `{`, `}`, a control character or a space), and the derive requires a `:` in the
//! literal text between any two placeholders, so `("a:b", "c")` and `("a", "b:c")` can never
//! share a key. Braces are escaped so that user data can never form a Redis Cluster hash tag.

use std::io::Write as _;

/// The longest key the library caches under. A row whose rendered key is longer (a very long
/// `String` key) is never cached: its reads and writes go to the database alone, counted as
/// misses. Long keys cost Redis memory on every value and slow every lookup; 1 KiB is far
/// above any sensible key.
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { tags (slug) { slug -> Text, label -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = tags, primary_key(slug))]
/// # #[write_through(key = "tag:{slug}", ttl = "1h")]
/// # pub struct Tag { pub slug: String, pub label: String }
/// use write_through::key::MAX_KEY_BYTES;
///
/// /// Whether a tag would be cached, or served by the database alone.
/// fn cacheable(cache: &Cache, slug: &String) -> bool {
///     cache.key::<Tag>(slug).len() <= MAX_KEY_BYTES
/// }
///
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// assert!(cacheable(&cache, &"rust".to_string()));
/// assert!(!cacheable(&cache, &"x".repeat(MAX_KEY_BYTES))); // "wt:tag:" and 1 KiB
/// # Ok(()) }
/// ```
pub const MAX_KEY_BYTES: usize = 1024;

/// Whether a rendered key may be cached (see [`MAX_KEY_BYTES`]).
pub(crate) fn fits(key: &[u8]) -> bool {
    key.len() <= MAX_KEY_BYTES
}

/// Builds one key. The generated code writes the template's literal text and the key parts in
/// order; the namespace is already in place.
///
/// It is handed to [`Cached::write_key`](crate::Cached::write_key) and
/// [`UniqueIndex::write_index_value`](crate::UniqueIndex::write_index_value); for
/// `key = "tag:{slug}"` the derive writes `tag:` and then the slug with [`KeyWriter::part`].
/// [`Cache::key`](crate::Cache::key) shows what it built:
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { tags (slug) { slug -> Text, label -> Text, } }
/// # #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
/// #          Serialize, Deserialize, WriteThrough)]
/// # #[diesel(table_name = tags, primary_key(slug))]
/// # #[write_through(key = "tag:{slug}", ttl = "1h")]
/// # pub struct Tag { pub slug: String, pub label: String }
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// // The namespace, the template's text, and the key field escaped.
/// assert_eq!(cache.key::<Tag>(&"50%:{off}".to_string()), b"wt:tag:50%25%3A%7Boff%7D");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct KeyWriter {
    bytes: Vec<u8>,
}

impl KeyWriter {
    pub(crate) fn new(namespace: &str) -> Self {
        Self::reusing(Vec::with_capacity(namespace.len() + 40), namespace)
    }

    /// A writer into `bytes`, emptied first (a buffer kept to render keys without allocating).
    pub(crate) fn reusing(mut bytes: Vec<u8>, namespace: &str) -> Self {
        bytes.clear();
        bytes.extend_from_slice(namespace.as_bytes());
        bytes.push(b':');
        Self { bytes }
    }

    /// Appends literal template text, unescaped. Only generated code calls this, with text the
    /// derive checked at compile time.
    #[doc(hidden)]
    pub fn literal(&mut self, text: &'static str) {
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// Appends text computed at run time from a checked template (the change feed's key
    /// prefixes), unescaped.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn literal_owned(&mut self, text: &str) {
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// Appends one primary-key value, escaped: any [`KeyPart`], the integers, text, `bool`,
    /// `char` or a type of yours. The derive calls it once for each placeholder of the key
    /// template; a composite key renders each part on its own, so `:` in one value cannot
    /// move the boundary between two:
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # use serde::{Deserialize, Serialize};
    /// # use write_through::prelude::*;
    /// # diesel::table! { memberships (org, user_name) { org -> Text, user_name -> Text, role -> Text, } }
    /// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
    ///          Serialize, Deserialize, WriteThrough)]
    /// #[diesel(table_name = memberships, primary_key(org, user_name))]
    /// #[write_through(key = "org:{org}:member:{user_name}", ttl = "1h")]
    /// pub struct Membership { pub org: String, pub user_name: String, pub role: String }
    ///
    /// # fn main() -> Result<(), write_through::Error> {
    /// let cache = Cache::open("redis://127.0.0.1:6379")?;
    /// let (a, b) = ("acme:member:x".to_string(), "y".to_string());
    /// let (c, d) = ("acme".to_string(), "x:member:y".to_string());
    /// assert_eq!(cache.key::<Membership>((&a, &b)), b"wt:org:acme%3Amember%3Ax:member:y");
    /// assert_ne!(cache.key::<Membership>((&a, &b)), cache.key::<Membership>((&c, &d)));
    /// # Ok(()) }
    /// ```
    pub fn part<P: KeyPart + ?Sized>(&mut self, value: &P) {
        value.write_key_part(&mut KeyPartWriter {
            bytes: &mut self.bytes,
        });
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The keys of a row's unique-index entries, as [`Cached::write_index_keys`] adds them.
///
/// A write locks these keys with the row's own. The derive adds one for each index the row
/// has a value in; [`Cache::index_key`](crate::Cache::index_key) names each:
///
/// [`Cached::write_index_keys`]: crate::Cached::write_index_keys
///
/// ```
/// # use diesel::prelude::*;
/// # use serde::{Deserialize, Serialize};
/// # use write_through::prelude::*;
/// # diesel::table! { repos (id) { id -> BigInt, owner_id -> Integer, name -> Text, token -> Nullable<Text>, } }
/// #[derive(Queryable, Selectable, Insertable, AsChangeset, Identifiable,
///          Serialize, Deserialize, WriteThrough)]
/// #[diesel(table_name = repos)]
/// #[write_through(key = "repo:{id}", ttl = "1h", unique(owner_id, name))] // index 1
/// pub struct Repo {
///     pub id: i64,
///     pub owner_id: i32,
///     pub name: String,
///     #[write_through(unique)] // index 0
///     pub token: Option<String>,
/// }
/// use write_through::UniqueIndex;
///
/// # fn main() -> Result<(), write_through::Error> {
/// let cache = Cache::open("redis://127.0.0.1:6379")?;
/// let repo = Repo { id: 1, owner_id: 7, name: "write_through".into(), token: None };
/// // What `write_index_keys` adds for this row: no entry for the NULL token (index 0), the
/// // entry of (7, "write_through") in index 1.
/// let keys: Vec<Vec<u8>> = [
///     <Repo as UniqueIndex<0>>::index_value(&repo).map(|v| cache.index_key::<Repo, 0>(v)),
///     <Repo as UniqueIndex<1>>::index_value(&repo).map(|v| cache.index_key::<Repo, 1>(v)),
/// ]
/// .into_iter()
/// .flatten()
/// .collect();
/// assert_eq!(keys, [b"wt:#repo%3A%7Bid%7D#owner_id_and_name:7:write_through".to_vec()]);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct IndexKeys<'n> {
    // `add`, which names the model's indexes, lives with them in `model.rs`.
    pub(crate) namespace: &'n str,
    pub(crate) keys: Vec<Vec<u8>>,
}

impl<'n> IndexKeys<'n> {
    pub(crate) fn new(namespace: &'n str) -> Self {
        Self {
            namespace,
            keys: Vec::new(),
        }
    }

    pub(crate) fn into_keys(self) -> Vec<Vec<u8>> {
        self.keys
    }
}

/// Where a model writes the keys of the cached collections a row is a member of (see
/// [`Cached::write_collection_keys`](crate::Cached::write_collection_keys)).
#[derive(Debug)]
pub struct CollectionKeys<'n> {
    // `add`, which names the model's collections, lives with them in `model_collection.rs`.
    pub(crate) namespace: &'n str,
    pub(crate) keys: Vec<Vec<u8>>,
}

impl<'n> CollectionKeys<'n> {
    pub(crate) fn new(namespace: &'n str) -> Self {
        Self {
            namespace,
            keys: Vec::new(),
        }
    }

    pub(crate) fn into_keys(self) -> Vec<Vec<u8>> {
        self.keys
    }
}

/// Where a model writes the keys of the other models' rows that its writes retire
/// (`#[write_through(retires(UserWithAvatar, foreign_key = user_id))]`: see
/// [`Cached::write_retired_keys`](crate::Cached::write_retired_keys)).
#[derive(Debug)]
pub struct RetiredKeys<'n> {
    // `row`, which names the other model, lives with the models in `model.rs`.
    pub(crate) namespace: &'n str,
    pub(crate) keys: Vec<Vec<u8>>,
}

impl<'n> RetiredKeys<'n> {
    pub(crate) fn new(namespace: &'n str) -> Self {
        Self {
            namespace,
            keys: Vec::new(),
        }
    }

    pub(crate) fn into_keys(self) -> Vec<Vec<u8>> {
        self.keys
    }
}

/// Where a [`KeyPart`] writes itself; everything written here is escaped.
///
/// A hand [`KeyPart`] impl writes its value with one of the `push_` methods; the form must be
/// injective (two values, two forms), the escaping is the writer's:
///
/// ```
/// use write_through::{KeyPart, KeyPartWriter};
///
/// /// A release, keyed as `1.4`.
/// pub struct Release { pub major: u16, pub minor: u16 }
///
/// impl KeyPart for Release {
///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
///         out.push_display(&format_args!("{}.{}", self.major, self.minor));
///     }
/// }
/// ```
#[derive(Debug)]
pub struct KeyPartWriter<'a> {
    bytes: &'a mut Vec<u8>,
}

impl KeyPartWriter<'_> {
    /// Appends text, escaping the bytes that could make two keys collide.
    ///
    /// ```
    /// use write_through::{KeyPart, KeyPartWriter};
    ///
    /// /// A key column stored as the region's code.
    /// pub enum Region { Eu, Us }
    ///
    /// impl KeyPart for Region {
    ///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
    ///         out.push_str(match self { Region::Eu => "eu", Region::Us => "us" });
    ///     }
    /// }
    /// ```
    pub fn push_str(&mut self, text: &str) {
        self.push_bytes(text.as_bytes());
    }

    /// Appends bytes, escaping the bytes that could make two keys collide.
    ///
    /// ```
    /// use write_through::{KeyPart, KeyPartWriter};
    ///
    /// /// A content hash used as a key (a `BYTEA`/`BLOB` column): raw bytes, escaped where
    /// /// they could collide.
    /// pub struct Digest(pub [u8; 32]);
    ///
    /// impl KeyPart for Digest {
    ///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
    ///         out.push_bytes(&self.0);
    ///     }
    /// }
    /// ```
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if needs_escape(byte) {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                self.bytes.extend_from_slice(&[
                    b'%',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            } else {
                self.bytes.push(byte);
            }
        }
    }

    /// Appends a value's `Display` form, escaped.
    ///
    /// ```
    /// use std::net::IpAddr;
    /// use write_through::{KeyPart, KeyPartWriter};
    ///
    /// /// An address key: `10.0.0.1`, or `::1` with its colons escaped.
    /// pub struct Peer(pub IpAddr);
    ///
    /// impl KeyPart for Peer {
    ///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
    ///         out.push_display(&self.0);
    ///     }
    /// }
    /// ```
    pub fn push_display(&mut self, value: &dyn std::fmt::Display) {
        let start = self.bytes.len();
        // Writing to a Vec cannot fail.
        let _ = write!(self.bytes, "{value}");
        if self.bytes[start..].iter().any(|&b| needs_escape(b)) {
            let written = self.bytes.split_off(start);
            self.push_bytes(&written);
        }
    }
}

fn needs_escape(byte: u8) -> bool {
    matches!(byte, b'%' | b':' | b'{' | b'}' | 0x00..=0x20 | 0x7F)
}

/// A type that can be a primary-key field of a cached model.
///
/// Implemented for the integers, `bool`, `char`, `String`, `str`, bytes (`Vec<u8>`, `[u8]`), with
/// the `chrono` feature for `NaiveDate`, `NaiveDateTime` and `DateTime<Utc>`, and with the `uuid`
/// feature for `uuid::Uuid` (its hyphenated lowercase form). Implement it for your own
/// key types by writing a representation that is injective (two different values never write
/// the same text); the writer escapes whatever you write.
///
/// ```
/// use write_through::{KeyPart, KeyPartWriter};
///
/// /// A newtype key column: its text form is the key part.
/// pub struct Sku(pub String);
///
/// impl KeyPart for Sku {
///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
///         out.push_str(&self.0); // escaped: "a:b" can never collide with "a" + ":b"
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written into a Redis key: it is not a `KeyPart`",
    note = "primary-key and unique-index columns need a key form: integers, `bool`, `char`, `String`, bytes, chrono dates and times (feature `chrono`), `uuid::Uuid` (feature `uuid`), or your own type implementing `write_through::KeyPart`; a newtype id declared in another crate (`PersonId(pub i32)`) needs `#[write_through(newtype)]` on the field"
)]
pub trait KeyPart {
    /// Writes this value into a key.
    ///
    /// A newtype can write the form of the type it wraps:
    ///
    /// ```
    /// use write_through::{KeyPart, KeyPartWriter};
    ///
    /// pub struct AccountId(pub i64);
    ///
    /// impl KeyPart for AccountId {
    ///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
    ///         self.0.write_key_part(out); // the digits, as for an i64 key
    ///     }
    /// }
    /// ```
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>);

    /// Converts MySQL's `LAST_INSERT_ID()` into this type, for `create` on MySQL.
    ///
    /// `None` (the default) means this type cannot be an auto-increment key.
    ///
    /// ```
    /// use write_through::{KeyPart, KeyPartWriter};
    ///
    /// /// An order number: an `INT UNSIGNED AUTO_INCREMENT` key on MySQL.
    /// pub struct OrderNo(pub u32);
    ///
    /// impl KeyPart for OrderNo {
    ///     fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
    ///         self.0.write_key_part(out);
    ///     }
    ///
    ///     fn from_auto_increment(id: u64) -> Option<Self> {
    ///         u32::try_from(id).ok().map(OrderNo)
    ///     }
    /// }
    ///
    /// assert_eq!(OrderNo::from_auto_increment(7).map(|n| n.0), Some(7));
    /// assert!(OrderNo::from_auto_increment(u64::MAX).is_none()); // does not fit
    /// assert!(String::from_auto_increment(7).is_none()); // not an auto-increment type
    /// ```
    fn from_auto_increment(id: u64) -> Option<Self>
    where
        Self: Sized,
    {
        let _ = id;
        None
    }
}

macro_rules! integer_key_parts {
    ($($t:ty),*) => {$(
        impl KeyPart for $t {
            fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
                // Digits and '-' never need escaping. Written by hand where the magnitude fits
                // a u64 (every key in practice): `write!` costs a hit of the in-process tier
                // a tenth of its time.
                #[allow(clippy::useless_conversion)]
                let wide = i128::try_from(*self).ok();
                match wide.and_then(|wide| Some((wide < 0, u64::try_from(wide.unsigned_abs()).ok()?))) {
                    Some((negative, magnitude)) => push_integer(out.bytes, negative, magnitude),
                    None => {
                        let _ = write!(out.bytes, "{self}");
                    }
                }
            }

            fn from_auto_increment(id: u64) -> Option<Self> {
                <$t>::try_from(id).ok()
            }
        }
    )*};
}
/// Appends `magnitude` in decimal, after a `-` when `negative`: what `Display` writes.
fn push_integer(bytes: &mut Vec<u8>, negative: bool, mut magnitude: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if negative {
        bytes.push(b'-');
    }
    bytes.extend_from_slice(&digits[start..]);
}

integer_key_parts!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

impl KeyPart for str {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_str(self);
    }
}

impl KeyPart for String {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_str(self);
    }
}

impl KeyPart for bool {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl KeyPart for char {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_str(self.encode_utf8(&mut [0; 4]));
    }
}

/// The hyphenated lowercase form, `67e55044-10b1-426f-9247-bb680e5fe0c8`: what PostgreSQL
/// prints, one spelling per value. Needs the `uuid` feature (and Diesel's `uuid` feature for
/// the column).
#[cfg(feature = "uuid")]
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl KeyPart for uuid::Uuid {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        // Hex digits and '-' never need escaping.
        out.bytes.extend_from_slice(
            self.hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer())
                .as_bytes(),
        );
    }
}

/// Bytes (a `BYTEA`/`BLOB` key), escaped like text: two different byte strings never write the
/// same key.
impl KeyPart for [u8] {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_bytes(self);
    }
}

impl KeyPart for Vec<u8> {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_bytes(self);
    }
}

/// `2024-01-31`. Needs the `chrono` feature.
#[cfg(feature = "chrono")]
#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl KeyPart for chrono::NaiveDate {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        // Display is ISO 8601: `2024-01-31`.
        out.push_display(self);
    }
}

/// `2024-01-31 10:00:00` (escaped), with the fraction of a second when there is one
/// (`10:00:00.500`): chrono's one spelling per value. Needs the `chrono` feature.
#[cfg(feature = "chrono")]
#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl KeyPart for chrono::NaiveDateTime {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        out.push_display(self);
    }
}

/// The instant in UTC, as [`chrono::NaiveDateTime`] writes it, then `Z`. Only `Utc`: the same
/// instant in two offsets is one `TIMESTAMPTZ` value, and must be one key. Needs the `chrono`
/// feature.
#[cfg(feature = "chrono")]
#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl KeyPart for chrono::DateTime<chrono::Utc> {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        self.naive_utc().write_key_part(out);
        out.push_str("Z");
    }
}

impl<T: KeyPart + ?Sized> KeyPart for &T {
    fn write_key_part(&self, out: &mut KeyPartWriter<'_>) {
        (**self).write_key_part(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(parts: &[&str]) -> String {
        let mut key = KeyWriter::new("ns");
        key.literal("t:");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                key.literal(":");
            }
            key.part(*part);
        }
        String::from_utf8(key.into_bytes()).unwrap()
    }

    #[test]
    fn the_namespace_prefixes_the_template() {
        let mut key = KeyWriter::new("app");
        key.literal("user:");
        key.part(&42i64);
        assert_eq!(key.into_bytes(), b"app:user:42");
    }

    #[test]
    fn separators_inside_values_are_escaped() {
        assert_eq!(render(&["a:b", "c"]), "ns:t:a%3Ab:c");
        assert_eq!(render(&["a", "b:c"]), "ns:t:a:b%3Ac");
    }

    #[test]
    fn the_escape_character_itself_is_escaped() {
        assert_eq!(render(&["%3A"]), "ns:t:%253A");
    }

    fn one_part<P: KeyPart + ?Sized>(part: &P) -> String {
        let mut key = KeyWriter::new("ns");
        key.part(part);
        String::from_utf8_lossy(&key.into_bytes()).into_owned()
    }

    #[test]
    fn bytes_are_escaped_like_text() {
        assert_eq!(one_part(&b"a:b\x00"[..]), "ns:a%3Ab%00");
        assert_eq!(one_part(&b"a:b".to_vec()), one_part(&b"a:b"[..]));
        assert_ne!(one_part(&b"a%3A".to_vec()), one_part(&b"a:".to_vec()));
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn a_date_or_time_has_one_spelling_and_an_instant_is_written_in_utc() {
        use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
        let day = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        assert_eq!(one_part(&day), "ns:2024-01-31");
        let at = day.and_hms_milli_opt(10, 0, 0, 500).unwrap();
        assert_eq!(one_part(&at), "ns:2024-01-31%2010%3A00%3A00.500");
        assert_eq!(
            one_part(&day.and_hms_opt(10, 0, 0).unwrap()),
            "ns:2024-01-31%2010%3A00%3A00"
        );
        let instant = Utc.from_utc_datetime(&at);
        let elsewhere = FixedOffset::east_opt(3600).unwrap().from_utc_datetime(&at);
        assert_eq!(one_part(&instant), "ns:2024-01-31%2010%3A00%3A00.500Z");
        assert_eq!(one_part(&elsewhere.with_timezone(&Utc)), one_part(&instant));
    }

    #[test]
    fn braces_cannot_form_a_hash_tag() {
        assert_eq!(render(&["{x}"]), "ns:t:%7Bx%7D");
    }

    #[test]
    fn whitespace_and_controls_are_escaped_and_unicode_is_kept() {
        assert_eq!(render(&["a b\n\u{7f}é"]), "ns:t:a%20b%0A%7Fé");
    }

    #[test]
    fn empty_values_still_render_distinctly() {
        assert_ne!(render(&["", "x"]), render(&["x", ""]));
        assert_eq!(render(&[""]), "ns:t:");
    }

    #[test]
    fn negative_integers_render_plainly() {
        let mut key = KeyWriter::new("ns");
        key.part(&-5i32);
        assert_eq!(key.into_bytes(), b"ns:-5");
    }

    #[test]
    fn integers_render_as_display_writes_them_at_every_width() {
        fn rendered(part: &dyn Fn(&mut KeyWriter)) -> Vec<u8> {
            let mut key = KeyWriter::new("ns");
            part(&mut key);
            key.into_bytes()
        }
        let cases: Vec<(Vec<u8>, String)> = vec![
            (rendered(&|k| k.part(&0u8)), 0u8.to_string()),
            (rendered(&|k| k.part(&i8::MIN)), i8::MIN.to_string()),
            (rendered(&|k| k.part(&i64::MIN)), i64::MIN.to_string()),
            (rendered(&|k| k.part(&i64::MAX)), i64::MAX.to_string()),
            (rendered(&|k| k.part(&u64::MAX)), u64::MAX.to_string()),
            (rendered(&|k| k.part(&-1isize)), (-1isize).to_string()),
            (rendered(&|k| k.part(&i128::MIN)), i128::MIN.to_string()),
            (rendered(&|k| k.part(&u128::MAX)), u128::MAX.to_string()),
            (
                rendered(&|k| k.part(&-(1i128 << 64))),
                (-(1i128 << 64)).to_string(),
            ),
            (
                rendered(&|k| k.part(&1_000_000_007u32)),
                1_000_000_007u32.to_string(),
            ),
        ];
        for (bytes, display) in cases {
            assert_eq!(bytes, format!("ns:{display}").into_bytes());
        }
    }

    #[test]
    fn display_values_are_escaped() {
        let mut bytes = Vec::new();
        KeyPartWriter { bytes: &mut bytes }.push_display(&"x:y");
        assert_eq!(bytes, b"x%3Ay");
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn a_uuid_renders_hyphenated_and_lowercase() {
        let id = uuid::Uuid::from_u128(0x67E5_5044_10B1_426F_9247_BB68_0E5F_E0C8);
        let mut key = KeyWriter::new("ns");
        key.literal("doc:");
        key.part(&id);
        assert_eq!(
            key.into_bytes(),
            b"ns:doc:67e55044-10b1-426f-9247-bb680e5fe0c8"
        );
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn a_uuid_is_not_an_auto_increment_key() {
        assert_eq!(uuid::Uuid::from_auto_increment(7), None);
    }

    #[test]
    fn auto_increment_ids_convert_only_into_integers_that_hold_them() {
        assert_eq!(i32::from_auto_increment(7), Some(7));
        assert_eq!(i32::from_auto_increment(u64::MAX), None);
        assert_eq!(String::from_auto_increment(7), None);
    }
}
