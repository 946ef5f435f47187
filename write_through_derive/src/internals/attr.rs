//! Reading the attributes the derive cares about: its own `#[write_through(...)]`, Diesel's
//! `#[diesel(...)]` (so nothing is said twice), and `#[serde(...)]` (to refuse what bincode
//! would silently lose).

use proc_macro2::TokenTree;
use quote::format_ident;
use syn::meta::ParseNestedMeta;
use syn::{
    Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitBool, LitStr, Path, Token, Type, TypePath,
    UnOp,
};

use super::codec::Codec;
use super::ctxt::Ctxt;
use super::ttl::{parse_ttl, ttl_from_seconds};

/// One option as written: absent, written but invalid (already reported), or valid.
#[derive(Default)]
pub enum Given<T> {
    #[default]
    Absent,
    Invalid,
    Valid(T),
}

impl<T> Given<T> {
    pub fn valid(&self) -> Option<&T> {
        match self {
            Given::Valid(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Given::Absent)
    }
}

/// `#[write_through(key = "...", ttl = "...", negative_ttl = "...")]` on the struct.
#[derive(Default)]
pub struct WriteThroughAttrs {
    pub key: Given<LitStr>,
    /// Milliseconds.
    pub ttl: Given<u64>,
    /// Milliseconds.
    pub negative_ttl: Given<u64>,
    /// `local = "5s"`: how long the in-process tier may serve a row (milliseconds).
    pub local: Given<u64>,
    /// `codec = "bincode"` or `"msgpack"`: overrides the derive's choice.
    pub codec: Given<Codec>,
    /// `unique(a, b)`, once per composite unique index: the fields, in order.
    pub unique: Vec<Vec<Ident>>,
    /// `partial_save`: the model selects some of its table's columns, and `save` writes those
    /// (the others keep their value, or take their default in an insert).
    pub partial_save: Option<Path>,
    /// `retired_by(other_table::column, ...)`: columns of other tables (those a join model
    /// reads) whose value is this model's key, so that the change feed retires the row when one
    /// of their rows changes.
    pub retired_by: Vec<Path>,
    /// `retires(OtherModel, foreign_key = field)`, once per model: this model's writes retire
    /// the row of `OtherModel` whose key is the field's value.
    pub retires: Vec<Retires>,
    /// `collection(by = parent_id, order_by = num.desc(), max = 500)`, once per collection.
    pub collections: Vec<CollectionAttr>,
}

/// One `collection(by = field, order_by = field[.asc()|.desc()], max = N)`, as written.
pub struct CollectionAttr {
    /// The attribute's `collection`, for errors about it as a whole.
    pub at: Path,
    pub by: Option<Ident>,
    /// The field, and whether the order is descending.
    pub order_by: Option<(Ident, bool)>,
    /// The cap, with its literal for errors.
    pub max: Option<(syn::LitInt, u64)>,
}

/// One `retires(OtherModel, foreign_key = field)`, as written.
pub struct Retires {
    /// The attribute's `retires`, for errors about it as a whole.
    pub at: Path,
    pub model: Option<Path>,
    pub foreign_key: Option<Ident>,
}

pub fn write_through_attrs(cx: &Ctxt, attrs: &[Attribute]) -> WriteThroughAttrs {
    let mut out = WriteThroughAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("write_through")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("key") {
                let template = meta.value().and_then(|value| value.parse::<LitStr>());
                set_once(cx, &meta, &mut out.key, template.map_err(|e| cx.syn_error(e)).ok());
            } else if meta.path.is_ident("ttl") {
                let ttl = ttl_value(cx, &meta)?;
                set_once(cx, &meta, &mut out.ttl, ttl);
            } else if meta.path.is_ident("negative_ttl") {
                let ttl = ttl_value(cx, &meta)?;
                set_once(cx, &meta, &mut out.negative_ttl, ttl);
            } else if meta.path.is_ident("local") {
                let ttl = ttl_value(cx, &meta)?;
                set_once(cx, &meta, &mut out.local, ttl);
            } else if meta.path.is_ident("codec") {
                let name: LitStr = meta.value()?.parse()?;
                let codec = Codec::from_name(&name.value());
                if codec.is_none() {
                    cx.error_spanned_by(
                        &name,
                        "unknown codec; expected \"bincode\" or \"msgpack\"",
                    );
                }
                set_once(cx, &meta, &mut out.codec, codec);
            } else if meta.path.is_ident("partial_save") {
                if out.partial_save.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate write_through attribute `partial_save`");
                }
                out.partial_save = Some(meta.path.clone());
            } else if meta.path.is_ident("retired_by") {
                meta.parse_nested_meta(|column| {
                    if column.path.segments.len() < 2 {
                        cx.error_spanned_by(
                            &column.path,
                            "name a column with its table: retired_by(oauth_github::user_id)",
                        );
                    } else {
                        out.retired_by.push(column.path.clone());
                    }
                    Ok(())
                })?;
            } else if meta.path.is_ident("retires") {
                let mut retires = Retires {
                    at: meta.path.clone(),
                    model: None,
                    foreign_key: None,
                };
                meta.parse_nested_meta(|part| {
                    if part.path.is_ident("foreign_key") {
                        let field: Ident = part.value()?.parse()?;
                        if retires.foreign_key.replace(field).is_some() {
                            cx.error_spanned_by(&part.path, "duplicate `foreign_key`");
                        }
                    } else if part.input.peek(Token![=]) {
                        cx.error_spanned_by(
                            &part.path,
                            "expected the model and its key's field: retires(UserWithAvatar, foreign_key = user_id)",
                        );
                        skip_value(&part)?;
                    } else if retires.model.replace(part.path.clone()).is_some() {
                        cx.error_spanned_by(
                            &part.path,
                            "one model per `retires(...)`; write one `retires` for each",
                        );
                    }
                    Ok(())
                })?;
                out.retires.push(retires);
            } else if meta.path.is_ident("collection") {
                out.collections.push(collection_attr(cx, &meta)?);
            } else if meta.path.is_ident("unique") {
                let mut fields = Vec::new();
                if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
                    cx.error_spanned_by(
                        &meta.path,
                        "name the fields of a composite unique index: unique(owner_id, name); for one field, put #[write_through(unique)] on the field",
                    );
                    return Ok(());
                }
                meta.parse_nested_meta(|field| {
                    match field.path.get_ident() {
                        Some(ident) => fields.push(ident.clone()),
                        None => cx.error_spanned_by(&field.path, "expected a field name"),
                    }
                    Ok(())
                })?;
                out.unique.push(fields);
            } else {
                let name = meta.path.to_token_stream_string();
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown write_through attribute `{name}`; expected `key`, `ttl`, `negative_ttl`, `local`, `codec`, `unique(...)`, `collection(...)`, `partial_save`, `retired_by(...)` or `retires(...)`"
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    out
}

