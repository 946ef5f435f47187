//! The column types real applications use, on each backend: a row is served from Redis after
//! `save` (the row changed behind the cache's back is not seen), filled after a miss and served
//! again, served by `find_many`, and a value left by an earlier deploy (bincode, envelope
//! version 1) is either read or a clean miss that refills. A model whose type its codec cannot
//! carry is never cached, and says so.
//!
//! The scalar models (`*Scalars`) carry an `i32` key, `i16`, `i32`, `f32`, `f64` and `bool`
//! columns, and an enum mapped to a custom SQL type (a PostgreSQL enum type, a MySQL `ENUM`
//! column; text on SQLite), plain and nullable. The ledger models (`*Ledger`, the
//! `*_ledger::` tests) carry `NUMERIC`/`DECIMAL` as `BigDecimal`, the `time` crate's four date
//! and time types and chrono's `NaiveTime`, under a key of a `NaiveDate` and text.

use std::fmt::Debug;
use write_through::blocking::{ModelOps as _, SaveOps as _};

use chrono::{DateTime, NaiveDateTime};
use diesel::connection::LoadConnection;
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;
use write_through::{Cached, Codec, DieselOps, blocking};
use write_through_tests::column_types::{
    LiteForced, LiteLedger, LiteScalars, LiteVersion, MYSQL_DDL, MyLedger, MyScalars, MyVersion,
    POSTGRES_DDL, PgAccount, PgLedger, PgScalars, PgVersion, SQLITE_DDL, Status, create_tables,
};
use write_through_tests::{TestCache, unique, unique_i32};

fn postgres() -> Option<(PgConnection, TestCache)> {
    let mut conn = write_through_tests::postgres()?;
    create_tables(&mut conn, POSTGRES_DDL);
    Some((conn, TestCache::new()?))
}

fn mysql() -> Option<(MysqlConnection, TestCache)> {
    let mut conn = write_through_tests::mysql()?;
    create_tables(&mut conn, MYSQL_DDL);
    Some((conn, TestCache::new()?))
}

fn sqlite() -> Option<(SqliteConnection, tempfile::TempDir, TestCache)> {
    let (mut conn, dir) = write_through_tests::sqlite();
    create_tables(&mut conn, SQLITE_DDL);
    Some((conn, dir, TestCache::new()?))
}

fn uuid() -> Uuid {
    Uuid::from_u128((u128::from(unique()) << 64) | 0x4000_8000_0000_0000)
}

fn pg_version() -> PgVersion {
    PgVersion {
        id: uuid(),
        num: "1.0.0".into(),
        features: json!({"default": ["std"], "serde": ["dep:serde", "std"]}),
        checksum: vec![0, 1, 0xfe, 0xff],
        authors: vec!["Ada".into(), "Grace \"amazing\" Hopper".into()],
        created_at: DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap(),
        yanked_at: Some(NaiveDateTime::default()),
        meta: Some(json!({"nested": {"list": [1, 2.5, null, true, "x"]}})),
    }
}

fn pg_account() -> PgAccount {
    PgAccount {
        tenant: uuid(),
        id: unique() as i64,
        name: "ada".into(),
        avatar: Some(vec![0x89, b'P', b'N', b'G']),
        roles: vec!["admin".into(), "billing".into()],
        joined_at: DateTime::from_timestamp(1_600_000_000, 1_000).unwrap(),
    }
}

fn my_version() -> MyVersion {
    MyVersion {
        id: unique() as i64,
        num: "0.3.1".into(),
        features: json!({"default": [], "full": ["a", "b"]}),
        checksum: vec![0, 0xff, 7],
        created_at: DateTime::from_timestamp(1_700_000_001, 654_321_000)
            .unwrap()
            .naive_utc(),
        meta: None,
    }
}

