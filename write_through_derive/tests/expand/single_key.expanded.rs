#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for User {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "User";
        const KEY_TEMPLATE: &'static str = "user:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            3600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 9899687312499258991u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("user:");
            key.part(id);
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::pg::Pg> for User {
        type Table = users::table;
        type Save = __wt::Upsert;
        fn select(id: Self::Id<'_>) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            users::table
                .filter(users::id.eq(id))
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
            users::table
                .filter(users::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::pg::Pg> {
            __wt::diesel::delete(users::table.filter(users::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::UpsertStatement<__wt::diesel::pg::Pg> for User {
        fn upsert(&self) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
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
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateReturning<__wt::diesel::pg::Pg, __F> for User
    where
        __F: __wt::diesel::AsChangeset<Target = users::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<__wt::diesel::pg::Pg>
            + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::update(users::table.filter(users::id.eq(id)))
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::mysql::Mysql> for User {
        type Table = users::table;
        type Save = __wt::UpdateThenInsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            users::table
                .filter(users::id.eq(id))
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
            users::table
                .filter(users::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::delete(users::table.filter(users::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::PlainWrites<__wt::diesel::mysql::Mysql> for User {
        fn update(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(users::table.filter(users::id.eq(&self.id))).set(self)
        }
        fn insert(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::insert_into(users::table).values(self)
        }
    }
    #[automatically_derived]
    impl __wt::CreatedByAutoIncrement for User {
        const SINGLE_KEY: bool = true;
        fn select_created(
            auto_increment: u64,
        ) -> ::core::option::Option<impl __wt::Load<__wt::diesel::mysql::Mysql, Self>> {
            let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
            ::core::option::Option::Some(
                users::table
                    .filter(users::id.eq(id))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::mysql::Mysql,
                        >>::as_select(),
                    ),
            )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateThenSelect<__wt::diesel::mysql::Mysql, __F> for User
    where
        __F: __wt::diesel::AsChangeset<Target = users::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::mysql::Mysql,
            > + ::core::marker::Send,
    {
        fn update_by_key(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(users::table.filter(users::id.eq(id))).set(changes)
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::sqlite::Sqlite> for User {
        type Table = users::table;
        type Save = __wt::Upsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            users::table
                .filter(users::id.eq(id))
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
            users::table
                .filter(users::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::sqlite::Sqlite> {
            __wt::diesel::delete(users::table.filter(users::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::UpsertStatement<__wt::diesel::sqlite::Sqlite> for User {
        fn upsert(&self) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
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
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateReturning<__wt::diesel::sqlite::Sqlite, __F> for User
    where
        __F: __wt::diesel::AsChangeset<Target = users::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::sqlite::Sqlite,
            > + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::update(users::table.filter(users::id.eq(id)))
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::SavesByRef for User {}
};
