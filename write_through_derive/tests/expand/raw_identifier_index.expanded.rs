#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for Token {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "Token";
        const KEY_TEMPLATE: &'static str = "token:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            3600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 15427597936536467308u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        const NAMES_OTHER_KEYS: bool = true;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("token:");
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
                "Token",
                2usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("type", __wt::cache_field(&self.r#type))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "type"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = Token;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of Token")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<Token, __A::Error> {
                    let id: i64 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let r#type: String = __wt::next_field(&mut __seq, 1usize, &self)?;
                    ::core::result::Result::Ok(Token { id, r#type })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<Token, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut r#type = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut r#type, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let r#type = __wt::present(r#type, "type")?;
                    ::core::result::Result::Ok(Token { id, r#type })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "Token",
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
        impl __wt::Statements<__Db> for Token {
            type Table = tokens::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(tokens::table.filter(tokens::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Token {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(tokens::table)
                    .values((tokens::id.eq(&self.id), tokens::r#type.eq(&self.r#type)))
                    .on_conflict(tokens::id)
                    .do_update()
                    .set((tokens::r#type.eq(&self.r#type),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Token
        where
            __F: __wt::diesel::AsChangeset<Target = tokens::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(tokens::table.filter(tokens::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for Token {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::r#type.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::r#type.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Token {
            type Table = tokens::table;
            type Save = __wt::UpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(tokens::table.filter(tokens::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for Token {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(tokens::table.filter(tokens::id.eq(&self.id)))
                    .set((tokens::r#type.eq(&self.r#type),))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(tokens::table)
                    .values((tokens::id.eq(&self.id), tokens::r#type.eq(&self.r#type)))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for Token {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    tokens::table
                        .filter(tokens::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for Token
        where
            __F: __wt::diesel::AsChangeset<Target = tokens::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(tokens::table.filter(tokens::id.eq(id)))
                    .set(changes)
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for Token {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::r#type.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::r#type.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Token {
            type Table = tokens::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(tokens::table.filter(tokens::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Token {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(tokens::table)
                    .values((tokens::id.eq(&self.id), tokens::r#type.eq(&self.r#type)))
                    .on_conflict(tokens::id)
                    .do_update()
                    .set((tokens::r#type.eq(&self.r#type),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Token
        where
            __F: __wt::diesel::AsChangeset<Target = tokens::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(tokens::table.filter(tokens::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::IndexStatements<__Db, 0usize> for Token {
            fn select_by(value: Self::Value<'_>) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::r#type.eq(value))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many_by(
                values: &[Self::Value<'_>],
            ) -> impl __wt::Load<__Db, Self> {
                tokens::table
                    .filter(tokens::r#type.eq_any(values.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::RowColumns for Token {
        type Table = tokens::table;
        type Written = (tokens::id, tokens::r#type);
    }
    #[automatically_derived]
    impl __wt::Unversioned for Token {}
    #[automatically_derived]
    impl __wt::UniqueIndex<0usize> for Token {
        type Value<'__wt_v> = &'__wt_v str;
        const INDEX_NAME: &'static str = "type";
        fn index_value(&self) -> ::core::option::Option<Self::Value<'_>> {
            ::core::option::Option::Some(self.r#type.as_str())
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
    impl Token {
        ///The row whose `r#type` is `value`: from Redis when cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_by_type<'__wt_a, __C, __F>(
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
        ///The rows whose `r#type` are `values`, in their order (duplicates allowed): one Redis round trip when all are cached, one query for the rest.
        pub fn find_many_by_type<'__wt_a, __C, __F, __I>(
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
    impl<'__wt_text> __wt::ChangeKeys for Token
    where
        i64: __wt::FromChangeText<'__wt_text>,
        ::std::string::String: __wt::FromChangeText<'__wt_text>,
    {
        type Table = tokens::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <tokens::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[
            &[<tokens::r#type as __wt::diesel::Column>::NAME],
        ];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i64 = __wt::key_column(
                row,
                <tokens::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            let __wt_i0_0: ::core::option::Option<::std::string::String> = __wt::index_column(
                row,
                <tokens::r#type as __wt::diesel::Column>::NAME,
            )?;
            if let (::core::option::Option::Some(__wt_i0_0),) = (__wt_i0_0,) {
                keys.index::<Self, 0usize>(__wt_i0_0.as_str());
            }
            ::core::result::Result::Ok(())
        }
    }
};
