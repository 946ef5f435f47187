#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    #[automatically_derived]
    impl __wt::Cached for UserAccount {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "UserAccount";
        const KEY_TEMPLATE: &'static str = "account:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            86400000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 4389616426485862992u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("account:");
            key.part(id);
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::pg::Pg> for UserAccount {
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
                    user_accounts::table
                        .filter(user_accounts::id.eq(id))
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
                user_accounts::table
                    .filter(user_accounts::id.eq_any(ids.iter().copied()))
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
                __wt::diesel::insert_into(user_accounts::table)
                    .values(self)
                    .on_conflict(user_accounts::id)
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
                __wt::diesel::delete(
                    user_accounts::table.filter(user_accounts::id.eq(id)),
                ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::pg::Pg, __C, __N>
    for UserAccount
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::pg::Pg>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<user_accounts::table>,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<user_accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<UserAccount, __wt::diesel::pg::Pg>,
        >: __wt::diesel::query_dsl::LoadQuery<'__q, __C, UserAccount>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rows: ::std::vec::Vec<UserAccount> = __wt::diesel::RunQueryDsl::get_results(
                __wt::diesel::insert_into(user_accounts::table)
                    .values(new)
                    .returning(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::pg::Pg,
                        >>::as_returning(),
                    ),
                conn,
            )?;
            __wt::blocking::expect_one_row(rows.len(), "UserAccount")?;
            ::core::result::Result::Ok(rows.remove(0))
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselOps<__wt::diesel::pg::Pg> for UserAccount {
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
                        user_accounts::table
                            .filter(user_accounts::id.eq(id))
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
                        user_accounts::table
                            .filter(user_accounts::id.eq_any(ids.iter().copied()))
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
                        __wt::diesel::insert_into(user_accounts::table)
                            .values(self)
                            .on_conflict(user_accounts::id)
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
                            user_accounts::table.filter(user_accounts::id.eq(id)),
                        ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::AsyncDieselCreate<__wt::diesel::pg::Pg, __C, __N>
    for UserAccount
    where
        __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::pg::Pg> + '__q,
        __N: __wt::diesel::Insertable<user_accounts::table> + ::core::marker::Send
            + '__q,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<user_accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<UserAccount, __wt::diesel::pg::Pg>,
        >: __wt::diesel_async::methods::LoadQuery<'__q, __C, UserAccount> + '__q,
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
                let mut rows: ::std::vec::Vec<UserAccount> = __wt::diesel_async::RunQueryDsl::get_results(
                        __wt::diesel::insert_into(user_accounts::table)
                            .values(new)
                            .returning(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::pg::Pg,
                                >>::as_returning(),
                            ),
                        conn,
                    )
                    .await?;
                __wt::blocking::expect_one_row(rows.len(), "UserAccount")?;
                ::core::result::Result::Ok(rows.remove(0))
            })
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::mysql::Mysql> for UserAccount {
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
                    user_accounts::table
                        .filter(user_accounts::id.eq(id))
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
                user_accounts::table
                    .filter(user_accounts::id.eq_any(ids.iter().copied()))
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
                __wt::diesel::update(
                        user_accounts::table.filter(user_accounts::id.eq(&self.id)),
                    )
                    .set(self),
                conn,
            )? == 0
            {
                match __wt::diesel::RunQueryDsl::execute(
                    __wt::diesel::insert_into(user_accounts::table).values(self),
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
                __wt::diesel::delete(
                    user_accounts::table.filter(user_accounts::id.eq(id)),
                ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::mysql::Mysql, __C, __N>
    for UserAccount
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::mysql::Mysql>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<user_accounts::table>,
        __wt::diesel::dsl::Values<
            __wt::diesel::dsl::insert_into<user_accounts::table>,
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
                __wt::diesel::insert_into(user_accounts::table).values(new),
                conn,
            )?;
            __wt::blocking::expect_one_row(inserted, "UserAccount")?;
            let id: i64 = __wt::mysql::last_insert_id(conn, "UserAccount")?;
            <Self as __wt::DieselOps<__wt::diesel::mysql::Mysql>>::load(conn, &id)?
                .ok_or(
                    __wt::Error::Usage(__wt::UsageError::CreatedRowVanished {
                        model: "UserAccount",
                    }),
                )
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselOps<__wt::diesel::mysql::Mysql> for UserAccount {
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
                        user_accounts::table
                            .filter(user_accounts::id.eq(id))
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
                        user_accounts::table
                            .filter(user_accounts::id.eq_any(ids.iter().copied()))
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
                                user_accounts::table.filter(user_accounts::id.eq(&self.id)),
                            )
                            .set(self),
                        conn,
                    )
                    .await? == 0
                {
                    match __wt::diesel_async::RunQueryDsl::execute(
                            __wt::diesel::insert_into(user_accounts::table).values(self),
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
                            user_accounts::table.filter(user_accounts::id.eq(id)),
                        ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::AsyncDieselCreate<__wt::diesel::mysql::Mysql, __C, __N>
    for UserAccount
    where
        __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::mysql::Mysql>
            + '__q,
        __N: __wt::diesel::Insertable<user_accounts::table> + ::core::marker::Send
            + '__q,
        __wt::diesel::dsl::Values<
            __wt::diesel::dsl::insert_into<user_accounts::table>,
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
                        __wt::diesel::insert_into(user_accounts::table).values(new),
                        conn,
                    )
                    .await?;
                __wt::blocking::expect_one_row(inserted, "UserAccount")?;
                let id: i64 = __wt::mysql::last_insert_id_async(conn, "UserAccount")
                    .await?;
                <Self as __wt::AsyncDieselOps<
                    __wt::diesel::mysql::Mysql,
                >>::load(conn, &id)
                    .await?
                    .ok_or(
                        __wt::Error::Usage(__wt::UsageError::CreatedRowVanished {
                            model: "UserAccount",
                        }),
                    )
            })
        }
    }
    #[automatically_derived]
    impl __wt::DieselOps<__wt::diesel::sqlite::Sqlite> for UserAccount {
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
                    user_accounts::table
                        .filter(user_accounts::id.eq(id))
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
                user_accounts::table
                    .filter(user_accounts::id.eq_any(ids.iter().copied()))
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
                __wt::diesel::insert_into(user_accounts::table)
                    .values(self)
                    .on_conflict(user_accounts::id)
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
                __wt::diesel::delete(
                    user_accounts::table.filter(user_accounts::id.eq(id)),
                ),
                conn,
            )
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::DieselCreate<__wt::diesel::sqlite::Sqlite, __C, __N>
    for UserAccount
    where
        __C: __wt::diesel::Connection<Backend = __wt::diesel::sqlite::Sqlite>
            + __wt::diesel::connection::LoadConnection,
        __N: __wt::diesel::Insertable<user_accounts::table>,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<user_accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<UserAccount, __wt::diesel::sqlite::Sqlite>,
        >: __wt::diesel::query_dsl::LoadQuery<'__q, __C, UserAccount>,
    {
        fn insert_returning(
            conn: &mut __C,
            new: __N,
        ) -> ::core::result::Result<Self, __wt::Error> {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _,
                OptionalExtension as _, QueryDsl as _,
            };
            let mut rows: ::std::vec::Vec<UserAccount> = __wt::diesel::RunQueryDsl::get_results(
                __wt::diesel::insert_into(user_accounts::table)
                    .values(new)
                    .returning(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::sqlite::Sqlite,
                        >>::as_returning(),
                    ),
                conn,
            )?;
            __wt::blocking::expect_one_row(rows.len(), "UserAccount")?;
            ::core::result::Result::Ok(rows.remove(0))
        }
    }
    #[automatically_derived]
    impl __wt::AsyncDieselOps<__wt::diesel::sqlite::Sqlite> for UserAccount {
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
                        user_accounts::table
                            .filter(user_accounts::id.eq(id))
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
                        user_accounts::table
                            .filter(user_accounts::id.eq_any(ids.iter().copied()))
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
                        __wt::diesel::insert_into(user_accounts::table)
                            .values(self)
                            .on_conflict(user_accounts::id)
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
                            user_accounts::table.filter(user_accounts::id.eq(id)),
                        ),
                        conn,
                    )
                    .await
            }
        }
    }
    #[automatically_derived]
    impl<'__q, __C, __N> __wt::AsyncDieselCreate<__wt::diesel::sqlite::Sqlite, __C, __N>
    for UserAccount
    where
        __C: __wt::diesel_async::AsyncConnection<Backend = __wt::diesel::sqlite::Sqlite>
            + '__q,
        __N: __wt::diesel::Insertable<user_accounts::table> + ::core::marker::Send
            + '__q,
        __wt::diesel::dsl::Returning<
            __wt::diesel::dsl::Values<
                __wt::diesel::dsl::insert_into<user_accounts::table>,
                __N,
            >,
            __wt::diesel::dsl::AsSelect<UserAccount, __wt::diesel::sqlite::Sqlite>,
        >: __wt::diesel_async::methods::LoadQuery<'__q, __C, UserAccount> + '__q,
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
                let mut rows: ::std::vec::Vec<UserAccount> = __wt::diesel_async::RunQueryDsl::get_results(
                        __wt::diesel::insert_into(user_accounts::table)
                            .values(new)
                            .returning(
                                <Self as __wt::diesel::SelectableHelper<
                                    __wt::diesel::sqlite::Sqlite,
                                >>::as_returning(),
                            ),
                        conn,
                    )
                    .await?;
                __wt::blocking::expect_one_row(rows.len(), "UserAccount")?;
                ::core::result::Result::Ok(rows.remove(0))
            })
        }
    }
    #[automatically_derived]
    impl __wt::SavesByRef for UserAccount {}
};
