#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for Account {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "Account";
        const KEY_TEMPLATE: &'static str = "account:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            3600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 17615336377197568991u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("account:");
            key.part(id);
        }
        fn write_index_keys(&self, keys: &mut __wt::IndexKeys<'_>) {
            if let ::core::option::Option::Some(value) = <Self as __wt::UniqueIndex<
                0usize,
            >>::index_value(self) {
                keys.add::<Self, 0usize>(value);
            }
            if let ::core::option::Option::Some(value) = <Self as __wt::UniqueIndex<
                1usize,
            >>::index_value(self) {
                keys.add::<Self, 1usize>(value);
            }
            if let ::core::option::Option::Some(value) = <Self as __wt::UniqueIndex<
                2usize,
            >>::index_value(self) {
                keys.add::<Self, 2usize>(value);
            }
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::pg::Pg> for Account {
        type Table = accounts::table;
        type Save = __wt::Upsert;
        fn select(id: Self::Id<'_>) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::id.eq(id))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn select_many(
            ids: &[Self::Id<'_>],
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::pg::Pg> {
            __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::UpsertStatement<__wt::diesel::pg::Pg> for Account {
        fn upsert(&self) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::insert_into(accounts::table)
                .values(self)
                .on_conflict(accounts::id)
                .do_update()
                .set(self)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateReturning<__wt::diesel::pg::Pg, __F> for Account
    where
        __F: __wt::diesel::AsChangeset<Target = accounts::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<__wt::diesel::pg::Pg>
            + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::update(accounts::table.filter(accounts::id.eq(id)))
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::pg::Pg, 0usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::email.eq(value))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::email.eq_any(values.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::pg::Pg, 1usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::login.eq(value))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::login.eq_any(values.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::pg::Pg, 2usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            accounts::table
                .filter(accounts::org_id.eq(value.0))
                .filter(accounts::handle.eq(value.1))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            let mut query = accounts::table
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
                .into_boxed();
            for one in values {
                query = query
                    .or_filter(
                        accounts::org_id.eq(one.0).and(accounts::handle.eq(one.1)),
                    );
            }
            query
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::mysql::Mysql> for Account {
        type Table = accounts::table;
        type Save = __wt::UpdateThenInsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::id.eq(id))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn select_many(
            ids: &[Self::Id<'_>],
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::PlainWrites<__wt::diesel::mysql::Mysql> for Account {
        fn update(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(accounts::table.filter(accounts::id.eq(&self.id)))
                .set(self)
        }
        fn insert(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::insert_into(accounts::table).values(self)
        }
    }
    #[automatically_derived]
    impl __wt::CreatedByAutoIncrement for Account {
        const SINGLE_KEY: bool = true;
        fn select_created(
            auto_increment: u64,
        ) -> ::core::option::Option<impl __wt::Load<__wt::diesel::mysql::Mysql, Self>> {
            let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
            ::core::option::Option::Some(
                accounts::table
                    .filter(accounts::id.eq(id))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::mysql::Mysql,
                        >>::as_select(),
                    ),
            )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateThenSelect<__wt::diesel::mysql::Mysql, __F> for Account
    where
        __F: __wt::diesel::AsChangeset<Target = accounts::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::mysql::Mysql,
            > + ::core::marker::Send,
    {
        fn update_by_key(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(accounts::table.filter(accounts::id.eq(id)))
                .set(changes)
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::mysql::Mysql, 0usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::email.eq(value))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::email.eq_any(values.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::mysql::Mysql, 1usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::login.eq(value))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::login.eq_any(values.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::mysql::Mysql, 2usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            accounts::table
                .filter(accounts::org_id.eq(value.0))
                .filter(accounts::handle.eq(value.1))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            let mut query = accounts::table
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
                .into_boxed();
            for one in values {
                query = query
                    .or_filter(
                        accounts::org_id.eq(one.0).and(accounts::handle.eq(one.1)),
                    );
            }
            query
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::sqlite::Sqlite> for Account {
        type Table = accounts::table;
        type Save = __wt::Upsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::id.eq(id))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn select_many(
            ids: &[Self::Id<'_>],
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::sqlite::Sqlite> {
            __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::UpsertStatement<__wt::diesel::sqlite::Sqlite> for Account {
        fn upsert(&self) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::insert_into(accounts::table)
                .values(self)
                .on_conflict(accounts::id)
                .do_update()
                .set(self)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateReturning<__wt::diesel::sqlite::Sqlite, __F> for Account
    where
        __F: __wt::diesel::AsChangeset<Target = accounts::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::sqlite::Sqlite,
            > + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::update(accounts::table.filter(accounts::id.eq(id)))
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::sqlite::Sqlite, 0usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::email.eq(value))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::email.eq_any(values.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::sqlite::Sqlite, 1usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::login.eq(value))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::login.eq_any(values.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::IndexStatements<__wt::diesel::sqlite::Sqlite, 2usize> for Account {
        fn select_by(
            value: Self::Value<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            accounts::table
                .filter(accounts::org_id.eq(value.0))
                .filter(accounts::handle.eq(value.1))
                .limit(1)
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn select_many_by(
            values: &[Self::Value<'_>],
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            let mut query = accounts::table
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
                .into_boxed();
            for one in values {
                query = query
                    .or_filter(
                        accounts::org_id.eq(one.0).and(accounts::handle.eq(one.1)),
                    );
            }
            query
        }
    }
    #[automatically_derived]
    impl __wt::SavesByRef for Account {}
    #[automatically_derived]
    impl __wt::UniqueIndex<0usize> for Account {
        type Value<'__wt_v> = &'__wt_v str;
        const INDEX_NAME: &'static str = "email";
        fn index_value(&self) -> ::core::option::Option<Self::Value<'_>> {
            ::core::option::Option::Some(self.email.as_str())
        }
        fn has_index_value(&self, value: Self::Value<'_>) -> bool {
            <Self as __wt::UniqueIndex<0usize>>::index_value(self)
                == ::core::option::Option::Some(value)
        }
        fn write_index_value(value: Self::Value<'_>, key: &mut __wt::KeyWriter) {
            key.part(value);
        }
    }
    #[automatically_derived]
    impl __wt::UniqueIndex<1usize> for Account {
        type Value<'__wt_v> = &'__wt_v str;
        const INDEX_NAME: &'static str = "login";
        fn index_value(&self) -> ::core::option::Option<Self::Value<'_>> {
            self.login.as_deref()
        }
        fn has_index_value(&self, value: Self::Value<'_>) -> bool {
            <Self as __wt::UniqueIndex<1usize>>::index_value(self)
                == ::core::option::Option::Some(value)
        }
        fn write_index_value(value: Self::Value<'_>, key: &mut __wt::KeyWriter) {
            key.part(value);
        }
    }
    #[automatically_derived]
    impl __wt::UniqueIndex<2usize> for Account {
        type Value<'__wt_v> = (&'__wt_v i32, &'__wt_v str);
        const INDEX_NAME: &'static str = "org_id_and_handle";
        fn index_value(&self) -> ::core::option::Option<Self::Value<'_>> {
            ::core::option::Option::Some((&self.org_id, self.handle.as_str()))
        }
        fn has_index_value(&self, value: Self::Value<'_>) -> bool {
            <Self as __wt::UniqueIndex<2usize>>::index_value(self)
                == ::core::option::Option::Some(value)
        }
        fn write_index_value(value: Self::Value<'_>, key: &mut __wt::KeyWriter) {
            key.part(value.0);
            key.literal(":");
            key.part(value.1);
        }
    }
    #[automatically_derived]
    impl Account {
        ///The row whose `email` is `value`: from Redis when cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_by_email<'__wt_a, __C, __F>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            value: &'__wt_a str,
        ) -> <__C as __wt::IndexLookup<
            Self,
            0usize,
            __F,
        >>::Output<'__wt_a, ::core::option::Option<Self>>
        where
            __C: __wt::IndexLookup<Self, 0usize, __F>,
        {
            <__C as __wt::IndexLookup<Self, 0usize, __F>>::find_by(conn, cache, value)
        }
        ///The rows whose `email` are `values`, in their order (duplicates allowed): one Redis round trip when all are cached, one query for the rest.
        pub fn find_many_by_email<'__wt_a, __C, __F, __I>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            values: __I,
        ) -> <__C as __wt::IndexLookup<
            Self,
            0usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<::core::option::Option<Self>>>
        where
            __C: __wt::IndexLookup<Self, 0usize, __F>,
            __I: ::core::iter::IntoIterator<Item = &'__wt_a str>,
        {
            <__C as __wt::IndexLookup<
                Self,
                0usize,
                __F,
            >>::find_many_by(
                conn,
                cache,
                ::core::iter::Iterator::collect(
                    ::core::iter::IntoIterator::into_iter(values),
                ),
            )
        }
        ///The row whose `login` is `value`: from Redis when cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_by_login<'__wt_a, __C, __F>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            value: &'__wt_a str,
        ) -> <__C as __wt::IndexLookup<
            Self,
            1usize,
            __F,
        >>::Output<'__wt_a, ::core::option::Option<Self>>
        where
            __C: __wt::IndexLookup<Self, 1usize, __F>,
        {
            <__C as __wt::IndexLookup<Self, 1usize, __F>>::find_by(conn, cache, value)
        }
        ///The rows whose `login` are `values`, in their order (duplicates allowed): one Redis round trip when all are cached, one query for the rest.
        pub fn find_many_by_login<'__wt_a, __C, __F, __I>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            values: __I,
        ) -> <__C as __wt::IndexLookup<
            Self,
            1usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<::core::option::Option<Self>>>
        where
            __C: __wt::IndexLookup<Self, 1usize, __F>,
            __I: ::core::iter::IntoIterator<Item = &'__wt_a str>,
        {
            <__C as __wt::IndexLookup<
                Self,
                1usize,
                __F,
            >>::find_many_by(
                conn,
                cache,
                ::core::iter::Iterator::collect(
                    ::core::iter::IntoIterator::into_iter(values),
                ),
            )
        }
        ///The row whose `org_id` and `handle` is `value`: from Redis when cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_by_org_id_and_handle<'__wt_a, __C, __F>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            value: (&'__wt_a i32, &'__wt_a str),
        ) -> <__C as __wt::IndexLookup<
            Self,
            2usize,
            __F,
        >>::Output<'__wt_a, ::core::option::Option<Self>>
        where
            __C: __wt::IndexLookup<Self, 2usize, __F>,
        {
            <__C as __wt::IndexLookup<Self, 2usize, __F>>::find_by(conn, cache, value)
        }
        ///The rows whose `org_id` and `handle` are `values`, in their order (duplicates allowed): one Redis round trip when all are cached, one query for the rest.
        pub fn find_many_by_org_id_and_handle<'__wt_a, __C, __F, __I>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            values: __I,
        ) -> <__C as __wt::IndexLookup<
            Self,
            2usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<::core::option::Option<Self>>>
        where
            __C: __wt::IndexLookup<Self, 2usize, __F>,
            __I: ::core::iter::IntoIterator<Item = (&'__wt_a i32, &'__wt_a str)>,
        {
            <__C as __wt::IndexLookup<
                Self,
                2usize,
                __F,
            >>::find_many_by(
                conn,
                cache,
                ::core::iter::Iterator::collect(
                    ::core::iter::IntoIterator::into_iter(values),
                ),
            )
        }
    }
};
