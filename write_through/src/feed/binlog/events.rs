//! The binlog's events read into a batch's plan (`plan.rs`), without I/O: table maps, row
//! events with their before and after images, statements (`TRUNCATE`, and the DDL that changes
//! a cached table's columns), and the ends of transactions with their GTIDs.
//!
//! MariaDB opens each transaction with a GTID event (type 162, which mysql_common leaves
//! unread: its body is read here) and ends it with an XID event, or a `COMMIT` statement for a
//! table that is not transactional; a DDL statement is a transaction of its own (its GTID event
//! is flagged standalone).

use std::collections::HashMap;

use mysql_async::Value;
use mysql_async::binlog::events::{Event, EventData, RowsEventData, TableMapEvent};
use mysql_async::binlog::row::BinlogRow;
use mysql_async::binlog::value::BinlogValue;
use mysql_async::consts::ColumnType;

use super::gtid::Gtid;
use crate::feed::keys::{ColumnText, ColumnTexts};
use crate::feed::mark;
use crate::feed::plan::Planner;

/// MariaDB's GTID event, which starts every transaction.
const MARIADB_GTID_EVENT: u8 = 162;
/// MariaDB's compressed query and row events (`QUERY_COMPRESSED_EVENT` to
/// `DELETE_ROWS_COMPRESSED_EVENT_V1`).
const COMPRESSED_EVENTS: std::ops::RangeInclusive<u8> = 165..=171;
/// The GTID event's flag for a transaction without `BEGIN` and `COMMIT` (a DDL statement).
const FL_STANDALONE: u8 = 1;

/// What an event meant for the reader of the stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Nothing to act on.
    Read,
    /// The transaction `Gtid` is read whole: what it changed is in the plan.
    Committed(Gtid),
    /// The server switched to binlog file `name`; the next event starts at `position` in it.
    Rotated {
        /// The file.
        name: String,
        /// Where in it the stream goes on.
        position: u64,
    },
}

/// What the reader keeps between events: the tables the stream mapped, and the transaction
/// being read.
#[derive(Default)]
pub(crate) struct BinlogReader {
    tables: HashMap<u64, TableMapEvent<'static>>,
    open: Option<Gtid>,
    standalone: bool,
    /// Whether the stream's format description was read: the fake rotate the server sends
    /// before it carries a checksum that mysql_async, not knowing the format yet, leaves on the
    /// file's name.
    described: bool,
    /// The foreign keys whose actions change rows of cached tables: InnoDB runs `ON DELETE` and
    /// `ON UPDATE` actions itself, and the binlog holds only the statement's own rows.
    pub(crate) cascades: Vec<Cascade>,
    /// Tables whose definition a statement changed since the session last looked: the column
    /// names it read from the server for them are to be read again.
    pub(crate) altered: Vec<(String, String)>,
}

/// The column names of tables, by database and table, for tables whose map does not carry them
/// (`binlog_row_metadata` below `FULL`).
pub(crate) trait ColumnNames {
    /// The names of `schema`.`table`'s columns, in order; `None` when not known.
    fn names(&self, schema: &str, table: &str) -> Option<&[String]>;
}

/// A foreign key that acts (`CASCADE`, `SET NULL`, `SET DEFAULT`) on rows of a cached table,
/// directly or through further such keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cascade {
    /// The referenced table: database and name.
    pub(crate) parent: (String, String),
    /// Its referenced columns.
    pub(crate) referenced: Vec<String>,
    /// Whether a deleted parent row changes child rows.
    pub(crate) on_delete: bool,
    /// Whether an update of the referenced columns changes child rows.
    pub(crate) on_update: bool,
    /// The tables whose rows the action may change: the child, and every table the child's own
    /// acting keys reach.
    pub(crate) reached: Vec<(String, String)>,
}

impl BinlogReader {
    /// Whether changes of `schema`.`table` may act on cached tables through a foreign key.
    pub(crate) fn is_cascade_parent(&self, schema: &str, table: &str) -> bool {
        self.cascades
            .iter()
            .any(|cascade| cascade.parent.0 == schema && cascade.parent.1 == table)
    }

