//! What one batch of the log retires, decided without I/O, whichever database's log it is:
//! changed rows in, keys out.
//!
//! Each committed insert, update and delete on a table a model caches names keys (the row's,
//! from the new values and from the old key when the log gives it; the unique-index entries of
//! the values), which the feed invalidates. A `TRUNCATE`, or a table whose key columns are no
//! longer in it, names no row: the model starts over (every key it has is retired). The feed
//! never fills from a change: a log may leave values out (PostgreSQL's unchanged TOASTed
//! columns), and the cache's fills keep their own lease protocol. Each log's reader
//! (`pgoutput_plan.rs`, `binlog/`) turns its messages into the calls below.

use std::collections::{BTreeMap, BTreeSet};

use super::keys::{ChangeKeyWriter, ColumnTexts};
use super::mark::{Mark, ValueDigest};
pub(crate) use super::models::FeedModel;
use crate::cache::Cache;
use crate::feed::UnreadableChange;

/// What a batch retires.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct BatchPlan {
    /// Keys to invalidate, each once.
    pub(crate) keys: BTreeSet<Vec<u8>>,
    /// Models that start over: every key under their prefixes is retired.
    pub(crate) start_over: BTreeSet<usize>,
    /// Row changes on cached tables.
    pub(crate) changes: u64,
    /// Keys that changes named and a library write's mark then covered (`feed::mark`): retired
    /// only when Redis holds neither that write's lock nor the value it publishes. No key is
    /// both here and in `keys`.
    pub(crate) covered: BTreeMap<Vec<u8>, Cover>,
    /// Changes whose keys could not be read (logged and counted).
    pub(crate) unreadable: Vec<(&'static str, UnreadableChange)>,
    /// The end of the last transaction in the batch: where the slot may advance once the keys are
    /// retired.
    pub(crate) commit_end: Option<u64>,
    /// When that transaction committed (microseconds since 2000-01-01), for the feed's lag.
    pub(crate) commit_time: Option<i64>,
    /// The ids of the batch's transactions that changed a cached table: their keys are retired
    /// only once the transactions are visible (a commit in the log may not be yet).
    pub(crate) xids: Vec<u32>,
}

/// What a library write's mark says of one key it wrote (`feed::mark`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cover {
    /// The write's lock value: while Redis holds it, the write's publish is still to come.
    pub(crate) lock: Vec<u8>,
    /// The digest of the value the write publishes there; `None` when it publishes none.
    pub(crate) value: Option<ValueDigest>,
}

/// The keys of the transaction being read: named by its changes, and covered by its marks.
#[derive(Default)]
struct Transaction {
    named: BTreeSet<Vec<u8>>,
    covered: BTreeMap<Vec<u8>, Cover>,
}

impl Transaction {
    /// A change named `keys`: whatever a mark said of them before no longer holds.
    fn changed(&mut self, keys: BTreeSet<Vec<u8>>) {
        for key in keys {
            self.covered.remove(&key);
            self.named.insert(key);
        }
    }

    /// A mark covers the keys the transaction's changes named before it.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    fn marked(&mut self, mark: &Mark<'_>) {
        for &(key, value) in &mark.keys {
            if let Some(key) = self.named.take(key) {
                let lock = mark.lock.to_vec();
                self.covered.insert(key, Cover { lock, value });
            }
        }
    }

    /// The transaction ended (or the batch did): its keys go to the plan, later ones over
    /// earlier ones.
    fn close(&mut self, plan: &mut BatchPlan) {
        plan.keys.append(&mut self.named);
        plan.covered.append(&mut self.covered);
    }
}

/// A batch's plan, read a chunk of changes at a time: only the keys they name are kept, never
/// the rows, so a transaction larger than memory (a migration's `UPDATE` of every row) is read
/// through. A model whose changes name more than `max_keys` keys in one batch starts over
/// instead (every key it has retired), and its further changes name none.
pub(crate) struct Planner<'a> {
    cache: &'a Cache,
    models: &'a [FeedModel],
    max_keys: usize,
    /// Keys each model's changes named in this batch (counted with repeats).
    named: Vec<usize>,
    open: Transaction,
    pub(crate) plan: BatchPlan,
}