fn lite_version() -> LiteVersion {
    LiteVersion {
        id: unique() as i64,
        num: "2.0.0-rc.1".into(),
        features: json!({"x": {"y": [true, false]}}),
        checksum: vec![1, 2, 3],
        created_at: DateTime::from_timestamp(1_700_000_002, 500_000_000)
            .unwrap()
            .naive_utc(),
        meta: Some(json!([{"k": "v"}, 3])),
    }
}

/// The scalar columns' values: extremes of the integers, floats that are not short decimals,
/// both enum columns set or the nullable one empty.
macro_rules! scalars {
    ($model:ident, $previous:expr) => {
        $model {
            id: unique_i32(),
            small: i16::MIN,
            stars: i32::MAX,
            ratio: 0.1,
            score: -12_345.678_901_234_567,
            active: true,
            status: Status::Published,
            previous: $previous,
        }
    };
}

/// SQL that changes every scalar column of a `*_scalars` row (its enum to `'archived'`).
fn scalars_changed_behind(table: &str, id: i32) -> String {
    format!(
        "UPDATE {table} SET small = 1, stars = -1, ratio = 2, score = 3, active = NOT active, \
         status = 'archived', previous = NULL WHERE id = {id}"
    )
}

fn pg_scalars_fixture(previous: Option<Status>) -> Fixture<PgScalars> {
    let row = scalars!(PgScalars, previous);
    Fixture {
        key: format!("pg_scalars:{}", row.id),
        change_behind: scalars_changed_behind("wt_pg_scalars", row.id),
        row,
    }
}

fn my_scalars_fixture(previous: Option<Status>) -> Fixture<MyScalars> {
    let row = scalars!(MyScalars, previous);
    Fixture {
        key: format!("my_scalars:{}", row.id),
        change_behind: scalars_changed_behind("wt_my_scalars", row.id),
        row,
    }
}

fn lite_scalars_fixture(previous: Option<Status>) -> Fixture<LiteScalars> {
    let row = scalars!(LiteScalars, previous);
    Fixture {
        key: format!("lite_scalars:{}", row.id),
        change_behind: scalars_changed_behind("wt_lite_scalars", row.id),
        row,
    }
}

/// A ledger row: `amount` and `fee` (a decimal each, the fee absent when `None`), times with
/// fractions of a second, an instant in UTC, a leap day.
macro_rules! ledger {
    ($model:ident, $amount:expr, $fee:expr) => {
        $model {
            day: chrono::NaiveDate::from_num_days_from_ce_opt(730_000 + (unique() % 20_000) as i32)
                .unwrap(),
            code: format!("inv-{}", unique()),
            amount: $amount.parse().unwrap(),
            fee: $fee.map(|fee: &str| fee.parse().unwrap()),
            opens_at: chrono::NaiveTime::from_hms_micro_opt(9, 30, 15, 250_000).unwrap(),
            booked_at: time::macros::datetime!(2024-02-29 23:59:58.5 UTC),
            settles_on: time::macros::date!(2024-03-04),
            cutoff: time::macros::time!(17:45:00.125),
            recorded_at: time::macros::datetime!(2024-02-29 23:59:59.75),
        }
    };
}

/// SQL that changes a ledger row's money and cut-off without telling the cache.
fn ledger_changed_behind(table: &str, day: chrono::NaiveDate, code: &str) -> String {
    format!(
        "UPDATE {table} SET amount = 1, fee = NULL, cutoff = '00:00:01' \
         WHERE day = '{day}' AND code = '{code}'"
    )
}

fn pg_ledger_fixture() -> Fixture<PgLedger> {
    // Beyond what an f64 carries, in both parts.
    let row = ledger!(
        PgLedger,
        "123456789012345678901234567890.000000000000000000000001",
        Some("0.1")
    );
    Fixture {
        key: format!("pg_ledger:{}:{}", row.day, row.code),
        change_behind: ledger_changed_behind("wt_pg_ledger", row.day, &row.code),
        row,
    }
}