    /// Reads one event into `planner`.
    pub(crate) fn read(
        &mut self,
        planner: &mut Planner<'_>,
        event: &Event,
        names: &dyn ColumnNames,
    ) -> Result<Step, std::io::Error> {
        let header = event.header();
        if header.event_type_raw() == MARIADB_GTID_EVENT {
            let (gtid, flags) = read_gtid(event.data(), header.server_id())?;
            planner.transaction_ends();
            self.open = Some(gtid);
            self.standalone = flags & FL_STANDALONE != 0;
            return Ok(Step::Read);
        }
        if COMPRESSED_EVENTS.contains(&header.event_type_raw()) {
            // MariaDB's compressed queries and rows (`log_bin_compress`, which a server can
            // turn on while the feed runs), which this reader does not inflate: nothing says
            // which keys they changed.
            tracing::warn!(
                "a compressed binlog event (log_bin_compress = ON); every model starts over"
            );
            planner.start_over_all();
            return Ok(Step::Read);
        }
        let Some(data) = event.read_data()? else {
            // An event type this reader does not need (MariaDB's annotations and checkpoints).
            return Ok(Step::Read);
        };
        match data {
            EventData::TableMapEvent(map) => {
                self.tables.insert(map.table_id(), map.into_owned());
                Ok(Step::Read)
            }
            EventData::RowsEvent(rows) => {
                self.rows(planner, &rows, names)?;
                Ok(Step::Read)
            }
            EventData::XidEvent(_) => Ok(self.commit(planner)),
            EventData::QueryEvent(query) => {
                let text = query.query();
                let statement = Statement::of(&text, &query.schema());
                match statement {
                    Statement::Commit => Ok(self.commit(planner)),
                    Statement::Definition { tables } => {
                        // A definition that names a cached table may have emptied, replaced or
                        // rewritten its rows (TRUNCATE, DROP, a RENAME swap, an ALTER that
                        // converts a column) with no row in the log: its models start over, and
                        // its columns are read again before its next rows.
                        for (schema, table) in tables {
                            planner.truncate(&schema, &table);
                            self.altered.push((schema, table));
                        }
                        Ok(self.statement_ends(planner))
                    }
                    Statement::DroppedDatabase => {
                        planner.start_over_all();
                        // Every name read is to be read again, and the foreign keys.
                        self.altered.push((String::new(), String::new()));
                        Ok(self.statement_ends(planner))
                    }
                    Statement::Rows => {
                        // A statement logged as such (a session with binlog_format =
                        // STATEMENT, a function's side effects, an XA transaction's commit):
                        // nothing in the log says which keys it changed.
                        tracing::warn!(
                            statement = %text.chars().take(40).collect::<String>(),
                            "rows changed by a statement the binlog holds as SQL; every model starts over"
                        );
                        planner.start_over_all();
                        Ok(self.statement_ends(planner))
                    }
                    Statement::Other => Ok(self.statement_ends(planner)),
                }
            }
            // The end of an XA transaction's first phase: its rows are in the log, its commit
            // (`XA COMMIT`, a statement of its own later) makes every model start over.
            EventData::XaPrepareLogEvent(_) => Ok(self.commit(planner)),
            EventData::RotateEvent(rotate) => {
                let mut name = rotate.name_raw().to_vec();
                if !self.described {
                    // mysql_async asks for checksums on every event (`@master_binlog_checksum`).
                    name.truncate(name.len().saturating_sub(4));
                }
                Ok(Step::Rotated {
                    name: String::from_utf8_lossy(&name).into_owned(),
                    position: rotate.position(),
                })
            }
            EventData::FormatDescriptionEvent(_) => {
                self.described = true;
                Ok(Step::Read)
            }
            _ => Ok(Step::Read),
        }
    }

    /// A transaction's end: what it changed goes to the plan.
    fn commit(&mut self, planner: &mut Planner<'_>) -> Step {
        planner.transaction_ends();
        self.standalone = false;
        match self.open.take() {
            Some(gtid) => Step::Committed(gtid),
            None => Step::Read,
        }
    }

