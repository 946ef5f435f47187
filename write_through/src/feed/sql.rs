//! The statements the feed sends to PostgreSQL. Names of the slot and the publication are
//! checked identifiers ([`checked_name`]) and table names come from Diesel's `table!`, quoted, so
//! they are written into the text; nothing else is.

use super::pgoutput::{Lsn, format_lsn};

/// A slot or publication name PostgreSQL accepts unquoted: 1 to 63 lowercase ASCII letters,
/// digits or `_`, not starting with a digit.
pub(crate) fn checked_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `'text'`, quoted as a string literal.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

pub(crate) fn wal_level() -> String {
    "SELECT current_setting('wal_level') AS value".to_owned()
}

/// How many primary-key indexes `table` (a quoted, possibly qualified name) has; `NULL` when
/// there is no such table.
pub(crate) fn primary_keys(table: &str) -> String {
    format!(
        "SELECT CASE WHEN to_regclass({t}) IS NULL THEN NULL ELSE \
         (SELECT count(*) FROM pg_index WHERE indrelid = to_regclass({t}) AND indisprimary)::text END AS value",
        t = literal(table)
    )
}

/// The table's replica identity and the columns it sends of an old row, as `kind:a,b`: `d:id`
/// (the primary key's), `i:...` (an index's), `f:` (whole rows) or `n:` (nothing).
pub(crate) fn replica_identity(table: &str) -> String {
    format!(
        "SELECT c.relreplident::text || ':' || coalesce((SELECT string_agg(a.attname::text, ',') \
         FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
         WHERE i.indrelid = c.oid AND ((c.relreplident = 'd' AND i.indisprimary) \
         OR (c.relreplident = 'i' AND i.indisreplident))), '') AS value \
         FROM pg_class c WHERE c.oid = to_regclass({})",
        literal(table)
    )
}

/// The feed session's output formats, which the text of every value follows: the forms
/// `FromChangeText` reads, whatever the database's or the role's defaults say. Its own commits
/// wait for this server only: a synchronous standby that is down must not stop the feed.
pub(crate) fn session_formats() -> String {
    "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = postgres; SET bytea_output = hex; \
     SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET synchronous_commit = local"
        .to_owned()
}

/// Which of the publication's options let a change through, as `insert,update,delete,truncate,
/// via_root,all_tables` booleans (`t`/`f`).
pub(crate) fn publication_options(publication: &str) -> String {
    format!(
        "SELECT concat_ws(',', pubinsert, pubupdate, pubdelete, pubtruncate, pubviaroot, puballtables) \
         AS value FROM pg_publication WHERE pubname = {}",
        literal(publication)
    )
}

/// Whether the publication filters the table's rows or columns (PostgreSQL 15's row filters and
/// column lists), which would hide changes from the feed.
pub(crate) fn filtered(publication: &str, table: &str) -> String {
    format!(
        "SELECT 'yes' AS value FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid \
         WHERE p.pubname = {} AND r.prrelid = to_regclass({}) AND (r.prqual IS NOT NULL OR r.prattrs IS NOT NULL)",
        literal(publication),
        literal(table)
    )
}

/// The transactions still in progress (invisible to a new snapshot), as the ids of
/// `pg_current_snapshot()`: `xmin:xmax:xip,...`.
pub(crate) fn snapshot() -> String {
    "SELECT pg_current_snapshot()::text AS value".to_owned()
}

pub(crate) fn publication_exists(publication: &str) -> String {
    format!(
        "SELECT pubname::text AS value FROM pg_publication WHERE pubname = {}",
        literal(publication)
    )
}

/// Whether `table` is in the publication.
pub(crate) fn publishes(publication: &str, table: &str) -> String {
    format!(
        "SELECT 'yes' AS value FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid \
         WHERE p.pubname = {} AND r.prrelid = to_regclass({})",
        literal(publication),
        literal(table)
    )
}

/// Partitions publish their changes as their root's: the model's table.
pub(crate) fn create_publication(publication: &str, tables: &[String]) -> String {
    format!(
        "CREATE PUBLICATION {publication} FOR TABLE {} WITH (publish_via_partition_root = true)",
        tables.join(", ")
    )
}

pub(crate) fn add_table(publication: &str, table: &str) -> String {
    format!("ALTER PUBLICATION {publication} ADD TABLE {table}")
}

/// The slot's plugin and WAL status (`lost` once `max_slot_wal_keep_size` removed its WAL),
/// as `plugin/status`; no row when there is no slot.
pub(crate) fn slot_state(slot: &str) -> String {
    format!(
        "SELECT plugin::text || '/' || coalesce(wal_status, '') AS value FROM pg_replication_slots \
         WHERE slot_name = {}",
        literal(slot)
    )
}

pub(crate) fn create_slot(slot: &str) -> String {
    format!(
        "SELECT lsn::text AS value FROM pg_create_logical_replication_slot({}, 'pgoutput')",
        literal(slot)
    )
}

pub(crate) fn drop_slot(slot: &str) -> String {
    format!(
        "SELECT pg_drop_replication_slot({})::text AS value",
        literal(slot)
    )
}

pub(crate) fn confirmed(slot: &str) -> String {
    format!(
        "SELECT confirmed_flush_lsn::text AS value FROM pg_replication_slots WHERE slot_name = {}",
        literal(slot)
    )
}

