#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for User {
        type Id<'__wt_id> = &'__wt_id i32;
        const MODEL_NAME: &'static str = "User";
        const KEY_TEMPLATE: &'static str = "user:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 993689125003129795u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        const NAMES_OTHER_KEYS: bool = true;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("user:");
            key.part(id);
        }
        fn write_index_keys(&self, keys: &mut __wt::IndexKeys<'_>) {
            if let ::core::option::Option::Some(value) = <Self as __wt::UniqueIndex<
                0usize,
            >>::index_value(self) {
                keys.add::<Self, 0usize>(value);
            }
        }
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "User",
                4usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("gh_login", __wt::cache_field(&self.gh_login))?;
            __row.serialize_field("gh_avatar", __wt::cache_field(&self.gh_avatar))?;
            __row.serialize_field("username", __wt::cache_field(&self.username))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "gh_login", "gh_avatar", "username"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = User;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of User")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<User, __A::Error> {
                    let id: i32 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let gh_login: String = __wt::next_field(&mut __seq, 1usize, &self)?;
                    let gh_avatar: Option<String> = __wt::next_field(
                        &mut __seq,
                        2usize,
                        &self,
                    )?;
                    let username: String = __wt::next_field(&mut __seq, 3usize, &self)?;
                    ::core::result::Result::Ok(User {
                        id,
                        gh_login,
                        gh_avatar,
                        username,
                    })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<User, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut gh_login = ::core::option::Option::None;
                    let mut gh_avatar = ::core::option::Option::None;
                    let mut username = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut gh_login, &mut __map)?
                            }
                            ::core::option::Option::Some(2usize) => {
                                __wt::fill(&mut gh_avatar, &mut __map)?
                            }
                            ::core::option::Option::Some(3usize) => {
                                __wt::fill(&mut username, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let gh_login = __wt::present(gh_login, "gh_login")?;
                    let gh_avatar = __wt::present(gh_avatar, "gh_avatar")?;
                    let username = __wt::present(username, "username")?;
                    ::core::result::Result::Ok(User {
                        id,
                        gh_login,
                        gh_avatar,
                        username,
                    })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "User",
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
        impl __wt::Statements<__Db> for User {
            type Table = users::table;
            type Save = __wt::ReadOnly;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(users::table.filter(users::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for User {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::username.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::username.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for User {
            type Table = users::table;
            type Save = __wt::ReadOnly;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(users::table.filter(users::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for User {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i32 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    (users::table.left_join(oauth_github::table))
                        .filter(users::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for User {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::username.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::username.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for User {
            type Table = users::table;
            type Save = __wt::ReadOnly;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(users::table.filter(users::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for User {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::username.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                (users::table.left_join(oauth_github::table))
                    .filter(users::username.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::Unversioned for User {}
    #[automatically_derived]
    impl __wt::UniqueIndex<0usize> for User {
        type Value<'__wt_v> = &'__wt_v str;
        const INDEX_NAME: &'static str = "username";
        fn index_value(&self) -> ::core::option::Option<Self::Value<'_>> {
            ::core::option::Option::Some(self.username.as_str())
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
    impl User {
        ///The row whose `username` is `value`: from Redis when cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_by_username<'__wt_a, __C, __F>(
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
        ///The rows whose `username` are `values`, in their order (duplicates allowed): one Redis round trip when all are cached, one query for the rest.
        pub fn find_many_by_username<'__wt_a, __C, __F, __I>(
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
    }
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for User
    where
        i32: __wt::FromChangeText<'__wt_text>,
        ::std::string::String: __wt::FromChangeText<'__wt_text>,
    {
        type Table = users::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <users::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[
            &[<users::username as __wt::diesel::Column>::NAME],
        ];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i32 = __wt::key_column(
                row,
                <users::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            let __wt_i0_0: ::core::option::Option<::std::string::String> = __wt::index_column(
                row,
                <users::username as __wt::diesel::Column>::NAME,
            )?;
            if let (::core::option::Option::Some(__wt_i0_0),) = (__wt_i0_0,) {
                keys.index::<Self, 0usize>(__wt_i0_0.as_str());
            }
            ::core::result::Result::Ok(())
        }
    }
};
