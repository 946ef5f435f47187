#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
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
    impl __wt::DieselOps<__wt::diesel::pg::Pg> for Account {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::id.eq(id))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::pg::Pg,
                            >>::as_select(),
                        ),
                    conn,
                )
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
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::id.eq_any(ids.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::pg::Pg,
                        >>::as_select(),
                    ),
                conn,
            )
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rows: ::std::vec::Vec<Self> = __wt::diesel::RunQueryDsl::get_results(
                __wt::diesel::insert_into(accounts::table)
                    .values(self)
                    .on_conflict(accounts::id)
                    .do_update()
                    .set(self)
                    .returning(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::pg::Pg,
                        >>::as_returning(),
                    ),
                conn,
            )?;
            rows.pop()
                .map(::core::option::Option::Some)
                .ok_or(__wt::Error::Database(__wt::diesel::result::Error::NotFound))
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<usize>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::execute(
                __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id))),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::pg::Pg, __C, __N> for Account
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<accounts::table>,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<Account, __wt::diesel::pg::Pg>,
        >: __wt::diesel::query_dsl::LoadQuery<'__q, __C, Account>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rows: ::std::vec::Vec<Account> = __wt::diesel::RunQueryDsl::get_results(
                __wt::diesel::insert_into(accounts::table)
                    .values(new)
                    .returning(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::pg::Pg,
                        >>::as_returning(),
                    ),
                conn,
            )?;
            __wt::blocking::expect_one_row(rows.len(), "Account")?;
            ::core::result::Result::Ok(rows.remove(0))
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::pg::Pg, 0usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::email.eq(value))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::pg::Pg,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::email.eq_any(values.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::pg::Pg,
                        >>::as_select(),
                    ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::pg::Pg, 1usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::login.eq(value))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::pg::Pg,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::login.eq_any(values.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::pg::Pg,
                        >>::as_select(),
                    ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::pg::Pg, 2usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::org_id.eq(value.0))
                        .filter(accounts::handle.eq(value.1))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::pg::Pg,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
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
            __wt::diesel::RunQueryDsl::load(query, conn)
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselOps<__wt::diesel::pg::Pg> for Account {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::id.eq(id))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many<__C>(
            conn: &mut __C,
            ids: &[Self::Id<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::id.eq_any(ids.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<::core::option::Option<Self>, __wt::Error>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                let mut rows: ::std::vec::Vec<Self> = __wt::diesel_async::RunQueryDsl::get_results(
                        __wt::diesel::insert_into(accounts::table)
                            .values(self)
                            .on_conflict(accounts::id)
                            .do_update()
                            .set(self)
                            .returning(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_returning(),
                            ),
                        conn,
                    )
                    .await?;
                rows.pop()
                    .map(::core::option::Option::Some)
                    .ok_or(__wt::Error::Database(__wt::diesel::result::Error::NotFound))
            }
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<usize>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::execute(
                        __wt::diesel::delete(
                            accounts::table.filter(accounts::id.eq(id)),
                        ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::AsyncDieselCreate<__wt::diesel::pg::Pg, __C, __N>
    for Account
    where
        __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg> + '__q,
        __N: __wt::diesel::Insertable<accounts::table> + ::core::marker::Send + '__q,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<Account, __wt::diesel::pg::Pg>,
        >: __wt::diesel_async::methods::LoadQuery<'__q, __C, Account> + '__q,
    {
        fn insert_returning<'__f>(
            conn: &'__f mut __C,
            new: __N,
        ) -> __wt::BoxFuture<'__f, ::core::result::Result<Self, __wt::Error>>
        where
            __N: '__f,
        {
            ::std::boxed::Box::pin(async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                let mut rows: ::std::vec::Vec<Account> = __wt::diesel_async::RunQueryDsl::get_results(
                        __wt::diesel::insert_into(accounts::table)
                            .values(new)
                            .returning(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_returning(),
                            ),
                        conn,
                    )
                    .await?;
                __wt::blocking::expect_one_row(rows.len(), "Account")?;
                ::core::result::Result::Ok(rows.remove(0))
            })
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::pg::Pg, 0usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::email.eq(value))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::email.eq_any(values.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::pg::Pg, 1usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::login.eq(value))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::login.eq_any(values.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::pg::Pg, 2usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::org_id.eq(value.0))
                            .filter(accounts::handle.eq(value.1))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg>,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
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
                __wt::diesel_async::RunQueryDsl::load(query, conn).await
            }
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::mysql::Mysql> for Account {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::id.eq(id))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::mysql::Mysql,
                            >>::as_select(),
                        ),
                    conn,
                )
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
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::id.eq_any(ids.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::mysql::Mysql,
                        >>::as_select(),
                    ),
                conn,
            )
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rounds = 0;
            while __wt::diesel::RunQueryDsl::execute(
                __wt::diesel::update(accounts::table.filter(accounts::id.eq(&self.id)))
                    .set(self),
                conn,
            )? == 0
            {
                match __wt::diesel::RunQueryDsl::execute(
                    __wt::diesel::insert_into(accounts::table).values(self),
                    conn,
                ) {
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
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::execute(
                __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id))),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::mysql::Mysql, __C, __N>
    for Account
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<accounts::table>,
        __wt::diesel::dsl::Values<
            __wt::diesel::dsl::insert_into<accounts::table>,
            __N,
        >: __wt::diesel::query_dsl::methods::ExecuteDsl<__C>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::mysql::reset_last_insert_id(conn)?;
            let inserted = __wt::diesel::RunQueryDsl::execute(
                __wt::diesel::insert_into(accounts::table).values(new),
                conn,
            )?;
            __wt::blocking::expect_one_row(inserted, "Account")?;
            let id: i64 = __wt::mysql::last_insert_id(conn, "Account")?;
            <Self as __wt::DieselOps<__wt::diesel::mysql::Mysql>>::load(conn, &id)?
                .ok_or(
                    __wt::Error::Usage(__wt::UsageError::CreatedRowVanished {
                        model: "Account",
                    }),
                )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::mysql::Mysql, 0usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::email.eq(value))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::mysql::Mysql,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::email.eq_any(values.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::mysql::Mysql,
                        >>::as_select(),
                    ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::mysql::Mysql, 1usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::login.eq(value))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::mysql::Mysql,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::login.eq_any(values.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::mysql::Mysql,
                        >>::as_select(),
                    ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::mysql::Mysql, 2usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::org_id.eq(value.0))
                        .filter(accounts::handle.eq(value.1))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::mysql::Mysql,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
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
            __wt::diesel::RunQueryDsl::load(query, conn)
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselOps<__wt::diesel::mysql::Mysql> for Account {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::id.eq(id))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many<__C>(
            conn: &mut __C,
            ids: &[Self::Id<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::id.eq_any(ids.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<::core::option::Option<Self>, __wt::Error>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                let mut rounds = 0;
                while __wt::diesel_async::RunQueryDsl::execute(
                        __wt::diesel::update(
                                accounts::table.filter(accounts::id.eq(&self.id)),
                            )
                            .set(self),
                        conn,
                    )
                    .await? == 0
                {
                    match __wt::diesel_async::RunQueryDsl::execute(
                            __wt::diesel::insert_into(accounts::table).values(self),
                            conn,
                        )
                        .await
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
                <Self as __wt::AsyncDieselOps<
                    __wt::diesel::mysql::Mysql,
                >>::load(conn, <Self as __wt::Cached>::id(self))
                    .await
                    .map_err(__wt::Error::from)
            }
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<usize>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::execute(
                        __wt::diesel::delete(
                            accounts::table.filter(accounts::id.eq(id)),
                        ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::AsyncDieselCreate<__wt::diesel::mysql::Mysql, __C, __N>
    for Account
    where
        __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::mysql::Mysql>
            + '__q,
        __N: __wt::diesel::Insertable<accounts::table> + ::core::marker::Send + '__q,
        __wt::diesel::dsl::Values<
            __wt::diesel::dsl::insert_into<accounts::table>,
            __N,
        >: __wt::diesel_async::methods::ExecuteDsl<__C> + '__q,
    {
        fn insert_returning<'__f>(
            conn: &'__f mut __C,
            new: __N,
        ) -> __wt::BoxFuture<'__f, ::core::result::Result<Self, __wt::Error>>
        where
            __N: '__f,
        {
            ::std::boxed::Box::pin(async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::mysql::reset_last_insert_id_async(conn).await?;
                let inserted = __wt::diesel_async::RunQueryDsl::execute(
                        __wt::diesel::insert_into(accounts::table).values(new),
                        conn,
                    )
                    .await?;
                __wt::blocking::expect_one_row(inserted, "Account")?;
                let id: i64 = __wt::mysql::last_insert_id_async(conn, "Account").await?;
                <Self as __wt::AsyncDieselOps<
                    __wt::diesel::mysql::Mysql,
                >>::load(conn, &id)
                    .await?
                    .ok_or(
                        __wt::Error::Usage(__wt::UsageError::CreatedRowVanished {
                            model: "Account",
                        }),
                    )
            })
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::mysql::Mysql, 0usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::email.eq(value))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::email.eq_any(values.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::mysql::Mysql, 1usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::login.eq(value))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::login.eq_any(values.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::mysql::Mysql, 2usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::org_id.eq(value.0))
                            .filter(accounts::handle.eq(value.1))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::mysql::Mysql,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::mysql::Mysql,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
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
                __wt::diesel_async::RunQueryDsl::load(query, conn).await
            }
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::sqlite::Sqlite> for Account {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::id.eq(id))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::sqlite::Sqlite,
                            >>::as_select(),
                        ),
                    conn,
                )
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
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::id.eq_any(ids.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::sqlite::Sqlite,
                        >>::as_select(),
                    ),
                conn,
            )
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> ::core::result::Result<::core::option::Option<Self>, __wt::Error>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rows: ::std::vec::Vec<Self> = __wt::diesel::RunQueryDsl::get_results(
                __wt::diesel::insert_into(accounts::table)
                    .values(self)
                    .on_conflict(accounts::id)
                    .do_update()
                    .set(self)
                    .returning(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::sqlite::Sqlite,
                        >>::as_returning(),
                    ),
                conn,
            )?;
            rows.pop()
                .map(::core::option::Option::Some)
                .ok_or(__wt::Error::Database(__wt::diesel::result::Error::NotFound))
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> __wt::diesel::QueryResult<usize>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::execute(
                __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id))),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::sqlite::Sqlite, __C, __N>
    for Account
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<accounts::table>,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<Account, __wt::diesel::sqlite::Sqlite>,
        >: __wt::diesel::query_dsl::LoadQuery<'__q, __C, Account>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rows: ::std::vec::Vec<Account> = __wt::diesel::RunQueryDsl::get_results(
                __wt::diesel::insert_into(accounts::table)
                    .values(new)
                    .returning(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::sqlite::Sqlite,
                        >>::as_returning(),
                    ),
                conn,
            )?;
            __wt::blocking::expect_one_row(rows.len(), "Account")?;
            ::core::result::Result::Ok(rows.remove(0))
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::sqlite::Sqlite, 0usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::email.eq(value))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::sqlite::Sqlite,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::email.eq_any(values.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::sqlite::Sqlite,
                        >>::as_select(),
                    ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::sqlite::Sqlite, 1usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::login.eq(value))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::sqlite::Sqlite,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::load(
                accounts::table
                    .filter(accounts::login.eq_any(values.iter().copied()))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::sqlite::Sqlite,
                        >>::as_select(),
                    ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl __wt::DieselIndex<__wt::diesel::sqlite::Sqlite, 2usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> __wt::diesel::QueryResult<::core::option::Option<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            __wt::diesel::RunQueryDsl::first(
                    accounts::table
                        .filter(accounts::org_id.eq(value.0))
                        .filter(accounts::handle.eq(value.1))
                        .select(
                            <Self as __wt::diesel::SelectableHelper<
                                __wt::diesel::sqlite::Sqlite,
                            >>::as_select(),
                        ),
                    conn,
                )
                .optional()
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> __wt::diesel::QueryResult<::std::vec::Vec<Self>>
        where
            __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
                + __wt::diesel::connection::LoadConnection,
        {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
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
            __wt::diesel::RunQueryDsl::load(query, conn)
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselOps<__wt::diesel::sqlite::Sqlite> for Account {
        fn load<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::id.eq(id))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many<__C>(
            conn: &mut __C,
            ids: &[Self::Id<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::id.eq_any(ids.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
        fn upsert<__C>(
            &self,
            conn: &mut __C,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<::core::option::Option<Self>, __wt::Error>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                let mut rows: ::std::vec::Vec<Self> = __wt::diesel_async::RunQueryDsl::get_results(
                        __wt::diesel::insert_into(accounts::table)
                            .values(self)
                            .on_conflict(accounts::id)
                            .do_update()
                            .set(self)
                            .returning(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_returning(),
                            ),
                        conn,
                    )
                    .await?;
                rows.pop()
                    .map(::core::option::Option::Some)
                    .ok_or(__wt::Error::Database(__wt::diesel::result::Error::NotFound))
            }
        }
        fn remove<__C>(
            conn: &mut __C,
            id: Self::Id<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<usize>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::execute(
                        __wt::diesel::delete(
                            accounts::table.filter(accounts::id.eq(id)),
                        ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::AsyncDieselCreate<__wt::diesel::sqlite::Sqlite, __C, __N>
    for Account
    where
        __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::sqlite::Sqlite>
            + '__q,
        __N: __wt::diesel::Insertable<accounts::table> + ::core::marker::Send + '__q,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<Account, __wt::diesel::sqlite::Sqlite>,
        >: __wt::diesel_async::methods::LoadQuery<'__q, __C, Account> + '__q,
    {
        fn insert_returning<'__f>(
            conn: &'__f mut __C,
            new: __N,
        ) -> __wt::BoxFuture<'__f, ::core::result::Result<Self, __wt::Error>>
        where
            __N: '__f,
        {
            ::std::boxed::Box::pin(async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                let mut rows: ::std::vec::Vec<Account> = __wt::diesel_async::RunQueryDsl::get_results(
                        __wt::diesel::insert_into(accounts::table)
                            .values(new)
                            .returning(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_returning(),
                            ),
                        conn,
                    )
                    .await?;
                __wt::blocking::expect_one_row(rows.len(), "Account")?;
                ::core::result::Result::Ok(rows.remove(0))
            })
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::sqlite::Sqlite, 0usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::email.eq(value))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::email.eq_any(values.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::sqlite::Sqlite, 1usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::login.eq(value))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::load(
                        accounts::table
                            .filter(accounts::login.eq_any(values.iter().copied()))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselIndex<__wt::diesel::sqlite::Sqlite, 2usize> for Account {
        fn load_by<__C>(
            conn: &mut __C,
            value: Self::Value<'_>,
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::core::option::Option<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
                __wt::diesel_async::RunQueryDsl::first(
                        accounts::table
                            .filter(accounts::org_id.eq(value.0))
                            .filter(accounts::handle.eq(value.1))
                            .select(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_select(),
                            ),
                        conn,
                    )
                    .await
                    .optional()
            }
        }
        fn load_many_by<__C>(
            conn: &mut __C,
            values: &[Self::Value<'_>],
        ) -> impl ::core::future::Future<
            Output = __wt::diesel::QueryResult<::std::vec::Vec<Self>>,
        > + ::core::marker::Send
        where
            __C: __wt::diesel_async::AsyncConnection<
                Backend = __wt::diesel::sqlite::Sqlite,
            >,
        {
            async move {
                use __wt::diesel::prelude::{
                    BoolExpressionMethods as _, ExpressionMethods as _,
                    OptionalExtension as _, QueryDsl as _,
                };
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
                __wt::diesel_async::RunQueryDsl::load(query, conn).await
            }
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
