#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    #[automatically_derived]
    impl __wt::Cached for User {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "User";
        const KEY_TEMPLATE: &'static str = "{{users}}:u:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(1500u64);
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 10678152671672722960u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("{users}:u:");
            key.part(id);
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::pg::Pg> for User {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            users::table
                .filter(users::id.eq(id))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
                .first(conn)
                .optional()
        }
        fn load_many<__C>(
            conn: &mut __C,
            ids: &[Self::Id<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            users::table
                .filter(users::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
                .load(conn)
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            ::core::result::Result::Ok(
                ::core::option::Option::Some(
                    __wt::diesel::insert_into(users::table)
                        .values(self)
                        .on_conflict(users::id)
                        .do_update()
                        .set(self)
                        .returning(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::pg::Pg,
                            >>::as_returning(),
                        )
                        .get_result(conn)?,
                ),
            )
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<usize>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>,
        {
            use __wt::diesel::prelude::*;
            __wt::diesel::delete(users::table.filter(users::id.eq(id))).execute(conn)
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::pg::Pg, __C, __N> for User
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<users::table>,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<__wt::diesel::dsl::insert_into<users::table>, __N>,
            __wt::diesel::dsl::AsSelect<User, __wt::diesel::pg::Pg>,
        >: __wt::diesel::query_dsl::LoadQuery<'__q, __C, User>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::*;
            let mut rows = __wt::diesel::insert_into(users::table)
                .values(new)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
                .get_results(conn)?;
            __wt::blocking::expect_one_row(rows.len(), "User")?;
            ::core::result::Result::Ok(rows.remove(0))
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::mysql::Mysql> for User {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            users::table
                .filter(users::id.eq(id))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
                .first(conn)
                .optional()
        }
        fn load_many<__C>(
            conn: &mut __C,
            ids: &[Self::Id<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            users::table
                .filter(users::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
                .load(conn)
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            let update_row = |conn: &mut __C| {
                __wt::diesel::update(users::table.filter(users::id.eq(&self.id)))
                    .set(self)
                    .execute(conn)
            };
            let mut rounds = 0;
            while update_row(conn)? == 0 {
                match __wt::diesel::insert_into(users::table).values(self).execute(conn)
                {
                    ::core::result::Result::Ok(_) => break,
                    ::core::result::Result::Err(
                        __wt::diesel::result::Error::DatabaseError(
                            __wt::diesel::result::DatabaseErrorKind::UniqueViolation,
                            _,
                        ),
                    ) if rounds < 3 => rounds += 1,
                    ::core::result::Result::Err(error) => {
                        return ::core::result::Result::Err(error.into());
                    }
                }
            }
            <Self as __wt::DieselOps<
                __wt::diesel::mysql::Mysql,
            >>::load(conn, <Self as __wt::Cached>::id(self))
                .map_err(__wt::Error::from)
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<usize>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>,
        {
            use __wt::diesel::prelude::*;
            __wt::diesel::delete(users::table.filter(users::id.eq(id))).execute(conn)
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::mysql::Mysql, __C, __N>
    for User
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<users::table>,
        __wt::diesel::dsl::Values<
            __wt::diesel::dsl::insert_into<users::table>,
            __N,
        >: __wt::diesel::query_dsl::methods::ExecuteDsl<__C>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::*;
            __wt::mysql::reset_last_insert_id(conn)?;
            let inserted = __wt::diesel::insert_into(users::table)
                .values(new)
                .execute(conn)?;
            __wt::blocking::expect_one_row(inserted, "User")?;
            let id: i64 = __wt::mysql::last_insert_id(conn, "User")?;
            <Self as __wt::DieselOps<__wt::diesel::mysql::Mysql>>::load(conn, &id)?
                .ok_or(
                    __wt::Error::Usage(__wt::UsageError::CreatedRowVanished {
                        model: "User",
                    }),
                )
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::sqlite::Sqlite> for User {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            users::table
                .filter(users::id.eq(id))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
                .first(conn)
                .optional()
        }
        fn load_many<__C>(
            conn: &mut __C,
            ids: &[Self::Id<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            users::table
                .filter(users::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
                .load(conn)
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::*;
            ::core::result::Result::Ok(
                ::core::option::Option::Some(
                    __wt::diesel::insert_into(users::table)
                        .values(self)
                        .on_conflict(users::id)
                        .do_update()
                        .set(self)
                        .returning(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::sqlite::Sqlite,
                            >>::as_returning(),
                        )
                        .get_result(conn)?,
                ),
            )
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<usize>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>,
        {
            use __wt::diesel::prelude::*;
            __wt::diesel::delete(users::table.filter(users::id.eq(id))).execute(conn)
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::sqlite::Sqlite, __C, __N>
    for User
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<users::table>,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<__wt::diesel::dsl::insert_into<users::table>, __N>,
            __wt::diesel::dsl::AsSelect<User, __wt::diesel::sqlite::Sqlite>,
        >: __wt::diesel::query_dsl::LoadQuery<'__q, __C, User>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::*;
            let mut rows = __wt::diesel::insert_into(users::table)
                .values(new)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
                .get_results(conn)?;
            __wt::blocking::expect_one_row(rows.len(), "User")?;
            ::core::result::Result::Ok(rows.remove(0))
        }
    }
    #[automatically_derived]
    impl User {
        /// Inserts or updates this row in the database, then publishes the row as stored to
        /// the cache.
        ///
        /// Cached under `{namespace}:{users}:u:{id}` for 1s500ms.
        pub fn save<__C>(
            &self,
            conn: &mut __C,
            cache: &__wt::Cache,
        ) -> ::core::result::Result<(), __wt::Error>
        where
            __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
        {
            __wt::blocking::save(self, conn, cache).map(|_| ())
        }
        /// Finds the row with primary key `id`: from the cache when it is there, else from the
        /// database, filling the cache.
        pub fn find<__C>(
            conn: &mut __C,
            cache: &__wt::Cache,
            id: &i64,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
        {
            __wt::blocking::find::<Self, __C>(conn, cache, id)
        }
        /// Finds many rows at once, in the order of `ids` (duplicates allowed): one Redis
        /// round trip for all of them, one database query for those Redis did not hold,
        /// one more Redis round trip to cache them.
        pub fn find_many<'__a, __C, __I>(
            conn: &mut __C,
            cache: &__wt::Cache,
            ids: __I,
        ) -> ::core::result::Result<
            ::std::vec::Vec<::core::option::Option<Self>>,
            __wt::Error,
        >
        where
            __C: __wt::diesel::Connection + __wt::diesel::connection::LoadConnection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
            __I: ::core::iter::IntoIterator<Item = &'__a i64>,
        {
            __wt::blocking::find_many::<Self, __C, __I>(conn, cache, ids)
        }
        /// Deletes the row with primary key `id` from the database, then from the cache.
        /// Returns `true` when a row was deleted.
        pub fn delete<__C>(
            conn: &mut __C,
            cache: &__wt::Cache,
            id: &i64,
        ) -> ::core::result::Result<bool, __wt::Error>
        where
            __C: __wt::diesel::Connection,
            Self: __wt::DieselOps<<__C as __wt::diesel::Connection>::Backend>,
        {
            __wt::blocking::delete::<Self, __C>(conn, cache, id)
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
            __wt::blocking::create::<Self, __C, __N>(conn, cache, new)
        }
    }
};
