//! Code generation from a checked [`Model`]: the `Cached` impl, the Diesel queries for each
//! enabled backend, and the inherent methods users call. Behaviour lives in the runtime; this
//! only describes the model.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::ast::{Backend, KeyPart, Model};
use crate::internals::codec::Codec;

mod flavor;
mod index;
mod load_many;

pub use flavor::Flavor;
use load_many::load_many_query;

pub fn expand(model: &Model) -> TokenStream {
    let cached = cached_impl(model);
    let backends = model
        .backends
        .iter()
        .map(|&backend| backend_impls(model, backend));
    let methods = save_impl(model);
    let indexes = index::index_items(model);
    quote! {
        #[doc(hidden)]
        const _: () = {
            use ::write_through::__private as __wt;
            #cached
            #(#backends)*
            #methods
            #indexes
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
    // Only when given, so that the models without it expand as before.
    let local_ttl = model.local_ttl_millis.map(|millis| {
        quote!(const LOCAL_TTL: ::core::option::Option<::core::time::Duration> =
            ::core::option::Option::Some(::core::time::Duration::from_millis(#millis));)
    });
    let fingerprint = model.fingerprint;
    let codec = match model.codec {
        Codec::Bincode => quote!(__wt::Codec::Bincode),
        Codec::MessagePack => quote!(__wt::Codec::MessagePack),
    };
    let integer = |ty: &syn::Type| {
        const INTEGERS: &[&str] = &[
            "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
        ];
        matches!(ty, syn::Type::Path(p) if p.qself.is_none() && INTEGERS.iter().any(|t| p.path.is_ident(t)))
    };
    let key_can_alias = !model.key_fields.iter().all(|field| integer(&field.ty));
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
    let write_index_keys = index::write_index_keys(model);
    quote! {
        #[automatically_derived]
        impl __wt::Cached for #ident {
            type Id<'__wt_id> = #id_type;
            const MODEL_NAME: &'static str = #name;
            const KEY_TEMPLATE: &'static str = #template;
            const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(#ttl);
            const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = #negative_ttl;
            const SCHEMA_FINGERPRINT: u64 = #fingerprint;
            const KEY_CAN_ALIAS: bool = #key_can_alias;
            const CODEC: __wt::Codec = #codec;
            #local_ttl

            fn id(&self) -> Self::Id<'_> {
                #id_of_self
            }

            fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
                #(#writes)*
            }

            #write_index_keys
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
    let gate = match backend {
        Backend::Postgres => quote!(if_postgres),
        Backend::Mysql => quote!(if_mysql),
        Backend::Sqlite => quote!(if_sqlite),
    };
    let blocking = flavored_impls(model, backend, Flavor::Blocking);
    let nonblocking = Flavor::Async.gate(flavored_impls(model, backend, Flavor::Async));
    quote! {
        __wt::#gate! {
            #blocking
            #nonblocking
        }
    }
}

fn flavored_impls(model: &Model, backend: Backend, flavor: Flavor) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let db = match backend {
        Backend::Postgres => quote!(__wt::diesel::pg::Pg),
        Backend::Mysql => quote!(__wt::diesel::mysql::Mysql),
        Backend::Sqlite => quote!(__wt::diesel::sqlite::Sqlite),
    };
    let (aw, uses, ops, conn, run) = (
        flavor.aw(),
        flavor.uses(),
        flavor.ops(),
        flavor.conn(&db),
        flavor.run(),
    );
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
    let upsert_body = upsert_body(model, backend, &db, &conflict_target, flavor);
    let key_columns: Vec<&Ident> = model.key_fields.iter().map(|f| &f.column).collect();
    let load_many_body = load_many_query(table, &key_columns, &quote!(ids), &db, flavor);
    let create = create_impl(model, backend, &db, flavor);
    let index_queries = index::index_queries(model, &db, flavor);
    let load_returns = flavor.returns(quote!(
        __wt::diesel::QueryResult<::core::option::Option<Self>>
    ));
    let load_body = flavor.body(quote! {
        #uses
        #run::first(
            #table::table
                #filters
                .select(<Self as __wt::diesel::SelectableHelper<#db>>::as_select()),
            conn,
        )
        #aw
        .optional()
    });
    let load_many_returns =
        flavor.returns(quote!(__wt::diesel::QueryResult<::std::vec::Vec<Self>>));
    let load_many_body = flavor.body(quote! {
        #uses
        #load_many_body
    });
    let upsert_returns = flavor.returns(quote!(
        ::core::result::Result<::core::option::Option<Self>, __wt::Error>
    ));
    let upsert_body = flavor.body(quote! {
        #uses
        #upsert_body
    });
    let remove_returns = flavor.returns(quote!(__wt::diesel::QueryResult<usize>));
    let remove_body = flavor.body(quote! {
        #uses
        #run::execute(__wt::diesel::delete(#table::table #filters), conn) #aw
    });
    // `remove` needs no `LoadConnection` on the blocking flavour.
    let remove_conn = match flavor {
        Flavor::Blocking => quote!(__wt::diesel::Connection<Backend = #db>),
        Flavor::Async => conn.clone(),
    };
    quote! {
        #[automatically_derived]
        impl #ops<#db> for #ident {
            fn load<__C>(conn: &mut __C, id: Self::Id<'_>) -> #load_returns
            where
                __C: #conn,
            {
                #load_body
            }

            fn load_many<__C>(conn: &mut __C, ids: &[Self::Id<'_>]) -> #load_many_returns
            where
                __C: #conn,
            {
                #load_many_body
            }

            fn upsert<__C>(&self, conn: &mut __C) -> #upsert_returns
            where
                __C: #conn,
            {
                #upsert_body
            }

            fn remove<__C>(conn: &mut __C, id: Self::Id<'_>) -> #remove_returns
            where
                __C: #remove_conn,
            {
                #remove_body
            }
        }

        #create
        #index_queries
    }
}

/// Inserts or updates, returning the row as stored. With a version field: update only where
/// the stored version is the caller's (bumping it), insert only when there is no row, and
/// report a conflict otherwise.
///
/// Every statement's results are read to the end (`get_results`, `execute`), never only its
/// first row (`get_result`): outside a transaction the statement commits after it sent its
/// rows, so a commit that fails (a deferred constraint, a serialization failure, a lost
/// connection) is reported after them. diesel-async's `get_result` returns at the first row and
/// Diesel's SQLite connection resets the statement unread, so both would report success for a
/// row that never committed, and the library would publish it.
fn upsert_body(
    model: &Model,
    backend: Backend,
    db: &TokenStream,
    conflict_target: &TokenStream,
    flavor: Flavor,
) -> TokenStream {
    let (aw, ops, run) = (flavor.aw(), flavor.ops(), flavor.run());
    let table = &model.table;
    let name = model.ident.to_string();
    let returning = quote!(<Self as __wt::diesel::SelectableHelper<#db>>::as_returning());
    let read_back = quote!(<Self as #ops<#db>>::load(conn, <Self as __wt::Cached>::id(self)) #aw .map_err(__wt::Error::from));
    let conflict = quote!(__wt::Error::Conflict(__wt::ConflictError::new(#name)));
    let unique_violation = quote!(__wt::diesel::result::Error::DatabaseError(
        __wt::diesel::result::DatabaseErrorKind::UniqueViolation,
        _
    ));
    let key_filters: Vec<TokenStream> = model
        .key_fields
        .iter()
        .map(|field| {
            let (column, ident) = (&field.column, &field.ident);
            quote!(.filter(#table::#column.eq(&self.#ident)))
        })
        .collect();
    let Some(version) = &model.version else {
        return match backend {
            // Not `ON DUPLICATE KEY UPDATE`: on MySQL it fires on any unique key and would
            // update another row whose cached value nobody invalidates. An UPDATE by primary
            // key, an INSERT when it matched nothing, then the read-back: each statement on its
            // own, because in one REPEATABLE READ transaction the UPDATE of a missing key takes
            // a gap lock, and concurrent creators of new keys deadlock. An error after the
            // write is an unknown outcome, which deletes the key (never restores it); a newer
            // write seen by the read-back locked after ours, so our publish will not set it.
            // Two savers of a new key race: both UPDATEs match nothing, one INSERT wins, and the
            // other's duplicate key sends it back to the UPDATE of the row just created. A
            // unique violation on another column repeats until the rounds run out and is
            // returned.
            Backend::Mysql => quote! {
                // Bounded: under churn (the row deleted and created again between our
                // statements) a few rounds settle it; after that the error is returned.
                let mut rounds = 0;
                while #run::execute(__wt::diesel::update(#table::table #(#key_filters)*).set(self), conn) #aw ? == 0 {
                    match #run::execute(__wt::diesel::insert_into(#table::table).values(self), conn) #aw {
                        ::core::result::Result::Ok(_) => break,
                        ::core::result::Result::Err(#unique_violation) if rounds < 3 => rounds += 1,
                        ::core::result::Result::Err(error) => return ::core::result::Result::Err(error.into()),
                    }
                }
                #read_back
            },
            _ => quote! {
                let mut rows: ::std::vec::Vec<Self> = #run::get_results(
                    __wt::diesel::insert_into(#table::table)
                        .values(self)
                        .on_conflict(#conflict_target)
                        .do_update()
                        .set(self)
                        .returning(#returning),
                    conn,
                )
                #aw ?;
                // No row: a trigger kept the statement from writing (PostgreSQL's `BEFORE`
                // returning `NULL`, SQLite's `RAISE(IGNORE)`); not a save.
                rows.pop()
                    .map(::core::option::Option::Some)
                    .ok_or(__wt::Error::Database(__wt::diesel::result::Error::NotFound))
            },
        };
    };
    let (vfield, vcolumn) = (&version.ident, &version.column);
    let update = quote! {
        __wt::diesel::update(#table::table #(#key_filters)* .filter(#table::#vcolumn.eq(&self.#vfield)))
            .set((self, #table::#vcolumn.eq(#table::#vcolumn + 1)))
    };
    match backend {
        // Statements on their own, as above. The version this write left is known without
        // the read-back (which may already see a newer writer's row): the caller's plus one
        // after an update, the caller's after an insert.
        Backend::Mysql => quote! {
            let written_version = if #run::execute(#update, conn) #aw ? == 1 {
                self.#vfield + 1
            } else {
                if #read_back?.is_some() {
                    return ::core::result::Result::Err(#conflict);
                }
                match #run::execute(__wt::diesel::insert_into(#table::table).values(self), conn) #aw {
                    ::core::result::Result::Ok(_) => {}
                    // Someone created the row first: its version is theirs, not the caller's.
                    ::core::result::Result::Err(#unique_violation) if #read_back?.is_some() => {
                        return ::core::result::Result::Err(#conflict);
                    }
                    ::core::result::Result::Err(error) => return ::core::result::Result::Err(error.into()),
                }
                self.#vfield
            };
            #read_back.map(|row| row.map(|mut row| {
                row.#vfield = written_version;
                row
            }))
        },
        _ => quote! {
            let mut updated: ::std::vec::Vec<Self> =
                #run::get_results(#update.returning(#returning), conn) #aw ?;
            if let ::core::option::Option::Some(updated) = updated.pop() {
                return ::core::result::Result::Ok(::core::option::Option::Some(updated));
            }
            let mut inserted: ::std::vec::Vec<Self> = #run::get_results(
                __wt::diesel::insert_into(#table::table)
                    .values(self)
                    .on_conflict(#conflict_target)
                    .do_nothing()
                    .returning(#returning),
                conn,
            )
            #aw ?;
            // Nothing inserted: someone else's row holds the key.
            inserted.pop().map(::core::option::Option::Some).ok_or(#conflict)
        },
    }
}

fn create_impl(model: &Model, backend: Backend, db: &TokenStream, flavor: Flavor) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let name = ident.to_string();
    let (aw, uses, ops, run) = (flavor.aw(), flavor.uses(), flavor.ops(), flavor.run());
    let insert =
        quote!(__wt::diesel::dsl::Values<__wt::diesel::dsl::insert_into<#table::table>, __N>);
    let (bound, body) = match backend {
        Backend::Mysql => {
            let (reset, last) = match flavor {
                Flavor::Blocking => (
                    quote!(__wt::mysql::reset_last_insert_id),
                    quote!(__wt::mysql::last_insert_id),
                ),
                Flavor::Async => (
                    quote!(__wt::mysql::reset_last_insert_id_async),
                    quote!(__wt::mysql::last_insert_id_async),
                ),
            };
            let body = match model.key_fields.as_slice() {
                [single] => {
                    let ty = &single.ty;
                    quote! {
                        #uses
                        // Reset first: an insert that sets the key itself leaves
                        // LAST_INSERT_ID() alone, and must not be taken for another row.
                        #reset(conn) #aw ?;
                        let inserted = #run::execute(__wt::diesel::insert_into(#table::table).values(new), conn) #aw ?;
                        __wt::blocking::expect_one_row(inserted, #name)?;
                        let id: #ty = #last(conn, #name) #aw ?;
                        <Self as #ops<#db>>::load(conn, &id) #aw ?.ok_or(
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
            let bound = match flavor {
                Flavor::Blocking => {
                    quote!(#insert: __wt::diesel::query_dsl::methods::ExecuteDsl<__C>)
                }
                Flavor::Async => {
                    quote!(#insert: __wt::diesel_async::methods::ExecuteDsl<__C> + '__q)
                }
            };
            (bound, body)
        }
        _ => {
            let returning = quote!(
                __wt::diesel::dsl::Returning<#insert, __wt::diesel::dsl::AsSelect<#ident, #db>>
            );
            // A named lifetime, not `for<'q>`: a higher-ranked bound would demand a `'static`
            // statement and so refuse borrowed rows such as `&NewUser`.
            let bound = match flavor {
                Flavor::Blocking => {
                    quote!(#returning: __wt::diesel::query_dsl::LoadQuery<'__q, __C, #ident>)
                }
                Flavor::Async => {
                    quote!(#returning: __wt::diesel_async::methods::LoadQuery<'__q, __C, #ident> + '__q)
                }
            };
            let body = quote! {
                #uses
                let mut rows: ::std::vec::Vec<#ident> = #run::get_results(
                    __wt::diesel::insert_into(#table::table)
                        .values(new)
                        .returning(<Self as __wt::diesel::SelectableHelper<#db>>::as_returning()),
                    conn,
                )
                #aw ?;
                __wt::blocking::expect_one_row(rows.len(), #name)?;
                ::core::result::Result::Ok(rows.remove(0))
            };
            (bound, body)
        }
    };
    match flavor {
        Flavor::Blocking => quote! {
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
        },
        Flavor::Async => quote! {
            #[automatically_derived]
            impl<'__q, __C, __N> __wt::AsyncDieselCreate<#db, __C, __N> for #ident
            where
                __C: __wt::diesel_async::AsyncConnection<Backend = #db> + '__q,
                __N: __wt::diesel::Insertable<#table::table> + ::core::marker::Send + '__q,
                #bound,
            {
                fn insert_returning<'__f>(conn: &'__f mut __C, new: __N) -> __wt::BoxFuture<'__f, ::core::result::Result<Self, __wt::Error>>
                where
                    __N: '__f,
                {
                    ::std::boxed::Box::pin(async move { #body })
                }
            }
        },
    }
}

/// How `save` treats the row: by reference, or (with a version field) in place, adopting the
/// version it wrote. The operations themselves are the runtime's traits (`blocking::ModelOps`,
/// `asynch::ModelOps`, ...), chosen by the prelude the user imports.
fn save_impl(model: &Model) -> TokenStream {
    let ident = &model.ident;
    match &model.version {
        None => quote! {
            #[automatically_derived]
            impl __wt::SavesByRef for #ident {}
        },
        Some(version) => {
            let field = &version.ident;
            quote! {
                #[automatically_derived]
                impl __wt::SavesInPlace for #ident {
                    fn adopt_version(&mut self, stored: &Self) {
                        self.#field = stored.#field;
                    }
                }
            }
        }
    }
}

/// Stand-ins emitted when the derive failed: the inherent methods exist, so the only errors the
/// user sees are the derive's own, not a cascade of "no function `find`".
pub fn fallback(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let unreachable = quote!(::core::unreachable!("WriteThrough failed to derive"));
    quote! {
        #[doc(hidden)]
        const _: () = {
            impl #impl_generics #ident #type_generics #where_clause {
                #[allow(missing_docs, unused_variables)]
                pub fn save<__C>(&self, conn: &mut __C, cache: &::write_through::Cache) -> ::core::result::Result<(), ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn find<__C, __I>(conn: &mut __C, cache: &::write_through::Cache, id: __I) -> ::core::result::Result<::core::option::Option<Self>, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn find_many<__C, __I>(conn: &mut __C, cache: &::write_through::Cache, ids: __I) -> ::core::result::Result<::std::vec::Vec<::core::option::Option<Self>>, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn delete<__C, __I>(conn: &mut __C, cache: &::write_through::Cache, id: __I) -> ::core::result::Result<bool, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn create<__C, __N>(conn: &mut __C, cache: &::write_through::Cache, new: __N) -> ::core::result::Result<Self, ::write_through::Error> { #unreachable }
            }
        };
    }
}