fn my_ledger_fixture() -> Fixture<MyLedger> {
    // The most a DECIMAL(38, 12) holds: 26 digits, then 12.
    let mut row = ledger!(
        MyLedger,
        "12345678901234567890123456.123456789012",
        None::<&str>
    );
    // Diesel 2.3 writes a `time::Time` to a MySQL TIME with no fraction of a second (its
    // `second_part` is 0; chrono's `NaiveTime` keeps it): the database stores 17:45:00, and so
    // does the cache, which holds the row as stored. The fixture says what is stored.
    row.cutoff = time::macros::time!(17:45:00);
    Fixture {
        key: format!("my_ledger:{}:{}", row.day, row.code),
        change_behind: ledger_changed_behind("wt_my_ledger", row.day, &row.code),
        row,
    }
}

fn lite_ledger_fixture() -> Fixture<LiteLedger> {
    // SQLite's NUMERIC goes through an f64 in Diesel: values it carries exactly.
    let row = ledger!(LiteLedger, "12345.25", Some("0.125"));
    Fixture {
        key: format!("lite_ledger:{}:{}", row.day, row.code),
        change_behind: ledger_changed_behind("wt_lite_ledger", row.day, &row.code),
        row,
    }
}

/// One model on one backend: how to reach its row behind the cache's back.
struct Fixture<M> {
    row: M,
    /// The rendered key template.
    key: String,
    /// SQL that changes the row without telling the cache.
    change_behind: String,
}

fn pg_version_fixture() -> Fixture<PgVersion> {
    let row = pg_version();
    Fixture {
        key: format!("pg_version:{}", row.id),
        change_behind: format!(
            "UPDATE wt_pg_versions SET num = 'behind', features = '{{}}' WHERE id = '{}'",
            row.id
        ),
        row,
    }
}

fn pg_account_fixture() -> Fixture<PgAccount> {
    let row = pg_account();
    Fixture {
        key: format!("pg_account:{}:{}", row.tenant, row.id),
        change_behind: format!(
            "UPDATE wt_pg_accounts SET name = 'behind', roles = '{{}}' WHERE tenant = '{}' AND id = {}",
            row.tenant, row.id
        ),
        row,
    }
}

fn my_version_fixture() -> Fixture<MyVersion> {
    let row = my_version();
    Fixture {
        key: format!("my_version:{}", row.id),
        change_behind: format!(
            "UPDATE wt_my_versions SET num = 'behind', features = '{{}}' WHERE id = {}",
            row.id
        ),
        row,
    }
}

fn lite_version_fixture() -> Fixture<LiteVersion> {
    let row = lite_version();
    Fixture {
        key: format!("lite_version:{}", row.id),
        change_behind: format!(
            "UPDATE wt_lite_versions SET num = 'behind', features = '{{}}' WHERE id = {}",
            row.id
        ),
        row,
    }
}

fn served_from_redis_after_save<C, M>(conn: &mut C, tc: &mut TestCache, fixture: Fixture<M>)
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend> + PartialEq + Debug,
{
    blocking::save(&fixture.row, conn, &tc.cache).unwrap();
    assert!(tc.raw(&fixture.key).is_some(), "the saved row is cached");
    conn.batch_execute(&fixture.change_behind).unwrap();
    let hits = tc.cache.stats().hits;
    let found: Option<M> = blocking::find(conn, &tc.cache, fixture.row.id()).unwrap();
    assert_eq!(found.as_ref(), Some(&fixture.row), "the cached value");
    assert_eq!(tc.cache.stats().hits, hits + 1);
}

fn filled_after_a_miss_and_served_again<C, M>(conn: &mut C, tc: &mut TestCache, fixture: Fixture<M>)
where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend> + PartialEq + Debug,
{
    blocking::save(&fixture.row, conn, &tc.cache).unwrap();
    tc.cache.invalidate::<M>(fixture.row.id()).unwrap();
    let misses = tc.cache.stats().misses;
    let loaded: Option<M> = blocking::find(conn, &tc.cache, fixture.row.id()).unwrap();
    assert_eq!(loaded.as_ref(), Some(&fixture.row));
    assert_eq!(tc.cache.stats().misses, misses + 1, "the first find missed");
    assert!(tc.raw(&fixture.key).is_some(), "and filled the cache");
    conn.batch_execute(&fixture.change_behind).unwrap();
    let found: Option<M> = blocking::find(conn, &tc.cache, fixture.row.id()).unwrap();
    assert_eq!(found.as_ref(), Some(&fixture.row), "served from the fill");
}

