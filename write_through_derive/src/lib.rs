//! The derive macro of [`write_through`](https://docs.rs/write_through); use it through that
//! crate's prelude (`use write_through::prelude::*`), which re-exports it.
//!
//! Its documentation, with every attribute (`key`, `ttl`, `negative_ttl`, `local`, `codec`,
//! `unique`, `version`) and an example of each, is on that re-export's page,
//! [`write_through::WriteThrough`](https://docs.rs/write_through/latest/write_through/derive.WriteThrough.html):
//! written once, beside the runtime whose behaviour it describes, and compiled there.

#![deny(missing_docs)]

mod ast;
mod check;
mod expand;
#[cfg(test)]
mod expand_snapshots;
mod fingerprint;
mod internals;
mod model;
mod unique;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use crate::ast::Model;
use crate::internals::ctxt::Ctxt;

/// Generates `save`, `find`, `find_many`, `update`, `delete` and `create` (and `find_by_<field>`,
/// `find_many_by_<field>` for each unique index) for a Diesel model cached in Redis, on both of
/// `write_through`'s fronts.
///
/// See `write_through::WriteThrough` for the attributes, each with an example, and the
/// `write_through` crate for the guarantees.
#[proc_macro_derive(WriteThrough, attributes(write_through))]
pub fn derive_write_through(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let model = Model::from_ast(&cx, input);
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand::expand(&model),
        (Err(errors), _) => {
            let mut tokens = errors.to_compile_error();
            tokens.extend(expand::fallback(input));
            tokens
        }
        (Ok(()), None) => unreachable!("a model is missing only when an error was recorded"),
    }
}
