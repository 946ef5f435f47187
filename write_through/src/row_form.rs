//! What the derive's `Cached::serialize_row` and `Cached::deserialize_row` use: the cache's own
//! encoding of a row, written from the model's fields (every one, in declaration order, under
//! its Rust name), never from the model's serde derive, which is its API JSON.
//!
//! The form is what serde_derive writes for a struct without attributes, so a row cached by an
//! earlier release (whose models had to derive serde without changing their shape) decodes the
//! same.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Error, Expected, MapAccess, SeqAccess, Visitor};

/// Names a field of a row encoded as a map (MessagePack): its position in `fields`, or `None`
/// for a name the model does not have, whose value is skipped.
pub struct FieldSeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| *field == name))
    }

    fn visit_bytes<E: Error>(self, name: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| field.as_bytes() == name))
    }

    fn visit_u64<E: Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|&index| index < self.0.len()))
    }
}

/// A field type the cache can encode: one with serde's `Serialize` and `Deserialize`. Asked of
/// every field the derive encodes without a `with`, so that a type without them is reported at
/// its field, naming the fix.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be cached: it has no serde `Serialize` and `Deserialize`",
    label = "every field of a cached model is encoded into Redis",
    note = "say how to encode it on the field: `#[write_through(with = \"module\")]`, where `module::serialize` and `module::deserialize` are serde's `with` functions (or derive serde's traits for the type, if it is yours)"
)]
pub trait CacheField {}

impl<T: serde::Serialize + for<'de> Deserialize<'de>> CacheField for T {}

/// `field`, once its type is known to be one the cache can encode.
pub fn cache_field<T: CacheField>(field: &T) -> &T {
    field
}

/// The next field of a row encoded as a sequence (bincode, or MessagePack without names): the
/// `index`-th, which must be there.
pub fn next_field<'de, T, A>(seq: &mut A, index: usize, row: &dyn Expected) -> Result<T, A::Error>
where
    T: Deserialize<'de>,
    A: SeqAccess<'de>,
{
    seq.next_element()?
        .ok_or_else(|| A::Error::invalid_length(index, row))
}

/// Reads the value of a field of a row encoded as a map into its slot.
pub fn fill<'de, T, A>(slot: &mut Option<T>, map: &mut A) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A field of a row encoded as a map, which must have been there.
pub fn present<T, E: Error>(field: Option<T>, name: &'static str) -> Result<T, E> {
    field.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use serde::de::value::{BorrowedStrDeserializer, Error as ValueError, U64Deserializer};

    use super::*;

    const FIELDS: &[&str] = &["id", "email"];

    #[test]
    fn a_field_is_found_by_its_name_or_position_and_an_unknown_one_is_none() {
        let by_name =
            |name| FieldSeed(FIELDS).deserialize(BorrowedStrDeserializer::<ValueError>::new(name));
        assert_eq!(by_name("email").unwrap(), Some(1));
        assert_eq!(by_name("removed_since").unwrap(), None);
        let by_index =
            |index| FieldSeed(FIELDS).deserialize(U64Deserializer::<ValueError>::new(index));
        assert_eq!(by_index(0).unwrap(), Some(0));
        assert_eq!(by_index(2).unwrap(), None);
    }
}
