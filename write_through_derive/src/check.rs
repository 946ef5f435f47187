//! The rules a cached model must follow, one function each. Each reports what breaks its rule
//! in the [`Ctxt`], pointing at the cause, and returns whether the rule held. They see the
//! pieces of the struct `model.rs` read and decide nothing else: which rules run, and in what
//! order (the order the user reads the errors in), is `model.rs`'s.

use syn::{Data, DeriveInput, Fields, Generics, Ident, LitStr, Path, Type};

use crate::ast::{Backend, KeyField};
use crate::internals::attr::{DieselFieldAttrs, Given};
use crate::internals::ctxt::Ctxt;
use crate::internals::template::Segment;
use crate::internals::types::{is_ident, option_inner};

/// The derive is for a struct with named fields, like a Diesel model: its fields are the
/// columns everything else refers to. Checked first and alone, since without them nothing else
/// can be read.
pub fn check_struct_with_named_fields(cx: &Ctxt, input: &DeriveInput) -> bool {
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(_) => true,
            _ => {
                cx.error_spanned_by(
                    &input.ident,
                    "WriteThrough needs a struct with named fields, like a Diesel model",
                );
                false
            }
        },
        _ => {
            cx.error_spanned_by(
                &input.ident,
                "WriteThrough can only be derived for a struct",
            );
            false
        }
    }
}

/// A model has no generic parameters (lifetimes included): a cached row must be an owned,
/// concrete type.
pub fn check_not_generic(cx: &Ctxt, generics: &Generics) -> bool {
    if generics.params.is_empty() {
        return true;
    }
    cx.error_spanned_by(
        generics,
        "WriteThrough models cannot be generic: a cached row must be an owned, concrete type",
    );
    false
}

/// Each column of `#[diesel(primary_key(...))]` is a column of the struct (a field's
/// `column_name`, or its name): the key is rendered from those fields. Only the first stray
/// name is reported.
pub fn check_primary_key_names_columns(
    cx: &Ctxt,
    primary_key: &[Ident],
    columns: &[&Ident],
) -> bool {
    let Some(name) = primary_key.iter().find(|name| !columns.contains(name)) else {
        return true;
    };
    cx.error_spanned_by(
        name,
        format!("primary key column `{name}` is not a column of this struct (a field named `{name}`, or with #[diesel(column_name = {name})])"),
    );
    false
}

/// Without `#[diesel(primary_key(...))]` Diesel's primary key is the column `id`, so the
/// struct has one.
pub fn check_id_column(cx: &Ctxt, model: &Ident, columns: &[&Ident]) -> bool {
    let id = Ident::new("id", model.span());
    if columns.contains(&&id) {
        return true;
    }
    cx.error_spanned_by(
        model,
        "no primary key: add a field `id` or #[diesel(primary_key(...))]",
    );
    false
}

/// `key = "..."` is given: every cached row is stored under the key its template renders.
pub fn check_key_given(cx: &Ctxt, model: &Ident, key: &Given<LitStr>) -> bool {
    if !key.is_absent() {
        return true;
    }
    cx.error_spanned_by(
        model,
        "missing key template: add #[write_through(key = \"...\", ttl = \"...\")], e.g. key = \"user:{id}\"",
    );
    false
}

/// The key template is well formed (`internals/template.rs` reads it and says what is wrong:
/// unbalanced braces, no fixed text first, placeholders with no `:` between them, ...).
pub fn check_key_template_reads(
    cx: &Ctxt,
    template: &LitStr,
    read: &Result<Vec<Segment>, String>,
) -> bool {
    let Err(message) = read else {
        return true;
    };
    cx.error_spanned_by(template, message);
    false
}

/// Each placeholder of the key template is a primary-key field: a key that renders any other
/// field would change when that field does, and `find` (which has only the primary key) could
/// not render it. Every stray placeholder is reported.
pub fn check_placeholders_are_key_fields(
    cx: &Ctxt,
    template: &LitStr,
    segments: &[Segment],
    key_fields: &[KeyField],
) -> bool {
    let keys: Vec<String> = key_fields
        .iter()
        .map(|f| format!("`{}`", f.ident))
        .collect();
    let mut ok = true;
    for segment in segments {
        let Segment::Field(name) = segment else {
            continue;
        };
        if !key_fields.iter().any(|f| f.ident == name) {
            cx.error_spanned_by(
                template,
                format!(
                    "`{{{name}}}` in the key template is not a primary-key field; use the primary key, {}",
                    keys.join(", ")
                ),
            );
            ok = false;
        }
    }
    ok
}

