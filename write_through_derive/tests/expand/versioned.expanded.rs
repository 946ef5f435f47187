#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for Document {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "Document";
        const KEY_TEMPLATE: &'static str = "doc:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 1693020942960844009u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("doc:");
            key.part(id);
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::pg::Pg> for Document {
        type Table = documents::table;
        type Save = __wt::VersionedUpsert;
        fn select(id: Self::Id<'_>) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            documents::table
                .filter(documents::id.eq(id))
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
            documents::table
                .filter(documents::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::pg::Pg> {
            __wt::diesel::delete(documents::table.filter(documents::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::VersionedStatements<__wt::diesel::pg::Pg> for Document {
        fn update_at_version(&self) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::update(
                    documents::table
                        .filter(documents::id.eq(&self.id))
                        .filter(documents::version.eq(&self.version)),
                )
                .set((self, documents::version.eq(documents::version + 1)))
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
        fn insert_if_absent(&self) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::insert_into(documents::table)
                .values(self)
                .on_conflict(documents::id)
                .do_nothing()
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateReturning<__wt::diesel::pg::Pg, __F> for Document
    where
        __F: __wt::diesel::AsChangeset<Target = documents::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<__wt::diesel::pg::Pg>
            + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::pg::Pg, Self> {
            __wt::diesel::update(documents::table.filter(documents::id.eq(id)))
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::pg::Pg,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::mysql::Mysql> for Document {
        type Table = documents::table;
        type Save = __wt::VersionedUpdateThenInsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::mysql::Mysql, Self> {
            documents::table
                .filter(documents::id.eq(id))
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
            documents::table
                .filter(documents::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::mysql::Mysql,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::delete(documents::table.filter(documents::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::PlainWrites<__wt::diesel::mysql::Mysql> for Document {
        fn update(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(
                    documents::table
                        .filter(documents::id.eq(&self.id))
                        .filter(documents::version.eq(&self.version)),
                )
                .set((self, documents::version.eq(documents::version + 1)))
        }
        fn insert(&self) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::insert_into(documents::table).values(self)
        }
    }
    #[automatically_derived]
    impl __wt::CreatedByAutoIncrement for Document {
        const SINGLE_KEY: bool = true;
        fn select_created(
            auto_increment: u64,
        ) -> ::core::option::Option<impl __wt::Load<__wt::diesel::mysql::Mysql, Self>> {
            let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
            ::core::option::Option::Some(
                documents::table
                    .filter(documents::id.eq(id))
                    .select(
                        <Self as __wt::diesel::SelectableHelper<
                            __wt::diesel::mysql::Mysql,
                        >>::as_select(),
                    ),
            )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateThenSelect<__wt::diesel::mysql::Mysql, __F> for Document
    where
        __F: __wt::diesel::AsChangeset<Target = documents::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::mysql::Mysql,
            > + ::core::marker::Send,
    {
        fn update_by_key(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Execute<__wt::diesel::mysql::Mysql> {
            __wt::diesel::update(documents::table.filter(documents::id.eq(id)))
                .set(changes)
        }
    }
    #[automatically_derived]
    impl __wt::Statements<__wt::diesel::sqlite::Sqlite> for Document {
        type Table = documents::table;
        type Save = __wt::VersionedUpsert;
        fn select(
            id: Self::Id<'_>,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            documents::table
                .filter(documents::id.eq(id))
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
            documents::table
                .filter(documents::id.eq_any(ids.iter().copied()))
                .select(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_select(),
                )
        }
        fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__wt::diesel::sqlite::Sqlite> {
            __wt::diesel::delete(documents::table.filter(documents::id.eq(id)))
        }
    }
    #[automatically_derived]
    impl __wt::VersionedStatements<__wt::diesel::sqlite::Sqlite> for Document {
        fn update_at_version(
            &self,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::update(
                    documents::table
                        .filter(documents::id.eq(&self.id))
                        .filter(documents::version.eq(&self.version)),
                )
                .set((self, documents::version.eq(documents::version + 1)))
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
        fn insert_if_absent(
            &self,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::insert_into(documents::table)
                .values(self)
                .on_conflict(documents::id)
                .do_nothing()
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl<__F> __wt::UpdateReturning<__wt::diesel::sqlite::Sqlite, __F> for Document
    where
        __F: __wt::diesel::AsChangeset<Target = documents::table>,
        __F::Changeset: __wt::diesel::query_builder::QueryFragment<
                __wt::diesel::sqlite::Sqlite,
            > + ::core::marker::Send,
    {
        fn update_returning(
            id: Self::Id<'_>,
            changes: __F,
        ) -> impl __wt::Load<__wt::diesel::sqlite::Sqlite, Self> {
            __wt::diesel::update(documents::table.filter(documents::id.eq(id)))
                .set(changes)
                .returning(
                    <Self as __wt::diesel::SelectableHelper<
                        __wt::diesel::sqlite::Sqlite,
                    >>::as_returning(),
                )
        }
    }
    #[automatically_derived]
    impl __wt::SavesInPlace for Document {
        fn adopt_version(&mut self, stored: &Self) {
            self.version = stored.version;
        }
    }
    #[automatically_derived]
    impl __wt::BumpsVersion for Document {
        fn bump_version(&mut self) {
            self.version += 1;
        }
    }
};
