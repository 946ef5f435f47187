::core::compile_error! {
    "cannot read TTL \"soon\": expected whole numbers with units ms, s, m, h or d, e.g. \"1h30m\""
}
::core::compile_error! {
    "`{email}` in the key template is not a primary-key field; use the primary key, `id`"
}
#[doc(hidden)]
const _: () = {
    impl User {
        #[allow(missing_docs, unused_variables)]
        pub fn save<__C>(
            &self,
            conn: &mut __C,
            cache: &::write_through::Cache,
        ) -> ::core::result::Result<(), ::write_through::Error> {
            ::core::unreachable!("WriteThrough failed to derive")
        }
        #[allow(missing_docs, unused_variables)]
        pub fn find<__C, __I>(
            conn: &mut __C,
            cache: &::write_through::Cache,
            id: __I,
        ) -> ::core::result::Result<
            ::core::option::Option<Self>,
            ::write_through::Error,
        > {
            ::core::unreachable!("WriteThrough failed to derive")
        }
        #[allow(missing_docs, unused_variables)]
        pub fn find_many<__C, __I>(
            conn: &mut __C,
            cache: &::write_through::Cache,
            ids: __I,
        ) -> ::core::result::Result<
            ::std::vec::Vec<::core::option::Option<Self>>,
            ::write_through::Error,
        > {
            ::core::unreachable!("WriteThrough failed to derive")
        }
        #[allow(missing_docs, unused_variables)]
        pub fn update<__C, __I, __F>(
            conn: &mut __C,
            cache: &::write_through::Cache,
            id: __I,
            changes: __F,
        ) -> ::core::result::Result<Self, ::write_through::Error> {
            ::core::unreachable!("WriteThrough failed to derive")
        }
        #[allow(missing_docs, unused_variables)]
        pub fn delete<__C, __I>(
            conn: &mut __C,
            cache: &::write_through::Cache,
            id: __I,
        ) -> ::core::result::Result<bool, ::write_through::Error> {
            ::core::unreachable!("WriteThrough failed to derive")
        }
        #[allow(missing_docs, unused_variables)]
        pub fn create<__C, __N>(
            conn: &mut __C,
            cache: &::write_through::Cache,
            new: __N,
        ) -> ::core::result::Result<Self, ::write_through::Error> {
            ::core::unreachable!("WriteThrough failed to derive")
        }
    }
};
