//! pgoutput's messages read into a batch's plan (`plan.rs`): relations, row changes, truncates,
//! transaction boundaries and the library's own marks.

use std::collections::HashMap;

use super::keys::{ColumnText, ColumnTexts};
use super::mark;
use super::pgoutput::{Message, Relation, Tuple, Value};
#[cfg(test)]
use super::plan::BatchPlan;
#[cfg(test)]
use super::plan::FeedModel;
use super::plan::Planner;
#[cfg(test)]
use crate::cache::Cache;

/// What the log has said about tables so far: relations are sent once per session, before the
/// first change that needs them, so they outlive a batch.
#[derive(Default)]
pub(crate) struct Relations {
    pub(crate) by_id: HashMap<u32, Relation>,
}

/// The keys the messages of one batch retire, in log order, all read at once.
#[cfg(test)]
pub(crate) fn plan<'m>(
    cache: &Cache,
    models: &[FeedModel],
    relations: &mut Relations,
    messages: impl IntoIterator<Item = Message<'m>>,
) -> BatchPlan {
    let mut planner = Planner::new(cache, models, usize::MAX);
    planner.read(relations, messages);
    planner.finish()
}

impl Planner<'_> {
    /// Reads the next messages of the batch, in log order.
    pub(crate) fn read<'m>(
        &mut self,
        relations: &mut Relations,
        messages: impl IntoIterator<Item = Message<'m>>,
    ) {
        for message in messages {
            match message {
                Message::Relation(relation) => {
                    // pgoutput sends a table's relation again in every session (every peek):
                    // only a relation that changed since the last one is looked at again.
                    if relations.by_id.get(&relation.id) != Some(&relation) {
                        self.columns(&relation.namespace, &relation.name, |column| {
                            relation.columns.iter().any(|c| c.name == column)
                        });
                    }
                    relations.by_id.insert(relation.id, relation);
                }
                Message::Insert { relation, new } => self.tuples(relations, relation, &[&new]),
                Message::Update { relation, old, new } => {
                    let rows: Vec<&Tuple<'_>> = old.iter().chain([&new]).collect();
                    self.tuples(relations, relation, &rows)
                }
                Message::Delete { relation, old } => self.tuples(relations, relation, &[&old]),
                Message::Truncate { relations: ids, .. } => {
                    for id in ids {
                        if let Some(relation) = relations.by_id.get(&id) {
                            self.truncate(&relation.namespace, &relation.name);
                        }
                    }
                }
                Message::Commit {
                    end_lsn,
                    commit_time,
                    ..
                } => {
                    self.transaction_ends();
                    self.plan.commit_end = Some(end_lsn);
                    self.plan.commit_time = Some(commit_time);
                }
                Message::Begin { xid, .. } => {
                    self.transaction_ends();
                    self.plan.xids.push(xid);
                }
                Message::LogicalMessage {
                    transactional: true,
                    prefix: mark::PREFIX,
                    content,
                    ..
                } => match mark::read(content) {
                    Some(mark) => self.marked(&mark),
                    None => {
                        tracing::debug!("a write's mark could not be read; its keys are retired")
                    }
                },
                Message::Origin { .. } | Message::Type { .. } | Message::LogicalMessage { .. } => {}
            }
        }
    }

    /// A row change on relation `id`: its old and new tuples.
    fn tuples(&mut self, relations: &Relations, id: u32, rows: &[&Tuple<'_>]) {
        let Some(relation) = relations.by_id.get(&id) else {
            // pgoutput sends a relation before its first change in every session; a change
            // without one is a table the publication holds but no model reads.
            return;
        };
        let texts: Vec<RowTexts<'_, '_>> =
            rows.iter().map(|row| RowTexts { relation, row }).collect();
        let rows: Vec<&dyn ColumnTexts> = texts.iter().map(|row| row as &dyn ColumnTexts).collect();
        self.row_change(&relation.namespace, &relation.name, &rows);
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

#[cfg(test)]
mod tests {
    //! The planner on hand-built pgoutput messages: what each change names, what makes a model
    //! start over, and what it leaves alone.

    use std::time::Duration;

    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::feed::keys::{ChangeKeyWriter, UnreadableChange};
    use crate::feed::keys::{index_column, key_column};
    use crate::feed::pgoutput::{Column, Lsn};
    use crate::feed::plan::Cover;
    use crate::key::KeyWriter;
    use crate::model::{Cached, UniqueIndex};
    use std::collections::{BTreeMap, BTreeSet};

    /// A cached account: key `account:{id}`, unique (nullable) `email`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Account {
        id: i64,
        email: Option<String>,
    }

    impl Cached for Account {
        crate::model::rows_by_serde!();

        type Id<'a> = &'a i64;
        const MODEL_NAME: &'static str = "Account";
        const KEY_TEMPLATE: &'static str = "account:{id}";
        const TTL: Duration = Duration::from_secs(60);
        const NEGATIVE_TTL: Option<Duration> = None;
        const SCHEMA_FINGERPRINT: u64 = 7;

        fn id(&self) -> &i64 {
            &self.id
        }

        fn write_key(id: &i64, key: &mut KeyWriter) {
            key.literal("account:");
            key.part(id);
        }
    }

    impl UniqueIndex<0> for Account {
        type Value<'a> = &'a str;
        const INDEX_NAME: &'static str = "email";

        fn index_value(&self) -> Option<&str> {
            self.email.as_deref()
        }

        fn has_index_value(&self, value: &str) -> bool {
            self.index_value() == Some(value)
        }

        fn write_index_value(value: &str, key: &mut KeyWriter) {
            key.part(value);
        }
    }

    /// What the derive writes for `Account`: the row key, then the entry of a non-null email.
    fn account_keys(
        row: &dyn ColumnTexts,
        keys: &mut ChangeKeyWriter<'_>,
    ) -> Result<(), UnreadableChange> {
        let id: i64 = key_column(row, "id")?;
        keys.row::<Account>(&id);
        let email: Option<String> = index_column(row, "email")?;
        if let Some(email) = email {
            keys.index::<Account, 0>(email.as_str());
        }
        Ok(())
    }

    const ACCOUNTS: u32 = 16_384;
    const POSTS: u32 = 16_390;
    const AUDIT: u32 = 16_400;

    fn cache() -> Cache {
        // Lazy: building connects to nothing.
        Cache::builder("redis://127.0.0.1:6379").build().unwrap()
    }

    fn model(name: &'static str, schema: Option<&str>, table: &str) -> FeedModel {
        FeedModel {
            name,
            schema: schema.map(str::to_owned),
            table: table.to_owned(),
            key_columns: vec!["id"],
            keys: account_keys,
            patterns: Vec::new(),
        }
    }

    /// `Account` on `accounts` (index 0), and a second model on `posts` (index 1) whose rows have
    /// the same shape.
    fn models() -> Vec<FeedModel> {
        vec![
            model("Account", None, "accounts"),
            model("Post", None, "posts"),
        ]
    }

    fn column(name: &str, key: bool) -> Column {
        Column {
            key,
            name: name.to_owned(),
            type_oid: if name == "id" { 20 } else { 25 },
            type_modifier: -1,
        }
    }

    /// The relation of a table with columns `id` (the replica identity), `email`, `name`.
    fn relation(id: u32, namespace: &str, name: &str) -> Message<'static> {
        relation_with(id, namespace, name, &["id", "email", "name"])
    }

    fn relation_with(id: u32, namespace: &str, name: &str, columns: &[&str]) -> Message<'static> {
        Message::Relation(Relation {
            id,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            replica_identity: b'd',
            columns: columns.iter().map(|c| column(c, *c == "id")).collect(),
        })
    }

    fn text(value: &str) -> Value<'_> {
        Value::Text(value.as_bytes())
    }

    /// A whole row: `id`, `email` (`None` for NULL), `name`.
    fn row<'a>(id: &'a str, email: Option<&'a str>) -> Tuple<'a> {
        Tuple(vec![text(id), email.map_or(Value::Null, text), text("n")])
    }

    /// An old key tuple ('K'): the key, the other columns null.
    fn old_key(id: &str) -> Tuple<'_> {
        Tuple(vec![text(id), Value::Null, Value::Null])
    }

    fn insert<'a>(relation: u32, id: &'a str, email: Option<&'a str>) -> Message<'a> {
        Message::Insert {
            relation,
            new: row(id, email),
        }
    }

    fn commit(end_lsn: Lsn, commit_time: i64) -> Message<'static> {
        Message::Commit {
            flags: 0,
            commit_lsn: end_lsn - 8,
            end_lsn,
            commit_time,
        }
    }

    fn begin() -> Message<'static> {
        Message::Begin {
            final_lsn: 0,
            commit_time: 0,
            xid: 1,
        }
    }

    fn row_key(cache: &Cache, id: i64) -> Vec<u8> {
        cache.key::<Account>(&id)
    }

    fn entry(cache: &Cache, email: &str) -> Vec<u8> {
        cache.index_key::<Account, 0>(email)
    }

    fn keys(expected: impl IntoIterator<Item = Vec<u8>>) -> BTreeSet<Vec<u8>> {
        expected.into_iter().collect()
    }

    /// Plans `messages` on fresh relations.
    fn plan_of<'m>(
        cache: &Cache,
        models: &[FeedModel],
        messages: impl IntoIterator<Item = Message<'m>>,
    ) -> BatchPlan {
        plan(cache, models, &mut Relations::default(), messages)
    }

    #[test]
    fn an_insert_names_the_row_key_and_the_entry_of_its_unique_value() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                begin(),
                relation(ACCOUNTS, "public", "accounts"),
                insert(ACCOUNTS, "7", Some("ada@example.com")),
                commit(0x100, 1),
            ],
        );
        assert_eq!(
            batch.keys,
            keys([row_key(&cache, 7), entry(&cache, "ada@example.com")])
        );
        assert_eq!(batch.changes, 1);
        assert!(batch.start_over.is_empty());
        assert!(batch.unreadable.is_empty());
        // The keys are the ones `find` and `find_by_email` read.
        assert!(batch.keys.contains(b"wt:account:7".as_slice()), "{batch:?}");
    }

    #[test]
    fn an_update_of_the_key_names_the_old_and_the_new_row_keys() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                Message::Update {
                    relation: ACCOUNTS,
                    old: Some(old_key("1")),
                    new: row("1001", Some("ada@example.com")),
                },
            ],
        );
        assert_eq!(
            batch.keys,
            keys([
                row_key(&cache, 1),
                row_key(&cache, 1001),
                entry(&cache, "ada@example.com"),
            ])
        );
        assert_eq!(batch.changes, 1, "one change, however many rows it names");
        assert!(
            batch.unreadable.is_empty(),
            "the old key's nulls name no entry"
        );
    }

    #[test]
    fn an_update_without_an_old_tuple_names_the_new_key_only() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                Message::Update {
                    relation: ACCOUNTS,
                    old: None,
                    new: row("1", None),
                },
            ],
        );
        assert_eq!(batch.keys, keys([row_key(&cache, 1)]));
        assert_eq!(batch.changes, 1);
    }

    #[test]
    fn a_delete_names_the_old_row_key() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                Message::Delete {
                    relation: ACCOUNTS,
                    old: old_key("3"),
                },
            ],
        );
        assert_eq!(batch.keys, keys([row_key(&cache, 3)]));
        assert_eq!(batch.changes, 1);
        assert!(batch.unreadable.is_empty());
    }

    #[test]
    fn a_null_or_unchanged_toasted_unique_column_names_no_entry() {
        let cache = cache();
        let toasted = Tuple(vec![text("2"), Value::UnchangedToast, text("n")]);
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                insert(ACCOUNTS, "1", None),
                Message::Update {
                    relation: ACCOUNTS,
                    old: None,
                    new: toasted,
                },
            ],
        );
        assert_eq!(batch.keys, keys([row_key(&cache, 1), row_key(&cache, 2)]));
        assert_eq!(batch.changes, 2);
        assert!(batch.unreadable.is_empty());
    }

    #[test]
    fn a_change_on_a_table_no_model_caches_names_nothing_and_counts_no_change() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(AUDIT, "public", "audit_log"),
                insert(AUDIT, "1", Some("ada@example.com")),
                Message::Truncate {
                    options: 0,
                    relations: vec![AUDIT],
                },
                commit(0x200, 5),
            ],
        );
        assert!(batch.keys.is_empty(), "{batch:?}");
        assert_eq!(batch.changes, 0);
        assert!(batch.start_over.is_empty());
        assert!(batch.unreadable.is_empty());
        // The transaction still moves the slot on.
        assert_eq!(batch.commit_end, Some(0x200));
    }

    #[test]
    fn a_change_before_its_relation_names_nothing() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                insert(ACCOUNTS, "1", Some("ada@example.com")),
                relation(ACCOUNTS, "public", "accounts"),
            ],
        );
        assert!(batch.keys.is_empty(), "{batch:?}");
        assert_eq!(batch.changes, 0);
        assert!(batch.unreadable.is_empty());
    }

    #[test]
    fn relations_outlive_a_batch() {
        let cache = cache();
        let models = models();
        let mut relations = Relations::default();
        let first = plan(
            &cache,
            &models,
            &mut relations,
            [relation(ACCOUNTS, "public", "accounts")],
        );
        assert_eq!(first, BatchPlan::default());
        let second = plan(
            &cache,
            &models,
            &mut relations,
            [insert(ACCOUNTS, "4", None)],
        );
        assert_eq!(second.keys, keys([row_key(&cache, 4)]));
    }

    #[test]
    fn a_truncate_of_a_cached_table_makes_that_model_start_over_and_no_other() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                relation(POSTS, "public", "posts"),
                Message::Truncate {
                    options: 1,
                    relations: vec![POSTS],
                },
            ],
        );
        assert_eq!(batch.start_over, BTreeSet::from([1]));
        assert!(batch.keys.is_empty());
        // A truncate of both, with a table no model caches in the list.
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                relation(POSTS, "public", "posts"),
                relation(AUDIT, "public", "audit_log"),
                Message::Truncate {
                    options: 0,
                    relations: vec![AUDIT, ACCOUNTS, POSTS],
                },
            ],
        );
        assert_eq!(batch.start_over, BTreeSet::from([0, 1]));
    }

    #[test]
    fn a_relation_of_a_cached_table_without_a_key_column_makes_the_model_start_over() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(POSTS, "public", "posts"),
                relation_with(ACCOUNTS, "public", "accounts", &["account_id", "email"]),
                // A table no model caches may lack the column.
                relation_with(AUDIT, "public", "audit_log", &["at"]),
            ],
        );
        assert_eq!(batch.start_over, BTreeSet::from([0]));
        assert!(batch.keys.is_empty());
    }

    #[test]
    fn a_key_column_that_does_not_parse_is_reported_and_makes_the_model_start_over() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                insert(ACCOUNTS, "not a number", Some("ada@example.com")),
            ],
        );
        assert!(batch.keys.is_empty(), "{batch:?}");
        assert_eq!(
            batch.unreadable,
            vec![(
                "Account",
                UnreadableChange::Unparsable {
                    column: "id",
                    length: "not a number".len(),
                },
            )]
        );
        assert_eq!(
            batch.start_over,
            BTreeSet::from([0]),
            "its keys cannot be known"
        );
        assert_eq!(batch.changes, 1, "counted as a change on a cached table");
    }

    /// The keys fn reads the row key before the unique column; when only the unique column is
    /// unreadable, the row key it already named is still known.
    #[test]
    fn an_unparsable_unique_column_still_retires_the_row_key() {
        fn strict_keys(
            row: &dyn ColumnTexts,
            keys: &mut ChangeKeyWriter<'_>,
        ) -> Result<(), UnreadableChange> {
            let id: i64 = key_column(row, "id")?;
            keys.row::<Account>(&id);
            // A model that reads the unique column as a number the table does not hold.
            let _: Option<i64> = index_column(row, "email")?;
            Ok(())
        }
        let cache = cache();
        let mut account = model("Account", None, "accounts");
        account.keys = strict_keys;
        let batch = plan_of(
            &cache,
            &[account],
            [
                relation(ACCOUNTS, "public", "accounts"),
                insert(ACCOUNTS, "5", Some("ada@example.com")),
            ],
        );
        assert_eq!(batch.unreadable.len(), 1);
        assert_eq!(batch.keys, keys([row_key(&cache, 5)]));
    }

    #[test]
    fn commit_end_and_commit_time_are_the_last_commits() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                begin(),
                relation(ACCOUNTS, "public", "accounts"),
                insert(ACCOUNTS, "1", None),
                commit(0x100, 10),
                begin(),
                insert(ACCOUNTS, "2", None),
                commit(0x300, 30),
                begin(),
                insert(AUDIT, "3", None),
                commit(0x200, 20),
            ],
        );
        assert_eq!(batch.commit_end, Some(0x200));
        assert_eq!(batch.commit_time, Some(20));
        let none = plan_of(&cache, &models(), [begin()]);
        assert_eq!((none.commit_end, none.commit_time), (None, None));
    }

    #[test]
    fn a_model_whose_batch_names_more_keys_than_the_cap_starts_over_and_holds_no_more() {
        let cache = cache();
        let models = models();
        let mut relations = Relations::default();
        // At most 4 keys of a model: 2 per account row (its key and its email's entry).
        let mut planner = Planner::new(&cache, &models, 4);
        let ids: Vec<String> = (1..=50).map(|id| id.to_string()).collect();
        let emails: Vec<String> = ids.iter().map(|id| format!("{id}@example.com")).collect();
        planner.read(
            &mut relations,
            [
                relation(ACCOUNTS, "public", "accounts"),
                relation(POSTS, "public", "posts"),
                begin(),
                insert(POSTS, "7", None),
            ],
        );
        // One transaction, read a chunk at a time, as the feed fetches it.
        for chunk in ids.chunks(10).zip(emails.chunks(10)) {
            let inserts = chunk
                .0
                .iter()
                .zip(chunk.1)
                .map(|(id, email)| insert(ACCOUNTS, id, Some(email)));
            planner.read(&mut relations, inserts.collect::<Vec<_>>());
        }
        planner.read(&mut relations, [commit(0x100, 1)]);
        let batch = planner.finish();
        assert_eq!(batch.start_over, BTreeSet::from([0]), "accounts only");
        // The keys named up to the row that passed the cap, and the post's: no more.
        let held: Vec<_> = batch
            .keys
            .iter()
            .filter(|key| **key != cache.key::<Account>(&7))
            .collect();
        assert_eq!(held.len(), 6, "three rows' keys: {held:?}");
        assert!(batch.keys.contains(&cache.key::<Account>(&7)));
        assert_eq!(batch.changes, 51);
        assert_eq!(batch.commit_end, Some(0x100));
    }

    #[test]
    fn keys_are_named_once_across_a_batch() {
        let cache = cache();
        let batch = plan_of(
            &cache,
            &models(),
            [
                relation(ACCOUNTS, "public", "accounts"),
                begin(),
                insert(ACCOUNTS, "1", Some("ada@example.com")),
                commit(0x100, 1),
                begin(),
                Message::Update {
                    relation: ACCOUNTS,
                    old: None,
                    new: row("1", Some("ada@example.com")),
                },
                commit(0x200, 2),
                begin(),
                Message::Delete {
                    relation: ACCOUNTS,
                    old: old_key("1"),
                },
                commit(0x300, 3),
            ],
        );
        assert_eq!(
            batch.keys,
            keys([row_key(&cache, 1), entry(&cache, "ada@example.com")])
        );
        assert_eq!(batch.changes, 3);
    }

    #[test]
    fn a_schema_matches_only_its_namespace_and_none_matches_any() {
        let cache = cache();
        let in_app = [model("Account", Some("app"), "accounts")];
        let anywhere = [model("Account", None, "accounts")];
        let changes = |namespace: &str| {
            [
                relation(ACCOUNTS, namespace, "accounts"),
                insert(ACCOUNTS, "1", None),
                Message::Truncate {
                    options: 0,
                    relations: vec![ACCOUNTS],
                },
            ]
        };
        let app = plan_of(&cache, &in_app, changes("app"));
        assert_eq!(app.keys, keys([row_key(&cache, 1)]));
        assert_eq!(app.start_over, BTreeSet::from([0]));
        let public = plan_of(&cache, &in_app, changes("public"));
        assert_eq!(
            public,
            BatchPlan::default(),
            "another schema's table of that name"
        );
        for namespace in ["app", "public", "other"] {
            let any = plan_of(&cache, &anywhere, changes(namespace));
            assert_eq!(any.keys, keys([row_key(&cache, 1)]), "{namespace}");
            assert_eq!(any.start_over, BTreeSet::from([0]), "{namespace}");
        }
        // Nor does a relation of the other schema without the key column make it start over.
        let keyless = plan_of(
            &cache,
            &in_app,
            [relation_with(ACCOUNTS, "public", "accounts", &["email"])],
        );
        assert!(keyless.start_over.is_empty());
    }

    /// The mark a library write leaves after its statement.
    fn mark_of(content: &[u8]) -> Message<'_> {
        Message::LogicalMessage {
            transactional: true,
            lsn: 0,
            prefix: mark::PREFIX,
            content,
        }
    }

    /// A mark under lock `L` of `keys`, each published as the value `v`.
    fn marking(keys: &[&Vec<u8>]) -> Vec<u8> {
        mark::content(
            b"L",
            keys.iter()
                .map(|key| (key.as_slice(), Some(b"v".as_slice()))),
        )
    }

    fn cover() -> Cover {
        Cover {
            lock: b"L".to_vec(),
            value: Some(mark::digest(b"v")),
        }
    }

    fn update<'a>(relation: u32, id: &'a str, email: Option<&'a str>) -> Message<'a> {
        Message::Update {
            relation,
            old: None,
            new: row(id, email),
        }
    }

    #[test]
    fn a_library_write_s_mark_covers_the_keys_its_statement_changed() {
        let cache = cache();
        let (row, entry) = (row_key(&cache, 7), entry(&cache, "ada@example.com"));
        let marked = marking(&[&row, &entry]);
        let batch = plan_of(
            &cache,
            &models(),
            [
                begin(),
                relation(ACCOUNTS, "public", "accounts"),
                update(ACCOUNTS, "7", Some("ada@example.com")),
                mark_of(&marked),
                commit(0x100, 1),
            ],
        );
        assert_eq!(
            batch.keys,
            keys([]),
            "nothing is retired whatever Redis holds"
        );
        assert_eq!(
            batch.covered,
            BTreeMap::from([(row, cover()), (entry, cover())]),
            "retired only unless Redis holds the write's lock or its value"
        );
        assert_eq!(batch.changes, 1, "the change is still counted");
        assert_eq!(batch.commit_end, Some(0x100), "and the slot moves past it");
    }

    #[test]
    fn a_change_after_the_mark_in_the_same_transaction_is_retired() {
        // save, then raw SQL on the same row in one transaction: the value the save publishes
        // lacks the second change.
        let cache = cache();
        let marked = marking(&[&row_key(&cache, 7)]);
        let batch = plan_of(
            &cache,
            &models(),
            [
                begin(),
                relation(ACCOUNTS, "public", "accounts"),
                update(ACCOUNTS, "7", None),
                mark_of(&marked),
                update(ACCOUNTS, "7", None),
                commit(0x100, 1),
            ],
        );
        assert_eq!(batch.keys, keys([row_key(&cache, 7)]));
        assert!(batch.covered.is_empty());
    }

    #[test]
    fn a_mark_covers_only_its_keys_in_its_own_transaction() {
        let cache = cache();
        let marked = marking(&[&row_key(&cache, 7), &row_key(&cache, 9)]);
        let batch = plan_of(
            &cache,
            &models(),
            [
                begin(),
                relation(ACCOUNTS, "public", "accounts"),
                // Another row in the same transaction; key 9 is marked but was not changed.
                update(ACCOUNTS, "8", None),
                update(ACCOUNTS, "7", None),
                mark_of(&marked),
                commit(0x100, 1),
            ],
        );
        assert_eq!(batch.keys, keys([row_key(&cache, 8)]));
        assert_eq!(
            batch.covered,
            BTreeMap::from([(row_key(&cache, 7), cover())])
        );
    }

    #[test]
    fn an_unmarked_change_of_the_key_elsewhere_in_the_batch_wins() {
        let cache = cache();
        let marked = marking(&[&row_key(&cache, 7)]);
        for marked_first in [true, false] {
            let marked_transaction = [
                begin(),
                update(ACCOUNTS, "7", None),
                mark_of(&marked),
                commit(0x100, 1),
            ];
            let unmarked_transaction = [begin(), update(ACCOUNTS, "7", None), commit(0x200, 2)];
            let mut messages = vec![relation(ACCOUNTS, "public", "accounts")];
            if marked_first {
                messages.extend(marked_transaction);
                messages.extend(unmarked_transaction);
            } else {
                messages.extend(unmarked_transaction);
                messages.extend(marked_transaction);
            }
            let batch = plan_of(&cache, &models(), messages);
            assert_eq!(batch.keys, keys([row_key(&cache, 7)]), "{marked_first}");
            assert!(batch.covered.is_empty(), "{marked_first}");
        }
    }

    #[test]
    fn a_mark_before_the_change_or_not_the_library_s_covers_nothing() {
        let cache = cache();
        let marked = marking(&[&row_key(&cache, 7)]);
        let foreign = Message::LogicalMessage {
            transactional: true,
            lsn: 0,
            prefix: "another_tool",
            content: &marked,
        };
        let immediate = Message::LogicalMessage {
            transactional: false,
            lsn: 0,
            prefix: mark::PREFIX,
            content: &marked,
        };
        for (what, message) in [
            ("a mark before the change", mark_of(&marked)),
            ("another prefix", foreign),
            ("a message outside the transaction", immediate),
            ("content of another layout", mark_of(b"catch_up")),
        ] {
            let batch = plan_of(
                &cache,
                &models(),
                [
                    begin(),
                    relation(ACCOUNTS, "public", "accounts"),
                    message,
                    update(ACCOUNTS, "7", None),
                    commit(0x100, 1),
                ],
            );
            assert_eq!(batch.keys, keys([row_key(&cache, 7)]), "{what}");
            assert!(batch.covered.is_empty(), "{what}");
        }
    }
}
