//! `ChangeKeys`: what the change feed needs of a model. The columns of its key and unique
//! indexes, by their SQL names (Diesel's `Column::NAME`), and how a changed row's values, read
//! from the log's text, become the keys `find` renders.
//!
//! The key and index types are bounded on `FromChangeText<'__wt_text>` in the impl's where
//! clause, not required: a model whose key type cannot be read from text still compiles, and
//! only giving it to the feed says so.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::Model;

pub fn change_keys(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let name_of = |column: &syn::Ident| quote!(<#table::#column as __wt::diesel::Column>::NAME);
    let lt = quote!('__wt_text);

    let key_names: Vec<TokenStream> = model
        .key_fields
        .iter()
        .map(|f| name_of(&f.column))
        .collect();
    let key_vars: Vec<syn::Ident> = (0..model.key_fields.len())
        .map(|i| format_ident!("__wt_k{}", i))
        .collect();
    let mut bounds: Vec<TokenStream> = Vec::new();
    let key_reads = model.key_fields.iter().zip(&key_vars).map(|(field, var)| {
        let (ty, name) = (&field.ty, name_of(&field.column));
        if field.newtype {
            // The newtype's field type is not named here; the read infers it.
            quote!(let #var: #ty = #ty(__wt::key_column(row, #name)?);)
        } else {
            bounds.push(quote!(#ty: __wt::FromChangeText<#lt>));
            quote!(let #var: #ty = __wt::key_column(row, #name)?;)
        }
    });
    let key_reads: Vec<TokenStream> = key_reads.collect();
    let id = match key_vars.as_slice() {
        [single] => quote!(&#single),
        many => quote!((#(&#many),*)),
    };

    let index_names = model.indexes.iter().map(|index| {
        let names = index.fields.iter().map(|f| name_of(&f.column));
        quote!(&[#(#names),*])
    });
    let index_reads = model.indexes.iter().enumerate().map(|(n, index)| {
        let vars: Vec<syn::Ident> = (0..index.fields.len())
            .map(|i| format_ident!("__wt_i{}_{}", n, i))
            .collect();
        let reads = index.fields.iter().zip(&vars).map(|(field, var)| {
            let name = name_of(&field.column);
            let ty = &field.ty;
            if field.newtype {
                quote!(let #var: ::core::option::Option<#ty> = __wt::index_column(row, #name)?.map(#ty);)
            } else {
                let read = if field.string { quote!(::std::string::String) } else { quote!(#ty) };
                bounds.push(quote!(#read: __wt::FromChangeText<#lt>));
                quote!(let #var: ::core::option::Option<#read> = __wt::index_column(row, #name)?;)
            }
        });
        let reads: Vec<TokenStream> = reads.collect();
        let parts = index.fields.iter().zip(&vars).map(|(field, var)| {
            if field.string && !field.newtype {
                quote!(#var.as_str())
            } else {
                quote!(&#var)
            }
        });
        let value = match index.fields.len() {
            1 => quote!(#(#parts)*),
            _ => quote!((#(#parts),*)),
        };
        quote! {
            #(#reads)*
            if let (#(::core::option::Option::Some(#vars),)*) = (#(#vars,)*) {
                keys.index::<Self, #n>(#value);
            }
        }
    });
    let index_reads: Vec<TokenStream> = index_reads.collect();
    let collection_names = model
        .collections
        .iter()
        .map(|collection| name_of(&collection.parent.fields[0].column));
    let collection_reads: Vec<TokenStream> = model
        .collections
        .iter()
        .enumerate()
        .map(|(n, collection)| {
            let field = &collection.parent.fields[0];
            let var = format_ident!("__wt_c{}", n);
            let name = name_of(&field.column);
            let ty = &field.ty;
            let read = if field.newtype {
                quote!(let #var: ::core::option::Option<#ty> = __wt::index_column(row, #name)?.map(#ty);)
            } else {
                let read = if field.string { quote!(::std::string::String) } else { quote!(#ty) };
                bounds.push(quote!(#read: __wt::FromChangeText<#lt>));
                quote!(let #var: ::core::option::Option<#read> = __wt::index_column(row, #name)?;)
            };
            let parent = if field.string && !field.newtype {
                quote!(#var.as_str())
            } else {
                quote!(&#var)
            };
            quote! {
                #read
                if let ::core::option::Option::Some(#var) = #var {
                    keys.collection::<Self, #n>(#parent);
                }
            }
        })
        .collect();
    let collection_columns = (!model.collections.is_empty()).then(
        || quote!(const COLLECTION_COLUMNS: &'static [&'static str] = &[#(#collection_names),*];),
    );
    let dependencies = dependencies(model);

    quote! {
        #[automatically_derived]
        impl<#lt> __wt::ChangeKeys for #ident
        where
            #(#bounds,)*
        {
            type Table = #table::table;
            const KEY_COLUMNS: &'static [&'static str] = &[#(#key_names),*];
            const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[#(#index_names),*];
            #collection_columns

            fn change_keys(
                row: &dyn __wt::ColumnTexts,
                keys: &mut __wt::ChangeKeyWriter<'_>,
            ) -> ::core::result::Result<(), __wt::UnreadableChange> {
                #(#key_reads)*
                keys.row::<Self>(#id);
                #(#index_reads)*
                #(#collection_reads)*
                ::core::result::Result::Ok(())
            }

            #dependencies
        }
    }
}

/// `retired_by(table::column, ...)`: for each, the other table and how its changed rows name
/// this model's key (the column's value; a `NULL` names none). Only the feeds read them, so they
/// are compiled with one (`postgres` or `binlog`).
fn dependencies(model: &Model) -> Option<TokenStream> {
    if model.retired_by.is_empty() {
        return None;
    }
    let ident = &model.ident;
    let key = &model.key_fields[0];
    let ty = &key.ty;
    let read = if key.newtype {
        quote!(__wt::index_column(row, __wt_name)?.map(#ty))
    } else {
        quote!(__wt::index_column::<#ty>(row, __wt_name)?)
    };
    let ons = model.retired_by.iter().map(|column| {
        let mut table = column.clone();
        table.segments.pop();
        table.segments.pop_punct();
        quote! {
            {
                const __wt_name: &str = <#column as __wt::diesel::Column>::NAME;
                fn __wt_keys(
                    row: &dyn __wt::ColumnTexts,
                    keys: &mut __wt::ChangeKeyWriter<'_>,
                ) -> ::core::result::Result<(), __wt::UnreadableChange> {
                    let __wt_key: ::core::option::Option<#ty> = #read;
                    if let ::core::option::Option::Some(__wt_key) = __wt_key {
                        keys.row::<#ident>(&__wt_key);
                    }
                    ::core::result::Result::Ok(())
                }
                list.on::<#table::table>(__wt_name, __wt_keys);
            }
        }
    });
    Some(quote! {
        fn dependencies(list: &mut __wt::Dependencies<'_>) {
            __wt::if_feed! {
                #(#ons)*
            }
            let _ = list;
        }
    })
}
