//! The schema fingerprint: a 64-bit FNV-1a hash of the struct's shape.
//!
//! It covers the struct name, each field's name and type (as written), and each field's serde
//! attributes (which can change the encoding). A cached value with another fingerprint was
//! written by another shape of the struct and is treated as a miss. A type alias that changes
//! meaning behind the same name is not seen: bump the struct (or the TTL) in that case.

use quote::ToTokens;
use syn::{Attribute, Field};

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

pub fn fingerprint<'a>(
    struct_name: &str,
    container: &[Attribute],
    fields: impl IntoIterator<Item = &'a Field>,
) -> u64 {
    let fields: Vec<&Field> = fields.into_iter().collect();
    let mut hash = Fnv1a(OFFSET_BASIS);
    hash.write("write_through:v1");
    hash.write(struct_name);
    // Before the derive wrote the encoding itself, a model's serde derive did, and its
    // attributes could name fields otherwise (`rename_all`, two renames swapped): such rows are
    // misses once, never decoded under the new names. A model without serde attributes was
    // encoded byte for byte as it is now, and keeps its fingerprint and its cached rows.
    let serde_shaped = container
        .iter()
        .chain(fields.iter().flat_map(|field| field.attrs.iter()))
        .any(|attr| attr.path().is_ident("serde"));
    if serde_shaped {
        hash.write("encoded by write_through");
    }
    for field in fields {
        let name = field
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        hash.write(&name);
        hash.write(&normalized(field.ty.to_token_stream()));
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            hash.write(&normalized(attr.to_token_stream()));
        }
        // `#[write_through(with = "...")]` changes how the field is encoded.
        for attr in field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("write_through"))
        {
            let text = normalized(attr.to_token_stream());
            if text.contains("with=") {
                hash.write(&text);
            }
        }
    }
    hash.0
}

/// Token text without whitespace, so formatting never changes the fingerprint.
fn normalized(tokens: proc_macro2::TokenStream) -> String {
    tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

struct Fnv1a(u64);

impl Fnv1a {
    /// Hashes `text` followed by a NUL, so that ("ab", "c") and ("a", "bc") differ.
    fn write(&mut self, text: &str) {
        for &byte in text.as_bytes().iter().chain(&[0u8]) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{Fields, ItemStruct, parse_quote};

    fn of(item: ItemStruct) -> u64 {
        let Fields::Named(fields) = &item.fields else {
            unreachable!()
        };
        fingerprint(&item.ident.to_string(), &item.attrs, &fields.named)
    }

    #[test]
    fn formatting_does_not_change_the_fingerprint() {
        let a = of(parse_quote! { struct U { id: i64, tags: Vec<String> } });
        let b = of(parse_quote! { struct U { id : i64 , tags : Vec < String > } });
        assert_eq!(a, b);
    }

    #[test]
    fn a_changed_type_changes_the_fingerprint() {
        let a = of(parse_quote! { struct U { id: i64, age: i32 } });
        let b = of(parse_quote! { struct U { id: i64, age: i64 } });
        assert_ne!(a, b);
    }

    #[test]
    fn added_renamed_and_reordered_fields_change_the_fingerprint() {
        let base = of(parse_quote! { struct U { id: i64, name: String } });
        assert_ne!(
            base,
            of(parse_quote! { struct U { id: i64, name: String, age: i32 } })
        );
        assert_ne!(
            base,
            of(parse_quote! { struct U { id: i64, title: String } })
        );
        assert_ne!(
            base,
            of(parse_quote! { struct U { name: String, id: i64 } })
        );
    }

    #[test]
    fn the_struct_name_is_part_of_the_fingerprint() {
        assert_ne!(
            of(parse_quote! { struct A { id: i64 } }),
            of(parse_quote! { struct B { id: i64 } })
        );
    }

    #[test]
    fn serde_attributes_that_change_the_encoding_change_the_fingerprint() {
        let a = of(parse_quote! { struct U { id: i64, at: Time } });
        let b = of(parse_quote! { struct U { id: i64, #[serde(with = "ts")] at: Time } });
        let c = of(parse_quote! { struct U { id: i64, #[write_through(with = "ts")] at: Time } });
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_ne!(b, c);
    }

    #[test]
    fn a_model_shaped_by_serde_attributes_starts_over_and_one_without_keeps_its_rows() {
        // The fingerprint earlier releases gave this model (tests/expand/single_key.rs).
        let plain = of(parse_quote! { struct User { id: i64, email: String, name: String } });
        assert_eq!(
            plain, 9899687312499258991,
            "the rows cached by earlier releases are hits"
        );
        let renamed = of(parse_quote! {
            #[serde(rename_all = "camelCase")]
            struct User { id: i64, email: String, name: String }
        });
        assert_ne!(plain, renamed);
    }
}
