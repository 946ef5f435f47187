//! Assembles one struct into the checked [`Model`] (`ast.rs`), the only input of code
//! generation: parse its fields and attributes (with `internals/`), run the rules of
//! `check.rs`, build. Every problem is recorded in the [`Ctxt`] with the span of its cause.

use syn::punctuated::Punctuated;
use syn::{Data, DeriveInput, Field, Fields, Ident, Path, Token};

use crate::ast::{
    Backend, Collection, Index, KeyField, KeyPart, Model, OrderField, Retire, RowField, RowWrites,
    VersionField, WrittenColumn,
};
use crate::check;
use crate::fingerprint::fingerprint;
use crate::internals::attr::{self, DieselAttrs, DieselFieldAttrs, Given, WriteThroughAttrs};
use crate::internals::codec::{self, Codec};
use crate::internals::ctxt::Ctxt;
use crate::internals::template::{Segment, parse_template};
use crate::unique::{self, Candidate, Request};

impl Model {
    /// `None` when an attribute could not be read or a rule failed. Every rule runs before
    /// giving up, so that one compile reports every mistake.
    pub fn from_ast(cx: &Ctxt, input: &DeriveInput) -> Option<Model> {
        // The struct's form comes before its attributes: without named fields there is
        // nothing else to read.
        if !check::check_struct_with_named_fields(cx, input) {
            return None;
        }
        check::check_not_generic(cx, &input.generics);
        let parsed = Parsed::from_ast(cx, input)?;
        let candidates = parsed.index_candidates();
        let requested = unique::requested(&candidates, &parsed.own.unique);
        if !parsed.check(cx, &candidates, &requested) {
            return None;
        }
        let indexes = requested.iter().map(unique::index).collect();
        parsed.build(indexes)
    }
}

/// The struct as written: its fields and attributes, read but not checked.
struct Parsed<'a> {
    input: &'a DeriveInput,
    fields: &'a Punctuated<Field, Token![,]>,
    own: WriteThroughAttrs,
    codec: Codec,
    columns: Vec<Column<'a>>,
    diesel: DieselAttrs,
    /// The primary-key fields; `None` when a column it names is not one of the struct's.
    key_fields: Option<Vec<KeyField>>,
    /// The key template read into its pieces, or why it cannot be; `None` unless `key` is
    /// valid.
    key_segments: Option<Result<Vec<Segment>, String>>,
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
    /// `#[write_through(newtype)]`.
    newtype: Option<syn::Path>,
    /// `#[write_through(with = "module")]`.
    with: Option<syn::ExprPath>,
}

impl<'a> Column<'a> {
    fn of(cx: &Ctxt, field: &'a Field) -> Self {
        let ident = field.ident.clone().expect("named field");
        let diesel = attr::diesel_field_attrs(cx, &field.attrs);
        let own = attr::field_attrs(cx, &field.attrs);
        Column {
            field,
            column: diesel.column_name.clone().unwrap_or_else(|| ident.clone()),
            ident,
            is_version: own.version,
            unique: own.unique,
            newtype: own.newtype,
            with: own.with,
            diesel,
        }
    }
}

