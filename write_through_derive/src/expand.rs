//! Code generation from a checked [`Model`]: the `Cached` impl, the Diesel queries for each
//! enabled backend, and the inherent methods users call. Behaviour lives in the runtime; this
//! only describes the model.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::model::{Backend, KeyPart, Model};

pub fn expand(model: &Model) -> TokenStream {
    let cached = cached_impl(model);
    let backends = model
        .backends
        .iter()
        .map(|&backend| backend_impls(model, backend));
    let methods = inherent_methods(model);
    quote! {
        #[doc(hidden)]
        const _: () = {
            use ::write_through::__private as __wt;
            #cached
            #(#backends)*
            #methods
        };
    }
}

fn cached_impl(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let name = ident.to_string();
    let template = &model.key_template;
    let ttl = model.ttl_millis;
    let negative_ttl = match model.negative_ttl_millis {
        Some(millis) => {
            quote!(::core::option::Option::Some(::core::time::Duration::from_millis(#millis)))
        }
        None => quote!(::core::option::Option::None),
    };
    let fingerprint = model.fingerprint;
    let id_type = id_type(model, quote!('__wt_id));
    let field_idents: Vec<&Ident> = model.key_fields.iter().map(|f| &f.ident).collect();
    let id_of_self = match field_idents.as_slice() {
        [single] => quote!(&self.#single),
        many => quote!((#(&self.#many),*)),
    };
    let writes = model.key_parts.iter().map(|part| match part {
        KeyPart::Literal(text) => quote!(key.literal(#text);),
        KeyPart::Field(index) => {
            let id_part = id_part(model, *index);
            quote!(key.part(#id_part);)
        }
    });
    quote! {
        #[automatically_derived]
        impl __wt::Cached for #ident {
            type Id<'__wt_id> = #id_type;
            const MODEL_NAME: &'static str = #name;
            const KEY_TEMPLATE: &'static str = #template;
            const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(#ttl);
            const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = #negative_ttl;
            const SCHEMA_FINGERPRINT: u64 = #fingerprint;

            fn id(&self) -> Self::Id<'_> {
                #id_of_self
            }

            fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
                #(#writes)*
            }
        }
    }
}

/// `&'a T` for one key column, `(&'a A, &'a B)` for a composite key.
fn id_type(model: &Model, lifetime: TokenStream) -> TokenStream {
    let types = model.key_fields.iter().map(|f| &f.ty);
    match model.key_fields.as_slice() {
        [single] => {
            let ty = &single.ty;
            quote!(&#lifetime #ty)
        }
        _ => quote!((#(&#lifetime #types),*)),
    }
}

/// The expression for key field `index` inside a function with a parameter `id: Self::Id`.
fn id_part(model: &Model, index: usize) -> TokenStream {
    if model.key_fields.len() == 1 {
        quote!(id)
    } else {
        let index = syn::Index::from(index);
        quote!(id.#index)
    }
}

fn backend_impls(model: &Model, backend: Backend) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let (gate, db) = match backend {
        Backend::Postgres => (quote!(if_postgres), quote!(__wt::diesel::pg::Pg)),
        Backend::Mysql => (quote!(if_mysql), quote!(__wt::diesel::mysql::Mysql)),
        Backend::Sqlite => (quote!(if_sqlite), quote!(__wt::diesel::sqlite::Sqlite)),
    };
    let filters = model.key_fields.iter().enumerate().map(|(index, field)| {
        let column = &field.column;
        let id_part = id_part(model, index);
        quote!(.filter(#table::#column.eq(#id_part)))
    });
    let filters = quote!(#(#filters)*);
    let columns: Vec<&Ident> = model.key_fields.iter().map(|f| &f.column).collect();
    let conflict_target = match backend {
        Backend::Mysql => quote!(__wt::diesel::dsl::DuplicatedKeys),
        _ => match columns.as_slice() {
            [single] => quote!(#table::#single),
            many => quote!((#(#table::#many),*)),
        },
    };
    let upsert_body = match backend {
        // No RETURNING: read the row back. Safe without a transaction: a write committed in
        // between has locked the key after ours, so our publish will not set what we read.
        Backend::Mysql => quote! {
            __wt::diesel::insert_into(#table::table)
                .values(self)
                .on_conflict(#conflict_target)
                .do_update()
                .set(self)
                .execute(conn)?;
            <Self as __wt::DieselOps<#db>>::load(conn, <Self as __wt::Cached>::id(self))
        },
        _ => quote! {
            __wt::diesel::insert_into(#table::table)
                .values(self)
                .on_conflict(#conflict_target)
                .do_update()
                .set(self)
                .returning(<Self as __wt::diesel::SelectableHelper<#db>>::as_returning())
                .get_result(conn)
                .map(::core::option::Option::Some)
        },
    };
    let create = create_impl(model, backend, &db);
    quote! {
        __wt::#gate! {
            #[automatically_derived]
            impl __wt::DieselOps<#db> for #ident {
                fn load<__C>(conn: &mut __C, id: Self::Id<'_>) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
                where
                    __C: __wt::diesel::Connection<Backend = #db> + __wt::diesel::connection::LoadConnection,
                {
                    use __wt::diesel::prelude::*;
                    #table::table
                        #filters
                        .select(<Self as __wt::diesel::SelectableHelper<#db>>::as_select())
                        .first(conn)
                        .optional()
                }

                fn upsert<__C>(&self, conn: &mut __C) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
                where
                    __C: __wt::diesel::Connection<Backend = #db> + __wt::diesel::connection::LoadConnection,
                {
                    use __wt::diesel::prelude::*;
                    #upsert_body
                }

                fn remove<__C>(conn: &mut __C, id: Self::Id<'_>) -> __wt::diesel::QueryResult<usize>
                where
                    __C: __wt::diesel::Connection<Backend = #db>,
                {
                    use __wt::diesel::prelude::*;
                    __wt::diesel::delete(#table::table #filters).execute(conn)
                }
            }

            #create
        }
    }
}

fn create_impl(model: &Model, backend: Backend, db: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let name = ident.to_string();
    let insert =
        quote!(__wt::diesel::dsl::Values<__wt::diesel::dsl::insert_into<#table::table>, __N>);
    let (bound, body) = match backend {
        Backend::Mysql => {
            let body = match model.key_fields.as_slice() {
                [single] => {
                    let ty = &single.ty;
                    quote! {
                        use __wt::diesel::prelude::*;
                        __wt::diesel::insert_into(#table::table).values(new).execute(conn)?;
                        let id: #ty = __wt::mysql::last_insert_id(conn, #name)?;
                        <Self as __wt::DieselOps<#db>>::load(conn, &id)?.ok_or(
                            __wt::Error::Usage(__wt::UsageError::CreatedRowVanished { model: #name }),
                        )
                    }
                }
                _ => quote! {
                    let _ = (conn, new);
                    ::core::result::Result::Err(__wt::Error::Usage(
                        __wt::UsageError::CreateNeedsAutoIncrementKey { model: #name },
                    ))
                },
            };
            let bound = quote!(#insert: __wt::diesel::query_dsl::methods::ExecuteDsl<__C>);
            (bound, body)
        }
        _ => {
            let returning = quote!(
                __wt::diesel::dsl::Returning<#insert, __wt::diesel::dsl::AsSelect<#ident, #db>>
            );
            // A named lifetime, not `for<'q>`: a higher-ranked bound would demand a `'static`
            // statement and so refuse borrowed rows such as `&NewUser`.
            let bound = quote!(#returning: __wt::diesel::query_dsl::LoadQuery<'__q, __C, #ident>);
            let body = quote! {
                use __wt::diesel::prelude::*;
                ::core::result::Result::Ok(
                    __wt::diesel::insert_into(#table::table)
                        .values(new)
                        .returning(<Self as __wt::diesel::SelectableHelper<#db>>::as_returning())
                        .get_result(conn)?,
                )
            };
            (bound, body)
        }
    };
    quote! {
        #[automatically_derived]
        impl<'__q, __C, __N> __wt::DieselCreate<#db, __C, __N> for #ident
        where
            __C: __wt::diesel::Connection<Backend = #db> + __wt::diesel::connection::LoadConnection,
            __N: __wt::diesel::Insertable<#table::table>,
            #bound,
        {
            fn insert_returning(conn: &mut __C, new: __N) -> ::core::result::Result<Self, __wt::Error> {
                #body
            }
        }
    }
}

fn inherent_methods(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let id_type = id_type(model, quote!());
    let key_doc = format!(
        " Cached under `{{namespace}}:{}` for {}.",
        model.key_template,
        humane_millis(model.ttl_millis)
    );
    quote! {
        #[automatically_derived]
        impl #ident {
            /// Inserts or updates this row in the database, then publishes the row as stored to
            /// the cache.
            ///
            #[doc = #key_doc]
            pub fn save<__C>(&self, conn: &mut __C, cache: &__wt::Cache) -> ::core::result::Result<(), __wt::Error>
            where
                __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
                Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
            {
                __wt::ops::save(self, conn, cache)
            }

            /// Finds the row with primary key `id`: from the cache when it is there, else from the
            /// database, filling the cache.
            pub fn find<__C>(conn: &mut __C, cache: &__wt::Cache, id: #id_type) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
            where
                __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
                Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
            {
                __wt::ops::find::<Self, __C>(conn, cache, id)
            }

            /// Deletes the row with primary key `id` from the database, then from the cache.
            /// Returns `true` when a row was deleted.
            pub fn delete<__C>(conn: &mut __C, cache: &__wt::Cache, id: #id_type) -> ::core::result::Result<bool, __wt::Error>
            where
                __C: __wt::diesel::Connection,
                Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
            {
                __wt::ops::delete::<Self, __C>(conn, cache, id)
            }

            /// Inserts `new` (any `Insertable` for this table, typically without the primary
            /// key, which the database generates), caches the stored row and returns it.
            pub fn create<__C, __N>(conn: &mut __C, cache: &__wt::Cache, new: __N) -> ::core::result::Result<Self, __wt::Error>
            where
                __C: __wt::diesel::Connection,
                Self: __wt::DieselCreate<<__C as __wt::diesel::Connection>::Backend, __C, __N>,
            {
                __wt::ops::create::<Self, __C, __N>(conn, cache, new)
            }
        }
    }
}

/// Stand-ins emitted when the derive failed: the inherent methods exist, so the only errors the
/// user sees are the derive's own, not a cascade of "no function `find`".
pub fn fallback(ident: &Ident) -> TokenStream {
    let unreachable = quote!(::core::unreachable!("WriteThrough failed to derive"));
    quote! {
        #[doc(hidden)]
        const _: () = {
            impl #ident {
                #[allow(missing_docs, unused_variables)]
                pub fn save<__C>(&self, conn: &mut __C, cache: &::write_through::Cache) -> ::core::result::Result<(), ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn find<__C, __I>(conn: &mut __C, cache: &::write_through::Cache, id: __I) -> ::core::result::Result<::core::option::Option<Self>, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn delete<__C, __I>(conn: &mut __C, cache: &::write_through::Cache, id: __I) -> ::core::result::Result<bool, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn create<__C, __N>(conn: &mut __C, cache: &::write_through::Cache, new: __N) -> ::core::result::Result<Self, ::write_through::Error> { #unreachable }
            }
        };
    }
}

fn humane_millis(millis: u64) -> String {
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if millis % size == 0 {
            return format!("{}{unit}", millis / size);
        }
    }
    format!("{millis}ms")
}
