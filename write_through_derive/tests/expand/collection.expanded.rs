#[doc(hidden)]
const _: () = {
    use ::write_through::__private as __wt;
    use __wt::diesel::prelude::{
        BoolExpressionMethods as _, ExpressionMethods as _, QueryDsl as _,
    };
    #[automatically_derived]
    impl __wt::Cached for Comment {
        type Id<'__wt_id> = &'__wt_id i64;
        const MODEL_NAME: &'static str = "Comment";
        const KEY_TEMPLATE: &'static str = "comment:{id}";
        const TTL: ::core::time::Duration = ::core::time::Duration::from_millis(
            3600000u64,
        );
        const NEGATIVE_TTL: ::core::option::Option<::core::time::Duration> = ::core::option::Option::None;
        const SCHEMA_FINGERPRINT: u64 = 17439254910727462525u64;
        const KEY_CAN_ALIAS: bool = false;
        const CODEC: __wt::Codec = __wt::Codec::Bincode;
        const NAMES_OTHER_KEYS: bool = true;
        fn id(&self) -> Self::Id<'_> {
            &self.id
        }
        fn write_key(id: Self::Id<'_>, key: &mut __wt::KeyWriter) {
            key.literal("comment:");
            key.part(id);
        }
        fn write_collection_keys(&self, keys: &mut __wt::CollectionKeys<'_>) {
            if let ::core::option::Option::Some(parent) = <Self as __wt::Collection<
                0usize,
            >>::parent(self) {
                keys.add::<Self, 0usize>(parent);
            }
            if let ::core::option::Option::Some(parent) = <Self as __wt::Collection<
                1usize,
            >>::parent(self) {
                keys.add::<Self, 1usize>(parent);
            }
        }
        fn serialize_row<__S: __wt::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> ::core::result::Result<__S::Ok, __S::Error> {
            use __wt::serde::ser::SerializeStruct as _;
            let mut __row = __wt::serde::Serializer::serialize_struct(
                __serializer,
                "Comment",
                5usize,
            )?;
            __row.serialize_field("id", __wt::cache_field(&self.id))?;
            __row.serialize_field("post_id", __wt::cache_field(&self.post_id))?;
            __row.serialize_field("parent_id", __wt::cache_field(&self.parent_id))?;
            __row.serialize_field("published", __wt::cache_field(&self.published))?;
            __row.serialize_field("body", __wt::cache_field(&self.body))?;
            __row.end()
        }
        fn deserialize_row<'de, __D: __wt::serde::Deserializer<'de>>(
            __deserializer: __D,
        ) -> ::core::result::Result<Self, __D::Error> {
            const FIELDS: &[&str] = &["id", "post_id", "parent_id", "published", "body"];
            struct __Visitor;
            impl<'de> __wt::serde::de::Visitor<'de> for __Visitor {
                type Value = Comment;
                fn expecting(
                    &self,
                    __f: &mut ::core::fmt::Formatter<'_>,
                ) -> ::core::fmt::Result {
                    __f.write_str("a cached row of Comment")
                }
                fn visit_seq<__A: __wt::serde::de::SeqAccess<'de>>(
                    self,
                    mut __seq: __A,
                ) -> ::core::result::Result<Comment, __A::Error> {
                    let id: i64 = __wt::next_field(&mut __seq, 0usize, &self)?;
                    let post_id: i64 = __wt::next_field(&mut __seq, 1usize, &self)?;
                    let parent_id: Option<i64> = __wt::next_field(
                        &mut __seq,
                        2usize,
                        &self,
                    )?;
                    let published: i64 = __wt::next_field(&mut __seq, 3usize, &self)?;
                    let body: String = __wt::next_field(&mut __seq, 4usize, &self)?;
                    ::core::result::Result::Ok(Comment {
                        id,
                        post_id,
                        parent_id,
                        published,
                        body,
                    })
                }
                fn visit_map<__A: __wt::serde::de::MapAccess<'de>>(
                    self,
                    mut __map: __A,
                ) -> ::core::result::Result<Comment, __A::Error> {
                    use __wt::serde::de::MapAccess as _;
                    let mut id = ::core::option::Option::None;
                    let mut post_id = ::core::option::Option::None;
                    let mut parent_id = ::core::option::Option::None;
                    let mut published = ::core::option::Option::None;
                    let mut body = ::core::option::Option::None;
                    while let ::core::option::Option::Some(__field) = __map
                        .next_key_seed(__wt::FieldSeed(FIELDS))?
                    {
                        match __field {
                            ::core::option::Option::Some(0usize) => {
                                __wt::fill(&mut id, &mut __map)?
                            }
                            ::core::option::Option::Some(1usize) => {
                                __wt::fill(&mut post_id, &mut __map)?
                            }
                            ::core::option::Option::Some(2usize) => {
                                __wt::fill(&mut parent_id, &mut __map)?
                            }
                            ::core::option::Option::Some(3usize) => {
                                __wt::fill(&mut published, &mut __map)?
                            }
                            ::core::option::Option::Some(4usize) => {
                                __wt::fill(&mut body, &mut __map)?
                            }
                            _ => drop(__map.next_value::<__wt::serde::de::IgnoredAny>()?),
                        }
                    }
                    let id = __wt::present(id, "id")?;
                    let post_id = __wt::present(post_id, "post_id")?;
                    let parent_id = __wt::present(parent_id, "parent_id")?;
                    let published = __wt::present(published, "published")?;
                    let body = __wt::present(body, "body")?;
                    ::core::result::Result::Ok(Comment {
                        id,
                        post_id,
                        parent_id,
                        published,
                        body,
                    })
                }
            }
            __wt::serde::Deserializer::deserialize_struct(
                __deserializer,
                "Comment",
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
        impl __wt::Statements<__Db> for Comment {
            type Table = comments::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(comments::table.filter(comments::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Comment {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(comments::table)
                    .values((
                        comments::id.eq(&self.id),
                        comments::post_id.eq(&self.post_id),
                        comments::parent_id.eq(&self.parent_id),
                        comments::published.eq(&self.published),
                        comments::body.eq(&self.body),
                    ))
                    .on_conflict(comments::id)
                    .do_update()
                    .set((
                        comments::post_id.eq(&self.post_id),
                        comments::parent_id.eq(&self.parent_id),
                        comments::published.eq(&self.published),
                        comments::body.eq(&self.body),
                    ))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Comment
        where
            __F: __wt::diesel::AsChangeset<Target = comments::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(comments::table.filter(comments::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::CollectionStatements<__Db, 0usize> for Comment {
            fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::post_id.eq(parent))
                    .order_by((comments::published.desc(), comments::id.asc()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::CollectionStatements<__Db, 1usize> for Comment {
            fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::parent_id.eq(parent))
                    .order_by((comments::id.asc(),))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::mysql::Mysql;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Comment {
            type Table = comments::table;
            type Save = __wt::UpdateThenInsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(comments::table.filter(comments::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::PlainWrites<__Db> for Comment {
            fn update(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(comments::table.filter(comments::id.eq(&self.id)))
                    .set((
                        comments::post_id.eq(&self.post_id),
                        comments::parent_id.eq(&self.parent_id),
                        comments::published.eq(&self.published),
                        comments::body.eq(&self.body),
                    ))
            }
            fn insert(&self) -> impl __wt::Execute<__Db> {
                __wt::diesel::insert_into(comments::table)
                    .values((
                        comments::id.eq(&self.id),
                        comments::post_id.eq(&self.post_id),
                        comments::parent_id.eq(&self.parent_id),
                        comments::published.eq(&self.published),
                        comments::body.eq(&self.body),
                    ))
            }
        }
        #[automatically_derived]
        impl __wt::CreatedByAutoIncrement for Comment {
            const SINGLE_KEY: bool = true;
            fn select_created(
                auto_increment: u64,
            ) -> ::core::option::Option<impl __wt::Load<__Db, Self>> {
                let id: i64 = __wt::KeyPart::from_auto_increment(auto_increment)?;
                ::core::option::Option::Some(
                    comments::table
                        .filter(comments::id.eq(id))
                        .select(__wt::as_select::<Self, __Db>()),
                )
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateThenSelect<__Db, __F> for Comment
        where
            __F: __wt::diesel::AsChangeset<Target = comments::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_by_key(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Execute<__Db> {
                __wt::diesel::update(comments::table.filter(comments::id.eq(id)))
                    .set(changes)
            }
        }
        #[automatically_derived]
        impl __wt::CollectionStatements<__Db, 0usize> for Comment {
            fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::post_id.eq(parent))
                    .order_by((comments::published.desc(), comments::id.asc()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::CollectionStatements<__Db, 1usize> for Comment {
            fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::parent_id.eq(parent))
                    .order_by((comments::id.asc(),))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    const _: () = {
        type __Db = __wt::diesel::sqlite::Sqlite;
        #[automatically_derived]
        impl __wt::Statements<__Db> for Comment {
            type Table = comments::table;
            type Save = __wt::Upsert;
            fn select(id: Self::Id<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::id.eq(id))
                    .limit(1)
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn select_many(ids: &[Self::Id<'_>]) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::id.eq_any(ids.iter().copied()))
                    .select(__wt::as_select::<Self, __Db>())
            }
            fn delete(id: Self::Id<'_>) -> impl __wt::Execute<__Db> {
                __wt::diesel::delete(comments::table.filter(comments::id.eq(id)))
            }
        }
        #[automatically_derived]
        impl __wt::UpsertStatement<__Db> for Comment {
            fn upsert(&self) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::insert_into(comments::table)
                    .values((
                        comments::id.eq(&self.id),
                        comments::post_id.eq(&self.post_id),
                        comments::parent_id.eq(&self.parent_id),
                        comments::published.eq(&self.published),
                        comments::body.eq(&self.body),
                    ))
                    .on_conflict(comments::id)
                    .do_update()
                    .set((
                        comments::post_id.eq(&self.post_id),
                        comments::parent_id.eq(&self.parent_id),
                        comments::published.eq(&self.published),
                        comments::body.eq(&self.body),
                    ))
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl<__F> __wt::UpdateReturning<__Db, __F> for Comment
        where
            __F: __wt::diesel::AsChangeset<Target = comments::table>,
            __F::Changeset: __wt::diesel::query_builder::QueryFragment<__Db>
                + ::core::marker::Send,
        {
            fn update_returning(
                id: Self::Id<'_>,
                changes: __F,
            ) -> impl __wt::Load<__Db, Self> {
                __wt::diesel::update(comments::table.filter(comments::id.eq(id)))
                    .set(changes)
                    .returning(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::CollectionStatements<__Db, 0usize> for Comment {
            fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::post_id.eq(parent))
                    .order_by((comments::published.desc(), comments::id.asc()))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
        #[automatically_derived]
        impl __wt::CollectionStatements<__Db, 1usize> for Comment {
            fn select_members(parent: Self::Parent<'_>) -> impl __wt::Load<__Db, Self> {
                comments::table
                    .filter(comments::parent_id.eq(parent))
                    .order_by((comments::id.asc(),))
                    .select(__wt::as_select::<Self, __Db>())
            }
        }
    };
    #[automatically_derived]
    impl __wt::RowColumns for Comment {
        type Table = comments::table;
        type Written = (
            comments::id,
            comments::post_id,
            comments::parent_id,
            comments::published,
            comments::body,
        );
    }
    #[automatically_derived]
    impl __wt::Unversioned for Comment {}
    #[automatically_derived]
    impl __wt::Collection<0usize> for Comment {
        type Parent<'__wt_p> = &'__wt_p i64;
        const COLLECTION_NAME: &'static str = "post_id";
        const MAX_MEMBERS: usize = 300usize;
        fn parent(&self) -> ::core::option::Option<Self::Parent<'_>> {
            ::core::option::Option::Some(&self.post_id)
        }
        fn has_parent(&self, parent: Self::Parent<'_>) -> bool {
            <Self as __wt::Collection<0usize>>::parent(self)
                == ::core::option::Option::Some(parent)
        }
        fn write_parent(parent: Self::Parent<'_>, key: &mut __wt::KeyWriter) {
            key.part(parent);
        }
        fn write_order(&self, key: &mut __wt::KeyWriter) {
            key.part(&self.published);
        }
    }
    #[automatically_derived]
    impl __wt::Collection<1usize> for Comment {
        type Parent<'__wt_p> = &'__wt_p i64;
        const COLLECTION_NAME: &'static str = "parent_id";
        const MAX_MEMBERS: usize = 1000usize;
        fn parent(&self) -> ::core::option::Option<Self::Parent<'_>> {
            self.parent_id.as_ref()
        }
        fn has_parent(&self, parent: Self::Parent<'_>) -> bool {
            <Self as __wt::Collection<1usize>>::parent(self)
                == ::core::option::Option::Some(parent)
        }
        fn write_parent(parent: Self::Parent<'_>, key: &mut __wt::KeyWriter) {
            key.part(parent);
        }
    }
    #[automatically_derived]
    impl Comment {
        ///The rows whose `post_id` is `parent`, by `published` descending: from Redis when the collection and its rows are cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_all_by_post_id<'__wt_a, __C, __F>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            parent: &'__wt_a i64,
        ) -> <__C as __wt::CollectionLookup<
            Self,
            0usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<Self>>
        where
            __C: __wt::CollectionLookup<Self, 0usize, __F>,
        {
            <__C as __wt::CollectionLookup<
                Self,
                0usize,
                __F,
            >>::find_all_by(conn, cache, parent)
        }
        ///The rows of each of `parents` (by `post_id`), in their order (duplicates allowed): one Redis round trip when all are cached, one query per parent for the rest.
        pub fn find_all_by_post_id_in<'__wt_a, __C, __F, __I>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            parents: __I,
        ) -> <__C as __wt::CollectionLookup<
            Self,
            0usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<::std::vec::Vec<Self>>>
        where
            __C: __wt::CollectionLookup<Self, 0usize, __F>,
            __I: ::core::iter::IntoIterator<Item = &'__wt_a i64>,
        {
            <__C as __wt::CollectionLookup<
                Self,
                0usize,
                __F,
            >>::find_all_by_in(
                conn,
                cache,
                ::core::iter::Iterator::collect(
                    ::core::iter::IntoIterator::into_iter(parents),
                ),
            )
        }
        ///The rows whose `parent_id` is `parent`, in key order: from Redis when the collection and its rows are cached (one round trip), else from the database, filling the cache. Blocking on a Diesel connection; a `Send` future on a diesel-async connection.
        pub fn find_all_by_parent_id<'__wt_a, __C, __F>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            parent: &'__wt_a i64,
        ) -> <__C as __wt::CollectionLookup<
            Self,
            1usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<Self>>
        where
            __C: __wt::CollectionLookup<Self, 1usize, __F>,
        {
            <__C as __wt::CollectionLookup<
                Self,
                1usize,
                __F,
            >>::find_all_by(conn, cache, parent)
        }
        ///The rows of each of `parents` (by `parent_id`), in their order (duplicates allowed): one Redis round trip when all are cached, one query per parent for the rest.
        pub fn find_all_by_parent_id_in<'__wt_a, __C, __F, __I>(
            conn: &'__wt_a mut __C,
            cache: &'__wt_a __wt::Cache,
            parents: __I,
        ) -> <__C as __wt::CollectionLookup<
            Self,
            1usize,
            __F,
        >>::Output<'__wt_a, ::std::vec::Vec<::std::vec::Vec<Self>>>
        where
            __C: __wt::CollectionLookup<Self, 1usize, __F>,
            __I: ::core::iter::IntoIterator<Item = &'__wt_a i64>,
        {
            <__C as __wt::CollectionLookup<
                Self,
                1usize,
                __F,
            >>::find_all_by_in(
                conn,
                cache,
                ::core::iter::Iterator::collect(
                    ::core::iter::IntoIterator::into_iter(parents),
                ),
            )
        }
    }
    #[automatically_derived]
    impl<'__wt_text> __wt::ChangeKeys for Comment
    where
        i64: __wt::FromChangeText<'__wt_text>,
        i64: __wt::FromChangeText<'__wt_text>,
        i64: __wt::FromChangeText<'__wt_text>,
    {
        type Table = comments::table;
        const KEY_COLUMNS: &'static [&'static str] = &[
            <comments::id as __wt::diesel::Column>::NAME,
        ];
        const INDEX_COLUMNS: &'static [&'static [&'static str]] = &[];
        const COLLECTION_COLUMNS: &'static [&'static str] = &[
            <comments::post_id as __wt::diesel::Column>::NAME,
            <comments::parent_id as __wt::diesel::Column>::NAME,
        ];
        fn change_keys(
            row: &dyn __wt::ColumnTexts,
            keys: &mut __wt::ChangeKeyWriter<'_>,
        ) -> ::core::result::Result<(), __wt::UnreadableChange> {
            let __wt_k0: i64 = __wt::key_column(
                row,
                <comments::id as __wt::diesel::Column>::NAME,
            )?;
            keys.row::<Self>(&__wt_k0);
            let __wt_c0: ::core::option::Option<i64> = __wt::index_column(
                row,
                <comments::post_id as __wt::diesel::Column>::NAME,
            )?;
            if let ::core::option::Option::Some(__wt_c0) = __wt_c0 {
                keys.collection::<Self, 0usize>(&__wt_c0);
            }
            let __wt_c1: ::core::option::Option<i64> = __wt::index_column(
                row,
                <comments::parent_id as __wt::diesel::Column>::NAME,
            )?;
            if let ::core::option::Option::Some(__wt_c1) = __wt_c1 {
                keys.collection::<Self, 1usize>(&__wt_c1);
            }
            ::core::result::Result::Ok(())
        }
    }
};
