//! Folds the parsed attributes of one struct into a checked [`Model`], the only input of
//! code generation. Every problem is recorded in the [`Ctxt`] with the span of its cause.

use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Type};

use crate::fingerprint::fingerprint;
use crate::internals::attr::{self, DieselAttrs};
use crate::internals::ctxt::Ctxt;
use crate::internals::template::{Segment, parse_template};

/// Everything code generation needs about one cached model.
pub struct Model {
    pub ident: Ident,
    /// The Diesel table module, e.g. `users` or `crate::schema::users`.
    pub table: Path,
    /// The primary-key fields, in Diesel's `primary_key(...)` order.
    pub key_fields: Vec<KeyField>,
    /// The template as written, for `Cached::KEY_TEMPLATE`.
    pub key_template: String,
    pub key_parts: Vec<KeyPart>,
    pub ttl_millis: u64,
    pub negative_ttl_millis: Option<u64>,
    pub backends: Vec<Backend>,
    pub fingerprint: u64,
}

pub struct KeyField {
    pub ident: Ident,
    pub ty: Type,
    pub column: Ident,
}

/// The rendered key, in order.
pub enum KeyPart {
    Literal(String),
    /// An index into `key_fields`.
    Field(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Mysql,
    Sqlite,
}

impl Model {
    /// `None` when errors were recorded.
    pub fn from_ast(cx: &Ctxt, input: &DeriveInput) -> Option<Model> {
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                _ => {
                    cx.error_spanned_by(
                        &input.ident,
                        "WriteThrough needs a struct with named fields, like a Diesel model",
                    );
                    return None;
                }
            },
            _ => {
                cx.error_spanned_by(
                    &input.ident,
                    "WriteThrough can only be derived for a struct",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "WriteThrough models cannot be generic: a cached row must be an owned, concrete type",
            );
        }
        attr::check_serde(cx, &input.attrs, false);
        for field in fields {
            attr::check_serde(cx, &field.attrs, true);
        }

        let own = attr::write_through_attrs(cx, &input.attrs);
        let diesel = attr::diesel_attrs(cx, &input.attrs);
        let key_fields = key_fields(cx, input, fields, &diesel)?;
        let (key_template, key_parts) = match &own.key {
            Some(template) => (template.value(), key_parts(cx, template, &key_fields)?),
            None => {
                cx.error_spanned_by(
                    &input.ident,
                    "missing key template: add #[write_through(key = \"...\", ttl = \"...\")], e.g. key = \"user:{id}\"",
                );
                return None;
            }
        };
        let Some(ttl_millis) = own.ttl else {
            if own.key.is_some() {
                cx.error_spanned_by(
                    &input.ident,
                    "missing TTL: add ttl = \"1h\" (or a number of seconds) to #[write_through(...)]",
                );
            }
            return None;
        };
        Some(Model {
            ident: input.ident.clone(),
            table: diesel
                .table_name
                .clone()
                .unwrap_or_else(|| inferred_table(&input.ident)),
            key_fields,
            key_template,
            key_parts,
            ttl_millis,
            negative_ttl_millis: own.negative_ttl,
            backends: backends(cx, &diesel)?,
            fingerprint: fingerprint(&input.ident.to_string(), fields),
        })
    }
}

/// The primary-key fields: Diesel's `primary_key(...)`, or the field `id` as in Diesel.
fn key_fields(
    cx: &Ctxt,
    input: &DeriveInput,
    fields: &syn::punctuated::Punctuated<syn::Field, syn::Token![,]>,
    diesel: &DieselAttrs,
) -> Option<Vec<KeyField>> {
    let names = match &diesel.primary_key {
        Some(names) => names.clone(),
        None => vec![Ident::new("id", input.ident.span())],
    };
    let mut out = Vec::with_capacity(names.len());
    for name in &names {
        let Some(field) = fields.iter().find(|f| f.ident.as_ref() == Some(name)) else {
            if diesel.primary_key.is_some() {
                cx.error_spanned_by(
                    name,
                    format!("primary key `{name}` is not a field of this struct"),
                );
            } else {
                cx.error_spanned_by(
                    &input.ident,
                    "no primary key: add a field `id` or #[diesel(primary_key(...))]",
                );
            }
            return None;
        };
        let column = attr::diesel_column_name(cx, &field.attrs).unwrap_or_else(|| name.clone());
        out.push(KeyField {
            ident: name.clone(),
            ty: field.ty.clone(),
            column,
        });
    }
    Some(out)
}

fn key_parts(cx: &Ctxt, template: &LitStr, key_fields: &[KeyField]) -> Option<Vec<KeyPart>> {
    let segments = match parse_template(&template.value()) {
        Ok(segments) => segments,
        Err(message) => {
            cx.error_spanned_by(template, message);
            return None;
        }
    };
    let mut parts = Vec::with_capacity(segments.len());
    let mut used = vec![false; key_fields.len()];
    let mut ok = true;
    for segment in segments {
        match segment {
            Segment::Literal(text) => parts.push(KeyPart::Literal(text)),
            Segment::Field(name) => match key_fields.iter().position(|f| f.ident == name) {
                Some(index) => {
                    used[index] = true;
                    parts.push(KeyPart::Field(index));
                }
                None => {
                    let keys: Vec<String> = key_fields
                        .iter()
                        .map(|f| format!("`{}`", f.ident))
                        .collect();
                    cx.error_spanned_by(
                        template,
                        format!(
                            "`{{{name}}}` in the key template is not a primary-key field; the primary key is {}",
                            keys.join(", ")
                        ),
                    );
                    ok = false;
                }
            },
        }
    }
    for (field, used) in key_fields.iter().zip(&used) {
        if !used && ok {
            cx.error_spanned_by(
                template,
                format!(
                    "the key template must use every primary-key field, or different rows would share a key: `{{{}}}` is missing",
                    field.ident
                ),
            );
            ok = false;
        }
    }
    ok.then_some(parts)
}

fn backends(cx: &Ctxt, diesel: &DieselAttrs) -> Option<Vec<Backend>> {
    let Some(paths) = &diesel.check_for_backend else {
        return Some(vec![Backend::Postgres, Backend::Mysql, Backend::Sqlite]);
    };
    let mut backends = Vec::new();
    for path in paths {
        let name = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "Pg" => backends.push(Backend::Postgres),
            "Mysql" => backends.push(Backend::Mysql),
            "Sqlite" => backends.push(Backend::Sqlite),
            _ => {
                cx.error_spanned_by(
                    path,
                    "write_through supports diesel::pg::Pg, diesel::mysql::Mysql and diesel::sqlite::Sqlite",
                );
                return None;
            }
        }
    }
    Some(backends)
}

/// Diesel's default table name: the struct name in snake case, plus `s`.
fn inferred_table(ident: &Ident) -> Path {
    let name = ident.to_string();
    let mut table = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            table.push('_');
        }
        table.extend(c.to_lowercase());
    }
    table.push('s');
    Ident::new(&table, ident.span()).into()
}
