//! Code generation for unique indexes: `UniqueIndex<N>`, the statements by value on each
//! backend, `Cached::write_index_keys`, and the `find_by_<name>` / `find_many_by_<name>`
//! methods, which dispatch on the connection (`IndexLookup`) so one name serves both fronts.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::select_many::select_many_query;
use crate::ast::{Index, Model};

/// The value type of an index, borrowed for `lifetime`.
pub(super) fn value_type(index: &Index, lifetime: &TokenStream) -> TokenStream {
    let parts: Vec<TokenStream> = index
        .fields
        .iter()
        .map(|field| {
            if field.string {
                quote!(&#lifetime str)
            } else {
                let ty = &field.ty;
                quote!(&#lifetime #ty)
            }
        })
        .collect();
    match parts.as_slice() {
        [single] => single.clone(),
        many => quote!((#(#many),*)),
    }
}

/// The expression for part `i` of a value named `value`.
fn value_part(index: &Index, i: usize) -> TokenStream {
    if index.fields.len() == 1 {
        quote!(value)
    } else {
        let i = syn::Index::from(i);
        quote!(value.#i)
    }
}

/// A field of `self` as its index value is borrowed: `&self.f`, `self.f.as_str()`, or (a
/// nullable column) an `Option` of either.
pub(super) fn borrowed(field: &crate::ast::IndexField) -> TokenStream {
    let f = &field.ident;
    match (field.nullable, field.string) {
        (false, false) => quote!(&self.#f),
        (false, true) => quote!(self.#f.as_str()),
        (true, false) => quote!(self.#f.as_ref()),
        (true, true) => quote!(self.#f.as_deref()),
    }
}

/// The `UniqueIndex` impls and the lookup methods.
pub fn index_items(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let lt = quote!('__wt_v);
    let impls = model.indexes.iter().enumerate().map(|(n, index)| {
        let value_type = value_type(index, &lt);
        let name = &index.name;
        // `Some(value)` of this row, `None` when a nullable part is NULL (written without
        // closures or `?`, which lints in the user's crate would flag).
        let borrowed = borrowed;
        let value_of_self = match index.fields.as_slice() {
            [single] if single.nullable => borrowed(single),
            [single] => {
                let part = borrowed(single);
                quote!(::core::option::Option::Some(#part))
            }
            fields if fields.iter().all(|f| !f.nullable) => {
                let parts = fields.iter().map(borrowed);
                quote!(::core::option::Option::Some((#(#parts),*)))
            }
            fields => {
                let parts = fields.iter().map(|field| {
                    let part = borrowed(field);
                    if field.nullable {
                        part
                    } else {
                        quote!(::core::option::Option::Some(#part))
                    }
                });
                let names: Vec<_> = (0..fields.len()).map(|i| format_ident!("__wt_{}", i)).collect();
                quote! {
                    match (#(#parts,)*) {
                        (#(::core::option::Option::Some(#names),)*) => ::core::option::Option::Some((#(#names),*)),
                        _ => ::core::option::Option::None,
                    }
                }
            }
        };
        let writes = (0..index.fields.len()).map(|i| {
            let part = value_part(index, i);
            let part = if index.fields[i].newtype {
                quote!(&#part.0)
            } else {
                part
            };
            if i == 0 {
                quote!(key.part(#part);)
            } else {
                quote!(key.literal(":"); key.part(#part);)
            }
        });
        quote! {
            #[automatically_derived]
            impl __wt::UniqueIndex<#n> for #ident {
                type Value<#lt> = #value_type;
                const INDEX_NAME: &'static str = #name;

                fn index_value(&self) -> ::core::option::Option<Self::Value<'_>> {
                    #value_of_self
                }

                fn has_index_value(&self, value: Self::Value<'_>) -> bool {
                    <Self as __wt::UniqueIndex<#n>>::index_value(self) == ::core::option::Option::Some(value)
                }

                fn write_index_value(value: Self::Value<'_>, key: &mut __wt::KeyWriter) {
                    #(#writes)*
                }
            }
        }
    });
    let methods = model.indexes.iter().enumerate().map(|(n, index)| {
        let lt = quote!('__wt_a);
        let value_type = value_type(index, &lt);
        let find = format_ident!("find_by_{}", index.name);
        let find_many = format_ident!("find_many_by_{}", index.name);
        let columns = index
            .fields
            .iter()
            .map(|f| format!("`{}`", f.ident))
            .collect::<Vec<_>>()
            .join(" and ");
        let find_doc = format!(
            "The row whose {columns} is `value`: from Redis when cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection."
        );
        let find_many_doc = format!(
            "The rows whose {columns} are `values`, in their order (duplicates allowed): one Redis round trip when all are cached, one query for the rest."
        );
        quote! {
            #[doc = #find_doc]
            pub fn #find<#lt, __C, __F>(
                conn: &#lt mut __C,
                cache: &#lt __wt::Cache,
                value: #value_type,
            ) -> <__C as __wt::IndexLookup<Self, #n, __F>>::Output<#lt, ::core::option::Option<Self>>
            where
                __C: __wt::IndexLookup<Self, #n, __F>,
            {
                <__C as __wt::IndexLookup<Self, #n, __F>>::find_by(conn, cache, value)
            }

            #[doc = #find_many_doc]
            pub fn #find_many<#lt, __C, __F, __I>(
                conn: &#lt mut __C,
                cache: &#lt __wt::Cache,
                values: __I,
            ) -> <__C as __wt::IndexLookup<Self, #n, __F>>::Output<#lt, ::std::vec::Vec<::core::option::Option<Self>>>
            where
                __C: __wt::IndexLookup<Self, #n, __F>,
                __I: ::core::iter::IntoIterator<Item = #value_type>,
            {
                <__C as __wt::IndexLookup<Self, #n, __F>>::find_many_by(
                    conn,
                    cache,
                    ::core::iter::Iterator::collect(::core::iter::IntoIterator::into_iter(values)),
                )
            }
        }
    });
    if model.indexes.is_empty() {
        return quote!();
    }
    quote! {
        #(#impls)*

        #[automatically_derived]
        impl #ident {
            #(#methods)*
        }
    }
}

/// `Cached::write_index_keys`, when the model has indexes.
pub fn write_index_keys(model: &Model) -> TokenStream {
    if model.indexes.is_empty() {
        return quote!();
    }
    let adds = (0..model.indexes.len()).map(|n| {
        quote! {
            if let ::core::option::Option::Some(value) = <Self as __wt::UniqueIndex<#n>>::index_value(self) {
                keys.add::<Self, #n>(value);
            }
        }
    });
    quote! {
        fn write_index_keys(&self, keys: &mut __wt::IndexKeys<'_>) {
            #(#adds)*
        }
    }
}

/// `IndexStatements<DB, N>` of every index: the queries by value, on backend `db`.
pub fn index_statements(model: &Model, db: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let select = quote!(__wt::as_select::<Self, #db>());
    let source = super::source(model);
    let impls = model.indexes.iter().enumerate().map(|(n, index)| {
        let filters = index.fields.iter().enumerate().map(|(i, field)| {
            let column = &field.column;
            let part = value_part(index, i);
            quote!(.filter(#table::#column.eq(#part)))
        });
        let columns: Vec<&syn::Ident> = index.fields.iter().map(|f| &f.column).collect();
        let select_many = select_many_query(&source, table, &columns, &quote!(values), &select);
        quote! {
            #[automatically_derived]
            impl __wt::IndexStatements<#db, #n> for #ident {
                fn select_by(value: Self::Value<'_>) -> impl __wt::Load<#db, Self> {
                    #source #(#filters)* .limit(1).select(#select)
                }

                fn select_many_by(values: &[Self::Value<'_>]) -> impl __wt::Load<#db, Self> {
                    #select_many
                }
            }
        }
    });
    quote!(#(#impls)*)
}