fn served_by_find_many<C, M>(
    conn: &mut C,
    tc: &mut TestCache,
    first: Fixture<M>,
    second: Fixture<M>,
) where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend> + PartialEq + Debug,
{
    blocking::save(&first.row, conn, &tc.cache).unwrap();
    blocking::save(&second.row, conn, &tc.cache).unwrap();
    // The second is filled by the batch itself, the first is a hit.
    tc.cache.invalidate::<M>(second.row.id()).unwrap();
    let loaded: Vec<Option<M>> =
        blocking::find_many(conn, &tc.cache, [first.row.id(), second.row.id()]).unwrap();
    assert_eq!(
        loaded.iter().map(Option::as_ref).collect::<Vec<_>>(),
        [Some(&first.row), Some(&second.row)]
    );
    conn.batch_execute(&first.change_behind).unwrap();
    conn.batch_execute(&second.change_behind).unwrap();
    let hits = tc.cache.stats().hits;
    let found: Vec<Option<M>> =
        blocking::find_many(conn, &tc.cache, [first.row.id(), second.row.id()]).unwrap();
    assert_eq!(
        found.iter().flatten().collect::<Vec<_>>(),
        [&first.row, &second.row]
    );
    assert_eq!(tc.cache.stats().hits, hits + 2);
}

/// What an earlier deploy (bincode only, envelope version 1) wrote for this row.
fn earlier_deploys_value<M: Cached + serde::Serialize>(row: &M) -> Vec<u8> {
    let mut value = b"WT\x01\x01".to_vec();
    value.extend_from_slice(&M::SCHEMA_FINGERPRINT.to_le_bytes());
    value.extend_from_slice(
        &bincode::serde::encode_to_vec(row, bincode::config::standard()).unwrap(),
    );
    value
}

/// For a model bincode cannot decode: an earlier deploy's value is a clean miss, counted,
/// refilled in MessagePack.
fn an_earlier_deploys_value_is_a_miss_that_refills<C, M>(
    conn: &mut C,
    tc: &mut TestCache,
    fixture: Fixture<M>,
) where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend> + PartialEq + Debug + serde::Serialize,
{
    assert_eq!(M::CODEC, Codec::MessagePack);
    blocking::save(&fixture.row, conn, &tc.cache).unwrap();
    tc.put_raw(&fixture.key, &earlier_deploys_value(&fixture.row));
    let unreadable = tc.cache.stats().unreadable_values;
    let found: Option<M> = blocking::find(conn, &tc.cache, fixture.row.id()).unwrap();
    assert_eq!(found.as_ref(), Some(&fixture.row), "read from the database");
    assert_eq!(tc.cache.stats().unreadable_values, unreadable + 1);
    let refilled = tc.raw(&fixture.key).expect("refilled");
    assert_eq!(&refilled[..5], b"WT\x02\x01\x02", "a MessagePack row now");
}

/// For a model whose rows bincode decodes (whatever codec the derive chose for it): an earlier
/// deploy's value is read, not refilled. The earlier value differs from the row in the
/// database, so finding it proves it came from Redis.
fn an_earlier_deploys_value_is_read<C, M>(
    conn: &mut C,
    tc: &mut TestCache,
    fixture: Fixture<M>,
    earlier: M,
) where
    C: Connection + LoadConnection,
    M: DieselOps<C::Backend> + PartialEq + Debug + serde::Serialize,
{
    assert_ne!(earlier, fixture.row);
    blocking::save(&fixture.row, conn, &tc.cache).unwrap();
    tc.put_raw(&fixture.key, &earlier_deploys_value(&earlier));
    let (hits, unreadable) = (tc.cache.stats().hits, tc.cache.stats().unreadable_values);
    let found: Option<M> = blocking::find(conn, &tc.cache, fixture.row.id()).unwrap();
    assert_eq!(found.as_ref(), Some(&earlier), "the earlier deploy's value");
    assert_eq!(tc.cache.stats().hits, hits + 1);
    assert_eq!(tc.cache.stats().unreadable_values, unreadable);
}