/// The key template uses every primary-key field, or rows that differ only in the one left out
/// would share a key. Only the first missing field is reported.
pub fn check_template_uses_every_key_field(
    cx: &Ctxt,
    template: &LitStr,
    segments: &[Segment],
    key_fields: &[KeyField],
) -> bool {
    let mut used = vec![false; key_fields.len()];
    for segment in segments {
        let Segment::Field(name) = segment else {
            continue;
        };
        if let Some(index) = key_fields.iter().position(|f| f.ident == name) {
            used[index] = true;
        }
    }
    let Some((field, _)) = key_fields.iter().zip(&used).find(|(_, used)| !**used) else {
        return true;
    };
    cx.error_spanned_by(
        template,
        format!(
            "the key template must use every primary-key field, or different rows would share a key: `{{{}}}` is missing",
            field.ident
        ),
    );
    false
}

/// `ttl = "..."` is given: every cached row expires, and there is no default lifetime.
pub fn check_ttl_given(cx: &Ctxt, model: &Ident, ttl: &Given<u64>) -> bool {
    if !ttl.is_absent() {
        return true;
    }
    cx.error_spanned_by(
        model,
        "missing TTL: add ttl = \"1h\" (or a number of seconds) to #[write_through(...)]",
    );
    false
}

/// At most one field is `#[write_through(version)]`: a row has one version to compare and
/// bump. `marked` are the marked fields in order; each after the first is reported.
pub fn check_at_most_one_version_field(cx: &Ctxt, marked: &[&Ident]) -> bool {
    for extra in marked.iter().skip(1) {
        cx.error_spanned_by(extra, "only one field can be #[write_through(version)]");
    }
    marked.len() <= 1
}

/// The version field is an `i16`, `i32` or `i64`, named as such: `save` compares it and sets
/// it to `version + 1` in SQL.
pub fn check_version_is_an_integer(cx: &Ctxt, ty: &Type) -> bool {
    let integer = matches!(
        ty,
        Type::Path(path) if path.qself.is_none()
            && ["i16", "i32", "i64"].iter().any(|t| path.path.is_ident(t))
    );
    if !integer {
        cx.error_spanned_by(
            ty,
            "a #[write_through(version)] field must be i16, i32 or i64",
        );
    }
    integer
}

/// The version field is not part of the primary key: it changes on every save, and a row's
/// key must not.
pub fn check_version_outside_the_key(cx: &Ctxt, version: &Ident, key_fields: &[KeyField]) -> bool {
    if !key_fields.iter().any(|k| k.ident == *version) {
        return true;
    }
    cx.error_spanned_by(
        version,
        "the version field cannot be part of the primary key",
    );
    false
}

/// The version field is a plain column (no `embed`, `serialize_as` or `deserialize_as`): the
/// generated SQL compares and sets it as one.
pub fn check_version_is_a_plain_column(
    cx: &Ctxt,
    version: &Ident,
    diesel: &DieselFieldAttrs,
) -> bool {
    if !diesel.not_a_plain_column {
        return true;
    }
    cx.error_spanned_by(
        version,
        "the version field must be a plain column (no embed, serialize_as or deserialize_as)",
    );
    false
}

/// The version field is `#[diesel(skip_update)]`: `save` sets it to `version + 1` itself, so
/// the row's `AsChangeset` must leave it alone.
pub fn check_version_skips_update(cx: &Ctxt, version: &Ident, diesel: &DieselFieldAttrs) -> bool {
    if diesel.skip_update {
        return true;
    }
    cx.error_spanned_by(
        version,
        "add #[diesel(skip_update)] to the version field: save sets it to version + 1 itself, so AsChangeset must leave it alone",
    );
    false
}