    /// A statement outside `BEGIN` … `COMMIT` is a transaction of its own.
    fn statement_ends(&mut self, planner: &mut Planner<'_>) -> Step {
        if self.standalone {
            self.commit(planner)
        } else {
            Step::Read
        }
    }

    fn rows(
        &mut self,
        planner: &mut Planner<'_>,
        rows: &RowsEventData<'_>,
        names: &dyn ColumnNames,
    ) -> Result<(), std::io::Error> {
        let Some(map) = self.tables.get(&rows.table_id()) else {
            // A row event always follows its table's map; without one nothing can be read.
            return Err(std::io::Error::other("a row event without its table map"));
        };
        let schema = map.database_name();
        let table = map.table_name();
        if table == mark::MYSQL_TABLE {
            return read_marks(planner, rows, map);
        }
        let from_map = names_in_map(map);
        let deletes = matches!(
            rows,
            RowsEventData::DeleteRowsEvent(_) | RowsEventData::DeleteRowsEventV1(_)
        );
        // Names read from `information_schema` are the table's as it is now; should they not
        // match the row's column count, a later DDL statement changed the table since this row
        // was written, and no column can be trusted (`binlog_row_metadata = FULL` sends the
        // names with each map instead).
        let columns: Option<&[String]> = match &from_map {
            Some(columns) => Some(columns),
            None => names
                .names(&schema, &table)
                .filter(|names| names.len() as u64 == map.columns_count()),
        };
        let Some(columns) = columns else {
            // The session reads the names of every table a model reads (or whose keys act on
            // one) before its rows: a table no model reads, or one whose names no longer fit
            // its rows. Its models, if any, start over: its rows cannot be read.
            planner.truncate(&schema, &table);
            return Ok(());
        };
        planner.columns(&schema, &table, |column| {
            columns.iter().any(|c| c.eq_ignore_ascii_case(column))
        });
        let n = columns.len();
        if !whole(rows.columns_before_image(), n) || !whole(rows.columns_after_image(), n) {
            // A session that set binlog_row_image = MINIMAL or NOBLOB: values are missing and
            // the others are not where the names say.
            tracing::warn!(
                table = %table,
                "a row logged without all its columns (binlog_row_image); the table's models start over"
            );
            planner.truncate(&schema, &table);
            return Ok(());
        }
        let cascades: Vec<&Cascade> = self
            .cascades
            .iter()
            .filter(|cascade| cascade.parent.0 == schema && cascade.parent.1 == table)
            .collect();
        for row in rows.rows(map) {
            let (before, after) = row?;
            let images: Vec<RowImage<'_>> = [before, after]
                .into_iter()
                .flatten()
                .map(|row| RowImage::new(columns, map, row))
                .collect();
            for cascade in &cascades {
                // The rows the action changed are not in the log: the tables it reaches start
                // over.
                let acts = if deletes {
                    cascade.on_delete
                } else {
                    cascade.on_update
                        && images.len() == 2
                        && cascade
                            .referenced
                            .iter()
                            .any(|column| images[0].column(column) != images[1].column(column))
                };
                if acts {
                    for (schema, table) in &cascade.reached {
                        planner.truncate(schema, table);
                    }
                }
            }
            let images: Vec<&dyn ColumnTexts> =
                images.iter().map(|row| row as &dyn ColumnTexts).collect();
            planner.row_change(&schema, &table, &images);
        }
        Ok(())
    }
}

/// A library write's mark: the row of its connection in the marks table, `(connection, mark)`,
/// as the write left it (the after image).
fn read_marks(
    planner: &mut Planner<'_>,
    rows: &RowsEventData<'_>,
    map: &TableMapEvent<'_>,
) -> Result<(), std::io::Error> {
    for row in rows.rows(map) {
        let (_, after) = row?;
        let Some(mut after) = after else {
            continue;
        };
        if let Some(BinlogValue::Value(Value::Bytes(content))) = after.take(1) {
            match mark::read(&content) {
                Some(mark) => planner.marked(&mark),
                None => tracing::debug!("a write's mark could not be read; its keys are retired"),
            }
        }
    }
    Ok(())
}