impl<'a> Parsed<'a> {
    /// Reads the attributes; `None` for anything but a struct with named fields.
    fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let Data::Struct(data) = &input.data else {
            return None;
        };
        let Fields::Named(named) = &data.fields else {
            return None;
        };
        let fields = &named.named;
        let own = attr::write_through_attrs(cx, &input.attrs);
        let columns: Vec<Column> = fields.iter().map(|field| Column::of(cx, field)).collect();
        let codec = match own.codec {
            Given::Valid(codec) => codec,
            _ => codec::choose(columns.iter().map(|c| (c.field, c.with.is_some()))),
        };
        let diesel = attr::diesel_attrs(cx, &input.attrs);
        let key_fields = key_fields(input, &columns, &diesel);
        let key_segments = own
            .key
            .valid()
            .map(|template| parse_template(&template.value()));
        Some(Parsed {
            input,
            fields,
            own,
            codec,
            columns,
            diesel,
            key_fields,
            key_segments,
        })
    }

    /// The fields as the unique indexes see them.
    fn index_candidates(&self) -> Vec<Candidate<'_>> {
        self.columns
            .iter()
            .map(|c| Candidate {
                ident: &c.ident,
                column: &c.column,
                ty: &c.field.ty,
                unique: c.unique.as_ref(),
                newtype: c.newtype.is_some(),
                plain_column: !c.diesel.not_a_plain_column,
            })
            .collect()
    }

    /// Runs the rules, in the order their errors are shown; whether every rule held.
    fn check(&self, cx: &Ctxt, candidates: &[Candidate<'_>], requested: &[Request<'_>]) -> bool {
        let model = &self.input.ident;
        let columns: Vec<&Ident> = self.columns.iter().map(|c| &c.column).collect();
        let mut ok = match &self.diesel.primary_key {
            Some(primary_key) => check::check_primary_key_names_columns(cx, primary_key, &columns),
            None => check::check_id_column(cx, model, &columns),
        };
        ok &= check::check_key_given(cx, model, &self.own.key);
        // The template's placeholders name key fields, so it is checked once they are found.
        if let (Given::Valid(template), Some(read), Some(key_fields)) =
            (&self.own.key, &self.key_segments, &self.key_fields)
        {
            ok &= check::check_key_template_reads(cx, template, read)
                && read.as_ref().is_ok_and(|segments| {
                    check::check_placeholders_are_key_fields(cx, template, segments, key_fields)
                        && check::check_template_uses_every_key_field(
                            cx, template, segments, key_fields,
                        )
                });
        }
        ok &= check::check_ttl_given(cx, model, &self.own.ttl);

        // The rules that compare with the key see none when its columns were not found.
        let key_fields = self.key_fields.as_deref().unwrap_or_default();
        let versions: Vec<&Column> = self.columns.iter().filter(|c| c.is_version).collect();
        if let Some(version) = versions.first() {
            let marked: Vec<&Ident> = versions.iter().map(|c| &c.ident).collect();
            ok &= check::check_at_most_one_version_field(cx, &marked);
            ok &= check::check_version_is_an_integer(cx, &version.field.ty);
            ok &= check::check_version_outside_the_key(cx, &version.ident, key_fields);
            ok &= check::check_version_is_a_plain_column(cx, &version.ident, &version.diesel);
            ok &= check::check_version_skips_update(cx, &version.ident, &version.diesel);
        }

        let mut composite: Vec<String> = Vec::new();
        if key_fields.len() > 1 {
            composite.push("primary key".to_owned());
        }
        for request in requested.iter().filter(|r| r.members.len() > 1) {
            composite.push(format!("unique index `{}`", request.name()));
        }
        let field_columns: Vec<(&Ident, &Ident)> = self
            .columns
            .iter()
            .filter(|c| !c.diesel.not_a_plain_column)
            .map(|c| (&c.ident, &c.column))
            .collect();
        ok &= check::check_fields_name_distinct_columns(cx, &field_columns);
        // Built on a join or computed expressions: nothing of it is its table's to write.
        let read_only = self.diesel.base_query.is_some()
            || self.columns.iter().any(|c| c.diesel.select_expression);
        if let Some(partial_save) = &self.own.partial_save {
            ok &= check::check_partial_save_writes_columns(cx, partial_save, read_only);
        }
        let column_idents: Vec<&Ident> = self.columns.iter().map(|c| &c.ident).collect();
        for retires in &self.own.retires {
            ok &= check::check_retires(cx, retires, &column_idents, read_only);
        }
        if let Some(first) = self.own.retired_by.first() {
            ok &= check::check_retired_by_names_a_single_key(cx, first, key_fields);
        }
        ok &= check::check_base_query_looks_up_single_columns(
            cx,
            self.diesel.base_query.as_ref(),
            &composite,
        );

        let fields: Vec<&Ident> = candidates.iter().map(|c| c.ident).collect();
        for group in &self.own.unique {
            ok &= check::check_group_names_distinct_fields(cx, group, &fields);
            ok &= check::check_group_has_two_fields(cx, group);
        }
        // A name is declared twice only if its first declaration broke no rule.
        let mut accepted: Vec<String> = Vec::new();
        for request in requested {
            let mut holds = true;
            for member in &request.members {
                holds &= check::check_index_not_a_float(cx, member.ty)
                    && check::check_index_not_a_nested_option(cx, member.ty)
                    && check::check_index_is_a_plain_column(cx, member.ident, member.plain_column);
            }
            let members: Vec<&Ident> = request.members.iter().map(|m| m.ident).collect();
            holds &=
                check::check_index_is_not_the_primary_key(cx, request.at, &members, key_fields);
            let name = request.name();
            holds &= check::check_index_declared_once(cx, request.at, &name, &accepted);
            if holds {
                accepted.push(name);
            }
            ok &= holds;
        }

        let collection_fields: Vec<(&Ident, &syn::Type, bool)> = self
            .columns
            .iter()
            .map(|c| (&c.ident, &c.field.ty, !c.diesel.not_a_plain_column))
            .collect();
        let mut parents: Vec<Ident> = Vec::new();
        for collection in &self.own.collections {
            let holds = check::check_collection(cx, collection, &collection_fields, &parents);
            if let (true, Some(by)) = (holds, &collection.by) {
                parents.push(by.clone());
            }
            ok &= holds;
        }

        for column in &self.columns {
            if let Some(newtype) = &column.newtype {
                let keyed = key_fields.iter().any(|field| field.ident == column.ident)
                    || parents.contains(&column.ident)
                    || requested
                        .iter()
                        .any(|request| request.members.iter().any(|m| *m.ident == column.ident));
                ok &= check::check_newtype_is_written_into_a_key(cx, newtype, keyed);
            }
        }

        for path in self.diesel.check_for_backend.iter().flatten() {
            ok &= check::check_backend_known(cx, path, backend_named(path));
        }
        ok
    }

    /// The model, from a struct every rule accepted and its `indexes`; `None` when an
    /// attribute could not be read (its error is recorded).
    fn build(self, indexes: Vec<Index>) -> Option<Model> {
        let ident = &self.input.ident;
        let collections = self.collections()?;
        let key_fields = self.key_fields?;
        let key_parts = key_parts(self.key_segments?.ok()?, &key_fields)?;
        let writes = row_writes(&self.columns, &key_fields, &self.diesel);
        Some(Model {
            ident: ident.clone(),
            table: self
                .diesel
                .table_name
                .clone()
                .unwrap_or_else(|| inferred_table(ident)),
            key_fields,
            key_template: self.own.key.valid()?.value(),
            key_parts,
            ttl_millis: *self.own.ttl.valid()?,
            negative_ttl_millis: match self.own.negative_ttl {
                Given::Absent => None,
                Given::Invalid => return None,
                Given::Valid(millis) => Some(millis),
            },
            local_ttl_millis: match self.own.local {
                Given::Absent => None,
                Given::Invalid => return None,
                Given::Valid(millis) => Some(millis),
            },
            version: self
                .columns
                .iter()
                .find(|c| c.is_version)
                .map(|version| VersionField {
                    ident: version.ident.clone(),
                    column: version.column.clone(),
                }),
            backends: backends(&self.diesel)?,
            fingerprint: fingerprint(&ident.to_string(), &self.input.attrs, self.fields),
            codec: self.codec,
            indexes,
            writes,
            base_query: self.diesel.base_query.clone(),
            partial_save: self.own.partial_save.is_some(),
            plain_columns: (!self.columns.iter().any(|c| c.diesel.not_a_plain_column))
                .then(|| self.columns.iter().map(|c| c.column.clone()).collect()),
            retired_by: self.own.retired_by.clone(),
            retires: self
                .own
                .retires
                .iter()
                .map(|retires| {
                    let field = retires.foreign_key.clone()?;
                    let column = self.columns.iter().find(|c| c.ident == field)?;
                    Some(Retire {
                        model: retires.model.clone()?,
                        nullable: crate::internals::types::option_inner(&column.field.ty).is_some(),
                        field,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
            collections,
            fields: self
                .columns
                .iter()
                .map(|column| {
                    // The model's own `with` first; else serde's, carried over.
                    let with = match &column.with {
                        Some(module) => attr::SerdeWith::module(module),
                        None => attr::serde_with(&column.field.attrs),
                    };
                    RowField {
                        ident: column.ident.clone(),
                        ty: column.field.ty.clone(),
                        serialize_with: with.serialize,
                        deserialize_with: with.deserialize,
                    }
                })
                .collect(),
        })
    }
}

impl Parsed<'_> {
    /// The collections, from attributes every rule accepted; `None` when one names what is not
    /// there (its error is recorded).
    fn collections(&self) -> Option<Vec<Collection>> {
        let candidates = self.index_candidates();
        self.own
            .collections
            .iter()
            .map(|collection| {
                let by = collection.by.as_ref()?;
                let parent = candidates.iter().find(|c| c.ident == by)?;
                let order = match &collection.order_by {
                    None => None,
                    Some((field, descending)) => {
                        let column = self.columns.iter().find(|c| c.ident == *field)?;
                        Some(OrderField {
                            ident: column.ident.clone(),
                            column: column.column.clone(),
                            nullable: crate::internals::types::option_inner(&column.field.ty)
                                .is_some(),
                            descending: *descending,
                        })
                    }
                };
                Some(Collection {
                    parent: unique::index(&Request {
                        members: vec![parent],
                        at: by,
                    }),
                    order,
                    max: collection
                        .max
                        .as_ref()
                        .map_or(DEFAULT_MAX_MEMBERS, |(_, max)| *max),
                })
            })
            .collect()
    }
}

/// The cap of a collection without `max = ...`.
const DEFAULT_MAX_MEMBERS: u64 = 1_000;

/// How `save` writes the row: column by column when every field is a plain column of the
/// table, so that the row is written as the struct is (a `None` as `NULL`, whatever
/// `treat_none_as_null` says) and the model needs no `Insertable` or `AsChangeset`; else through
/// them; not at all for a model whose rows are not its table's (a base query, a computed field).
fn row_writes(columns: &[Column<'_>], key_fields: &[KeyField], diesel: &DieselAttrs) -> RowWrites {
    if diesel.base_query.is_some() || columns.iter().any(|c| c.diesel.select_expression) {
        return RowWrites::ReadOnly;
    }
    if columns.iter().any(|c| c.diesel.not_a_plain_column) {
        return RowWrites::ModelDerives;
    }
    let written = |c: &Column<'_>| WrittenColumn {
        ident: c.ident.clone(),
        column: c.column.clone(),
    };
    let updated: Vec<WrittenColumn> = columns
        .iter()
        .filter(|c| !c.is_version && !c.diesel.skip_update)
        .filter(|c| !key_fields.iter().any(|key| key.ident == c.ident))
        .map(written)
        .collect();
    if updated.is_empty() {
        // Nothing but the key: Diesel's own derives say what that means.
        return RowWrites::ModelDerives;
    }
    RowWrites::Columns {
        inserted: columns
            .iter()
            .filter(|c| !c.diesel.skip_insertion)
            .map(written)
            .collect(),
        updated,
    }
}

/// The primary-key fields. Diesel's `primary_key(...)` names columns (a field's
/// `column_name`, or its name); without it the key is the column `id`. `None` when a name is
/// not a column.
fn key_fields(
    input: &DeriveInput,
    columns: &[Column<'_>],
    diesel: &DieselAttrs,
) -> Option<Vec<KeyField>> {
    let names = match &diesel.primary_key {
        Some(names) => names.clone(),
        None => vec![Ident::new("id", input.ident.span())],
    };
    names
        .iter()
        .map(|name| {
            let column = columns.iter().find(|c| c.column == *name)?;
            Some(KeyField {
                ident: column.ident.clone(),
                ty: column.field.ty.clone(),
                column: column.column.clone(),
                newtype: column.newtype.is_some(),
            })
        })
        .collect()
}

/// The rendered key: each placeholder as the position of its key field. `None` when one is
/// not a key field.
fn key_parts(segments: Vec<Segment>, key_fields: &[KeyField]) -> Option<Vec<KeyPart>> {
    segments
        .into_iter()
        .map(|segment| match segment {
            Segment::Literal(text) => Some(KeyPart::Literal(text)),
            Segment::Field(name) => key_fields
                .iter()
                .position(|f| f.ident == name)
                .map(KeyPart::Field),
        })
        .collect()
}

/// The backends to generate queries for: those of `check_for_backend(...)`, each once (Diesel
/// accepts one named twice), or all three. `None` when one is unknown.
fn backends(diesel: &DieselAttrs) -> Option<Vec<Backend>> {
    let Some(paths) = &diesel.check_for_backend else {
        return Some(vec![Backend::Postgres, Backend::Mysql, Backend::Sqlite]);
    };
    let mut backends = Vec::new();
    for path in paths {
        let backend = backend_named(path)?;
        // Diesel accepts a backend named twice; the impls must still be emitted once.
        if !backends.contains(&backend) {
            backends.push(backend);
        }
    }
    Some(backends)
}

/// The backend `path` names, by its last segment.
fn backend_named(path: &Path) -> Option<Backend> {
    let name = path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    match name.as_str() {
        "Pg" => Some(Backend::Postgres),
        "Mysql" => Some(Backend::Mysql),
        "Sqlite" => Some(Backend::Sqlite),
        _ => None,
    }
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
