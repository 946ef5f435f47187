//! The unique indexes of a model (`#[write_through(unique)]` on a field,
//! `#[write_through(unique(a, b))]` on the struct): read from the attributes, and built into
//! what `find_by_<name>` is generated from. Their rules are in `check.rs`.

use syn::ext::IdentExt;
use syn::{Ident, Type};

use crate::ast::{Index, IndexField};
use crate::internals::types::{is_ident, option_inner};

/// A field as the indexes see it.
pub struct Candidate<'a> {
    pub ident: &'a Ident,
    pub column: &'a Ident,
    pub ty: &'a Type,
    pub unique: Option<&'a syn::Path>,
    pub plain_column: bool,
    /// `#[write_through(newtype)]`: keyed by the type's one field.
    pub newtype: bool,
}

/// One index as declared, before its rules are checked.
pub struct Request<'a> {
    pub members: Vec<&'a Candidate<'a>>,
    /// What an error about it points at: the field, or the group's first name.
    pub at: &'a Ident,
}

impl Request<'_> {
    /// `email`, or `owner_id_and_name` for a composite index: the suffix of `find_by_`. A raw
    /// identifier (`r#type`) is named without its `r#`, which cannot be part of another name.
    pub fn name(&self) -> String {
        self.members
            .iter()
            .map(|m| m.ident.unraw().to_string())
            .collect::<Vec<_>>()
            .join("_and_")
    }
}

/// The indexes requested, in declaration order: each field marked `unique`, then each
/// `unique(...)` group that names two or more fields, each a field of the struct and named once
/// (`check.rs` reports the other groups).
pub fn requested<'a>(fields: &'a [Candidate<'a>], groups: &'a [Vec<Ident>]) -> Vec<Request<'a>> {
    let mut requested = Vec::new();
    for field in fields {
        if field.unique.is_some() {
            requested.push(Request {
                members: vec![field],
                at: field.ident,
            });
        }
    }
    for group in groups {
        let mut members = Vec::new();
        for ident in group {
            match fields.iter().find(|f| f.ident == ident) {
                Some(_) if members.iter().any(|m: &&Candidate<'_>| m.ident == ident) => {}
                Some(field) => members.push(field),
                None => {}
            }
        }
        if group.len() != 1 && members.len() == group.len() {
            requested.push(Request {
                members,
                at: &group[0],
            });
        }
    }
    requested
}

/// The index `request` declares, once its rules held.
pub fn index(request: &Request<'_>) -> Index {
    Index {
        name: request.name(),
        fields: request
            .members
            .iter()
            .map(|m| {
                let (ty, nullable) = match option_inner(m.ty) {
                    Some(inner) => (inner.clone(), true),
                    None => (m.ty.clone(), false),
                };
                IndexField {
                    ident: m.ident.clone(),
                    column: m.column.clone(),
                    string: is_ident(&ty, "String"),
                    ty,
                    nullable,
                    newtype: m.newtype,
                }
            })
            .collect(),
    }
}
