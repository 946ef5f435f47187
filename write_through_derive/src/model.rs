//! Folds the parsed attributes of one struct into a checked [`Model`] (`ast.rs`), the only
//! input of code generation. Every problem is recorded in the [`Ctxt`] with the span of its cause.

use syn::{Data, DeriveInput, Field, Fields, Ident, LitStr, Path, Type};

use crate::ast::{Backend, KeyField, KeyPart, Model, VersionField};
use crate::fingerprint::fingerprint;
use crate::internals::attr::{self, DieselAttrs, DieselFieldAttrs, Given};
use crate::internals::codec::{self, Codec};
use crate::internals::ctxt::Ctxt;
use crate::internals::template::{Segment, parse_template};
use crate::unique::{self, Candidate};

impl Model {
    /// `None` when errors were recorded. Checks as much as it can before giving up, so that
    /// one compile reports every mistake.
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
        let own = attr::write_through_attrs(cx, &input.attrs);
        let all_fields: Vec<&Field> = fields.iter().collect();
        let codec = match own.codec {
            Given::Valid(codec) => codec,
            _ => codec::choose(&all_fields, &input.attrs),
        };
        attr::check_serde(cx, &input.attrs, false, codec);
        let columns: Vec<Column> = fields
            .iter()
            .map(|field| Column::of(cx, field, codec))
            .collect();

        let diesel = attr::diesel_attrs(cx, &input.attrs);
        let key_fields = key_fields(cx, input, &columns, &diesel);
        let key_parts = match (&own.key, &key_fields) {
            (Given::Valid(template), Some(key_fields)) => key_parts(cx, template, key_fields),
            (Given::Absent, _) => {
                cx.error_spanned_by(
                    &input.ident,
                    "missing key template: add #[write_through(key = \"...\", ttl = \"...\")], e.g. key = \"user:{id}\"",
                );
                None
            }
            _ => None,
        };
        if own.ttl.is_absent() {
            cx.error_spanned_by(
                &input.ident,
                "missing TTL: add ttl = \"1h\" (or a number of seconds) to #[write_through(...)]",
            );
        }
        let version = version_field(cx, &columns, key_fields.as_deref().unwrap_or_default());
        let candidates: Vec<Candidate<'_>> = columns
            .iter()
            .map(|c| Candidate {
                ident: &c.ident,
                column: &c.column,
                ty: &c.field.ty,
                unique: c.unique.as_ref(),
                plain_column: !c.diesel.not_a_plain_column,
            })
            .collect();
        let indexes = unique::indexes(
            cx,
            &candidates,
            &own.unique,
            key_fields.as_deref().unwrap_or_default(),
        );
        let backends = backends(cx, &diesel);
        Some(Model {
            ident: input.ident.clone(),
            table: diesel
                .table_name
                .clone()
                .unwrap_or_else(|| inferred_table(&input.ident)),
            key_fields: key_fields?,
            key_template: own.key.valid()?.value(),
            key_parts: key_parts?,
            ttl_millis: *own.ttl.valid()?,
            negative_ttl_millis: match own.negative_ttl {
                Given::Absent => None,
                Given::Invalid => return None,
                Given::Valid(millis) => Some(millis),
            },
            local_ttl_millis: match own.local {
                Given::Absent => None,
                Given::Invalid => return None,
                Given::Valid(millis) => Some(millis),
            },
            version: version?,
            backends: backends?,
            fingerprint: fingerprint(&input.ident.to_string(), fields),
            codec,
            indexes: indexes?,
        })
    }
}

/// A field with the attributes that concern the cache.
struct Column<'a> {
    field: &'a Field,
    ident: Ident,
    /// The column name: `#[diesel(column_name)]`, or the field's name.
    column: Ident,
    diesel: DieselFieldAttrs,
    is_version: bool,
    /// `#[write_through(unique)]`.
    unique: Option<syn::Path>,
}

impl<'a> Column<'a> {
    fn of(cx: &Ctxt, field: &'a Field, codec: Codec) -> Self {
        attr::check_serde(cx, &field.attrs, true, codec);
        let ident = field.ident.clone().expect("named field");
        let diesel = attr::diesel_field_attrs(cx, &field.attrs);
        let own = attr::field_attrs(cx, &field.attrs);
        Column {
            field,
            column: diesel.column_name.clone().unwrap_or_else(|| ident.clone()),
            ident,
            is_version: own.version,
            unique: own.unique,
            diesel,
        }
    }
}

