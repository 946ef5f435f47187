//! The blocking or the async flavour of the generated queries: the same statements, awaited
//! or not, through Diesel's or diesel-async's traits.

use proc_macro2::TokenStream;
use quote::quote;

/// The blocking or the async flavour of a backend's queries: the same statements, awaited or
/// not, through Diesel's or diesel-async's `RunQueryDsl`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Blocking,
    Async,
}

impl Flavor {
    /// What follows a call that runs a query.
    pub fn aw(self) -> TokenStream {
        match self {
            Flavor::Blocking => quote!(),
            Flavor::Async => quote!(.await),
        }
    }

    /// The `use` lines a query body needs: the query builder's traits, but not `RunQueryDsl`,
    /// whose methods are called by path ([`Flavor::run`]) so that a user's own import of the
    /// other flavour's `RunQueryDsl` cannot make them ambiguous.
    pub fn uses(self) -> TokenStream {
        quote! {
            use __wt::diesel::prelude::{
                BoolExpressionMethods as _, ExpressionMethods as _, OptionalExtension as _, QueryDsl as _,
            };
        }
    }

    /// The trait whose methods run a query.
    pub fn run(self) -> TokenStream {
        match self {
            Flavor::Blocking => quote!(__wt::diesel::RunQueryDsl),
            Flavor::Async => quote!(__wt::diesel_async::RunQueryDsl),
        }
    }

    /// The trait of the model's queries.
    pub fn ops(self) -> TokenStream {
        match self {
            Flavor::Blocking => quote!(__wt::DieselOps),
            Flavor::Async => quote!(__wt::AsyncDieselOps),
        }
    }

    /// The connection bound of a query.
    pub fn conn(self, db: &TokenStream) -> TokenStream {
        match self {
            Flavor::Blocking => {
                quote!(__wt::diesel::Connection<Backend = #db> + __wt::diesel::connection::LoadConnection)
            }
            Flavor::Async => quote!(__wt::diesel_async::AsyncConnection<Backend = #db>),
        }
    }

    /// The return type of a query yielding `output`.
    pub fn returns(self, output: TokenStream) -> TokenStream {
        match self {
            Flavor::Blocking => output,
            Flavor::Async => {
                quote!(impl ::core::future::Future<Output = #output> + ::core::marker::Send)
            }
        }
    }

    /// A query body yielding the return type above.
    pub fn body(self, body: TokenStream) -> TokenStream {
        match self {
            Flavor::Blocking => body,
            Flavor::Async => quote!(async move { #body }),
        }
    }

    /// The gate around the flavour's impls, inside the backend's.
    pub fn gate(self, items: TokenStream) -> TokenStream {
        match self {
            Flavor::Blocking => items,
            Flavor::Async => quote!(__wt::if_async! { #items }),
        }
    }
}
