//! Code generation from a checked [`Model`]: the `Cached` impl, the Diesel queries for each
//! enabled backend, and the inherent methods users call. Behaviour lives in the runtime; this
//! only describes the model.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::internals::codec::Codec;
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
    let upsert_body = upsert_body(model, backend, &db, &conflict_target);
    let load_many_body = match model.key_fields.as_slice() {
        [single] => {
            let column = &single.column;
            quote! {
                #table::table
                    .filter(#table::#column.eq_any(ids.iter().copied()))
                    .select(<Self as __wt::diesel::SelectableHelper<#db>>::as_select())
                    .load(conn)
            }
        }
        fields => {
            let matches: Vec<TokenStream> = fields
                .iter()
                .enumerate()
                .map(|(index, field)| {
                    let column = &field.column;
                    let index = syn::Index::from(index);
                    quote!(#table::#column.eq(id.#index))
                })
                .collect();
            let (first, rest) = (&matches[0], &matches[1..]);
            quote! {
                let mut query = #table::table
                    .select(<Self as __wt::diesel::SelectableHelper<#db>>::as_select())
                    .into_boxed();
                for id in ids {
                    query = query.or_filter(#first #(.and(#rest))*);
                }
                query.load(conn)
            }
        }
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

                fn load_many<__C>(conn: &mut __C, ids: &[Self::Id<'_>]) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
                where
                    __C: __wt::diesel::Connection<Backend = #db> + __wt::diesel::connection::LoadConnection,
                {
                    use __wt::diesel::prelude::*;
                    #load_many_body
                }

                fn upsert<__C>(&self, conn: &mut __C) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
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

/// Inserts or updates, returning the row as stored. With a version field: update only where
/// the stored version is the caller's (bumping it), insert only when there is no row, and
/// report a conflict otherwise.
fn upsert_body(
    model: &Model,
    backend: Backend,
    db: &TokenStream,
    conflict_target: &TokenStream,
) -> TokenStream {
    let table = &model.table;
    let name = model.ident.to_string();
    let returning = quote!(<Self as __wt::diesel::SelectableHelper<#db>>::as_returning());
    let read_back = quote!(<Self as __wt::DieselOps<#db>>::load(conn, <Self as __wt::Cached>::id(self)).map_err(__wt::Error::from));
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
                let update_row = |conn: &mut __C| {
                    __wt::diesel::update(#table::table #(#key_filters)*).set(self).execute(conn)
                };
                // Bounded: under churn (the row deleted and created again between our
                // statements) a few rounds settle it; after that the error is returned.
                let mut rounds = 0;
                while update_row(conn)? == 0 {
                    match __wt::diesel::insert_into(#table::table).values(self).execute(conn) {
                        ::core::result::Result::Ok(_) => break,
                        ::core::result::Result::Err(#unique_violation) if rounds < 3 => rounds += 1,
                        ::core::result::Result::Err(error) => return ::core::result::Result::Err(error.into()),
                    }
                }
                #read_back
            },
            _ => quote! {
                ::core::result::Result::Ok(::core::option::Option::Some(
                    __wt::diesel::insert_into(#table::table)
                        .values(self)
                        .on_conflict(#conflict_target)
                        .do_update()
                        .set(self)
                        .returning(#returning)
                        .get_result(conn)?,
                ))
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
            let written_version = if #update.execute(conn)? == 1 {
                self.#vfield + 1
            } else {
                if #read_back?.is_some() {
                    return ::core::result::Result::Err(#conflict);
                }
                match __wt::diesel::insert_into(#table::table).values(self).execute(conn) {
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
            if let ::core::option::Option::Some(updated) =
                #update.returning(#returning).get_result(conn).optional()?
            {
                return ::core::result::Result::Ok(::core::option::Option::Some(updated));
            }
            match __wt::diesel::insert_into(#table::table)
                .values(self)
                .on_conflict(#conflict_target)
                .do_nothing()
                .returning(#returning)
                .get_result(conn)
                .optional()?
            {
                ::core::option::Option::Some(inserted) => ::core::result::Result::Ok(::core::option::Option::Some(inserted)),
                ::core::option::Option::None => ::core::result::Result::Err(#conflict),
            }
        },
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
                        // Reset first: an insert that sets the key itself leaves
                        // LAST_INSERT_ID() alone, and must not be taken for another row.
                        __wt::mysql::reset_last_insert_id(conn)?;
                        let inserted = __wt::diesel::insert_into(#table::table).values(new).execute(conn)?;
                        __wt::blocking::expect_one_row(inserted, #name)?;
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
                let mut rows = __wt::diesel::insert_into(#table::table)
                    .values(new)
                    .returning(<Self as __wt::diesel::SelectableHelper<#db>>::as_returning())
                    .get_results(conn)?;
                __wt::blocking::expect_one_row(rows.len(), #name)?;
                ::core::result::Result::Ok(rows.remove(0))
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
    let id_type_a = id_type(model, quote!('__a));
    let id_type = id_type(model, quote!());
    let shown_template: String = model
        .key_parts
        .iter()
        .map(|part| match part {
            KeyPart::Literal(text) => text.clone(),
            KeyPart::Field(index) => format!("{{{}}}", model.key_fields[*index].ident),
        })
        .collect();
    let key_doc = format!(
        " Cached under `{{namespace}}:{shown_template}` for {}.",
        humane_millis(model.ttl_millis)
    );
    let bounds = quote! {
        where
            __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
    };
    let save = match &model.version {
        None => quote! {
            /// Inserts or updates this row in the database, then publishes the row as stored to
            /// the cache.
            ///
            #[doc = #key_doc]
            pub fn save<__C>(&self, conn: &mut __C, cache: &__wt::Cache) -> ::core::result::Result<(), __wt::Error>
            #bounds
            {
                __wt::blocking::save(self, conn, cache).map(|_| ())
            }
        },
        Some(version) => {
            let field = &version.ident;
            let version_doc = format!(
                " Optimistic locking: the database row is changed only if its `{field}` is still this row's; \
                 then `{field}` becomes `{field} + 1`, here and in the database. Otherwise nothing changes and \
                 the error is [`Error::Conflict`](::write_through::Error::Conflict)."
            );
            quote! {
                /// Inserts or updates this row in the database, then publishes the row as stored to
                /// the cache.
                ///
                #[doc = #version_doc]
                ///
                #[doc = #key_doc]
                pub fn save<__C>(&mut self, conn: &mut __C, cache: &__wt::Cache) -> ::core::result::Result<(), __wt::Error>
                #bounds
                {
                    if let ::core::option::Option::Some(stored) = __wt::blocking::save(&*self, conn, cache)? {
                        self.#field = stored.#field;
                    }
                    ::core::result::Result::Ok(())
                }
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #ident {
            #save
            /// Finds the row with primary key `id`: from the cache when it is there, else from the
            /// database, filling the cache.
            pub fn find<__C>(conn: &mut __C, cache: &__wt::Cache, id: #id_type) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
            where
                __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
                Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
            {
                __wt::blocking::find::<Self, __C>(conn, cache, id)
            }

            /// Finds many rows at once, in the order of `ids` (duplicates allowed): one Redis
            /// round trip for all of them, one database query for those Redis did not hold,
            /// one more Redis round trip to cache them.
            pub fn find_many<'__a, __C, __I>(conn: &mut __C, cache: &__wt::Cache, ids: __I) -> ::core::result::Result<::std::vec::Vec<::core::option::Option<Self>>, __wt::Error>
            where
                __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
                Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
                __I: ::core::iter::IntoIterator<Item = #id_type_a>,
            {
                __wt::blocking::find_many::<Self, __C, __I>(conn, cache, ids)
            }

            /// Deletes the row with primary key `id` from the database, then from the cache.
            /// Returns `true` when a row was deleted.
            pub fn delete<__C>(conn: &mut __C, cache: &__wt::Cache, id: #id_type) -> ::core::result::Result<bool, __wt::Error>
            where
                __C: __wt::diesel::Connection,
                Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
            {
                __wt::blocking::delete::<Self, __C>(conn, cache, id)
            }

            /// Inserts `new` (any `Insertable` for this table, typically without the primary
            /// key, which the database generates), caches the stored row and returns it.
            pub fn create<__C, __N>(conn: &mut __C, cache: &__wt::Cache, new: __N) -> ::core::result::Result<Self, __wt::Error>
            where
                __C: __wt::diesel::Connection,
                Self: __wt::DieselCreate<<__C as __wt::diesel::Connection>::Backend, __C, __N>,
            {
                __wt::blocking::create::<Self, __C, __N>(conn, cache, new)
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

/// `5400000` -> `"1h30m"`.
fn humane_millis(millis: u64) -> String {
    let mut rest = millis;
    let mut text = String::new();
    for (unit, size) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ] {
        if rest >= size {
            text.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::humane_millis;

    #[test]
    fn durations_are_shown_in_their_largest_units() {
        assert_eq!(humane_millis(3_600_000), "1h");
        assert_eq!(humane_millis(5_400_000), "1h30m");
        assert_eq!(humane_millis(1_500), "1s500ms");
    }
}