mod postgres {
    use super::*;

    #[test]
    fn a_version_row_with_json_bytes_array_and_timestamps_is_served_from_redis_after_save() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        served_from_redis_after_save(&mut conn, &mut tc, pg_version_fixture());
    }

    #[test]
    fn a_version_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, pg_version_fixture());
    }

    #[test]
    fn version_rows_are_served_by_find_many() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            pg_version_fixture(),
            pg_version_fixture(),
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_json_row_is_a_miss_that_refills() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        an_earlier_deploys_value_is_a_miss_that_refills(&mut conn, &mut tc, pg_version_fixture());
    }

    #[test]
    fn a_uuid_and_integer_composite_key_row_is_served_from_redis_after_save() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        served_from_redis_after_save(&mut conn, &mut tc, pg_account_fixture());
    }

    #[test]
    fn a_uuid_and_integer_composite_key_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, pg_account_fixture());
    }

    #[test]
    fn uuid_and_integer_composite_key_rows_are_served_by_find_many() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            pg_account_fixture(),
            pg_account_fixture(),
        );
    }

    #[test]
    fn a_model_of_bincode_safe_types_is_cached_in_bincode_as_earlier_deploys_read_it() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        assert_eq!(PgAccount::CODEC, Codec::Bincode);
        let fixture = pg_account_fixture();
        blocking::save(&fixture.row, &mut conn, &tc.cache).unwrap();
        assert_eq!(
            tc.raw(&fixture.key).unwrap(),
            earlier_deploys_value(&fixture.row),
            "byte for byte what an earlier deploy writes"
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_bincode_model_is_read() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        let fixture = pg_account_fixture();
        blocking::save(&fixture.row, &mut conn, &tc.cache).unwrap();
        let mut earlier = fixture.row.clone();
        earlier.name = "written by the earlier deploy".into();
        tc.put_raw(&fixture.key, &earlier_deploys_value(&earlier));
        let found: Option<PgAccount> =
            blocking::find(&mut conn, &tc.cache, (&fixture.row.tenant, &fixture.row.id)).unwrap();
        assert_eq!(found, Some(earlier));
    }

    #[test]
    fn a_scalars_row_with_floats_bool_small_ints_and_an_enum_type_is_served_from_redis_after_save()
    {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        served_from_redis_after_save(&mut conn, &mut tc, pg_scalars_fixture(Some(Status::Draft)));
    }

    #[test]
    fn a_scalars_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, pg_scalars_fixture(None));
    }

    #[test]
    fn scalars_rows_are_served_by_find_many() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            pg_scalars_fixture(Some(Status::Archived)),
            pg_scalars_fixture(None),
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_scalars_row_is_read() {
        let Some((mut conn, mut tc)) = postgres() else {
            return;
        };
        assert_eq!(
            PgScalars::CODEC,
            Codec::MessagePack,
            "an enum is not provably bincode-safe"
        );
        let fixture = pg_scalars_fixture(Some(Status::Draft));
        let earlier = PgScalars {
            stars: 7,
            status: Status::Archived,
            ..fixture.row.clone()
        };
        an_earlier_deploys_value_is_read(&mut conn, &mut tc, fixture, earlier);
    }

    #[test]
    fn a_uuid_key_renders_hyphenated_and_lowercase() {
        let Some((_conn, tc)) = postgres() else {
            return;
        };
        let id = Uuid::from_u128(0xABCD_EF01_2345_4678_9ABC_DEF0_1234_5678);
        assert_eq!(
            tc.cache.key::<PgVersion>(&id),
            format!(
                "{}:pg_version:abcdef01-2345-4678-9abc-def012345678",
                tc.cache.namespace()
            )
            .into_bytes()
        );
    }
}