/// No two fields name one column (`#[diesel(column_name)]`): the row would write it twice, and
/// its column count would pass for a whole row. `fields` pairs each field with its column.
pub fn check_fields_name_distinct_columns(cx: &Ctxt, fields: &[(&Ident, &Ident)]) -> bool {
    let mut ok = true;
    for (at, (field, column)) in fields.iter().enumerate() {
        if let Some((first, _)) = fields[..at].iter().find(|(_, c)| c == column) {
            cx.error_spanned_by(
                field,
                format!("`{field}` and `{first}` are both the column `{column}`: give each column one field"),
            );
            ok = false;
        }
    }
    ok
}

/// `partial_save` is on a model whose fields are columns of its table: one built on a join or
/// on computed expressions (`base_query`, `select_expression`) has nothing `save` could write.
pub fn check_partial_save_writes_columns(cx: &Ctxt, at: &Path, read_only: bool) -> bool {
    if !read_only {
        return true;
    }
    cx.error_spanned_by(
        at,
        "`partial_save` needs a model whose fields are columns of its table; a model with a base_query or a select_expression field is read-only: write through Model::update with a form, or Model::create",
    );
    false
}

/// `retires(OtherModel, foreign_key = field)` names a model and a field of this one; the model's
/// rows are writable (a write reads the row it replaces, locked, which a join cannot be).
pub fn check_retires(
    cx: &Ctxt,
    retires: &crate::internals::attr::Retires,
    fields: &[&Ident],
    read_only: bool,
) -> bool {
    let mut ok = true;
    if retires.model.is_none() {
        cx.error_spanned_by(
            &retires.at,
            "name the model whose rows this one's writes retire: retires(UserWithAvatar, foreign_key = user_id)",
        );
        ok = false;
    }
    match &retires.foreign_key {
        None => {
            cx.error_spanned_by(
                &retires.at,
                "name the field holding the other model's key: retires(UserWithAvatar, foreign_key = user_id)",
            );
            ok = false;
        }
        Some(field) if !fields.contains(&field) => {
            cx.error_spanned_by(
                field,
                format!("`foreign_key = {field}` names no field of this model"),
            );
            ok = false;
        }
        Some(_) => {}
    }
    if read_only {
        cx.error_spanned_by(
            &retires.at,
            "`retires` needs a model whose fields are columns of its table; a model with a base_query or a select_expression field is read-only: put `retires` on the model of the table it joins",
        );
        ok = false;
    }
    ok
}

/// `retired_by(...)` names columns whose value is the model's key, which must then be one
/// column.
pub fn check_retired_by_names_a_single_key(cx: &Ctxt, at: &Path, key_fields: &[KeyField]) -> bool {
    if key_fields.len() == 1 {
        return true;
    }
    cx.error_spanned_by(
        at,
        "`retired_by` needs a single-column primary key: the named column's value is the key of the row it retires",
    );
    false
}

/// A model with a base query looks rows up by one column at a time (its primary key, each
/// unique index): `find_many` reads many values with `IN (...)` inside the base query, and a
/// composite lookup's `(a = ? AND b = ?) OR ...` would undo a filter of the base query (Diesel's
/// `or_filter` ORs with it). `composite` names the composite lookups (the key's fields, a
/// composite index's), each reported.
pub fn check_base_query_looks_up_single_columns(
    cx: &Ctxt,
    base_query: Option<&syn::Expr>,
    composite: &[String],
) -> bool {
    let Some(query) = base_query else {
        return true;
    };
    for lookup in composite {
        cx.error_spanned_by(
            query,
            format!("a model with a base_query looks rows up by one column: the composite {lookup} cannot be read many at a time inside the base query without undoing its filter"),
        );
    }
    composite.is_empty()
}

/// Each name in `unique(...)` is a field of the struct (`fields`), named once: the index is
/// looked up by those fields' values. Every stray or repeated name is reported.
pub fn check_group_names_distinct_fields(cx: &Ctxt, group: &[Ident], fields: &[&Ident]) -> bool {
    let mut ok = true;
    for (at, ident) in group.iter().enumerate() {
        if !fields.contains(&ident) {
            cx.error_spanned_by(ident, format!("`{ident}` is not a field of this struct"));
            ok = false;
        } else if group[..at].contains(ident) {
            cx.error_spanned_by(
                ident,
                format!("`{ident}` is named twice in this unique index"),
            );
            ok = false;
        }
    }
    ok
}

