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
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "Document",
                3usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("title", __wt::cache_field(&self.title))?;
            __row.serialize_field("version", __wt::cache_field(&self.version))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "title", "version"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = Document;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of Document")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<Document, __A::Error> {
                    let id: i64 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let title: String = __wt::next_field(&mut __seq, 1usize, &self)?;
                    let version: i32 = __wt::next_field(&mut __seq, 2usize, &self)?;
                    ::core::result::Result::Ok(Document { id, title, version })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<Document, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut title = ::core::option::Option::None;
                    let mut version = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut title, &mut __map)?
                            }
                            ::core::option::Option::Some(2usize) => {
                                __wt::fill(&mut version, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let title = __wt::present(title, "title")?;
                    let version = __wt::present(version, "version")?;
                    ::core::result::Result::Ok(Document { id, title, version })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "Document",
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
        impl __wt::Statements<__Db> for Document {
            type Table = documents::table;
            type Save = __wt::VersionedUpsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                documents::table
                    .filter(documents::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                documents::table
                    .filter(documents::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(documents::table.filter(documents::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::VersionedStatements<__Db> for Document {
            fn update_at_version(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(
                        documents::table
                            .filter(documents::id.eq(&self.id))
                            .filter(documents::version.eq(&self.version)),
                    )
                    .set((
                        (documents::title.eq(&self.title),),
                        documents::version.eq(documents::version + 1),
                    ))
                    .returning(__wt::as_select::<Self, __Db>())
            }
            fn insert_if_absent(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(documents::table)
                    .values((
                        documents::id.eq(&self.id),
                        documents::title.eq(&self.title),
                        documents::version.eq(&self.version),
                    ))
                    .on_conflict(documents::id)
                    .do_nothing()
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Document
        where
            __F: __wt::diesel::AsChangeset<Target = documents::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(documents::table.filter(documents::id.eq(id)))
                    .set(__wt::WithVersionBump {
                        changes,
                        bump: documents::version.eq(documents::version + 1),
                    })
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Document {
            type Table = documents::table;
            type Save = __wt::VersionedUpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                documents::table
                    .filter(documents::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                documents::table
                    .filter(documents::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(documents::table.filter(documents::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for Document {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(
                        documents::table
                            .filter(documents::id.eq(&self.id))
                            .filter(documents::version.eq(&self.version)),
                    )
                    .set((
                        (documents::title.eq(&self.title),),
                        documents::version.eq(documents::version + 1),
                    ))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(documents::table)
                    .values((
                        documents::id.eq(&self.id),
                        documents::title.eq(&self.title),
                        documents::version.eq(&self.version),
                    ))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for Document {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    documents::table
                        .filter(documents::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for Document
        where
            __F: __wt::diesel::AsChangeset<Target = documents::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(documents::table.filter(documents::id.eq(id)))
                    .set(__wt::WithVersionBump {
                        changes,
                        bump: documents::version.eq(documents::version + 1),
                    })
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Document {
            type Table = documents::table;
            type Save = __wt::VersionedUpsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                documents::table
                    .filter(documents::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                documents::table
                    .filter(documents::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(documents::table.filter(documents::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::VersionedStatements<__Db> for Document {
            fn update_at_version(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(
                        documents::table
                            .filter(documents::id.eq(&self.id))
                            .filter(documents::version.eq(&self.version)),
                    )
                    .set((
                        (documents::title.eq(&self.title),),
                        documents::version.eq(documents::version + 1),
                    ))
                    .returning(__wt::as_select::<Self, __Db>())
            }
            fn insert_if_absent(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(documents::table)
                    .values((
                        documents::id.eq(&self.id),
                        documents::title.eq(&self.title),
                        documents::version.eq(&self.version),
                    ))
                    .on_conflict(documents::id)
                    .do_nothing()
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Document
        where
            __F: __wt::diesel::AsChangeset<Target = documents::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(documents::table.filter(documents::id.eq(id)))
                    .set(__wt::WithVersionBump {
                        changes,
                        bump: documents::version.eq(documents::version + 1),
                    })
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::RowColumns for Document {
        type Table = documents::table;
        type Written = (documents::id, documents::title, documents::version);
    }
    #[automatically_derived]
    impl __wt::BumpsVersion for Document {
        fn take_version(&mut self, stored: &Self) {
            self.version = stored.version;
        }
        fn bump_version(&mut self) {
            self.version += 1;
        }
    }
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for Document
    where
        i64: __wt::FromChangeText<'__wt_text>,
    {
        type Table = documents::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <documents::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i64 = __wt::key_column(
                row,
                <documents::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            ::core::result::Result::Ok(())
        }
    }
};