/// `#[write_through(version)]`, `#[write_through(unique)]` and `#[write_through(newtype)]` on a
/// field.
#[derive(Default)]
pub struct FieldAttrs {
    pub version: bool,
    /// `unique`, with the path for error spans.
    pub unique: Option<syn::Path>,
    /// `newtype`: the field's type is a tuple struct of one field (`PersonId(pub i32)`), keyed
    /// by that field; with the path for error spans.
    pub newtype: Option<syn::Path>,
    /// `with = "module"`: the field is cached through `module::serialize` and
    /// `module::deserialize` (serde's `with`, for a model without a serde derive).
    pub with: Option<syn::ExprPath>,
}

pub fn field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("write_through")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("version") {
                if out.version {
                    cx.error_spanned_by(&meta.path, "duplicate write_through attribute `version`");
                }
                out.version = true;
            } else if meta.path.is_ident("unique") {
                if out.unique.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate write_through attribute `unique`");
                }
                out.unique = Some(meta.path.clone());
            } else if meta.path.is_ident("with") {
                if out.with.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate write_through attribute `with`");
                }
                out.with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
            } else if meta.path.is_ident("newtype") {
                if out.newtype.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate write_through attribute `newtype`");
                }
                out.newtype = Some(meta.path.clone());
            } else {
                let name = meta.path.to_token_stream_string();
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown write_through field attribute `{name}`; expected `version`, `unique`, `newtype` or `with`"
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    out
}

