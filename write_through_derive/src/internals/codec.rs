//! Which codec a model's rows are cached in.
//!
//! bincode is compact and fast but not self-describing: it cannot decode a type that asks for
//! `deserialize_any` (`serde_json::Value`, untagged or internally tagged enums, `flatten`), and
//! such a type is usually deep inside a field's type where no derive can see it. So the rule is
//! one of proof: bincode when every field's type is built only from types known to decode with
//! it, MessagePack (self-describing, decodes whatever serde carries) for anything else. A model
//! can say `#[write_through(codec = "bincode")]` for types it knows to be safe; the runtime then
//! still decodes each row once after encoding it and refuses to cache (loudly) what does not.

use syn::{Attribute, Field, GenericArgument, PathArguments, Type};

/// The codec of a model, as the generated `Cached::CODEC` names it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Codec {
    Bincode,
    MessagePack,
}

impl Codec {
    /// The spelling in `#[write_through(codec = "...")]`.
    pub fn from_name(name: &str) -> Option<Codec> {
        match name {
            "bincode" => Some(Codec::Bincode),
            "msgpack" => Some(Codec::MessagePack),
            _ => None,
        }
    }
}

/// Types whose serde impls bincode decodes (no `deserialize_any`), by their last path segment,
/// without type arguments. chrono's and uuid's types decode through `deserialize_str` and
/// `deserialize_bytes`.
const BINCODE_SAFE: &[&str] = &[
    "bool",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "char",
    "String",
    "NaiveDate",
    "NaiveDateTime",
    "NaiveTime",
    "Uuid",
];

/// Containers that are bincode-safe when their one type argument is.
const BINCODE_SAFE_CONTAINERS: &[&str] = &["Option", "Vec", "Box"];

/// The codec the derive chooses when the model does not name one. Only the fields' types, and
/// serde's `with` functions the cache carries over, decide it: the model's other serde
/// attributes shape its API JSON, never the cached row.
///
/// `fields` are the model's fields, each with whether it says `#[write_through(with = "...")]`
/// (its encoding a function the derive cannot see into).
pub fn choose<'a>(fields: impl IntoIterator<Item = (&'a Field, bool)>) -> Codec {
    let provable = fields.into_iter().all(|(field, cache_with)| {
        bincode_safe(&field.ty) && !has_serde(&field.attrs, &["with"]) && !cache_with
    });
    if provable {
        Codec::Bincode
    } else {
        Codec::MessagePack
    }
}

/// Whether bincode is known to decode `ty`.
pub fn bincode_safe(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            match &last.arguments {
                PathArguments::None => BINCODE_SAFE.contains(&name.as_str()),
                PathArguments::AngleBracketed(args) => {
                    let types: Vec<&Type> = args
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            GenericArgument::Type(ty) => Some(ty),
                            _ => None,
                        })
                        .collect();
                    match (name.as_str(), types.as_slice()) {
                        (container, [inner])
                            if BINCODE_SAFE_CONTAINERS.contains(&container)
                                && args.args.len() == 1 =>
                        {
                            bincode_safe(inner)
                        }
                        // chrono's `DateTime<Utc>`: serialized as its RFC 3339 text.
                        ("DateTime", [Type::Path(zone)]) if args.args.len() == 1 => zone
                            .path
                            .segments
                            .last()
                            .is_some_and(|s| s.ident == "Utc" && s.arguments.is_none()),
                        _ => false,
                    }
                }
                PathArguments::Parenthesized(_) => false,
            }
        }
        Type::Array(array) => bincode_safe(&array.elem),
        Type::Tuple(tuple) => tuple.elems.iter().all(bincode_safe),
        Type::Paren(inner) => bincode_safe(&inner.elem),
        Type::Group(inner) => bincode_safe(&inner.elem),
        _ => false,
    }
}

/// Whether `#[serde(...)]` among `attrs` names any of `names`.
pub fn has_serde(attrs: &[Attribute], names: &[&str]) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // A malformed serde attribute is serde's to report; it proves nothing here.
        let _ = attr.parse_nested_meta(|meta| {
            if names.iter().any(|name| meta.path.is_ident(name)) {
                found = true;
            }
            super::attr::skip_meta_value(&meta)
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{ItemStruct, parse_quote};

    /// The codec of `item`, reading `#[write_through(with)]` as the derive does.
    fn chosen(item: ItemStruct) -> Codec {
        let cx = crate::internals::ctxt::Ctxt::new();
        let cache_with: Vec<bool> = item
            .fields
            .iter()
            .map(|field| {
                crate::internals::attr::field_attrs(&cx, &field.attrs)
                    .with
                    .is_some()
            })
            .collect();
        cx.check().expect("the fields' attributes read");
        choose(item.fields.iter().zip(cache_with))
    }

    #[test]
    fn a_model_of_plain_types_is_bincode() {
        let item = parse_quote! {
            struct U {
                id: i64,
                name: String,
                tags: Vec<String>,
                bio: Option<String>,
                avatar: Option<Vec<u8>>,
                at: chrono::NaiveDateTime,
                seen: Option<DateTime<Utc>>,
                key: uuid::Uuid,
            }
        };
        assert_eq!(chosen(item), Codec::Bincode);
    }

    #[test]
    fn a_json_value_makes_the_model_message_pack() {
        let item = parse_quote! { struct U { id: i64, meta: Option<serde_json::Value> } };
        assert_eq!(chosen(item), Codec::MessagePack);
    }

    #[test]
    fn a_type_the_derive_cannot_see_into_makes_the_model_message_pack() {
        assert_eq!(
            chosen(parse_quote! { struct U { id: i64, status: Status } }),
            Codec::MessagePack
        );
        assert_eq!(
            chosen(parse_quote! { struct U { id: i64, n: bigdecimal::BigDecimal } }),
            Codec::MessagePack
        );
        assert_eq!(
            chosen(parse_quote! { struct U { id: i64, at: DateTime<FixedOffset> } }),
            Codec::MessagePack
        );
    }

    #[test]
    fn an_encoding_function_the_cache_calls_makes_the_model_message_pack() {
        for item in [
            parse_quote! { struct U { id: i64, #[serde(with = "ts")] at: i64 } },
            parse_quote! { struct U { id: i64, #[write_through(with = "ts")] at: i64 } },
        ] {
            assert_eq!(chosen(item), Codec::MessagePack);
        }
        // The API's own functions are not the cache's.
        let item =
            parse_quote! { struct U { id: i64, #[serde(serialize_with = "redact")] at: i64 } };
        assert_eq!(chosen(item), Codec::Bincode);
    }

    #[test]
    fn the_models_other_serde_attributes_do_not_change_the_cached_form() {
        let item = parse_quote! {
            #[serde(from = "Raw", tag = "kind")]
            struct U { id: i64, #[serde(skip, flatten)] secret: String }
        };
        assert_eq!(chosen(item), Codec::Bincode);
    }

    #[test]
    fn harmless_serde_attributes_keep_bincode() {
        let item = parse_quote! {
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            struct U { id: i64, #[serde(rename = "n", default)] name: String }
        };
        assert_eq!(chosen(item), Codec::Bincode);
    }
}