/// `unique(...)` on the struct names two fields or more: one field's index is written on the
/// field, so that each index is declared one way.
pub fn check_group_has_two_fields(cx: &Ctxt, group: &[Ident]) -> bool {
    if group.len() != 1 {
        return true;
    }
    cx.error_spanned_by(
        &group[0],
        "a unique index of one field is written #[write_through(unique)] on the field",
    );
    false
}

/// An indexed column is not a float (`f32`, `f64`, or an `Option` of one): SQL equality on
/// floats is not exact, so a lookup could miss its own row.
pub fn check_index_not_a_float(cx: &Ctxt, ty: &Type) -> bool {
    let value = option_inner(ty).unwrap_or(ty);
    if !(is_ident(value, "f32") || is_ident(value, "f64")) {
        return true;
    }
    cx.error_spanned_by(
        ty,
        "a float column cannot be a unique index: SQL equality on floats is not exact, so a lookup could miss its own row",
    );
    false
}

/// An indexed column is not an `Option` of an `Option`: an index looks a nullable column
/// (`Option<T>`) up by `&T`, one `Option` deep (a row whose column is `NULL` is in no entry).
pub fn check_index_not_a_nested_option(cx: &Ctxt, ty: &Type) -> bool {
    let value = option_inner(ty).unwrap_or(ty);
    if option_inner(value).is_none() {
        return true;
    }
    cx.error_spanned_by(ty, "a unique index column cannot be an Option of an Option");
    false
}

/// An indexed field is a plain column (no `embed`, `serialize_as` or `deserialize_as`): the
/// lookup compares one column with the field's value as it is.
pub fn check_index_is_a_plain_column(cx: &Ctxt, field: &Ident, plain_column: bool) -> bool {
    if plain_column {
        return true;
    }
    cx.error_spanned_by(
        field,
        "a unique index must be a plain column (no embed, serialize_as or deserialize_as)",
    );
    false
}

/// `newtype` marks a field written into a key (a primary-key field or a unique index's): it says
/// how to write the field there, so anywhere else it would be a promise nothing keeps.
pub fn check_newtype_is_written_into_a_key(cx: &Ctxt, newtype: &syn::Path, keyed: bool) -> bool {
    if keyed {
        return true;
    }
    cx.error_spanned_by(
        newtype,
        "`newtype` applies to a primary-key field or a unique index's field, whose key it writes",
    );
    false
}

/// A unique index is not the primary key (the same fields, in any order): `find` already looks
/// rows up by it. `at` is what the error points at.
pub fn check_index_is_not_the_primary_key(
    cx: &Ctxt,
    at: &Ident,
    fields: &[&Ident],
    key_fields: &[KeyField],
) -> bool {
    let mut fields = fields.to_vec();
    let mut key: Vec<&Ident> = key_fields.iter().map(|k| &k.ident).collect();
    fields.sort();
    key.sort();
    if fields != key {
        return true;
    }
    cx.error_spanned_by(
        at,
        "this unique index is the primary key: look rows up with `find`",
    );
    false
}

/// A unique index is declared once: its name (`email`, `owner_id_and_name`) names its
/// `find_by_` method and its Redis entries. `accepted` are the names of the indexes declared
/// before it that broke no rule.
pub fn check_index_declared_once(cx: &Ctxt, at: &Ident, name: &str, accepted: &[String]) -> bool {
    if !accepted.iter().any(|earlier| earlier == name) {
        return true;
    }
    cx.error_spanned_by(at, format!("the unique index `{name}` is declared twice"));
    false
}