/// Records an option; a second occurrence is an error, whether or not the first was valid.
/// `collection(by = crate_id, order_by = num.desc(), max = 500)`: read, not checked (the
/// fields it names are checked against the struct in `check.rs`).
fn collection_attr(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<CollectionAttr> {
    let mut out = CollectionAttr {
        at: meta.path.clone(),
        by: None,
        order_by: None,
        max: None,
    };
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(out);
    }
    meta.parse_nested_meta(|part| {
        if part.path.is_ident("by") {
            let field: Ident = part.value()?.parse()?;
            if out.by.replace(field).is_some() {
                cx.error_spanned_by(&part.path, "duplicate `by`");
            }
        } else if part.path.is_ident("order_by") {
            let expr: Expr = part.value()?.parse()?;
            match order_field(&expr) {
                Some(order) => {
                    if out.order_by.replace(order).is_some() {
                        cx.error_spanned_by(&part.path, "duplicate `order_by`");
                    }
                }
                None => cx.error_spanned_by(
                    &expr,
                    "expected a field, or a field with `.asc()` or `.desc()`: order_by = num.desc()",
                ),
            }
        } else if part.path.is_ident("max") {
            let literal: syn::LitInt = part.value()?.parse()?;
            match literal.base10_parse::<u64>() {
                Ok(max) if max > 0 => {
                    if out.max.replace((literal, max)).is_some() {
                        cx.error_spanned_by(&part.path, "duplicate `max`");
                    }
                }
                _ => cx.error_spanned_by(&literal, "`max` is the most rows a cached collection holds: a whole number above 0"),
            }
        } else {
            cx.error_spanned_by(
                &part.path,
                "expected `by`, `order_by` or `max`: collection(by = crate_id, order_by = num.desc(), max = 500)",
            );
            skip_value(&part)?;
        }
        Ok(())
    })?;
    Ok(out)
}

/// `num`, `num.asc()` or `num.desc()`: the field, and whether descending.
fn order_field(expr: &Expr) -> Option<(Ident, bool)> {
    match expr {
        Expr::Path(path) => Some((path.path.get_ident()?.clone(), false)),
        Expr::MethodCall(call) if call.args.is_empty() && call.turbofish.is_none() => {
            let Expr::Path(receiver) = &*call.receiver else {
                return None;
            };
            let field = receiver.path.get_ident()?.clone();
            match call.method.to_string().as_str() {
                "asc" => Some((field, false)),
                "desc" => Some((field, true)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta<'_>, slot: &mut Given<T>, value: Option<T>) {
    if !slot.is_absent() {
        let name = meta.path.to_token_stream_string();
        cx.error_spanned_by(
            &meta.path,
            format!("duplicate write_through attribute `{name}`"),
        );
        return;
    }
    *slot = match value {
        Some(value) => Given::Valid(value),
        None => Given::Invalid,
    };
}

/// A TTL given as `"1h"` or as a number of seconds; errors are recorded, not returned, so that
/// the rest of the attribute is still checked.
fn ttl_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<u64>> {
    let expr: Expr = meta.value()?.parse()?;
    let parsed = match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) => parse_ttl(&text.value()),
        Expr::Lit(ExprLit {
            lit: Lit::Int(seconds),
            ..
        }) => match seconds.base10_parse::<u64>() {
            Ok(seconds) => ttl_from_seconds(seconds),
            Err(_) => Err("TTL is too large".to_owned()),
        },
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_), ..
        }) => Err("a TTL cannot be negative".into()),
        _ => Err("a TTL is a string such as \"1h\" or a whole number of seconds".into()),
    };
    match parsed {
        Ok(millis) => Ok(Some(millis)),
        Err(message) => {
            cx.error_spanned_by(&expr, message);
            Ok(None)
        }
    }
}

