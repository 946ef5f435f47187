//! Reading the struct as written, apart from code generation: its attributes, its key
//! template, its TTLs, its types, and the error collector. The rules are `check.rs`'s, and
//! `model.rs` folds what is read into a [`crate::ast::Model`].

pub mod attr;
pub mod codec;
pub mod ctxt;
pub mod template;
pub mod ttl;
pub mod types;
