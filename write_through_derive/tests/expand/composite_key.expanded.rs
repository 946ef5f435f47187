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
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "Membership",
                3usize,
            )?;
            __row.serialize_field("org_id", __wt::cache_field(&self.org_id))?;
            __row.serialize_field("user_id", __wt::cache_field(&self.user_id))?;
            __row.serialize_field("role", __wt::cache_field(&self.role))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["org_id", "user_id", "role"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = Membership;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of Membership")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<Membership, __A::Error> {
                    let org_id: i32 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let user_id: i32 = __wt::next_field(&mut __seq, 1usize, &self)?;
                    let role: String = __wt::next_field(&mut __seq, 2usize, &self)?;
                    ::core::result::Result::Ok(Membership {
                        org_id,
                        user_id,
                        role,
                    })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<Membership, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut org_id = ::core::option::Option::None;
                    let mut user_id = ::core::option::Option::None;
                    let mut role = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut org_id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut user_id, &mut __map)?
                            }
                            ::core::option::Option::Some(2usize) => {
                                __wt::fill(&mut role, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let org_id = __wt::present(org_id, "org_id")?;
                    let user_id = __wt::present(user_id, "user_id")?;
                    let role = __wt::present(role, "role")?;
                    ::core::result::Result::Ok(Membership {
                        org_id,
                        user_id,
                        role,
                    })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "Membership",
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
        impl __wt::Statements<__Db> for Membership {
            type Table = memberships::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                memberships::table
                    .filter(memberships::org_id.eq(id.0))
                    .filter(memberships::user_id.eq(id.1))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                let mut query = memberships::table
                    .select(__wt::as_select::<Self, __Db>())
                    .into_boxed();
                for one in ids {
                    query = query
                        .or_filter(
                            memberships::org_id
                                .eq(one.0)
                                .and(memberships::user_id.eq(one.1)),
                        );
                }
                query
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(
                    memberships::table
                        .filter(memberships::org_id.eq(id.0))
                        .filter(memberships::user_id.eq(id.1)),
                )
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Membership {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(memberships::table)
                    .values((
                        memberships::org_id.eq(&self.org_id),
                        memberships::user_id.eq(&self.user_id),
                        memberships::role.eq(&self.role),
                    ))
                    .on_conflict((memberships::org_id, memberships::user_id))
                    .do_update()
                    .set((memberships::role.eq(&self.role),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Membership
        where
            __F: __wt::diesel::AsChangeset<Target = memberships::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(
                        memberships::table
                            .filter(memberships::org_id.eq(id.0))
                            .filter(memberships::user_id.eq(id.1)),
                    )
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Membership {
            type Table = memberships::table;
            type Save = __wt::UpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                memberships::table
                    .filter(memberships::org_id.eq(id.0))
                    .filter(memberships::user_id.eq(id.1))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                let mut query = memberships::table
                    .select(__wt::as_select::<Self, __Db>())
                    .into_boxed();
                for one in ids {
                    query = query
                        .or_filter(
                            memberships::org_id
                                .eq(one.0)
                                .and(memberships::user_id.eq(one.1)),
                        );
                }
                query
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(
                    memberships::table
                        .filter(memberships::org_id.eq(id.0))
                        .filter(memberships::user_id.eq(id.1)),
                )
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for Membership {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(
                        memberships::table
                            .filter(memberships::org_id.eq(&self.org_id))
                            .filter(memberships::user_id.eq(&self.user_id)),
                    )
                    .set((memberships::role.eq(&self.role),))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(memberships::table)
                    .values((
                        memberships::org_id.eq(&self.org_id),
                        memberships::user_id.eq(&self.user_id),
                        memberships::role.eq(&self.role),
                    ))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for Membership {
            const SINGLE_KEY: bool = false;
            fn select_created(
                _: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                ::core::option::Option::None::<__wt::NoStatement<Self>>
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for Membership
        where
            __F: __wt::diesel::AsChangeset<Target = memberships::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(
                        memberships::table
                            .filter(memberships::org_id.eq(id.0))
                            .filter(memberships::user_id.eq(id.1)),
                    )
                    .set(changes)
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Membership {
            type Table = memberships::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                memberships::table
                    .filter(memberships::org_id.eq(id.0))
                    .filter(memberships::user_id.eq(id.1))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                let mut query = memberships::table
                    .select(__wt::as_select::<Self, __Db>())
                    .into_boxed();
                for one in ids {
                    query = query
                        .or_filter(
                            memberships::org_id
                                .eq(one.0)
                                .and(memberships::user_id.eq(one.1)),
                        );
                }
                query
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(
                    memberships::table
                        .filter(memberships::org_id.eq(id.0))
                        .filter(memberships::user_id.eq(id.1)),
                )
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Membership {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(memberships::table)
                    .values((
                        memberships::org_id.eq(&self.org_id),
                        memberships::user_id.eq(&self.user_id),
                        memberships::role.eq(&self.role),
                    ))
                    .on_conflict((memberships::org_id, memberships::user_id))
                    .do_update()
                    .set((memberships::role.eq(&self.role),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Membership
        where
            __F: __wt::diesel::AsChangeset<Target = memberships::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(
                        memberships::table
                            .filter(memberships::org_id.eq(id.0))
                            .filter(memberships::user_id.eq(id.1)),
                    )
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::RowColumns for Membership {
        type Table = memberships::table;
        type Written = (memberships::org_id, memberships::user_id, memberships::role);
    }
    #[automatically_derived]
    impl __wt::Unversioned for Membership {}
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for Membership
    where
        i32: __wt::FromChangeText<'__wt_text>,
        i32: __wt::FromChangeText<'__wt_text>,
    {
        type Table = memberships::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <memberships::org_id as __wt::diesel::Column>::NAME,
            <memberships::user_id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i32 = __wt::key_column(
                row,
                <memberships::org_id as __wt::diesel::Column>::NAME,
            )?;
            let __wt_k1: i32 = __wt::key_column(
                row,
                <memberships::user_id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>((&__wt_k0, &__wt_k1));
            ::core::result::Result::Ok(())
        }
    }
};
