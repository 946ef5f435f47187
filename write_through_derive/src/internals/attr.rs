//! Reading the attributes the derive cares about: its own `#[write_through(...)]`, Diesel's
//! `#[diesel(...)]` (so nothing is said twice), and `#[serde(...)]` (to refuse what bincode
//! would silently lose).

use proc_macro2::TokenTree;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitStr, Path, Token, UnOp};

use super::ctxt::Ctxt;
use super::ttl::{parse_ttl, ttl_from_seconds};

/// `#[write_through(key = "...", ttl = "...", negative_ttl = "...")]` on the struct.
#[derive(Default)]
pub struct WriteThroughAttrs {
    pub key: Option<LitStr>,
    /// Milliseconds.
    pub ttl: Option<u64>,
    /// Milliseconds.
    pub negative_ttl: Option<u64>,
}

pub fn write_through_attrs(cx: &Ctxt, attrs: &[Attribute]) -> WriteThroughAttrs {
    let mut out = WriteThroughAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("write_through")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("key") {
                let template: LitStr = meta.value()?.parse()?;
                set_once(cx, &meta, &mut out.key, template);
            } else if meta.path.is_ident("ttl") {
                if let Some(ttl) = ttl_value(cx, &meta)? {
                    set_once(cx, &meta, &mut out.ttl, ttl);
                }
            } else if meta.path.is_ident("negative_ttl") {
                if let Some(ttl) = ttl_value(cx, &meta)? {
                    set_once(cx, &meta, &mut out.negative_ttl, ttl);
                }
            } else {
                let name = meta.path.to_token_stream_string();
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown write_through attribute `{name}`; expected `key`, `ttl` or `negative_ttl`"
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

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta<'_>, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        let name = meta.path.to_token_stream_string();
        cx.error_spanned_by(
            &meta.path,
            format!("duplicate write_through attribute `{name}`"),
        );
    } else {
        *slot = Some(value);
    }
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
    pub check_for_backend: Option<Vec<Path>>,
}

pub fn diesel_attrs(cx: &Ctxt, attrs: &[Attribute]) -> DieselAttrs {
    let mut out = DieselAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("diesel")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table_name") {
                out.table_name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("primary_key") {
                let mut columns = Vec::new();
                meta.parse_nested_meta(|column| {
                    columns.push(column.path.require_ident()?.clone());
                    Ok(())
                })?;
                out.primary_key = Some(columns);
            } else if meta.path.is_ident("check_for_backend") {
                let mut backends = Vec::new();
                meta.parse_nested_meta(|backend| {
                    backends.push(backend.path.clone());
                    Ok(())
                })?;
                out.check_for_backend = Some(backends);
            } else {
                // Diesel's other options are Diesel's business.
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

/// `#[diesel(column_name = ...)]` on a field.
pub fn diesel_column_name(cx: &Ctxt, attrs: &[Attribute]) -> Option<Ident> {
    let mut column = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("diesel")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column_name") {
                let value = meta.value()?;
                column = Some(if value.peek(LitStr) {
                    let name: LitStr = value.parse()?;
                    Ident::new(&name.value(), name.span())
                } else {
                    value.parse()?
                });
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    column
}

/// The serde attributes whose data bincode would silently lose or misread.
const LOSSY_FIELD_SERDE: &[&str] = &[
    "skip",
    "skip_serializing",
    "skip_deserializing",
    "skip_serializing_if",
    "flatten",
];
const LOSSY_CONTAINER_SERDE: &[&str] = &["tag", "untagged", "content"];

/// Refuses serde attributes that make bincode drop data: the cached row would differ from the
/// database row without any error.
pub fn check_serde(cx: &Ctxt, attrs: &[Attribute], is_field: bool) {
    let refused = if is_field {
        LOSSY_FIELD_SERDE
    } else {
        LOSSY_CONTAINER_SERDE
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if let Some(name) = refused.iter().find(|name| meta.path.is_ident(name)) {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "#[serde({name})] cannot be used on a WriteThrough model: bincode, which encodes cached rows, would silently lose data with it"
                    ),
                );
            }
            skip_value(&meta)
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
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
