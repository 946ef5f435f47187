#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for Membership {
        type Id<'__wt_id> = (&'__wt_id i32, &'__wt_id i32);
        const MODEL_NAME: &'static str = "Membership";
        const KEY_TEMPLATE: &'static str = "org:{org_id}:member:{user_id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::Some(
            ::core::time::Duration::from_millis(30000u64),
        );
        const SCHEMA_FINGERPRINT: u64 = 5655485792674645993u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        fn id(&self) -> Self::Id<'_> {
            (&self.org_id, &self.user_id)
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("org:");
            key.part(id.0);
            key.literal(":member:");
            key.part(id.1);
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::pg::Pg> for Membership {
        type Table = memberships::table;
        type Save = __wt::Upsert;
        fn select(id: Self::Id<'_>) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            memberships::table
                .filter(memberships::org_id.eq(id.0))
                .filter(memberships::user_id.eq(id.1))
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
            let mut query = memberships::table
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
                .into_boxed();
            for one in ids {
                query = query
                    .or_filter(
                        memberships::org_id.eq(one.0).and(memberships::user_id.eq(one.1)),
                    );
            }
            query
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::pg::Pg> {
            __wt::diesel::delete(
                memberships::table
                    .filter(memberships::org_id.eq(id.0))
                    .filter(memberships::user_id.eq(id.1)),
            )
        }
    }
    #[automatically_derived]
    impl __wt::UpsertStatement<__wt::diesel::pg::Pg> for Membership {
        fn upsert(&self) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::insert_into(memberships::table)
                .values(self)
                .on_conflict((memberships::org_id, memberships::user_id))
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
    impl<__F> __wt::UpdateReturning<__wt::diesel::pg::Pg, __F> for Membership
    where
        __F: __wt::diesel::AsChangeset<Target = memberships::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<__wt::diesel::pg::Pg>
            + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::update(
                    memberships::table
                        .filter(memberships::org_id.eq(id.0))
                        .filter(memberships::user_id.eq(id.1)),
                )
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::mysql::Mysql> for Membership {
        type Table = memberships::table;
        type Save = __wt::UpdateThenInsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            memberships::table
                .filter(memberships::org_id.eq(id.0))
                .filter(memberships::user_id.eq(id.1))
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
            let mut query = memberships::table
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
                .into_boxed();
            for one in ids {
                query = query
                    .or_filter(
                        memberships::org_id.eq(one.0).and(memberships::user_id.eq(one.1)),
                    );
            }
            query
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::delete(
                memberships::table
                    .filter(memberships::org_id.eq(id.0))
                    .filter(memberships::user_id.eq(id.1)),
            )
        }
    }
    #[automatically_derived]
    impl __wt::PlainWrites<__wt::diesel::mysql::Mysql> for Membership {
        fn update(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(
                    memberships::table
                        .filter(memberships::org_id.eq(&self.org_id))
                        .filter(memberships::user_id.eq(&self.user_id)),
                )
                .set(self)
        }
        fn insert(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::insert_into(memberships::table).values(self)
        }
    }
    #[automatically_derived]
    impl __wt::CreatedByAutoIncrement for Membership {
        const SINGLE_KEY: bool = false;
        fn select_created(
            _: u64,
        ) -> ::core::option::Option<impl __wt::Load<__wt::diesel::mysql::Mysql, Self>> {
            ::core::option::Option::None::<__wt::NoStatement<Self>>
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateThenSelect<__wt::diesel::mysql::Mysql, __F> for Membership
    where
        __F: __wt::diesel::AsChangeset<Target = memberships::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::mysql::Mysql,
            > + ::core::marker::Send,
    {
        fn update_by_key(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(
                    memberships::table
                        .filter(memberships::org_id.eq(id.0))
                        .filter(memberships::user_id.eq(id.1)),
                )
                .set(changes)
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::sqlite::Sqlite> for Membership {
        type Table = memberships::table;
        type Save = __wt::Upsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            memberships::table
                .filter(memberships::org_id.eq(id.0))
                .filter(memberships::user_id.eq(id.1))
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
            let mut query = memberships::table
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
                .into_boxed();
            for one in ids {
                query = query
                    .or_filter(
                        memberships::org_id.eq(one.0).and(memberships::user_id.eq(one.1)),
                    );
            }
            query
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::sqlite::Sqlite> {
            __wt::diesel::delete(
                memberships::table
                    .filter(memberships::org_id.eq(id.0))
                    .filter(memberships::user_id.eq(id.1)),
            )
        }
    }
    #[automatically_derived]
    impl __wt::UpsertStatement<__wt::diesel::sqlite::Sqlite> for Membership {
        fn upsert(&self) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::insert_into(memberships::table)
                .values(self)
                .on_conflict((memberships::org_id, memberships::user_id))
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
    impl<__F> __wt::UpdateReturning<__wt::diesel::sqlite::Sqlite, __F> for Membership
    where
        __F: __wt::diesel::AsChangeset<Target = memberships::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::sqlite::Sqlite,
            > + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::update(
                    memberships::table
                        .filter(memberships::org_id.eq(id.0))
                        .filter(memberships::user_id.eq(id.1)),
                )
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::SavesByRef for Membership {}
};