mod mysql {
    use super::*;

    #[test]
    fn a_version_row_with_json_blob_and_datetime_is_served_from_redis_after_save() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        served_from_redis_after_save(&mut conn, &mut tc, my_version_fixture());
    }

    #[test]
    fn a_version_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, my_version_fixture());
    }

    #[test]
    fn version_rows_are_served_by_find_many() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            my_version_fixture(),
            my_version_fixture(),
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_json_row_is_a_miss_that_refills() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        an_earlier_deploys_value_is_a_miss_that_refills(&mut conn, &mut tc, my_version_fixture());
    }

    #[test]
    fn a_scalars_row_with_floats_bool_small_ints_and_an_enum_column_is_served_from_redis_after_save()
     {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        served_from_redis_after_save(&mut conn, &mut tc, my_scalars_fixture(Some(Status::Draft)));
    }

    #[test]
    fn a_scalars_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, my_scalars_fixture(None));
    }

    #[test]
    fn scalars_rows_are_served_by_find_many() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            my_scalars_fixture(Some(Status::Archived)),
            my_scalars_fixture(None),
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_scalars_row_is_read() {
        let Some((mut conn, mut tc)) = mysql() else {
            return;
        };
        assert_eq!(
            MyScalars::CODEC,
            Codec::MessagePack,
            "an enum is not provably bincode-safe"
        );
        let fixture = my_scalars_fixture(Some(Status::Draft));
        let earlier = MyScalars {
            stars: 7,
            status: Status::Archived,
            ..fixture.row.clone()
        };
        an_earlier_deploys_value_is_read(&mut conn, &mut tc, fixture, earlier);
    }
}

mod sqlite {
    use super::*;