/// A `collection(...)` names its parent with `by`, and every field it names is a plain column of
/// the struct that a key can hold (not a float, not an `Option` of an `Option`); each parent
/// has one collection.
pub fn check_collection(
    cx: &Ctxt,
    collection: &crate::internals::attr::CollectionAttr,
    fields: &[(&Ident, &Type, bool)],
    accepted: &[Ident],
) -> bool {
    let Some(by) = &collection.by else {
        cx.error_spanned_by(
            &collection.at,
            "name the field holding the parent's key: collection(by = crate_id)",
        );
        return false;
    };
    let mut ok = true;
    let mut named: Vec<&Ident> = vec![by];
    if let Some((order, _)) = &collection.order_by {
        named.push(order);
    }
    for (at, name) in named.into_iter().enumerate() {
        let what = if at == 0 { "by" } else { "order_by" };
        match fields.iter().find(|(ident, _, _)| *ident == name) {
            None => {
                cx.error_spanned_by(
                    name,
                    format!("`{what} = {name}` names no field of this model"),
                );
                ok = false;
            }
            Some((_, ty, plain_column)) => {
                let value = option_inner(ty).unwrap_or(ty);
                if is_ident(value, "f32") || is_ident(value, "f64") {
                    cx.error_spanned_by(
                        ty,
                        format!("a collection's `{what}` cannot be a float: SQL equality and order on floats are not exact"),
                    );
                    ok = false;
                } else if option_inner(value).is_some() {
                    cx.error_spanned_by(
                        ty,
                        format!("a collection's `{what}` cannot be an Option of an Option"),
                    );
                    ok = false;
                }
                if !plain_column {
                    cx.error_spanned_by(
                        name,
                        format!("a collection's `{what}` must be a plain column (no embed, serialize_as or deserialize_as)"),
                    );
                    ok = false;
                }
            }
        }
    }
    if ok && accepted.contains(by) {
        cx.error_spanned_by(by, format!("the collection by `{by}` is declared twice"));
        ok = false;
    }
    ok
}

