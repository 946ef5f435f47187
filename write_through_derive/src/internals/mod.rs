//! The attribute model, apart from code generation: parse, then check, then fold into a
//! [`crate::ast::Model`].

pub mod attr;
pub mod codec;
pub mod ctxt;
pub mod template;
pub mod ttl;
