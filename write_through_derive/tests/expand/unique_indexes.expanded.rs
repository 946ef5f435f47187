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
        const NAMES_OTHER_KEYS: bool = true;
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
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "Account",
                5usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("email", __wt::cache_field(&self.email))?;
            __row.serialize_field("org_id", __wt::cache_field(&self.org_id))?;
            __row.serialize_field("handle", __wt::cache_field(&self.handle))?;
            __row.serialize_field("login", __wt::cache_field(&self.login))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "email", "org_id", "handle", "login"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = Account;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of Account")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<Account, __A::Error> {
                    let id: i64 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let email: String = __wt::next_field(&mut __seq, 1usize, &self)?;
                    let org_id: i32 = __wt::next_field(&mut __seq, 2usize, &self)?;
                    let handle: String = __wt::next_field(&mut __seq, 3usize, &self)?;
                    let login: Option<String> = __wt::next_field(
                        &mut __seq,
                        4usize,
                        &self,
                    )?;
                    ::core::result::Result::Ok(Account {
                        id,
                        email,
                        org_id,
                        handle,
                        login,
                    })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<Account, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut email = ::core::option::Option::None;
                    let mut org_id = ::core::option::Option::None;
                    let mut handle = ::core::option::Option::None;
                    let mut login = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut email, &mut __map)?
                            }
                            ::core::option::Option::Some(2usize) => {
                                __wt::fill(&mut org_id, &mut __map)?
                            }
                            ::core::option::Option::Some(3usize) => {
                                __wt::fill(&mut handle, &mut __map)?
                            }
                            ::core::option::Option::Some(4usize) => {
                                __wt::fill(&mut login, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let email = __wt::present(email, "email")?;
                    let org_id = __wt::present(org_id, "org_id")?;
                    let handle = __wt::present(handle, "handle")?;
                    let login = __wt::present(login, "login")?;
                    ::core::result::Result::Ok(Account {
                        id,
                        email,
                        org_id,
                        handle,
                        login,
                    })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "Account",
                FIELDS,
                __Visitor,
            )
        }
        fn clone_row(&self) -> ::core::option::Option<Self> {
            #[allow(unused_imports)]
            use __wt::{CloneRow as _, NoCloneRow as _};
            (&__wt::RowRef(self)).clone_row()
        }
    }
    const _: () = {
        type __Db = __wt::diesel::pg::Pg;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Account {
            type Table = accounts::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Account {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(accounts::table)
                    .values((
                        accounts::id.eq(&self.id),
                        accounts::email.eq(&self.email),
                        accounts::org_id.eq(&self.org_id),
                        accounts::handle.eq(&self.handle),
                        accounts::login.eq(&self.login),
                    ))
                    .on_conflict(accounts::id)
                    .do_update()
                    .set((
                        accounts::email.eq(&self.email),
                        accounts::org_id.eq(&self.org_id),
                        accounts::handle.eq(&self.handle),
                        accounts::login.eq(&self.login),
                    ))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Account
        where
            __F: __wt::diesel::AsChangeset<Target = accounts::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(accounts::table.filter(accounts::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::email.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::email.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 1usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::login.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::login.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 2usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::org_id.eq(value.0))
                    .filter(accounts::handle.eq(value.1))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                let mut query = accounts::table
                    .select(__wt::as_select::<Self, __Db>())
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
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Account {
            type Table = accounts::table;
            type Save = __wt::UpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for Account {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(accounts::table.filter(accounts::id.eq(&self.id)))
                    .set((
                        accounts::email.eq(&self.email),
                        accounts::org_id.eq(&self.org_id),
                        accounts::handle.eq(&self.handle),
                        accounts::login.eq(&self.login),
                    ))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(accounts::table)
                    .values((
                        accounts::id.eq(&self.id),
                        accounts::email.eq(&self.email),
                        accounts::org_id.eq(&self.org_id),
                        accounts::handle.eq(&self.handle),
                        accounts::login.eq(&self.login),
                    ))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for Account {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    accounts::table
                        .filter(accounts::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for Account
        where
            __F: __wt::diesel::AsChangeset<Target = accounts::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(accounts::table.filter(accounts::id.eq(id)))
                    .set(changes)
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::email.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::email.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 1usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::login.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::login.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 2usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::org_id.eq(value.0))
                    .filter(accounts::handle.eq(value.1))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                let mut query = accounts::table
                    .select(__wt::as_select::<Self, __Db>())
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
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Account {
            type Table = accounts::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(accounts::table.filter(accounts::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Account {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(accounts::table)
                    .values((
                        accounts::id.eq(&self.id),
                        accounts::email.eq(&self.email),
                        accounts::org_id.eq(&self.org_id),
                        accounts::handle.eq(&self.handle),
                        accounts::login.eq(&self.login),
                    ))
                    .on_conflict(accounts::id)
                    .do_update()
                    .set((
                        accounts::email.eq(&self.email),
                        accounts::org_id.eq(&self.org_id),
                        accounts::handle.eq(&self.handle),
                        accounts::login.eq(&self.login),
                    ))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Account
        where
            __F: __wt::diesel::AsChangeset<Target = accounts::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(accounts::table.filter(accounts::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::email.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::email.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 1usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::login.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::login.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 2usize> for Account {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                accounts::table
                    .filter(accounts::org_id.eq(value.0))
                    .filter(accounts::handle.eq(value.1))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                let mut query = accounts::table
                    .select(__wt::as_select::<Self, __Db>())
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
    };
    #[automatically_derived]
    impl __wt::RowColumns for Account {
        type Table = accounts::table;
        type Written = (
            accounts::id,
            accounts::email,
            accounts::org_id,
            accounts::handle,
            accounts::login,
        );
    }
    #[automatically_derived]
    impl __wt::Unversioned for Account {}
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
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for Account
    where
        i64: __wt::FromChangeText<'__wt_text>,
        ::std::string::String: __wt::FromChangeText<'__wt_text>,
        ::std::string::String: __wt::FromChangeText<'__wt_text>,
        i32: __wt::FromChangeText<'__wt_text>,
        ::std::string::String: __wt::FromChangeText<'__wt_text>,
    {
        type Table = accounts::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <accounts::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[
            &[<accounts::email as __wt::diesel::Column>::NAME],
            &[<accounts::login as __wt::diesel::Column>::NAME],
            &[
                <accounts::org_id as __wt::diesel::Column>::NAME,
                <accounts::handle as __wt::diesel::Column>::NAME,
            ],
        ];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i64 = __wt::key_column(
                row,
                <accounts::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            let __wt_i0_0: ::core::option::Option<::std::string::String> = __wt::index_column(
                row,
                <accounts::email as __wt::diesel::Column>::NAME,
            )?;
            if let (::core::option::Option::Some(__wt_i0_0),) = (__wt_i0_0,) {
                keys.index::<Self, 0usize>(__wt_i0_0.as_str());
            }
            let __wt_i1_0: ::core::option::Option<::std::string::String> = __wt::index_column(
                row,
                <accounts::login as __wt::diesel::Column>::NAME,
            )?;
            if let (::core::option::Option::Some(__wt_i1_0),) = (__wt_i1_0,) {
                keys.index::<Self, 1usize>(__wt_i1_0.as_str());
            }
            let __wt_i2_0: ::core::option::Option<i32> = __wt::index_column(
                row,
                <accounts::org_id as __wt::diesel::Column>::NAME,
            )?;
            let __wt_i2_1: ::core::option::Option<::std::string::String> = __wt::index_column(
                row,
                <accounts::handle as __wt::diesel::Column>::NAME,
            )?;
            if let (
                ::core::option::Option::Some(__wt_i2_0),
                ::core::option::Option::Some(__wt_i2_1),
            ) = (__wt_i2_0, __wt_i2_1) {
                keys.index::<Self, 2usize>((&__wt_i2_0, __wt_i2_1.as_str()));
            }
            ::core::result::Result::Ok(())
        }
    }
};