/// The session-level advisory lock that makes one consumer of the slot active: the two-key form,
/// under a class of its own, so that it cannot collide with an application's one-key locks.
pub(crate) fn try_lock(slot: &str) -> String {
    format!(
        "SELECT pg_try_advisory_lock({LOCK_CLASS}, hashtext({}))::text AS value",
        literal(slot)
    )
}

/// "wt" in ASCII: the class of the feed's advisory locks.
const LOCK_CLASS: i32 = 0x7774;

/// Where the log is flushed to: every transaction committed before this statement ends at or
/// before it (a commit returns once its record is flushed, with the default
/// `synchronous_commit`). The feed's position when it found nothing more, and `catch_up`'s
/// target. (Not the insert position: on an idle server it can stay ahead of anything the slot
/// will ever decode.)
pub(crate) fn flushed() -> String {
    "SELECT pg_current_wal_flush_lsn()::text AS value".to_owned()
}

/// `catch_up`'s target when every inserted record is flushed (then every commit made before the
/// statement is at or before it); `NULL` when the log has records not yet flushed, which may be
/// commits made with `synchronous_commit = off` (visible, and not yet decodable).
pub(crate) fn flushed_if_complete() -> String {
    "SELECT CASE WHEN pg_current_wal_insert_lsn() <= pg_current_wal_flush_lsn() \
     THEN pg_current_wal_flush_lsn()::text END AS value"
        .to_owned()
}

/// A transaction that writes to the log, committed synchronously: its commit flushes the log up
/// to it, so every commit before it, asynchronous ones included, is then flushed and decodable.
/// (A transaction that only took an id writes no record of its own and commits without waiting
/// for the flush; an idle server may keep its last records unflushed indefinitely.) The message
/// is ignored by the feed, which does not ask pgoutput for messages.
/// `local`: the flush on this server is what the slot needs; a synchronous standby that is down
/// must not hold `catch_up` past its timeout.
pub(crate) fn force_flush() -> String {
    "BEGIN; SET LOCAL synchronous_commit = local; \
     SELECT pg_logical_emit_message(true, 'write_through.catch_up', ''); COMMIT;"
        .to_owned()
}

/// The slot's changes, from where it was last advanced, whole transactions, at least
/// `max_changes` rows when there are that many; with the library's marks (`feed::mark`), which
/// pgoutput sends only when asked (PostgreSQL 14 and later). Peeked, not consumed: the slot moves only with
/// [`advance`], after Redis acknowledged.
pub(crate) fn peek(slot: &str, publication: &str, max_changes: usize) -> String {
    format!(
        "SELECT lsn::text AS lsn, data FROM pg_logical_slot_peek_binary_changes({}, NULL, {max_changes}, \
         'proto_version', '1', 'publication_names', {}, 'messages', 'true')",
        literal(slot),
        literal(publication)
    )
}

/// The cursor a batch is read through, [`FETCH_ROWS`] messages at a time: the server keeps
/// the peek's result (spilling to disk past `work_mem`), and the feed only ever holds a chunk.
const CURSOR: &str = "write_through_changes";

/// How many messages one `FETCH` of the batch's cursor reads.
pub(crate) const FETCH_ROWS: usize = 1000;

/// Opens the batch's cursor over [`peek`], in a transaction of its own (a cursor lives in one).
pub(crate) fn open_changes(slot: &str, publication: &str, max_changes: usize) -> String {
    format!(
        "BEGIN; DECLARE {CURSOR} NO SCROLL CURSOR FOR {}",
        peek(slot, publication, max_changes)
    )
}

/// The batch's next [`FETCH_ROWS`] messages.
pub(crate) fn fetch_changes() -> String {
    format!("FETCH {FETCH_ROWS} FROM {CURSOR}")
}

/// Closes the batch's cursor and its transaction.
pub(crate) fn close_changes() -> String {
    format!("CLOSE {CURSOR}; COMMIT")
}

pub(crate) fn advance(slot: &str, to: Lsn) -> String {
    format!(
        "SELECT end_lsn::text AS value FROM pg_replication_slot_advance({}, {}::pg_lsn)",
        literal(slot),
        literal(&format_lsn(to))
    )
}

/// Whether the walsender streaming `slot` is a synchronous standby, or a candidate to become one
/// (`synchronous_standby_names` names its application name, or is `*`).
pub(crate) fn sync_standby(slot: &str) -> String {
    format!(
        "SELECT r.sync_state::text AS value FROM pg_stat_replication r \
         JOIN pg_replication_slots s ON s.active_pid = r.pid \
         WHERE s.slot_name = {} AND r.sync_state <> 'async'",
        literal(slot)
    )
}

/// The server's `wal_sender_timeout`, in milliseconds.
pub(crate) fn wal_sender_timeout() -> String {
    "SELECT setting AS value FROM pg_settings WHERE name = 'wal_sender_timeout'".to_owned()
}

/// How much WAL the slot keeps the server from recycling, in bytes.
pub(crate) fn retained(slot: &str) -> String {
    format!(
        "SELECT (pg_current_wal_lsn() - restart_lsn)::text AS value FROM pg_replication_slots \
         WHERE slot_name = {}",
        literal(slot)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_lowercase_identifiers() {
        assert!(checked_name("write_through"));
        assert!(checked_name("feed_2"));
        assert!(!checked_name(""));
        assert!(!checked_name("2feed"));
        assert!(!checked_name("Feed"));
        assert!(!checked_name("feed; DROP TABLE users"));
        assert!(!checked_name(&"a".repeat(64)));
    }

    #[test]
    fn literals_double_their_quotes() {
        assert_eq!(literal("o'brien"), "'o''brien'");
    }
}
