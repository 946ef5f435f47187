//! Code generation from a checked [`Model`]: the `Cached` impl and, for each enabled backend,
//! the model's typed statements (`Statements<DB>` and the writes its save strategy needs).
//! Only what must be typed per model is generated; how the statements are run and composed
//! (`save`'s rounds and version rules, `create`'s steps, both fronts) is the runtime's
//! (`write_through::statements`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;

use crate::ast::{Backend, KeyPart, Model, RowWrites, WrittenColumn};
use crate::internals::codec::Codec;

mod change_keys;
mod collection;
mod index;
mod row;
mod select_many;

use select_many::select_many_query;

pub fn expand(model: &Model) -> TokenStream {
    let cached = cached_impl(model);
    let backends = model
        .backends
        .iter()
        .map(|&backend| backend_impls(model, backend));
    let methods = save_impl(model);
    let indexes = index::index_items(model);
    let collections = collection::collection_items(model);
    let change_keys = change_keys::change_keys(model);
    quote! {
        #[doc(hidden)]
        const _: () = {
            use ::write_through::__private as __wt;
            // The query builder's traits, but not `RunQueryDsl`: the runtime runs the
            // statements, so a user's import of either flavour's cannot make a method
            // ambiguous here.
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
            };
            #cached
            #(#backends)*
            #methods
            #indexes
            #collections
            #change_keys
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
    // Only when true, so that the models without indexes or collections expand as before.
    let names_other_keys =
        (!model.indexes.is_empty() || !model.collections.is_empty()).then(|| {
            quote!(
                const NAMES_OTHER_KEYS: bool = true;
            )
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
            if model.key_fields[*index].newtype {
                // A newtype's key is its one field's: `PersonId(7)` is keyed as `7`.
                quote!(key.part(&#id_part.0);)
            } else {
                quote!(key.part(#id_part);)
            }
        }
    });
    let write_index_keys = index::write_index_keys(model);
    let write_collection_keys = collection::write_collection_keys(model);
    let retired_keys = write_retired_keys(model);
    let row_methods = row::row_methods(model);
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
            #names_other_keys

            fn id(&self) -> Self::Id<'_> {
                #id_of_self
            }

            fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
                #(#writes)*
            }

            #write_index_keys

            #write_collection_keys

            #retired_keys

            #row_methods
        }
    }
}