/// Whether a row image's bitmap (`None`: no such image) has each of the first `columns` set.
fn whole<I>(image: Option<I>, columns: usize) -> bool
where
    I: IntoIterator,
    I::Item: std::ops::Deref<Target = bool>,
{
    image.is_none_or(|bits| bits.into_iter().take(columns).all(|bit| *bit))
}

/// The column names a table map carries (`binlog_row_metadata = FULL`).
fn names_in_map(map: &TableMapEvent<'_>) -> Option<Vec<String>> {
    let meta =
        mysql_async::binlog::events::OptionalMetaExtractor::new(map.iter_optional_meta()).ok()?;
    let names: Vec<String> = meta
        .iter_column_name()
        .map(|name| name.map(|name| name.name().into_owned()))
        .collect::<Result<_, _>>()
        .ok()?;
    (names.len() as u64 == map.columns_count()).then_some(names)
}

/// MariaDB's GTID event body: the sequence number (8 bytes), the domain (4), flags (1), then
/// what the reader does not need. The server id is the event header's.
fn read_gtid(body: &[u8], server: u32) -> Result<(Gtid, u8), std::io::Error> {
    let too_short = || std::io::Error::other("a GTID event shorter than its fields");
    let sequence = u64::from_le_bytes(
        body.get(0..8)
            .ok_or_else(too_short)?
            .try_into()
            .unwrap_or_default(),
    );
    let domain = u32::from_le_bytes(
        body.get(8..12)
            .ok_or_else(too_short)?
            .try_into()
            .unwrap_or_default(),
    );
    let flags = *body.get(12).ok_or_else(too_short)?;
    Ok((
        Gtid {
            domain,
            server,
            sequence,
        },
        flags,
    ))
}

/// One row image, its values rendered as the feed's key readers parse them
/// ([`crate::feed::FromChangeText`]).
struct RowImage<'c> {
    columns: &'c [String],
    values: Vec<ColumnValue>,
}

enum ColumnValue {
    Text(String),
    Null,
    /// Not in the image, or a value no key is made of (JSON).
    Absent,
}

impl<'c> RowImage<'c> {
    fn new(columns: &'c [String], map: &TableMapEvent<'_>, mut row: BinlogRow) -> Self {
        let values = (0..columns.len())
            .map(|at| {
                let kind = map.get_column_type(at).ok().flatten();
                match row.take(at) {
                    Some(BinlogValue::Value(value)) => text_of(value, kind),
                    _ => ColumnValue::Absent,
                }
            })
            .collect();
        RowImage { columns, values }
    }
}

impl ColumnTexts for RowImage<'_> {
    fn column(&self, column: &str) -> ColumnText<'_> {
        // MariaDB's column names are not case-sensitive.
        let Some(at) = self
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column))
        else {
            return ColumnText::Absent;
        };
        match self.values.get(at) {
            Some(ColumnValue::Text(text)) => ColumnText::Value(text),
            Some(ColumnValue::Null) => ColumnText::Null,
            Some(ColumnValue::Absent) | None => ColumnText::Absent,
        }
    }
}

/// A value as the key readers parse it: integers in decimal, text as it is, bytes that are not
/// text in PostgreSQL's `\x` hex form (as `Vec<u8>` reads them), dates as `2024-05-01`, times
/// of day and timestamps as `2024-05-01 12:00:00.5`.
fn text_of(value: Value, kind: Option<ColumnType>) -> ColumnValue {
    let text = match value {
        Value::NULL => return ColumnValue::Null,
        Value::Int(n) => n.to_string(),
        Value::UInt(n) => n.to_string(),
        Value::Float(n) => n.to_string(),
        Value::Double(n) => n.to_string(),
        Value::Bytes(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let bytes = error.into_bytes();
                let mut hex = String::with_capacity(2 + 2 * bytes.len());
                hex.push_str("\\x");
                for byte in bytes {
                    hex.push_str(&format!("{byte:02x}"));
                }
                hex
            }
        },
        Value::Date(year, month, day, hour, minute, second, micros) => {
            if matches!(
                kind,
                Some(ColumnType::MYSQL_TYPE_DATE | ColumnType::MYSQL_TYPE_NEWDATE)
            ) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!(
                    "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}.{micros:06}"
                )
            }
        }
        Value::Time(negative, days, hours, minutes, seconds, micros) => {
            let hours = u32::from(hours) + days * 24;
            let sign = if negative { "-" } else { "" };
            format!("{sign}{hours:02}:{minutes:02}:{seconds:02}.{micros:06}")
        }
    };
    ColumnValue::Text(text)
}