/// Each backend of `#[diesel(check_for_backend(...))]` is one write_through generates queries
/// for; `backend` is what `path` was read as (by its last segment: a derive sees tokens, so a
/// type alias is not followed).
pub fn check_backend_known(cx: &Ctxt, path: &Path, backend: Option<Backend>) -> bool {
    if backend.is_some() {
        return true;
    }
    let shown = quote::quote!(#path).to_string().replace(' ', "");
    cx.error_spanned_by(
        path,
        format!("write_through does not know the backend `{shown}`; write diesel::pg::Pg, diesel::mysql::Mysql or diesel::sqlite::Sqlite (type aliases are not followed)"),
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::internals::attr::diesel_field_attrs;
    use crate::internals::template::parse_template;
    use syn::parse_quote;

    /// What a rule reports, in order; and it says it held exactly when it reported nothing.
    fn reported(rule: impl FnOnce(&Ctxt) -> bool) -> Vec<String> {
        let cx = Ctxt::new();
        let held = rule(&cx);
        let messages: Vec<String> = match cx.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        };
        assert_eq!(held, messages.is_empty(), "{messages:?}");
        messages
    }

    fn idents(names: &[&str]) -> Vec<Ident> {
        names
            .iter()
            .map(|name| Ident::new(name, proc_macro2::Span::call_site()))
            .collect()
    }

    /// A primary key of `i64` fields named as their columns.
    fn key(names: &[&str]) -> Vec<KeyField> {
        idents(names)
            .into_iter()
            .map(|ident| KeyField {
                column: ident.clone(),
                ident,
                ty: parse_quote!(i64),
                newtype: false,
            })
            .collect()
    }

    fn diesel(field: syn::Field) -> DieselFieldAttrs {
        let cx = Ctxt::new();
        let attrs = diesel_field_attrs(&cx, &field.attrs);
        cx.check().expect("Diesel's attributes read");
        attrs
    }

    #[test]
    fn the_derive_is_for_a_struct_with_named_fields() {
        let named: DeriveInput = parse_quote!(
            struct User {
                id: i64,
            }
        );
        let tuple: DeriveInput = parse_quote!(
            struct User(i64);
        );
        let unit: DeriveInput = parse_quote!(
            struct User;
        );
        let an_enum: DeriveInput = parse_quote!(
            enum User {
                A,
                B,
            }
        );
        let named_fields = "WriteThrough needs a struct with named fields, like a Diesel model";
        assert!(reported(|cx| check_struct_with_named_fields(cx, &named)).is_empty());
        assert_eq!(
            reported(|cx| check_struct_with_named_fields(cx, &tuple)),
            [named_fields]
        );
        assert_eq!(
            reported(|cx| check_struct_with_named_fields(cx, &unit)),
            [named_fields]
        );
        assert_eq!(
            reported(|cx| check_struct_with_named_fields(cx, &an_enum)),
            ["WriteThrough can only be derived for a struct"]
        );
    }

    #[test]
    fn a_model_has_no_generic_parameters_lifetimes_included() {
        let refused =
            ["WriteThrough models cannot be generic: a cached row must be an owned, concrete type"];
        let by_type: DeriveInput = parse_quote!(
            struct User<T> {
                id: T,
            }
        );
        let by_lifetime: DeriveInput = parse_quote!(
            struct User<'a> {
                name: &'a str,
            }
        );
        let concrete: DeriveInput = parse_quote!(
            struct User {
                id: i64,
            }
        );
        assert_eq!(
            reported(|cx| check_not_generic(cx, &by_type.generics)),
            refused
        );
        assert_eq!(
            reported(|cx| check_not_generic(cx, &by_lifetime.generics)),
            refused
        );
        assert!(reported(|cx| check_not_generic(cx, &concrete.generics)).is_empty());
    }

    #[test]
    fn the_primary_key_names_columns_and_only_the_first_stray_one_is_reported() {
        let columns = idents(&["id", "org"]);
        let columns: Vec<&Ident> = columns.iter().collect();
        assert!(
            reported(|cx| check_primary_key_names_columns(cx, &idents(&["org", "id"]), &columns))
                .is_empty()
        );
        assert_eq!(
            reported(|cx| check_primary_key_names_columns(
                cx,
                &idents(&["id", "nope", "zzz"]),
                &columns
            )),
            [
                "primary key column `nope` is not a column of this struct (a field named `nope`, or with #[diesel(column_name = nope)])"
            ]
        );
    }

    #[test]
    fn without_a_declared_primary_key_there_is_a_column_id() {
        let model = Ident::new("User", proc_macro2::Span::call_site());
        let with_id = idents(&["id", "name"]);
        let without = idents(&["user_id", "name"]);
        assert!(
            reported(|cx| check_id_column(cx, &model, &with_id.iter().collect::<Vec<_>>()))
                .is_empty()
        );
        assert_eq!(
            reported(|cx| check_id_column(cx, &model, &without.iter().collect::<Vec<_>>())),
            ["no primary key: add a field `id` or #[diesel(primary_key(...))]"]
        );
    }

    #[test]
    fn key_and_ttl_are_required_and_one_that_did_not_read_was_reported_by_its_parser() {
        let model = Ident::new("User", proc_macro2::Span::call_site());
        assert_eq!(
            reported(|cx| check_key_given(cx, &model, &Given::Absent)),
            [
                "missing key template: add #[write_through(key = \"...\", ttl = \"...\")], e.g. key = \"user:{id}\""
            ]
        );
        assert_eq!(
            reported(|cx| check_ttl_given(cx, &model, &Given::Absent)),
            ["missing TTL: add ttl = \"1h\" (or a number of seconds) to #[write_through(...)]"]
        );
        assert!(reported(|cx| check_key_given(cx, &model, &Given::Invalid)).is_empty());
        assert!(reported(|cx| check_ttl_given(cx, &model, &Given::Invalid)).is_empty());
        assert!(reported(|cx| check_ttl_given(cx, &model, &Given::Valid(3_600_000))).is_empty());
    }

    #[test]
    fn a_template_that_does_not_read_is_reported_with_its_reason() {
        let template: LitStr = parse_quote!("{id}");
        let read = parse_template(&template.value());
        let reason = read.clone().expect_err("no fixed text first");
        assert_eq!(
            reported(|cx| check_key_template_reads(cx, &template, &read)),
            [reason]
        );
    }

    #[test]
    fn every_placeholder_that_is_not_a_key_field_is_reported() {
        let template: LitStr = parse_quote!("user:{email}:{id}:{name}");
        let segments = parse_template(&template.value()).unwrap();
        assert_eq!(
            reported(|cx| check_placeholders_are_key_fields(
                cx,
                &template,
                &segments,
                &key(&["id", "org"])
            )),
            [
                "`{email}` in the key template is not a primary-key field; use the primary key, `id`, `org`",
                "`{name}` in the key template is not a primary-key field; use the primary key, `id`, `org`",
            ]
        );
    }

    #[test]
    fn the_template_uses_every_key_field_and_the_first_missing_one_is_reported() {
        let template: LitStr = parse_quote!("membership:{org}");
        let segments = parse_template(&template.value()).unwrap();
        assert_eq!(
            reported(|cx| check_template_uses_every_key_field(
                cx,
                &template,
                &segments,
                &key(&["org", "id", "team"])
            )),
            [
                "the key template must use every primary-key field, or different rows would share a key: `{id}` is missing"
            ]
        );
        let all: LitStr = parse_quote!("membership:{id}:{org}");
        let segments = parse_template(&all.value()).unwrap();
        assert!(
            reported(|cx| check_template_uses_every_key_field(
                cx,
                &all,
                &segments,
                &key(&["org", "id"])
            ))
            .is_empty()
        );
    }

    #[test]
    fn a_model_has_one_version_field_and_each_further_one_is_reported() {
        let marked = idents(&["version", "revision", "edition"]);
        let marked: Vec<&Ident> = marked.iter().collect();
        assert_eq!(
            reported(|cx| check_at_most_one_version_field(cx, &marked)),
            ["only one field can be #[write_through(version)]"; 2]
        );
        assert!(reported(|cx| check_at_most_one_version_field(cx, &marked[..1])).is_empty());
    }

    #[test]
    fn the_version_field_is_a_signed_integer_named_as_such() {
        for accepted in [parse_quote!(i16), parse_quote!(i32), parse_quote!(i64)] {
            assert!(reported(|cx| check_version_is_an_integer(cx, &accepted)).is_empty());
        }
        let refused: [Type; 4] = [
            parse_quote!(u64),
            parse_quote!(Option<i32>),
            parse_quote!(std::primitive::i32),
            parse_quote!(String),
        ];
        for ty in refused {
            assert_eq!(
                reported(|cx| check_version_is_an_integer(cx, &ty)),
                ["a #[write_through(version)] field must be i16, i32 or i64"]
            );
        }
    }

    #[test]
    fn the_version_field_is_not_part_of_the_key() {
        let version = Ident::new("version", proc_macro2::Span::call_site());
        assert_eq!(
            reported(|cx| check_version_outside_the_key(cx, &version, &key(&["id", "version"]))),
            ["the version field cannot be part of the primary key"]
        );
        assert!(
            reported(|cx| check_version_outside_the_key(cx, &version, &key(&["id"]))).is_empty()
        );
    }

    #[test]
    fn the_version_field_is_a_plain_column_that_changesets_skip() {
        let version = Ident::new("version", proc_macro2::Span::call_site());
        let plain_and_skipped = diesel(parse_quote!(#[diesel(skip_update)] version: i32));
        let embedded = diesel(parse_quote!(#[diesel(embed, skip_update)] version: i32));
        let updated = diesel(parse_quote!(version: i32));
        assert!(
            reported(|cx| check_version_is_a_plain_column(cx, &version, &plain_and_skipped))
                .is_empty()
        );
        assert!(
            reported(|cx| check_version_skips_update(cx, &version, &plain_and_skipped)).is_empty()
        );
        assert_eq!(
            reported(|cx| check_version_is_a_plain_column(cx, &version, &embedded)),
            ["the version field must be a plain column (no embed, serialize_as or deserialize_as)"]
        );
        assert_eq!(
            reported(|cx| check_version_skips_update(cx, &version, &updated)),
            [
                "add #[diesel(skip_update)] to the version field: save sets it to version + 1 itself, so AsChangeset must leave it alone"
            ]
        );
    }

    #[test]
    fn a_group_names_fields_each_once_and_every_stray_name_is_reported() {
        let fields = idents(&["owner_id", "name"]);
        let fields: Vec<&Ident> = fields.iter().collect();
        assert!(
            reported(|cx| check_group_names_distinct_fields(
                cx,
                &idents(&["owner_id", "name"]),
                &fields
            ))
            .is_empty()
        );
        assert_eq!(
            reported(|cx| check_group_names_distinct_fields(
                cx,
                &idents(&["owner_id", "nope", "owner_id", "nope"]),
                &fields
            )),
            [
                "`nope` is not a field of this struct",
                "`owner_id` is named twice in this unique index",
                "`nope` is not a field of this struct",
            ]
        );
    }

    #[test]
    fn a_group_of_one_field_is_written_on_the_field() {
        assert_eq!(
            reported(|cx| check_group_has_two_fields(cx, &idents(&["email"]))),
            ["a unique index of one field is written #[write_through(unique)] on the field"]
        );
        assert!(
            reported(|cx| check_group_has_two_fields(cx, &idents(&["owner_id", "name"])))
                .is_empty()
        );
    }

    #[test]
    fn an_indexed_column_is_not_a_float_nor_an_option_of_an_option() {
        let float = [
            "a float column cannot be a unique index: SQL equality on floats is not exact, so a lookup could miss its own row",
        ];
        let nested = ["a unique index column cannot be an Option of an Option"];
        let f64_: Type = parse_quote!(f64);
        let optional_f32: Type = parse_quote!(Option<f32>);
        let optional_optional: Type = parse_quote!(Option<Option<i32>>);
        let optional: Type = parse_quote!(Option<String>);
        assert_eq!(reported(|cx| check_index_not_a_float(cx, &f64_)), float);
        assert_eq!(
            reported(|cx| check_index_not_a_float(cx, &optional_f32)),
            float
        );
        assert_eq!(
            reported(|cx| check_index_not_a_nested_option(cx, &optional_optional)),
            nested
        );
        assert!(reported(|cx| check_index_not_a_float(cx, &optional)).is_empty());
        assert!(reported(|cx| check_index_not_a_nested_option(cx, &optional)).is_empty());
    }

    #[test]
    fn an_indexed_field_is_a_plain_column() {
        let field = Ident::new("links", proc_macro2::Span::call_site());
        assert_eq!(
            reported(|cx| check_index_is_a_plain_column(cx, &field, false)),
            ["a unique index must be a plain column (no embed, serialize_as or deserialize_as)"]
        );
        assert!(reported(|cx| check_index_is_a_plain_column(cx, &field, true)).is_empty());
    }

    #[test]
    fn an_index_of_the_primary_key_fields_in_any_order_is_refused() {
        let group = idents(&["id", "org"]);
        let members: Vec<&Ident> = group.iter().collect();
        assert_eq!(
            reported(|cx| check_index_is_not_the_primary_key(
                cx,
                &group[0],
                &members,
                &key(&["org", "id"])
            )),
            ["this unique index is the primary key: look rows up with `find`"]
        );
        assert!(
            reported(|cx| check_index_is_not_the_primary_key(
                cx,
                &group[0],
                &members[..1],
                &key(&["org", "id"])
            ))
            .is_empty()
        );
    }

    #[test]
    fn an_index_is_declared_once() {
        let at = Ident::new("email", proc_macro2::Span::call_site());
        let accepted = vec!["email".to_owned()];
        assert_eq!(
            reported(|cx| check_index_declared_once(cx, &at, "email", &accepted)),
            ["the unique index `email` is declared twice"]
        );
        assert!(reported(|cx| check_index_declared_once(cx, &at, "email", &[])).is_empty());
    }

    #[test]
    fn an_unknown_backend_is_shown_as_written() {
        let path: Path = parse_quote!(crate::db::Backend);
        assert_eq!(
            reported(|cx| check_backend_known(cx, &path, None)),
            [
                "write_through does not know the backend `crate::db::Backend`; write diesel::pg::Pg, diesel::mysql::Mysql or diesel::sqlite::Sqlite (type aliases are not followed)"
            ]
        );
        assert!(reported(|cx| check_backend_known(cx, &path, Some(Backend::Postgres))).is_empty());
    }

    #[test]
    fn newtype_is_only_for_a_field_written_into_a_key() {
        let newtype: syn::Path = parse_quote!(newtype);
        assert!(reported(|cx| check_newtype_is_written_into_a_key(cx, &newtype, true)).is_empty());
        assert_eq!(
            reported(|cx| check_newtype_is_written_into_a_key(cx, &newtype, false)),
            [
                "`newtype` applies to a primary-key field or a unique index's field, whose key it writes"
            ]
        );
    }
}
