#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for Event {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "Event";
        const KEY_TEMPLATE: &'static str = "event:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            3600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 17973892462398024168u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::MessagePack;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("event:");
            key.part(id);
        }
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "Event",
                2usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("payload", __wt::cache_field(&self.payload))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "payload"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = Event;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of Event")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<Event, __A::Error> {
                    let id: i64 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let payload: serde_json::Value = __wt::next_field(
                        &mut __seq,
                        1usize,
                        &self,
                    )?;
                    ::core::result::Result::Ok(Event { id, payload })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<Event, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut payload = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut payload, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let payload = __wt::present(payload, "payload")?;
                    ::core::result::Result::Ok(Event { id, payload })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "Event",
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
        impl __wt::Statements<__Db> for Event {
            type Table = events::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                events::table
                    .filter(events::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                events::table
                    .filter(events::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(events::table.filter(events::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Event {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(events::table)
                    .values((events::id.eq(&self.id), events::payload.eq(&self.payload)))
                    .on_conflict(events::id)
                    .do_update()
                    .set((events::payload.eq(&self.payload),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Event
        where
            __F: __wt::diesel::AsChangeset<Target = events::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(events::table.filter(events::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Event {
            type Table = events::table;
            type Save = __wt::UpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                events::table
                    .filter(events::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                events::table
                    .filter(events::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(events::table.filter(events::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for Event {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(events::table.filter(events::id.eq(&self.id)))
                    .set((events::payload.eq(&self.payload),))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(events::table)
                    .values((events::id.eq(&self.id), events::payload.eq(&self.payload)))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for Event {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    events::table
                        .filter(events::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for Event
        where
            __F: __wt::diesel::AsChangeset<Target = events::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(events::table.filter(events::id.eq(id)))
                    .set(changes)
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Event {
            type Table = events::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                events::table
                    .filter(events::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                events::table
                    .filter(events::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(events::table.filter(events::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Event {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(events::table)
                    .values((events::id.eq(&self.id), events::payload.eq(&self.payload)))
                    .on_conflict(events::id)
                    .do_update()
                    .set((events::payload.eq(&self.payload),))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Event
        where
            __F: __wt::diesel::AsChangeset<Target = events::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(events::table.filter(events::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::RowColumns for Event {
        type Table = events::table;
        type Written = (events::id, events::payload);
    }
    #[automatically_derived]
    impl __wt::Unversioned for Event {}
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for Event
    where
        i64: __wt::FromChangeText<'__wt_text>,
    {
        type Table = events::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <events::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i64 = __wt::key_column(
                row,
                <events::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            ::core::result::Result::Ok(())
        }
    }
};