/// What a statement in the binlog means to the feed.
#[derive(Debug, PartialEq, Eq)]
enum Statement {
    /// `COMMIT`: a transaction on a table that is not transactional ends.
    Commit,
    /// `TRUNCATE`, `ALTER`, `RENAME`, `DROP`, `CREATE`: every name the statement holds, each as
    /// `(database, table)` (keywords too: a conservative reading, since a definition may name
    /// several tables, as a `RENAME` swap does).
    Definition { tables: Vec<(String, String)> },
    /// `DROP DATABASE` (or `SCHEMA`).
    DroppedDatabase,
    /// Rows changed by a statement logged as SQL, whose rows the log does not give: `INSERT`,
    /// `UPDATE`, `DELETE`, `REPLACE`, `LOAD DATA`, `SET STATEMENT ... FOR`, a `SELECT`, `DO` or
    /// `CALL` whose functions wrote, `XA COMMIT`.
    Rows,
    /// Anything else (`BEGIN`, `SAVEPOINT`, `XA START`, grants).
    Other,
}

impl Statement {
    /// The meaning of `text`, run with `default_schema` as the current database.
    fn of(text: &str, default_schema: &str) -> Statement {
        let words = words(text);
        let upper: Vec<String> = words.iter().map(|word| word.to_ascii_uppercase()).collect();
        let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
        match upper.as_slice() {
            ["COMMIT", ..] => Statement::Commit,
            ["DROP", "DATABASE" | "SCHEMA", ..] => Statement::DroppedDatabase,
            ["TRUNCATE" | "ALTER" | "RENAME" | "DROP" | "CREATE", ..] => Statement::Definition {
                tables: words[1..]
                    .iter()
                    .map(|name| qualified(name, default_schema))
                    .collect(),
            },
            ["XA", "COMMIT", ..]
            | [
                "INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "LOAD" | "SELECT" | "DO" | "CALL",
                ..,
            ]
            | ["SET", "STATEMENT", ..] => Statement::Rows,
            _ => Statement::Other,
        }
    }
}

/// The words of a statement: comments dropped, a backquoted name kept whole (quotes included),
/// `.` kept inside a name, `,` and `;` and parentheses ending a word.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                word.push(c);
                while let Some(c) = chars.next() {
                    word.push(c);
                    if c == '`' {
                        if chars.peek() == Some(&'`') {
                            // A doubled quote inside the name: kept for `qualified` to read.
                            chars.next();
                            word.push('`');
                            continue;
                        }
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                push_word(&mut words, &mut word);
            }
            c if c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')') => {
                push_word(&mut words, &mut word);
            }
            c => word.push(c),
        }
    }
    push_word(&mut words, &mut word);
    words
}

