#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    #[automatically_derived]
    impl __wt::Cached for Person {
        type Id<'__wt_id> = &'__wt_id String;
        const MODEL_NAME: &'static str = "Person";
        const KEY_TEMPLATE: &'static str = "person:{login}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            5400000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 580958816801940167u64;
        fn id(&self) -> Self::Id<'_> {
            &self.login
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("person:");
            key.part(id);
        }
    }
    __wt::if_postgres! {
        #[automatically_derived] impl __wt::DieselOps < __wt::diesel::pg::Pg > for Person
        { fn load < __C > (conn : & mut __C, id : Self::Id < '_ >) ->
        __wt::diesel::QueryResult < ::core::option::Option < Self >> where __C :
        __wt::diesel::Connection < Backend = __wt::diesel::pg::Pg > +
        __wt::diesel::connection::LoadConnection, { use __wt::diesel::prelude:: *; crate
        ::schema::people::table.filter(crate ::schema::people::handle.eq(id)).select(<
        Self as __wt::diesel::SelectableHelper < __wt::diesel::pg::Pg >> ::as_select())
        .first(conn).optional() } fn upsert < __C > (& self, conn : & mut __C) ->
        __wt::diesel::QueryResult < ::core::option::Option < Self >> where __C :
        __wt::diesel::Connection < Backend = __wt::diesel::pg::Pg > +
        __wt::diesel::connection::LoadConnection, { use __wt::diesel::prelude:: *;
        __wt::diesel::insert_into(crate ::schema::people::table).values(self)
        .on_conflict(crate ::schema::people::handle).do_update().set(self).returning(<
        Self as __wt::diesel::SelectableHelper < __wt::diesel::pg::Pg >>
        ::as_returning()).get_result(conn).map(::core::option::Option::Some) } fn remove
        < __C > (conn : & mut __C, id : Self::Id < '_ >) -> __wt::diesel::QueryResult <
        usize > where __C : __wt::diesel::Connection < Backend = __wt::diesel::pg::Pg >,
        { use __wt::diesel::prelude:: *; __wt::diesel::delete(crate
        ::schema::people::table.filter(crate ::schema::people::handle.eq(id)))
        .execute(conn) } } #[automatically_derived] impl < '__q, __C, __N >
        __wt::DieselCreate < __wt::diesel::pg::Pg, __C, __N > for Person where __C :
        __wt::diesel::Connection < Backend = __wt::diesel::pg::Pg > +
        __wt::diesel::connection::LoadConnection, __N : __wt::diesel::Insertable < crate
        ::schema::people::table >, __wt::diesel::dsl::Returning <
        __wt::diesel::dsl::Values < __wt::diesel::dsl::insert_into < crate
        ::schema::people::table >, __N >, __wt::diesel::dsl::AsSelect < Person,
        __wt::diesel::pg::Pg >> : __wt::diesel::query_dsl::LoadQuery < '__q, __C, Person
        >, { fn insert_returning(conn : & mut __C, new : __N) -> ::core::result::Result <
        Self, __wt::Error > { use __wt::diesel::prelude:: *;
        ::core::result::Result::Ok(__wt::diesel::insert_into(crate
        ::schema::people::table).values(new).returning(< Self as
        __wt::diesel::SelectableHelper < __wt::diesel::pg::Pg >> ::as_returning())
        .get_result(conn) ?,) } }
    }
    #[automatically_derived]
    impl Person {
        /// Inserts or updates this row in the database, then publishes the row as stored to
        /// the cache.
        ///
        /// Cached under `{namespace}:person:{login}` for 90m.
        pub fn save<__C>(
            &self,
            conn: &mut __C,
            cache: &__wt::Cache,
        ) -> ::core::result::Result<(), __wt::Error>
        where
            __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
        {
            __wt::ops::save(self, conn, cache)
        }
        /// Finds the row with primary key `id`: from the cache when it is there, else from the
        /// database, filling the cache.
        pub fn find<__C>(
            conn: &mut __C,
            cache: &__wt::Cache,
            id: &String,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
        {
            __wt::ops::find::<Self, __C>(conn, cache, id)
        }
        /// Deletes the row with primary key `id` from the database, then from the cache.
        /// Returns `true` when a row was deleted.
        pub fn delete<__C>(
            conn: &mut __C,
            cache: &__wt::Cache,
            id: &String,
        ) -> ::core::result::Result<bool, __wt::Error>
        where
            __C: __wt::diesel::Connection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
        {
            __wt::ops::delete::<Self, __C>(conn, cache, id)
        }
        /// Inserts `new` (any `Insertable` for this table, typically without the primary
        /// key, which the database generates), caches the stored row and returns it.
        pub fn create<__C, __N>(
            conn: &mut __C,
            cache: &__wt::Cache,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error>
        where
            __C: __wt::diesel::Connection,
            Self: __wt::DieselCreate<
                <__C as __wt::diesel::Connection>::Backend,
                __C,
                __N,
            >,
        {
            __wt::ops::create::<Self, __C, __N>(conn, cache, new)
        }
    }
};