impl<'a> Planner<'a> {
    pub(crate) fn new(cache: &'a Cache, models: &'a [FeedModel], max_keys: usize) -> Self {
        Planner {
            cache,
            models,
            max_keys,
            named: vec![0; models.len()],
            open: Transaction::default(),
            plan: BatchPlan::default(),
        }
    }

    /// Table `name` of `namespace` has (now) the columns `has_column` says: a model whose key
    /// columns are not all there any more starts over, since no change can be mapped to its
    /// keys.
    pub(crate) fn columns(
        &mut self,
        namespace: &str,
        name: &str,
        has_column: impl Fn(&str) -> bool,
    ) {
        for (at, model) in self.models.iter().enumerate() {
            let keyed = model.key_columns.iter().all(|column| has_column(column));
            if model.caches(namespace, name) && !keyed {
                tracing::warn!(
                    model = model.name,
                    table = %name,
                    "a key column of the model is no longer in its table; the model starts over"
                );
                self.plan.start_over.insert(at);
            }
        }
    }

    /// A row of table `name` of `namespace` was inserted, updated or deleted: `rows` are its old
    /// values (when the log gives them) and its new ones. Tells the open transaction the keys
    /// they name for every model of the table.
    pub(crate) fn row_change(&mut self, namespace: &str, name: &str, rows: &[&dyn ColumnTexts]) {
        let mut keys = BTreeSet::new();
        let plan = &mut self.plan;
        let mut cached = false;
        for (at, model) in self
            .models
            .iter()
            .enumerate()
            .filter(|(_, model)| model.caches(namespace, name))
        {
            cached = true;
            if plan.start_over.contains(&at) {
                // Every key of the model is retired anyway.
                continue;
            }
            for row in rows {
                let mut writer = ChangeKeyWriter::new(self.cache);
                let read = (model.keys)(*row, &mut writer);
                // What was read before a column failed (the row key, before an unreadable
                // unique column) is still retired.
                let row_keys = writer.into_keys();
                self.named[at] += row_keys.len();
                keys.extend(row_keys);
                if let Err(error) = read {
                    // The keys it named cannot be known: every key of the model is retired
                    // instead.
                    plan.unreadable.push((model.name, error));
                    plan.start_over.insert(at);
                }
            }
            if self.named[at] > self.max_keys {
                tracing::warn!(
                    model = model.name,
                    max_keys = self.max_keys,
                    "a batch of the log changes more of the model's rows than the feed holds keys for; the model starts over"
                );
                plan.start_over.insert(at);
            }
        }
        if cached {
            plan.changes += 1;
        }
        self.open.changed(keys);
    }

    /// Table `name` of `namespace` was emptied: its models start over.
    pub(crate) fn truncate(&mut self, namespace: &str, name: &str) {
        for (at, model) in self.models.iter().enumerate() {
            if model.caches(namespace, name) {
                self.plan.start_over.insert(at);
            }
        }
    }

    /// Every model starts over: a change names rows the log does not give (a statement logged
    /// as SQL rather than as rows).
    #[cfg_attr(not(feature = "binlog"), allow(dead_code))]
    pub(crate) fn start_over_all(&mut self) {
        self.plan.start_over.extend(0..self.models.len());
    }

    /// A library write's mark, in the open transaction: it covers the keys the transaction's
    /// changes named before it (a later change names its keys again).
    // Only PostgreSQL's writes carry a mark (`feed::mark`).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn marked(&mut self, mark: &Mark<'_>) {
        self.open.marked(mark);
    }

    /// A transaction ended (or began: a transaction left open ends there).
    pub(crate) fn transaction_ends(&mut self) {
        self.open.close(&mut self.plan);
    }

    /// The batch's plan, once every change was read.
    pub(crate) fn finish(mut self) -> BatchPlan {
        // A batch holds whole transactions; should one end without its commit, its keys are
        // retired all the same.
        self.open.close(&mut self.plan);
        let plan = &mut self.plan;
        // A key some transaction of the batch changed without a mark is retired whatever Redis
        // holds.
        plan.covered.retain(|key, _| !plan.keys.contains(key));
        self.plan
    }
}
