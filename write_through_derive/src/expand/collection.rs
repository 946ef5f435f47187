//! Code generation for cached collections: `Collection<N>`, the statement by parent on each
//! backend, `Cached::write_collection_keys`, and the `find_all_by_<name>` /
//! `find_all_by_<name>_in` methods, which dispatch on the connection (`CollectionLookup`) so one
//! name serves both fronts.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::index::{borrowed, value_type};
use crate::ast::Model;

/// The `Collection` impls and the listing methods.
pub fn collection_items(model: &Model) -> TokenStream {
    if model.collections.is_empty() {
        return quote!();
    }
    let ident = &model.ident;
    let impls = model.collections.iter().enumerate().map(|(n, collection)| {
        let parent = &collection.parent.fields[0];
        let lt = quote!('__wt_p);
        let parent_type = value_type(&collection.parent, &lt);
        let name = &collection.parent.name;
        let max = usize::try_from(collection.max).unwrap_or(usize::MAX);
        let part = borrowed(parent);
        let parent_of_self = if parent.nullable {
            part
        } else {
            quote!(::core::option::Option::Some(#part))
        };
        let write_parent = if parent.newtype {
            quote!(key.part(&parent.0);)
        } else {
            quote!(key.part(parent);)
        };
        let write_order = collection.order.as_ref().map(|order| {
            let f = &order.ident;
            let write = if order.nullable {
                // `NULL` and a value never write the same bytes: a value starts with `=`.
                quote! {
                    if let ::core::option::Option::Some(value) = &self.#f {
                        key.literal("=");
                        key.part(value);
                    }
                }
            } else {
                quote!(key.part(&self.#f);)
            };
            quote! {
                fn write_order(&self, key: &mut __wt::KeyWriter) {
                    #write
                }
            }
        });
        quote! {
            #[automatically_derived]
            impl __wt::Collection<#n> for #ident {
                type Parent<#lt> = #parent_type;
                const COLLECTION_NAME: &'static str = #name;
                const MAX_MEMBERS: usize = #max;

                fn parent(&self) -> ::core::option::Option<Self::Parent<'_>> {
                    #parent_of_self
                }

                fn has_parent(&self, parent: Self::Parent<'_>) -> bool {
                    <Self as __wt::Collection<#n>>::parent(self) == ::core::option::Option::Some(parent)
                }

                fn write_parent(parent: Self::Parent<'_>, key: &mut __wt::KeyWriter) {
                    #write_parent
                }

                #write_order
            }
        }
    });
    let methods = model.collections.iter().enumerate().map(|(n, collection)| {
        let lt = quote!('__wt_a);
        let parent_type = value_type(&collection.parent, &lt);
        let find = format_ident!("find_all_by_{}", collection.parent.name);
        let find_in = format_ident!("find_all_by_{}_in", collection.parent.name);
        let field = &collection.parent.fields[0].ident;
        let order = match &collection.order {
            Some(order) if order.descending => format!(", by `{}` descending", order.ident),
            Some(order) => format!(", by `{}`", order.ident),
            None => ", in key order".to_owned(),
        };
        let find_doc = format!(
            "The rows whose `{field}` is `parent`{order}: from Redis when the collection and its rows are cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection."
        );
        let find_in_doc = format!(
            "The rows of each of `parents` (by `{field}`), in their order (duplicates allowed): one Redis round trip when all are cached, one query per parent for the rest."
        );
        quote! {
            #[doc = #find_doc]
            pub fn #find<#lt, __C, __F>(
                conn: &#lt mut __C,
                cache: &#lt __wt::Cache,
                parent: #parent_type,
            ) -> <__C as __wt::CollectionLookup<Self, #n, __F>>::Output<#lt, ::std::vec::Vec<Self>>
            where
                __C: __wt::CollectionLookup<Self, #n, __F>,
            {
                <__C as __wt::CollectionLookup<Self, #n, __F>>::find_all_by(conn, cache, parent)
            }

            #[doc = #find_in_doc]
            pub fn #find_in<#lt, __C, __F, __I>(
                conn: &#lt mut __C,
                cache: &#lt __wt::Cache,
                parents: __I,
            ) -> <__C as __wt::CollectionLookup<Self, #n, __F>>::Output<#lt, ::std::vec::Vec<::std::vec::Vec<Self>>>
            where
                __C: __wt::CollectionLookup<Self, #n, __F>,
                __I: ::core::iter::IntoIterator<Item = #parent_type>,
            {
                <__C as __wt::CollectionLookup<Self, #n, __F>>::find_all_by_in(
                    conn,
                    cache,
                    ::core::iter::Iterator::collect(::core::iter::IntoIterator::into_iter(parents)),
                )
            }
        }
    });
    quote! {
        #(#impls)*

        #[automatically_derived]
        impl #ident {
            #(#methods)*
        }
    }
}

/// `Cached::write_collection_keys`, when the model has collections.
pub fn write_collection_keys(model: &Model) -> TokenStream {
    if model.collections.is_empty() {
        return quote!();
    }
    let adds = (0..model.collections.len()).map(|n| {
        quote! {
            if let ::core::option::Option::Some(parent) = <Self as __wt::Collection<#n>>::parent(self) {
                keys.add::<Self, #n>(parent);
            }
        }
    });
    quote! {
        fn write_collection_keys(&self, keys: &mut __wt::CollectionKeys<'_>) {
            #(#adds)*
        }
    }
}

/// `CollectionStatements<DB, N>` of every collection: its members in order, on backend `db`.
/// Ties in the order are broken by the primary key, so that the order is the same on every
/// read.
pub fn collection_statements(model: &Model, db: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let select = quote!(__wt::as_select::<Self, #db>());
    let source = super::source(model);
    let impls = model.collections.iter().enumerate().map(|(n, collection)| {
        let column = &collection.parent.fields[0].column;
        let mut order: Vec<TokenStream> = Vec::new();
        if let Some(by) = &collection.order {
            let column = &by.column;
            order.push(if by.descending {
                quote!(#table::#column.desc())
            } else {
                quote!(#table::#column.asc())
            });
        }
        for key in &model.key_fields {
            let column = &key.column;
            order.push(quote!(#table::#column.asc()));
        }
        quote! {
            #[automatically_derived]
            impl __wt::CollectionStatements<#db, #n> for #ident {
                fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<#db, Self> {
                    #source
                        .filter(#table::#column.eq(parent))
                        .order_by((#(#order,)*))
                        .select(#select)
                }
            }
        }
    });
    quote!(#(#impls)*)
}