/// The primary-key fields. Diesel's `primary_key(...)` names columns (a field's
/// `column_name`, or its name); without it the key is the column `id`.
fn key_fields(
    cx: &Ctxt,
    input: &DeriveInput,
    columns: &[Column<'_>],
    diesel: &DieselAttrs,
) -> Option<Vec<KeyField>> {
    let names = match &diesel.primary_key {
        Some(names) => names.clone(),
        None => vec![Ident::new("id", input.ident.span())],
    };
    let mut out = Vec::with_capacity(names.len());
    for name in &names {
        let Some(column) = columns.iter().find(|c| c.column == *name) else {
            if diesel.primary_key.is_some() {
                cx.error_spanned_by(
                    name,
                    format!("primary key column `{name}` is not a column of this struct (a field named `{name}`, or with #[diesel(column_name = {name})])"),
                );
            } else {
                cx.error_spanned_by(
                    &input.ident,
                    "no primary key: add a field `id` or #[diesel(primary_key(...))]",
                );
            }
            return None;
        };
        out.push(KeyField {
            ident: column.ident.clone(),
            ty: column.field.ty.clone(),
            column: column.column.clone(),
        });
    }
    Some(out)
}

/// `#[write_through(version)]`: at most one, an integer, not part of the key, and skipped by
/// `AsChangeset` (the derive sets it to `version + 1` itself). `Some(None)` when there is none.
fn version_field(
    cx: &Ctxt,
    columns: &[Column<'_>],
    key_fields: &[KeyField],
) -> Option<Option<VersionField>> {
    let mut marked = columns.iter().filter(|c| c.is_version);
    let Some(version) = marked.next() else {
        return Some(None);
    };
    let mut ok = true;
    for extra in marked {
        cx.error_spanned_by(
            &extra.ident,
            "only one field can be #[write_through(version)]",
        );
        ok = false;
    }
    let integer = matches!(
        &version.field.ty,
        Type::Path(path) if path.qself.is_none()
            && ["i16", "i32", "i64"].iter().any(|t| path.path.is_ident(t))
    );
    if !integer {
        cx.error_spanned_by(
            &version.field.ty,
            "a #[write_through(version)] field must be i16, i32 or i64",
        );
        ok = false;
    }
    if key_fields.iter().any(|k| k.ident == version.ident) {
        cx.error_spanned_by(
            &version.ident,
            "the version field cannot be part of the primary key",
        );
        ok = false;
    }
    if version.diesel.not_a_plain_column {
        cx.error_spanned_by(
            &version.ident,
            "the version field must be a plain column (no embed, serialize_as or deserialize_as)",
        );
        ok = false;
    }
    if !version.diesel.skip_update {
        cx.error_spanned_by(
            &version.ident,
            "add #[diesel(skip_update)] to the version field: save sets it to version + 1 itself, so AsChangeset must leave it alone",
        );
        ok = false;
    }
    ok.then(|| {
        Some(VersionField {
            ident: version.ident.clone(),
            column: version.column.clone(),
        })
    })
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
    let keys: Vec<String> = key_fields
        .iter()
        .map(|f| format!("`{}`", f.ident))
        .collect();
    for segment in segments {
        match segment {
            Segment::Literal(text) => parts.push(KeyPart::Literal(text)),
            Segment::Field(name) => match key_fields.iter().position(|f| f.ident == name) {
                Some(index) => {
                    used[index] = true;
                    parts.push(KeyPart::Field(index));
                }
                None => {
                    cx.error_spanned_by(
                        template,
                        format!(
                            "`{{{name}}}` in the key template is not a primary-key field; use the primary key, {}",
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
    let mut ok = true;
    for path in paths {
        let name = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let backend = match name.as_str() {
            "Pg" => Backend::Postgres,
            "Mysql" => Backend::Mysql,
            "Sqlite" => Backend::Sqlite,
            _ => {
                let shown = quote::quote!(#path).to_string().replace(' ', "");
                cx.error_spanned_by(
                    path,
                    format!("write_through does not know the backend `{shown}`; write diesel::pg::Pg, diesel::mysql::Mysql or diesel::sqlite::Sqlite (type aliases are not followed)"),
                );
                ok = false;
                continue;
            }
        };
        // Diesel accepts a backend named twice; the impls must still be emitted once.
        if !backends.contains(&backend) {
            backends.push(backend);
        }
    }
    ok.then_some(backends)
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
