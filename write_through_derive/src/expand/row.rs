//! `Cached::serialize_row` and `Cached::deserialize_row`: the cache's own encoding of a row,
//! written from the fields themselves (every one, in declaration order, under its name without
//! `r#`, as serde_derive names it), so the model needs no serde derive and its serde attributes
//! shape only its API JSON. A field with `#[write_through(with)]` or serde's `with` is written
//! through that module, as a type from another crate needs. And `Cached::clone_row`, which
//! clones the row when the model is `Clone` (see the runtime's `row_clone.rs`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::Model;

pub fn row_methods(model: &Model) -> TokenStream {
    let serialize = serialize_row(model);
    let deserialize = deserialize_row(model);
    quote! {
        #serialize
        #deserialize
        fn clone_row(&self) -> ::core::option::Option<Self> {
            #[allow(unused_imports)]
            use __wt::{CloneRow as _, NoCloneRow as _};
            (&__wt::RowRef(self)).clone_row()
        }
    }
}

fn serialize_row(model: &Model) -> TokenStream {
    let name = model.ident.to_string();
    let len = model.fields.len();
    let fields = model.fields.iter().enumerate().map(|(i, field)| {
        let (ident, ty) = (&field.ident, &field.ty);
        // Unraw, as serde_derive names a field: `r#type` is `type`.
        let key = ident.unraw().to_string();
        match &field.serialize_with {
            // Spanned at the field, so a type that is not `Serialize` is reported there.
            None => quote_spanned!(ty.span()=> __row.serialize_field(#key, __wt::cache_field(&self.#ident))?;),
            Some(with) => {
                let wrapper = format_ident!("__WtSerialize{}", i);
                quote! {
                    struct #wrapper<'__a>(&'__a #ty);
                    impl __wt::serde::Serialize for #wrapper<'_> {
                        fn serialize<__S: __wt::serde::Serializer>(&self, __s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                            #with(self.0, __s)
                        }
                    }
                    __row.serialize_field(#key, &#wrapper(&self.#ident))?;
                }
            }
        }
    });
    quote! {
        fn serialize_row<__S: __wt::serde::Serializer>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(__serializer, #name, #len)?;
            #(#fields)*
            __row.end()
        }
    }
}

fn deserialize_row(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let name = ident.to_string();
    let names: Vec<String> = model
        .fields
        .iter()
        .map(|f| f.ident.unraw().to_string())
        .collect();
    let idents: Vec<&syn::Ident> = model.fields.iter().map(|f| &f.ident).collect();
    // The type each field is read as when inference cannot tell: a wrapper that reads through
    // `with`, then unwrapped.
    let mut wrappers = Vec::new();
    let read_as: Vec<Option<syn::Ident>> = model
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let ty = &field.ty;
            let with = field.deserialize_with.as_ref()?;
            let wrapper = format_ident!("__WtDeserialize{}", i);
            wrappers.push(quote! {
                struct #wrapper(#ty);
                impl<'de> __wt::serde::Deserialize<'de> for #wrapper {
                    fn deserialize<__D: __wt::serde::Deserializer<'de>>(__d: __D) -> ::core::result::Result<Self, __D::Error> {
                        #with(__d).map(#wrapper)
                    }
                }
            });
            Some(wrapper)
        })
        .collect();
    let seq_reads = idents.iter().zip(&read_as).enumerate().map(|(i, (ident, wrapper))| {
        let ty = &model.fields[i].ty;
        match wrapper {
            // Spanned at the field, so a type that is not `Deserialize` is reported there.
            None => quote_spanned!(ty.span()=> let #ident: #ty = __wt::next_field(&mut __seq, #i, &self)?;),
            Some(wrapper) => quote!(let #ident = __wt::next_field::<#wrapper, _>(&mut __seq, #i, &self)?.0;),
        }
    });
    let map_slots = idents.iter().zip(&read_as).map(|(ident, wrapper)| match wrapper {
        None => quote!(let mut #ident = ::core::option::Option::None;),
        Some(wrapper) => quote!(let mut #ident: ::core::option::Option<#wrapper> = ::core::option::Option::None;),
    });
    let map_arms = idents.iter().enumerate().map(|(i, ident)| {
        quote!(::core::option::Option::Some(#i) => __wt::fill(&mut #ident, &mut __map)?,)
    });
    let map_takes = idents
        .iter()
        .zip(&read_as)
        .zip(&names)
        .map(|((ident, wrapper), name)| {
            let unwrap = wrapper.as_ref().map(|_| quote!(.0));
            quote!(let #ident = __wt::present(#ident, #name)? #unwrap;)
        });
    let expecting = format!("a cached row of {name}");
    quote! {
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &[#(#names),*];
            #(#wrappers)*
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = #ident;

                fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    __f.write_str(#expecting)
                }

                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(self, mut __seq: __A) -> ::core::result::Result<#ident, __A::Error> {
                    #(#seq_reads)*
                    ::core::result::Result::Ok(#ident { #(#idents),* })
                }

                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::core::result::Result<#ident, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    #(#map_slots)*
                    while let ::core::option::Option::Some(__field) = __map.next_key_seed(__wt::FieldSeed(FIELDS))? {
                        match __field {
                            #(#map_arms)*
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    #(#map_takes)*
                    ::core::result::Result::Ok(#ident { #(#idents),* })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(__deserializer, #name, FIELDS, __Visitor)
        }
    }
}