/// Diesel's attributes on the struct, as far as the cache needs them.
#[derive(Default)]
pub struct DieselAttrs {
    pub table_name: Option<Path>,
    pub primary_key: Option<Vec<Ident>>,
    /// `None` when absent or `check_for_backend(disable = true)`: every enabled backend.
    pub check_for_backend: Option<Vec<Path>>,
    /// `base_query = ...` (`HasQuery`): the query the model's rows are read from.
    pub base_query: Option<Expr>,
}

/// Reads `#[diesel(...)]` on the struct with Diesel 2.3's own grammar: each option's value is
/// parsed as what Diesel parses it as (a path, a type, an expression, a bool, a parenthesised
/// list), so that every model Diesel accepts is accepted here. Options the cache does not need
/// are read and ignored; an option Diesel does not know is left for Diesel to report.
pub fn diesel_attrs(cx: &Ctxt, attrs: &[Attribute]) -> DieselAttrs {
    let mut out = DieselAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("diesel")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta.path.to_token_stream_string();
            match name.as_str() {
                "table_name" => out.table_name = Some(meta.value()?.parse()?),
                "primary_key" => {
                    let mut columns = Vec::new();
                    meta.parse_nested_meta(|column| {
                        columns.push(column.path.require_ident()?.clone());
                        Ok(())
                    })?;
                    out.primary_key = Some(columns);
                }
                "check_for_backend" => {
                    let mut backends = Vec::new();
                    let mut disabled = false;
                    meta.parse_nested_meta(|backend| {
                        if backend.path.is_ident("disable") {
                            // `disable = true`: Diesel checks no backend, so none is singled out.
                            backend.value()?.parse::<LitBool>()?;
                            disabled = true;
                        } else {
                            backends.push(backend.path.clone());
                        }
                        Ok(())
                    })?;
                    out.check_for_backend = (!disabled).then_some(backends);
                }
                "aggregate" | "not_sized" | "foreign_derive" => {}
                "sql_type" => {
                    meta.value()?.parse::<TypePath>()?;
                }
                "base_query_type" => {
                    meta.value()?.parse::<Type>()?;
                }
                "base_query" => out.base_query = Some(meta.value()?.parse::<Expr>()?),
                "treat_none_as_default_value" | "treat_none_as_null" => {
                    meta.value()?.parse::<LitBool>()?;
                }
                "belongs_to" | "mysql_type" | "sqlite_type" | "postgres_type" => {
                    let _group: proc_macro2::Group = meta.input.parse()?;
                }
                // Not an option of Diesel 2.3: Diesel's own derives report it.
                _ => skip_value(&meta)?,
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    out
}

/// Diesel's attributes on a field, as far as the cache needs them.
#[derive(Default)]
pub struct DieselFieldAttrs {
    /// `#[diesel(column_name = ...)]`.
    pub column_name: Option<Ident>,
    /// `#[diesel(skip_update)]`: `AsChangeset` leaves this column alone.
    pub skip_update: bool,
    /// `#[diesel(skip_insertion)]`: `Insertable` leaves this column to the database.
    pub skip_insertion: bool,
    /// `#[diesel(embed)]`, `serialize_as`, `deserialize_as` or `select_expression`: the field
    /// is not one plain column.
    pub not_a_plain_column: bool,
    /// `#[diesel(select_expression = ...)]`: the field is computed, not a column of the table.
    pub select_expression: bool,
}

/// Reads `#[diesel(...)]` on a field with Diesel 2.3's grammar (see [`diesel_attrs`]).
pub fn diesel_field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> DieselFieldAttrs {
    let mut out = DieselFieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("diesel")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta.path.to_token_stream_string();
            match name.as_str() {
                "column_name" => {
                    let value = meta.value()?;
                    out.column_name = Some(if value.peek(LitStr) {
                        let name: LitStr = value.parse()?;
                        Ident::new(&name.value(), name.span())
                    } else {
                        value.parse()?
                    });
                }
                "skip_update" => out.skip_update = true,
                "skip_insertion" => out.skip_insertion = true,
                "embed" => out.not_a_plain_column = true,
                "serialize_as" => {
                    // Diesel then implements `Insertable` and `AsChangeset` for the owned struct
                    // only; `save` writes a borrowed row, so the model could never be saved.
                    cx.error_spanned_by(
                        &meta.path,
                        "`serialize_as` cannot be used with WriteThrough: Diesel then implements Insertable and AsChangeset only for the owned struct, and `save` writes a borrowed row; convert the value in its type's ToSql instead",
                    );
                    out.not_a_plain_column = true;
                    meta.value()?.parse::<Type>()?;
                }
                "deserialize_as" | "select_expression_type" => {
                    out.not_a_plain_column |= name != "select_expression_type";
                    meta.value()?.parse::<Type>()?;
                }
                "select_expression" => {
                    out.not_a_plain_column = true;
                    out.select_expression = true;
                    meta.value()?.parse::<Expr>()?;
                }
                "sql_type" => {
                    meta.value()?.parse::<TypePath>()?;
                }
                "treat_none_as_default_value" | "treat_none_as_null" => {
                    meta.value()?.parse::<LitBool>()?;
                }
                _ => skip_value(&meta)?,
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    out
}

/// How a field is written into the cache when its type needs help: serde's `with` on the field,
/// carried over from the model's serde attributes (a type from another crate, as Lemmy's
/// `#[serde(with = "LtreeDef")]`). The model's other serde attributes, `serialize_with` and
/// `deserialize_with` included, shape its API JSON only.
#[derive(Default)]
pub struct SerdeWith {
    /// The function that serializes the field: `with`'s `module::serialize`.
    pub serialize: Option<syn::ExprPath>,
    /// The function that deserializes it: `with`'s `module::deserialize`.
    pub deserialize: Option<syn::ExprPath>,
}

impl SerdeWith {
    /// `module::serialize` and `module::deserialize`.
    pub fn module(module: &syn::ExprPath) -> Self {
        let (mut serialize, mut deserialize) = (module.clone(), module.clone());
        serialize
            .path
            .segments
            .push(format_ident!("serialize").into());
        deserialize
            .path
            .segments
            .push(format_ident!("deserialize").into());
        SerdeWith {
            serialize: Some(serialize),
            deserialize: Some(deserialize),
        }
    }
}

pub fn serde_with(attrs: &[Attribute]) -> SerdeWith {
    let mut out = SerdeWith::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // A malformed serde attribute is serde's to report.
        let _ = attr.parse_nested_meta(|meta| {
            let path = |meta: &ParseNestedMeta<'_>| -> syn::Result<syn::ExprPath> {
                meta.value()?.parse::<LitStr>()?.parse()
            };
            // Only `with`, both directions of one encoding. A lone `serialize_with` is usually
            // the API's (a redacted secret) and would cache the redacted value; the field's own
            // serde, or `#[write_through(with)]`, encodes it instead.
            if meta.path.is_ident("with") {
                out = SerdeWith::module(&path(&meta)?);
            } else {
                skip_meta_value(&meta)?;
            }
            Ok(())
        });
    }
    out
}