/// `Cached::RETIRES` and `write_retired_keys`, for a model with `retires(...)`: the other
/// model's row whose key is the field's value (the field's type must be that model's key
/// type, which the call of `row::<Other>` checks; a `None` names none).
fn write_retired_keys(model: &Model) -> TokenStream {
    if model.retires.is_empty() {
        return quote!();
    }
    let rows = model.retires.iter().map(|retire| {
        let (other, field) = (&retire.model, &retire.field);
        if retire.nullable {
            quote! {
                if let ::core::option::Option::Some(__wt_key) = &self.#field {
                    keys.row::<#other>(__wt_key);
                }
            }
        } else {
            quote_spanned!(syn::spanned::Spanned::span(field)=> keys.row::<#other>(&self.#field);)
        }
    });
    quote! {
        const RETIRES: bool = true;

        fn write_retired_keys(&self, keys: &mut __wt::RetiredKeys<'_>) {
            #(#rows)*
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

/// A backend's statements, inside the gate that drops them when the runtime's feature for the
/// backend is off.
fn backend_impls(model: &Model, backend: Backend) -> TokenStream {
    let gate = match backend {
        Backend::Postgres => quote!(if_postgres),
        Backend::Mysql => quote!(if_mysql),
        Backend::Sqlite => quote!(if_sqlite),
    };
    let backend_type = match backend {
        Backend::Postgres => quote!(__wt::diesel::pg::Pg),
        Backend::Mysql => quote!(__wt::diesel::mysql::Mysql),
        Backend::Sqlite => quote!(__wt::diesel::sqlite::Sqlite),
    };
    // Each backend's items in a block of their own, where `__Db` names it.
    let db = quote!(__Db);
    let statements = statements(model, backend, &db);
    let read_only = matches!(model.writes, RowWrites::ReadOnly);
    let writes = match backend {
        Backend::Mysql => plain_writes(model, &db),
        _ if read_only => TokenStream::new(),
        _ => returning_writes(model, &db),
    };
    // A read-only model's rows are not its table's: `RETURNING` could not select them, and an
    // update would be the application's own statement.
    let update = (!read_only).then(|| update_by_key(model, backend, &db));
    let indexes = index::index_statements(model, &db);
    let collections = collection::collection_statements(model, &db);
    quote! {
        __wt::#gate! {
            const _: () = {
                type __Db = #backend_type;
                #statements
                #writes
                #update
                #indexes
                #collections
            };
        }
    }
}

/// `update(id, changes)` through any `AsChangeset` of the table: with `RETURNING`, or (MySQL)
/// the update alone, which the runtime follows with a select by the key.
fn update_by_key(model: &Model, backend: Backend, db: &TokenStream) -> TokenStream {
    let (ident, table) = (&model.ident, &model.table);
    let rows = rows_with_id(model, quote!(#table::table));
    // With a version field the update bumps it, as `save` does, so that a writer still holding
    // the version it read gets a conflict instead of overwriting this update; only when the form
    // changes something (an empty form stays Diesel's "no changes" error).
    let changes = match version_bump(model) {
        None => quote!(changes),
        Some(bump) => quote!(__wt::WithVersionBump { changes, bump: #bump }),
    };
    let update = quote!(__wt::diesel::update(#rows).set(#changes));
    let (statement, method, body) = match backend {
        Backend::Mysql => (
            quote!(__wt::UpdateThenSelect),
            quote!(fn update_by_key(id: Self::Id<'_>, changes: __F) -> impl __wt::Execute<#db>),
            update,
        ),
        _ => (
            quote!(__wt::UpdateReturning),
            quote!(fn update_returning(id: Self::Id<'_>, changes: __F) -> impl __wt::Load<#db, Self>),
            quote!(#update.returning(__wt::as_select::<Self, #db>())),
        ),
    };
    quote! {
        #[automatically_derived]
        impl<__F> #statement<#db, __F> for #ident
        where
            __F: __wt::diesel::AsChangeset<Target = #table::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<#db> + ::core::marker::Send,
        {
            #method {
                #body
            }
        }
    }
}

/// `Statements<DB>`: the table, how `save` writes, and the queries by primary key.
fn statements(model: &Model, backend: Backend, db: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let rows = rows_with_id(model, quote!(#table::table));
    let source = source(model);
    let selected = rows_with_id(model, source.clone());
    let key_columns: Vec<&Ident> = model.key_fields.iter().map(|f| &f.column).collect();
    let select = quote!(__wt::as_select::<Self, #db>());
    let select_many = select_many_query(&source, table, &key_columns, &quote!(ids), &select);
    let read_only = matches!(model.writes, RowWrites::ReadOnly);
    let save = match (backend, model.version.is_some()) {
        _ if read_only => quote!(__wt::ReadOnly),
        (Backend::Mysql, false) => quote!(__wt::UpdateThenInsert),
        (Backend::Mysql, true) => quote!(__wt::VersionedUpdateThenInsert),
        (_, false) => quote!(__wt::Upsert),
        (_, true) => quote!(__wt::VersionedUpsert),
    };
    quote! {
        #[automatically_derived]
        impl __wt::Statements<#db> for #ident {
            type Table = #table::table;
            type Save = #save;

            fn select(id: Self::Id<'_>) -> impl __wt::Load<#db, Self> {
                #selected.limit(1).select(#select)
            }

            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<#db, Self> {
                #select_many
            }

            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<#db> {
                __wt::diesel::delete(#rows)
            }
        }
    }
}

/// The rows of `from` (the table, or what the cache reads from) whose key is the parameter `id`.
fn rows_with_id(model: &Model, from: TokenStream) -> TokenStream {
    let table = &model.table;
    let filters = model.key_fields.iter().enumerate().map(|(index, field)| {
        let column = &field.column;
        let id_part = id_part(model, index);
        quote!(.filter(#table::#column.eq(#id_part)))
    });
    quote!(#from #(#filters)*)
}

/// What the cache's selects read from: the model's `base_query` (a join, a filter), or its table.
fn source(model: &Model) -> TokenStream {
    let table = &model.table;
    match &model.base_query {
        Some(query) => quote!((#query)),
        None => quote!(#table::table),
    }
}

/// The rows filtered by this row's primary key (and, with a version field, its version).
fn own_row(model: &Model) -> TokenStream {
    let table = &model.table;
    let filters = model.key_fields.iter().map(|field| {
        let (column, ident) = (&field.column, &field.ident);
        quote!(.filter(#table::#column.eq(&self.#ident)))
    });
    let version = model.version.as_ref().map(|version| {
        let (field, column) = (&version.ident, &version.column);
        quote!(.filter(#table::#column.eq(&self.#field)))
    });
    quote!(#table::table #(#filters)* #version)
}

/// `version = version + 1`, for a model with a version field.
fn version_bump(model: &Model) -> Option<TokenStream> {
    let table = &model.table;
    let column = &model.version.as_ref()?.column;
    Some(quote!(#table::#column.eq(#table::#column + 1)))
}

/// The changes an update makes: every updated column as the struct holds it (or the row's
/// `AsChangeset`), and with a version field the bump.
fn changes(model: &Model) -> TokenStream {
    let columns = match &model.writes {
        RowWrites::Columns { updated, .. } => as_held(model, updated),
        RowWrites::ModelDerives | RowWrites::ReadOnly => quote!(self),
    };
    match version_bump(model) {
        None => columns,
        Some(bump) => quote!((#columns, #bump)),
    }
}

/// The values an insert writes: every inserted column as the struct holds it (`None` as `NULL`),
/// or the row's `Insertable`.
fn values(model: &Model) -> TokenStream {
    match &model.writes {
        RowWrites::Columns { inserted, .. } => as_held(model, inserted),
        RowWrites::ModelDerives | RowWrites::ReadOnly => quote!(self),
    }
}

/// `(column.eq(&self.field), ...)`: the columns as this row holds them, for an insert's values or
/// an update's changes.
fn as_held(model: &Model, columns: &[WrittenColumn]) -> TokenStream {
    let table = &model.table;
    let pairs = columns.iter().map(|c| {
        let (ident, column) = (&c.ident, &c.column);
        quote!(#table::#column.eq(&self.#ident))
    });
    quote!((#(#pairs,)*))
}

/// The writes of a backend with `RETURNING` (PostgreSQL, SQLite): the upsert, or with a version
/// field the update at the row's version and the insert of a new key.
fn returning_writes(model: &Model, db: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let (values, changes) = (values(model), changes(model));
    let returning = quote!(__wt::as_select::<Self, #db>());
    let conflict_target = match model.key_fields.as_slice() {
        [single] => {
            let column = &single.column;
            quote!(#table::#column)
        }
        many => {
            let columns = many.iter().map(|f| &f.column);
            quote!((#(#table::#columns),*))
        }
    };
    let insert = quote!(__wt::diesel::insert_into(#table::table).values(#values).on_conflict(#conflict_target));
    if model.version.is_none() {
        return quote! {
            #[automatically_derived]
            impl __wt::UpsertStatement<#db> for #ident {
                fn upsert(&self) -> impl __wt::Load<#db, Self> {
                    #insert.do_update().set(#changes).returning(#returning)
                }
            }
        };
    }
    let own_row = own_row(model);
    quote! {
        #[automatically_derived]
        impl __wt::VersionedStatements<#db> for #ident {
            fn update_at_version(&self) -> impl __wt::Load<#db, Self> {
                __wt::diesel::update(#own_row).set(#changes).returning(#returning)
            }

            fn insert_if_absent(&self) -> impl __wt::Load<#db, Self> {
                #insert.do_nothing().returning(#returning)
            }
        }
    }
}

/// MySQL's writes, each a statement of its own (no `RETURNING`), and how `create` reads back
/// the row `LAST_INSERT_ID()` names.
fn plain_writes(model: &Model, db: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let select = quote!(__wt::as_select::<Self, #db>());
    let source = source(model);
    let created = match model.key_fields.as_slice() {
        [single] => {
            let (ty, column) = (&single.ty, &single.column);
            let id = if single.newtype {
                quote!(#ty(__wt::KeyPart::from_auto_increment(auto_increment)?))
            } else {
                quote!(__wt::KeyPart::from_auto_increment(auto_increment)?)
            };
            quote! {
                const SINGLE_KEY: bool = true;

                fn select_created(auto_increment: u64) -> ::core::option::Option<impl __wt::Load<#db, Self>> {
                    let id: #ty = #id;
                    ::core::option::Option::Some(#source.filter(#table::#column.eq(id)).select(#select))
                }
            }
        }
        _ => quote! {
            const SINGLE_KEY: bool = false;

            fn select_created(_: u64) -> ::core::option::Option<impl __wt::Load<#db, Self>> {
                ::core::option::Option::None::<__wt::NoStatement<Self>>
            }
        },
    };
    // `create` reads back through the base query; a read-only model has no save to write.
    let writes = (!matches!(model.writes, RowWrites::ReadOnly)).then(|| {
        let (own_row, values, changes) = (own_row(model), values(model), changes(model));
        quote! {
            #[automatically_derived]
            impl __wt::PlainWrites<#db> for #ident {
                fn update(&self) -> impl __wt::Execute<#db> {
                    __wt::diesel::update(#own_row).set(#changes)
                }

                fn insert(&self) -> impl __wt::Execute<#db> {
                    __wt::diesel::insert_into(#table::table).values(#values)
                }
            }
        }
    });
    quote! {
        #writes

        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for #ident {
            #created
        }
    }
}

/// How `save` treats the row, and whether it can write it whole. A model without a version field
/// is `Unversioned` (saved by reference), one with it `BumpsVersion` (saved in place, adopting the
/// version it wrote); the runtime makes them `SavesByRef` or `SavesInPlace` when the fields are
/// every column of the table (`RowColumns`, compared with the table's by the compiler). A
/// read-only model has no `RowColumns`, so no `save`. The operations themselves are the runtime's
/// traits (`blocking::ModelOps`, `asynch::ModelOps`, ...), chosen by the prelude the user imports.
fn save_impl(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let table = &model.table;
    let written = match (&model.writes, &model.plain_columns) {
        (RowWrites::ReadOnly, _) => None,
        // The user says the columns it leaves out have defaults (or that an embedded struct
        // holds the rest of the row).
        _ if model.partial_save => Some(quote!(<#table::table as __wt::diesel::Table>::AllColumns)),
        (_, Some(columns)) => Some(quote!((#(#table::#columns,)*))),
        // An embedded struct's columns cannot be counted here: no `save` unless `partial_save`.
        (_, None) => None,
    };
    let row_columns = written.map(|written| {
        quote! {
            #[automatically_derived]
            impl __wt::RowColumns for #ident {
                type Table = #table::table;
                type Written = #written;
            }
        }
    });
    let versioning = match &model.version {
        None => quote! {
            #[automatically_derived]
            impl __wt::Unversioned for #ident {}
        },
        Some(version) => {
            let field = &version.ident;
            quote! {
                #[automatically_derived]
                impl __wt::BumpsVersion for #ident {
                    fn take_version(&mut self, stored: &Self) {
                        self.#field = stored.#field;
                    }

                    fn bump_version(&mut self) {
                        self.#field += 1;
                    }
                }
            }
        }
    };
    quote! {
        #row_columns
        #versioning
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
                pub fn update<__C, __I, __F>(conn: &mut __C, cache: &::write_through::Cache, id: __I, changes: __F) -> ::core::result::Result<Self, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn delete<__C, __I>(conn: &mut __C, cache: &::write_through::Cache, id: __I) -> ::core::result::Result<bool, ::write_through::Error> { #unreachable }
                #[allow(missing_docs, unused_variables)]
                pub fn create<__C, __N>(conn: &mut __C, cache: &::write_through::Cache, new: __N) -> ::core::result::Result<Self, ::write_through::Error> { #unreachable }
            }
        };
    }
}
