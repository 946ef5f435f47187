//! What one batch of the log retires, decided without I/O: decoded messages in, keys out.
//!
//! Each committed insert, update and delete on a table a model caches names keys (the row's,
//! from the new values and from the old key when the log gives it; the unique-index entries of
//! the values), which the feed invalidates. A `TRUNCATE`, or a table whose key columns are no
//! longer in its relation, names no row: the model starts over (every key it has is retired).
//! The feed never fills from a change: unchanged TOASTed values are not in it, and the cache's
//! fills keep their own lease protocol.

use std::collections::{BTreeSet, HashMap};

use super::keys::{ChangeKeyWriter, ColumnText, ColumnTexts, UnreadableChange};
use super::pgoutput::{Lsn, Message, Relation, Tuple, Value};
use crate::cache::Cache;

/// One model the feed serves: its table and how a changed row becomes its keys.
pub(crate) struct FeedModel {
    pub(crate) name: &'static str,
    /// The table's SQL name, and its schema when the `table!` names one.
    pub(crate) schema: Option<String>,
    pub(crate) table: String,
    pub(crate) key_columns: &'static [&'static str],
    pub(crate) keys: fn(&dyn ColumnTexts, &mut ChangeKeyWriter<'_>) -> Result<(), UnreadableChange>,
    /// `SCAN` patterns of every key the model writes (rows, index entries), for a start-over.
    pub(crate) patterns: Vec<Vec<u8>>,
}

impl FeedModel {
    fn caches(&self, relation: &Relation) -> bool {
        relation.name == self.table
            && self
                .schema
                .as_deref()
                .is_none_or(|schema| schema == relation.namespace)
    }
}

/// What the log has said about tables so far: relations are sent once per session, before the
/// first change that needs them, so they outlive a batch.
#[derive(Default)]
pub(crate) struct Relations {
    by_id: HashMap<u32, Relation>,
}

/// What a batch retires.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct BatchPlan {
    /// Keys to invalidate, each once.
    pub(crate) keys: BTreeSet<Vec<u8>>,
    /// Models that start over: every key under their prefixes is retired.
    pub(crate) start_over: BTreeSet<usize>,
    /// Row changes on cached tables.
    pub(crate) changes: u64,
    /// Changes whose keys could not be read (logged and counted).
    pub(crate) unreadable: Vec<(&'static str, UnreadableChange)>,
    /// The end of the last transaction in the batch: where the slot may advance once the keys are
    /// retired.
    pub(crate) commit_end: Option<Lsn>,
    /// When that transaction committed (microseconds since 2000-01-01), for the feed's lag.
    pub(crate) commit_time: Option<i64>,
}

/// The keys the messages of one batch retire, in log order.
pub(crate) fn plan<'m>(
    cache: &Cache,
    models: &[FeedModel],
    relations: &mut Relations,
    messages: impl IntoIterator<Item = Message<'m>>,
) -> BatchPlan {
    let mut plan = BatchPlan::default();
    for message in messages {
        match message {
            Message::Relation(relation) => {
                for (at, model) in models.iter().enumerate() {
                    let keyed = model
                        .key_columns
                        .iter()
                        .all(|column| relation.columns.iter().any(|c| c.name == *column));
                    if model.caches(&relation) && !keyed {
                        // The table changed under the model: no change can be mapped to its keys.
                        tracing::warn!(
                            model = model.name,
                            table = %relation.name,
                            "a key column of the model is no longer in its table; the model starts over"
                        );
                        plan.start_over.insert(at);
                    }
                }
                relations.by_id.insert(relation.id, relation);
            }
            Message::Insert { relation, new } => {
                retire(cache, models, relations, relation, &[&new], &mut plan)
            }
            Message::Update { relation, old, new } => {
                let rows: Vec<&Tuple<'_>> = old.iter().chain([&new]).collect();
                retire(cache, models, relations, relation, &rows, &mut plan)
            }
            Message::Delete { relation, old } => {
                retire(cache, models, relations, relation, &[&old], &mut plan)
            }
            Message::Truncate { relations: ids, .. } => {
                for id in ids {
                    let Some(relation) = relations.by_id.get(&id) else {
                        continue;
                    };
                    for (at, model) in models.iter().enumerate() {
                        if model.caches(relation) {
                            plan.start_over.insert(at);
                        }
                    }
                }
            }
            Message::Commit {
                end_lsn,
                commit_time,
                ..
            } => {
                plan.commit_end = Some(end_lsn);
                plan.commit_time = Some(commit_time);
            }
            Message::Begin { .. }
            | Message::Origin { .. }
            | Message::Type { .. }
            | Message::LogicalMessage { .. } => {}
        }
    }
    plan
}

/// Adds the keys of `rows` (a change's old and new values) for every model of the relation.
fn retire(
    cache: &Cache,
    models: &[FeedModel],
    relations: &Relations,
    relation: u32,
    rows: &[&Tuple<'_>],
    plan: &mut BatchPlan,
) {
    let Some(relation) = relations.by_id.get(&relation) else {
        // pgoutput sends a relation before its first change in every session; a change without
        // one is a table the publication holds but no model reads.
        return;
    };
    for model in models.iter().filter(|model| model.caches(relation)) {
        plan.changes += 1;
        for row in rows {
            let texts = RowTexts { relation, row };
            let mut keys = ChangeKeyWriter::new(cache);
            match (model.keys)(&texts, &mut keys) {
                Ok(()) => plan.keys.extend(keys.into_keys()),
                Err(error) => plan.unreadable.push((model.name, error)),
            }
        }
    }
}

/// A decoded row, read by column name.
struct RowTexts<'r, 'a> {
    relation: &'r Relation,
    row: &'r Tuple<'a>,
}

impl ColumnTexts for RowTexts<'_, '_> {
    fn column(&self, column: &str) -> ColumnText<'_> {
        let Some(at) = self.relation.columns.iter().position(|c| c.name == column) else {
            return ColumnText::Absent;
        };
        match self.row.0.get(at) {
            Some(Value::Text(bytes)) => match std::str::from_utf8(bytes) {
                Ok(text) => ColumnText::Value(text),
                Err(_) => ColumnText::Absent,
            },
            Some(Value::Null) => ColumnText::Null,
            // The feed asks for text; a binary value or an unchanged TOASTed one cannot be read.
            Some(Value::Binary(_) | Value::UnchangedToast) | None => ColumnText::Absent,
        }
    }
}