    #[test]
    fn a_version_row_with_json_blob_and_timestamp_is_served_from_redis_after_save() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        served_from_redis_after_save(&mut conn, &mut tc, lite_version_fixture());
    }

    #[test]
    fn a_version_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, lite_version_fixture());
    }

    #[test]
    fn version_rows_are_served_by_find_many() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            lite_version_fixture(),
            lite_version_fixture(),
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_json_row_is_a_miss_that_refills() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        an_earlier_deploys_value_is_a_miss_that_refills(&mut conn, &mut tc, lite_version_fixture());
    }

    #[test]
    fn a_scalars_row_with_floats_bool_small_ints_and_a_text_enum_is_served_from_redis_after_save() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        served_from_redis_after_save(
            &mut conn,
            &mut tc,
            lite_scalars_fixture(Some(Status::Draft)),
        );
    }

    #[test]
    fn a_scalars_row_is_filled_after_a_miss_and_served_again() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        filled_after_a_miss_and_served_again(&mut conn, &mut tc, lite_scalars_fixture(None));
    }

    #[test]
    fn scalars_rows_are_served_by_find_many() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        served_by_find_many(
            &mut conn,
            &mut tc,
            lite_scalars_fixture(Some(Status::Archived)),
            lite_scalars_fixture(None),
        );
    }

    #[test]
    fn an_earlier_deploys_bincode_value_of_a_scalars_row_is_read() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        assert_eq!(
            LiteScalars::CODEC,
            Codec::MessagePack,
            "an enum is not provably bincode-safe"
        );
        let fixture = lite_scalars_fixture(Some(Status::Draft));
        let earlier = LiteScalars {
            stars: 7,
            status: Status::Archived,
            ..fixture.row.clone()
        };
        an_earlier_deploys_value_is_read(&mut conn, &mut tc, fixture, earlier);
    }

    #[test]
    fn a_row_its_forced_codec_cannot_decode_is_never_cached_and_is_counted() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        let row = LiteForced {
            id: unique() as i64,
            features: json!({"a": 1}),
        };
        row.save(&mut conn, &tc.cache).unwrap();
        let key = format!("lite_forced:{}", row.id);
        assert_eq!(tc.raw(&key), None, "nothing undecodable reaches Redis");
        assert_eq!(tc.cache.stats().undecodable_rows, 1);
        let found = LiteForced::find(&mut conn, &tc.cache, &row.id).unwrap();
        assert_eq!(found, Some(row), "reads go to the database");
        assert_eq!(tc.raw(&key), None);
        assert_eq!(
            tc.cache.stats().undecodable_rows,
            2,
            "the fill was refused too"
        );
    }

    #[test]
    fn rows_saved_together_expire_at_spread_times_within_a_tenth_of_the_ttl() {
        let Some((mut conn, _dir, mut tc)) = sqlite() else {
            return;
        };
        let ttl_ms = LiteVersion::TTL.as_millis() as i64;
        let mut ttls = Vec::new();
        for _ in 0..20 {
            let fixture = lite_version_fixture();
            fixture.row.save(&mut conn, &tc.cache).unwrap();
            ttls.push(tc.pttl(&fixture.key));
        }
        for &ttl in &ttls {
            assert!(ttl <= ttl_ms && ttl >= ttl_ms * 9 / 10 - 1000, "{ttl} ms");
        }
        ttls.sort();
        ttls.dedup_by(|a, b| (*a - *b).abs() < 1000);
        assert!(
            ttls.len() > 5,
            "20 rows expire within {} distinct seconds",
            ttls.len()
        );
    }

    #[test]
    fn without_jitter_rows_are_cached_for_the_whole_ttl() {
        let Some(mut tc) = TestCache::with(|builder| builder.ttl_jitter(0.0)) else {
            return;
        };
        let (mut conn, _dir) = write_through_tests::sqlite();
        create_tables(&mut conn, SQLITE_DDL);
        let fixture = lite_version_fixture();
        fixture.row.save(&mut conn, &tc.cache).unwrap();
        let ttl = tc.pttl(&fixture.key);
        let ttl_ms = LiteVersion::TTL.as_millis() as i64;
        assert!(ttl > ttl_ms - 5_000 && ttl <= ttl_ms, "{ttl} ms");
    }
}

/// The ledger model of one backend: served from Redis after `save`, filled after a miss, by
/// `find_many`, and an earlier deploy's bincode value met.
macro_rules! ledger_suite {
    ($module:ident, $open:expr, $fixture:ident) => {
        mod $module {
            use super::*;

            #[test]
            fn a_row_of_decimals_dates_and_times_under_a_date_and_text_key_is_served_from_redis_after_save()
             {
                let Some((mut conn, _keep, mut tc)) = $open else {
                    return;
                };
                served_from_redis_after_save(&mut conn, &mut tc, $fixture());
            }

            #[test]
            fn a_ledger_row_is_filled_after_a_miss_and_served_again() {
                let Some((mut conn, _keep, mut tc)) = $open else {
                    return;
                };
                filled_after_a_miss_and_served_again(&mut conn, &mut tc, $fixture());
            }

            #[test]
            fn ledger_rows_are_served_by_find_many() {
                let Some((mut conn, _keep, mut tc)) = $open else {
                    return;
                };
                served_by_find_many(&mut conn, &mut tc, $fixture(), $fixture());
            }

            #[test]
            fn an_earlier_deploys_bincode_value_of_a_ledger_row_is_a_miss_that_refills() {
                let Some((mut conn, _keep, mut tc)) = $open else {
                    return;
                };
                an_earlier_deploys_value_is_a_miss_that_refills(&mut conn, &mut tc, $fixture());
            }
        }
    };
}

ledger_suite!(
    postgres_ledger,
    postgres().map(|(conn, tc)| (conn, (), tc)),
    pg_ledger_fixture
);
ledger_suite!(
    mysql_ledger,
    mysql().map(|(conn, tc)| (conn, (), tc)),
    my_ledger_fixture
);
ledger_suite!(sqlite_ledger, sqlite(), lite_ledger_fixture);