/// [`skip_value`] for the other modules of the attribute model.
pub fn skip_meta_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    skip_value(meta)
}

/// Consumes whatever follows an option's name up to the next top-level comma: `= value`
/// (including generic types such as `Map<K, V>`) or a parenthesised list.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    let input = meta.input;
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
    }
    let mut angle_depth = 0usize;
    loop {
        let at_end = input.is_empty() || (angle_depth == 0 && input.peek(Token![,]));
        if at_end {
            break;
        }
        match input.parse::<TokenTree>()? {
            TokenTree::Punct(p) if p.as_char() == '<' => angle_depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' => {
                angle_depth = angle_depth.saturating_sub(1)
            }
            _ => {}
        }
    }
    Ok(())
}

trait PathName {
    fn to_token_stream_string(&self) -> String;
}

impl PathName for Path {
    fn to_token_stream_string(&self) -> String {
        quote::quote!(#self).to_string().replace(' ', "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{DeriveInput, parse_quote};

    /// Every struct-level option of Diesel 2.3 (diesel_derives' `StructAttr`), in one model.
    fn every_struct_option() -> DeriveInput {
        parse_quote! {
            #[diesel(table_name = crate::schema::versions, primary_key(id, crate_id))]
            #[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
            #[diesel(belongs_to(Krate, foreign_key = crate_id), belongs_to(crate::User))]
            #[diesel(treat_none_as_default_value = false, treat_none_as_null = true)]
            #[diesel(sql_type = diesel::sql_types::Text, aggregate, not_sized, foreign_derive)]
            #[diesel(postgres_type(name = "my_type", schema = "public"), mysql_type(name = "Enum"))]
            #[diesel(sqlite_type(name = "Text"))]
            #[diesel(base_query = versions::table.filter(versions::yanked.eq(false)).order_by(versions::id))]
            #[diesel(base_query_type = diesel::dsl::Filter<versions::table, diesel::dsl::Eq<versions::yanked, bool>>)]
            struct Version { id: i64 }
        }
    }

    /// Every field-level option of Diesel 2.3 (diesel_derives' `FieldAttr`).
    fn every_field_option() -> DeriveInput {
        parse_quote! {
            struct Version {
                #[diesel(column_name = "type", sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
                kind: Option<String>,
                #[diesel(skip_insertion, skip_update, treat_none_as_null = true, treat_none_as_default_value = false)]
                updated_at: Option<i64>,
                #[diesel(deserialize_as = Wrapped<i64, i32>)]
                downloads: i64,
                #[diesel(embed)]
                links: Links,
                #[diesel(select_expression = versions::num.concat("-").concat(versions::id.lt(3)), select_expression_type = diesel::dsl::Concat<versions::num, &'static str>)]
                label: String,
            }
        }
    }

    #[test]
    fn serialize_as_is_refused_with_its_reason() {
        let field: syn::Field = parse_quote! {
            #[diesel(serialize_as = crate::Wrapped<i64, i32>)]
            downloads: i64
        };
        let cx = Ctxt::new();
        let read = diesel_field_attrs(&cx, &field.attrs);
        assert!(read.not_a_plain_column);
        let errors = cx.check().expect_err("refused");
        assert!(
            errors.to_string().contains("`save` writes a borrowed row"),
            "{errors}"
        );
    }

    #[test]
    fn every_diesel_struct_option_is_accepted_and_the_needed_ones_read() {
        let input = every_struct_option();
        let cx = Ctxt::new();
        let attrs = diesel_attrs(&cx, &input.attrs);
        assert!(cx.check().is_ok());
        let table = attrs.table_name.unwrap();
        assert_eq!(
            quote::quote!(#table).to_string(),
            "crate :: schema :: versions"
        );
        let key: Vec<String> = attrs
            .primary_key
            .unwrap()
            .iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(key, ["id", "crate_id"]);
        assert_eq!(attrs.check_for_backend.unwrap().len(), 2);
    }

    #[test]
    fn every_diesel_field_option_is_accepted_and_the_needed_ones_read() {
        let input = every_field_option();
        let syn::Data::Struct(data) = &input.data else {
            unreachable!()
        };
        let cx = Ctxt::new();
        let read: Vec<DieselFieldAttrs> = data
            .fields
            .iter()
            .map(|field| diesel_field_attrs(&cx, &field.attrs))
            .collect();
        assert!(cx.check().is_ok());
        assert_eq!(read[0].column_name.as_ref().unwrap(), "type");
        assert!(read[1].skip_update && !read[1].not_a_plain_column);
        assert!(read[2].not_a_plain_column);
        assert!(read[3].not_a_plain_column);
        assert!(read[4].not_a_plain_column);
    }

    #[test]
    fn a_disabled_backend_check_singles_out_no_backend() {
        let input: DeriveInput = parse_quote! {
            #[diesel(table_name = users, check_for_backend(disable = true))]
            struct User { id: i64 }
        };
        let cx = Ctxt::new();
        let attrs = diesel_attrs(&cx, &input.attrs);
        assert!(cx.check().is_ok());
        assert!(attrs.check_for_backend.is_none());
        assert!(attrs.table_name.is_some());
    }
}
