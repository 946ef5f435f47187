#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
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
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "UserAccount",
                2usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("balance", __wt::cache_field(&self.balance))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "balance"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = UserAccount;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of UserAccount")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<UserAccount, __A::Error> {
                    let id: i64 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let balance: i64 = __wt::next_field(&mut __seq, 1usize, &self)?;
                    ::core::result::Result::Ok(UserAccount { id, balance })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<UserAccount, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut balance = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut balance, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let balance = __wt::present(balance, "balance")?;
                    ::core::result::Result::Ok(UserAccount { id, balance })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "UserAccount",
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
        impl __wt::Statements<__Db> for UserAccount {
            type Table = user_accounts::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                user_accounts::table
                    .filter(user_accounts::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                user_accounts::table
                    .filter(user_accounts::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(
                    user_accounts::table.filter(user_accounts::id.eq(id)),
                )
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for UserAccount {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(user_accounts::table)
                    .values((
                        user_accounts::id.eq(&self.id),
                        user_accounts::balance.eq(&self.balance),
                    ))
                    .on_conflict(user_accounts::id)
                    .do_update()
                    .set((user_accounts::balance.eq(&self.balance),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for UserAccount
        where
            __F: __wt::diesel::AsChangeset<Target = user_accounts::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(
                        user_accounts::table.filter(user_accounts::id.eq(id)),
                    )
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for UserAccount {
            type Table = user_accounts::table;
            type Save = __wt::UpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                user_accounts::table
                    .filter(user_accounts::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                user_accounts::table
                    .filter(user_accounts::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(
                    user_accounts::table.filter(user_accounts::id.eq(id)),
                )
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for UserAccount {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(
                        user_accounts::table.filter(user_accounts::id.eq(&self.id)),
                    )
                    .set((user_accounts::balance.eq(&self.balance),))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(user_accounts::table)
                    .values((
                        user_accounts::id.eq(&self.id),
                        user_accounts::balance.eq(&self.balance),
                    ))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for UserAccount {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    user_accounts::table
                        .filter(user_accounts::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for UserAccount
        where
            __F: __wt::diesel::AsChangeset<Target = user_accounts::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(
                        user_accounts::table.filter(user_accounts::id.eq(id)),
                    )
                    .set(changes)
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for UserAccount {
            type Table = user_accounts::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                user_accounts::table
                    .filter(user_accounts::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                user_accounts::table
                    .filter(user_accounts::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(
                    user_accounts::table.filter(user_accounts::id.eq(id)),
                )
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for UserAccount {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(user_accounts::table)
                    .values((
                        user_accounts::id.eq(&self.id),
                        user_accounts::balance.eq(&self.balance),
                    ))
                    .on_conflict(user_accounts::id)
                    .do_update()
                    .set((user_accounts::balance.eq(&self.balance),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for UserAccount
        where
            __F: __wt::diesel::AsChangeset<Target = user_accounts::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(
                        user_accounts::table.filter(user_accounts::id.eq(id)),
                    )
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::RowColumns for UserAccount {
        type Table = user_accounts::table;
        type Written = (user_accounts::id, user_accounts::balance);
    }
    #[automatically_derived]
    impl __wt::Unversioned for UserAccount {}
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for UserAccount
    where
        i64: __wt::FromChangeText<'__wt_text>,
    {
        type Table = user_accounts::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <user_accounts::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i64 = __wt::key_column(
                row,
                <user_accounts::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            ::core::result::Result::Ok(())
        }
    }
};
