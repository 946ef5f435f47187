//! The unique indexes of a model (`#[write_through(unique)]` on a field,
//! `#[write_through(unique(a, b))]` on the struct), folded and checked: what `find_by_<name>`
//! is generated from.

use syn::{GenericArgument, Ident, PathArguments, Type};

use crate::ast::{Index, IndexField, KeyField};
use crate::internals::ctxt::Ctxt;

/// A field as the index check sees it.
pub struct Candidate<'a> {
    pub ident: &'a Ident,
    pub column: &'a Ident,
    pub ty: &'a Type,
    pub unique: Option<&'a syn::Path>,
    pub plain_column: bool,
}

/// The indexes in declaration order: each field marked `unique`, then each `unique(...)` group.
pub fn indexes(
    cx: &Ctxt,
    fields: &[Candidate<'_>],
    groups: &[Vec<Ident>],
    key_fields: &[KeyField],
) -> Option<Vec<Index>> {
    let mut out = Vec::new();
    let mut ok = true;
    // Each request, with what an error about it points at.
    let mut requested: Vec<(Vec<&Candidate<'_>>, &Ident)> = Vec::new();
    for field in fields {
        if field.unique.is_some() {
            requested.push((vec![field], field.ident));
        }
    }
    for group in groups {
        let mut members = Vec::new();
        for ident in group {
            match fields.iter().find(|f| f.ident == ident) {
                Some(_) if members.iter().any(|m: &&Candidate<'_>| m.ident == ident) => {
                    cx.error_spanned_by(
                        ident,
                        format!("`{ident}` is named twice in this unique index"),
                    );
                    ok = false;
                }
                Some(field) => members.push(field),
                None => {
                    cx.error_spanned_by(ident, format!("`{ident}` is not a field of this struct"));
                    ok = false;
                }
            }
        }
        if group.len() == 1 {
            cx.error_spanned_by(
                &group[0],
                "a unique index of one field is written #[write_through(unique)] on the field",
            );
            ok = false;
        } else if members.len() == group.len() {
            requested.push((members, &group[0]));
        }
    }
    for (members, at) in requested {
        let mut fields_ok = true;
        for member in &members {
            fields_ok &= check_field(cx, member);
        }
        let mut idents: Vec<&Ident> = members.iter().map(|m| m.ident).collect();
        let mut key: Vec<&Ident> = key_fields.iter().map(|k| &k.ident).collect();
        idents.sort();
        key.sort();
        if idents == key {
            cx.error_spanned_by(
                at,
                "this unique index is the primary key: look rows up with `find`",
            );
            fields_ok = false;
        }
        let name = members
            .iter()
            .map(|m| m.ident.to_string())
            .collect::<Vec<_>>()
            .join("_and_");
        if out.iter().any(|index: &Index| index.name == name) {
            cx.error_spanned_by(at, format!("the unique index `{name}` is declared twice"));
            fields_ok = false;
        }
        if !fields_ok {
            ok = false;
            continue;
        }
        out.push(Index {
            name,
            fields: members
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
                    }
                })
                .collect(),
        });
    }
    ok.then_some(out)
}

/// What can be indexed: a plain column of a type with an exact equality in SQL.
fn check_field(cx: &Ctxt, field: &Candidate<'_>) -> bool {
    let ty = option_inner(field.ty).unwrap_or(field.ty);
    if is_ident(ty, "f32") || is_ident(ty, "f64") {
        cx.error_spanned_by(
            field.ty,
            "a float column cannot be a unique index: SQL equality on floats is not exact, so a lookup could miss its own row",
        );
        return false;
    }
    if option_inner(ty).is_some() {
        cx.error_spanned_by(
            field.ty,
            "a unique index column cannot be an Option of an Option",
        );
        return false;
    }
    if !field.plain_column {
        cx.error_spanned_by(
            field.ident,
            "a unique index must be a plain column (no embed, serialize_as or deserialize_as)",
        );
        return false;
    }
    true
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == name && s.arguments.is_none()))
}

/// `T` for `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}