fn push_word(words: &mut Vec<String>, word: &mut String) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// `db.name`, `` `db`.`name` `` or `name` (in `default_schema`), unquoted.
fn qualified(name: &str, default_schema: &str) -> (String, String) {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' if quoted && chars.peek() == Some(&'`') => {
                chars.next();
                current.push('`');
            }
            '`' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    let table = parts.pop().unwrap_or_default();
    let schema = parts.pop().unwrap_or_else(|| default_schema.to_owned());
    (schema, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(statement: &Statement) -> Vec<(String, String)> {
        match statement {
            Statement::Definition { tables } => tables.clone(),
            other => panic!("not a definition: {other:?}"),
        }
    }

    fn named(statement: &Statement, schema: &str, table: &str) -> bool {
        names(statement).contains(&(schema.to_owned(), table.to_owned()))
    }

    #[test]
    fn a_definition_names_every_table_it_holds_in_the_current_or_a_named_database() {
        let truncate = Statement::of("TRUNCATE TABLE wt_users", "test");
        assert!(named(&truncate, "test", "wt_users"));
        let quoted = Statement::of("truncate `app`.`my``users`;", "test");
        assert!(named(&quoted, "app", "my`users"));
        let commented = Statement::of("/* by a job */ TRUNCATE app.users", "test");
        assert!(named(&commented, "app", "users"));
        let swap = Statement::of("RENAME TABLE users TO users_old, users_new TO users", "app");
        assert!(named(&swap, "app", "users") && named(&swap, "app", "users_new"));
        let altered = Statement::of("ALTER TABLE IF EXISTS wt_users DROP COLUMN email", "test");
        assert!(named(&altered, "test", "wt_users"));
        let dropped = Statement::of(
            "DROP TABLE IF EXISTS `test`.`wt_users` /* generated by server */",
            "x",
        );
        assert!(named(&dropped, "test", "wt_users"));
        let replaced = Statement::of("CREATE OR REPLACE TABLE t2 AS SELECT 1", "db");
        assert!(named(&replaced, "db", "t2"));
    }

    #[test]
    fn statements_that_changed_rows_the_log_does_not_give_are_recognized() {
        for rows in [
            "update wt_users set name = 'x'",
            "INSERT INTO t VALUES (1)",
            "SET STATEMENT max_statement_time=1 FOR UPDATE t SET a = 1",
            "SELECT f()",
            "DO f()",
            "XA COMMIT 'trx1'",
            "LOAD DATA INFILE 'x' INTO TABLE t",
        ] {
            assert_eq!(Statement::of(rows, "test"), Statement::Rows, "{rows}");
        }
        assert_eq!(Statement::of("COMMIT", "test"), Statement::Commit);
        assert_eq!(Statement::of("BEGIN", "test"), Statement::Other);
        assert_eq!(Statement::of("XA START 'x'", "test"), Statement::Other);
        assert_eq!(
            Statement::of("DROP DATABASE app", "test"),
            Statement::DroppedDatabase
        );
    }

    #[test]
    fn a_gtid_event_reads_its_sequence_domain_and_flags() {
        let mut body = 42u64.to_le_bytes().to_vec();
        body.extend(7u32.to_le_bytes());
        body.push(FL_STANDALONE);
        body.extend([0; 6]);
        let (gtid, flags) = read_gtid(&body, 3).unwrap();
        assert_eq!(
            gtid,
            Gtid {
                domain: 7,
                server: 3,
                sequence: 42
            }
        );
        assert_eq!(flags, FL_STANDALONE);
        assert!(read_gtid(&body[..10], 3).is_err());
    }

    #[test]
    fn values_render_as_the_key_readers_parse_them() {
        let text = |value, kind| match text_of(value, kind) {
            ColumnValue::Text(text) => text,
            ColumnValue::Null => "NULL".to_owned(),
            ColumnValue::Absent => "absent".to_owned(),
        };
        assert_eq!(text(Value::Int(-7), None), "-7");
        assert_eq!(text(Value::UInt(u64::MAX), None), "18446744073709551615");
        assert_eq!(text(Value::Bytes(b"ada".to_vec()), None), "ada");
        assert_eq!(text(Value::Bytes(vec![0xff, 0x00]), None), "\\xff00");
        assert_eq!(text(Value::NULL, None), "NULL");
        assert_eq!(
            text(
                Value::Date(2024, 5, 1, 0, 0, 0, 0),
                Some(ColumnType::MYSQL_TYPE_DATE)
            ),
            "2024-05-01"
        );
        assert_eq!(
            text(
                Value::Date(2024, 5, 1, 12, 0, 0, 500_000),
                Some(ColumnType::MYSQL_TYPE_DATETIME2)
            ),
            "2024-05-01 12:00:00.500000"
        );
    }
}
