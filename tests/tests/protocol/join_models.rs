//! A model built on a join (`PersonWithAvatar`: people left-joined with their avatar, as
//! crates.io's `User` joins its GitHub account) is retired by every write of the joined table
//! through the library: `Avatar`, the avatars' own model, says
//! `retires(PersonWithAvatar, foreign_key = person_id)`. Its `create`, `update`, `save` and
//! `delete`, outside and inside `cache.transaction`, retire the joined row of the person the
//! avatar names after the write and, read locked before it, the one it named before (an avatar
//! moved to another person, or deleted). Specified once, run on both fronts and every backend;
//! the race (a fill that read the join before the avatar's commit) on both fronts.

use std::thread;

use write_through::pause::{self, FIND_LOADED, WRITE_COMMITTED, WRITE_WROTE};
use write_through::{Cache, Error};
use write_through_tests::fronts::{Async, AsyncSqlite, Blocking};
use write_through_tests::models::{Avatar, AvatarUpdateForm, NewAvatar, PersonWithAvatar};
use write_through_tests::schema::wt_people;
use write_through_tests::{TestCache, unique};

/// The operations these specifications need, on one front and backend.
trait JoinFront {
    /// Inserts a person with Diesel alone (a join model is read-only).
    fn insert_person(&mut self, id: i64, name: &str);
    fn find_person(&mut self, cache: &Cache, id: i64) -> Option<PersonWithAvatar>;
    fn create_avatar(&mut self, cache: &Cache, new: &NewAvatar) -> Result<Avatar, Error>;
    fn update_avatar(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &AvatarUpdateForm,
    ) -> Result<Avatar, Error>;
    fn save_avatar(&mut self, cache: &Cache, avatar: &Avatar) -> Result<(), Error>;
    fn delete_avatar(&mut self, cache: &Cache, id: i64) -> Result<bool, Error>;
    /// `avatar.save` inside `cache.transaction`; rolled back when `commit` is false.
    fn save_avatar_in_transaction(&mut self, cache: &Cache, avatar: &Avatar, commit: bool);
}

/// The error that makes a transaction roll back.
fn roll_back() -> Error {
    Error::Database(diesel::result::Error::RollbackTransaction)
}

macro_rules! blocking_join_front {
    ($($connection:ty),*) => {$(
        impl JoinFront for Blocking<$connection> {
            fn insert_person(&mut self, id: i64, name: &str) {
                use diesel::prelude::*;
                diesel::insert_into(wt_people::table)
                    .values((wt_people::id.eq(id), wt_people::name.eq(name)))
                    .execute(&mut self.0)
                    .expect("insert a person");
            }
            fn find_person(&mut self, cache: &Cache, id: i64) -> Option<PersonWithAvatar> {
                use write_through::blocking::ModelOps as _;
                PersonWithAvatar::find(&mut self.0, cache, &id).expect("find a person")
            }
            fn create_avatar(&mut self, cache: &Cache, new: &NewAvatar) -> Result<Avatar, Error> {
                use write_through::blocking::ModelOps as _;
                Avatar::create(&mut self.0, cache, new)
            }
            fn update_avatar(&mut self, cache: &Cache, id: i64, form: &AvatarUpdateForm) -> Result<Avatar, Error> {
                use write_through::blocking::ModelOps as _;
                Avatar::update(&mut self.0, cache, &id, form)
            }
            fn save_avatar(&mut self, cache: &Cache, avatar: &Avatar) -> Result<(), Error> {
                use write_through::blocking::SaveOps as _;
                avatar.save(&mut self.0, cache).map(drop)
            }
            fn delete_avatar(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
                use write_through::blocking::ModelOps as _;
                Avatar::delete(&mut self.0, cache, &id)
            }
            fn save_avatar_in_transaction(&mut self, cache: &Cache, avatar: &Avatar, commit: bool) {
                use write_through::blocking::{SaveOps as _, TransactionOps as _};
                let outcome = cache.transaction(&mut self.0, |conn| {
                    avatar.save(conn, cache)?;
                    if commit { Ok(()) } else { Err(roll_back()) }
                });
                assert_eq!(outcome.is_ok(), commit, "{outcome:?}");
            }
        }
    )*};
}

macro_rules! async_join_front {
    ($($connection:ty),*) => {$(
        impl JoinFront for Async<$connection> {
            fn insert_person(&mut self, id: i64, name: &str) {
                use diesel::ExpressionMethods as _;
                use diesel_async::RunQueryDsl as _;
                let insert = diesel::insert_into(wt_people::table)
                    .values((wt_people::id.eq(id), wt_people::name.eq(name)));
                self.runtime.block_on(insert.execute(&mut self.conn)).expect("insert a person");
            }
            fn find_person(&mut self, cache: &Cache, id: i64) -> Option<PersonWithAvatar> {
                use write_through::asynch::ModelOps as _;
                self.runtime
                    .block_on(PersonWithAvatar::find(&mut self.conn, cache, &id))
                    .expect("find a person")
            }
            fn create_avatar(&mut self, cache: &Cache, new: &NewAvatar) -> Result<Avatar, Error> {
                use write_through::asynch::ModelOps as _;
                self.runtime.block_on(Avatar::create(&mut self.conn, cache, new))
            }
            fn update_avatar(&mut self, cache: &Cache, id: i64, form: &AvatarUpdateForm) -> Result<Avatar, Error> {
                use write_through::asynch::ModelOps as _;
                self.runtime.block_on(Avatar::update(&mut self.conn, cache, &id, form))
            }
            fn save_avatar(&mut self, cache: &Cache, avatar: &Avatar) -> Result<(), Error> {
                use write_through::asynch::SaveOps as _;
                self.runtime.block_on(avatar.save(&mut self.conn, cache)).map(drop)
            }
            fn delete_avatar(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
                use write_through::asynch::ModelOps as _;
                self.runtime.block_on(Avatar::delete(&mut self.conn, cache, &id))
            }
            fn save_avatar_in_transaction(&mut self, cache: &Cache, avatar: &Avatar, commit: bool) {
                use write_through::asynch::{SaveOps as _, TransactionOps as _};
                let outcome = self.runtime.block_on(cache.transaction(&mut self.conn, async |conn| {
                    avatar.save(conn, cache).await?;
                    if commit { Ok(()) } else { Err(roll_back()) }
                }));
                assert_eq!(outcome.is_ok(), commit, "{outcome:?}");
            }
        }
    )*};
}

blocking_join_front!(
    diesel::PgConnection,
    diesel::MysqlConnection,
    diesel::SqliteConnection
);
async_join_front!(
    diesel_async::AsyncPgConnection,
    diesel_async::AsyncMysqlConnection,
    AsyncSqlite
);

fn url(name: &str) -> String {
    format!("https://avatars.example.test/{name}-{}.png", unique())
}

/// A person whose joined row is cached, with an avatar when `avatar` is given.
fn cached_person(
    f: &mut impl JoinFront,
    cache: &Cache,
    avatar: Option<&str>,
) -> (i64, Option<Avatar>) {
    let person = unique() as i64;
    f.insert_person(person, "ada");
    let avatar = avatar.map(|url| {
        let new = NewAvatar {
            person_id: person,
            url: url.to_owned(),
        };
        f.create_avatar(cache, &new).expect("create an avatar")
    });
    let found = f.find_person(cache, person).expect("the person");
    assert_eq!(found.avatar, avatar.as_ref().map(|a| a.url.clone()));
    // Now a hit: the joined row is cached.
    let hits = cache.stats().hits;
    f.find_person(cache, person);
    assert_eq!(cache.stats().hits, hits + 1, "the joined row is cached");
    (person, avatar)
}

fn avatar_of(f: &mut impl JoinFront, cache: &Cache, person: i64) -> Option<String> {
    f.find_person(cache, person).expect("the person").avatar
}

fn a_new_avatar_retires_its_persons_joined_row(f: &mut impl JoinFront, tc: &mut TestCache) {
    let cache = &tc.cache;
    let (person, _) = cached_person(f, cache, None);
    let new = NewAvatar {
        person_id: person,
        url: url("new"),
    };
    f.create_avatar(cache, &new).unwrap();
    assert_eq!(avatar_of(f, cache, person), Some(new.url));
}

fn an_avatar_updated_through_a_form_retires_its_persons_joined_row(
    f: &mut impl JoinFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let (person, avatar) = cached_person(f, cache, Some(&url("old")));
    let form = AvatarUpdateForm {
        url: Some(url("updated")),
        ..AvatarUpdateForm::default()
    };
    f.update_avatar(cache, avatar.unwrap().id, &form).unwrap();
    assert_eq!(avatar_of(f, cache, person), form.url);
}

/// An avatar moved from one person to another by `move_it` (given the avatar and the new
/// person, it returns the avatar as stored) retires both people's joined rows.
fn moving_an_avatar_retires_both_joined_rows<F: JoinFront>(
    f: &mut F,
    cache: &Cache,
    move_it: impl FnOnce(&mut F, Avatar, i64) -> Avatar,
) {
    let (from, avatar) = cached_person(f, cache, Some(&url("moving")));
    let (to, _) = cached_person(f, cache, None);
    let moved = move_it(f, avatar.unwrap(), to);
    assert_eq!(
        avatar_of(f, cache, from),
        None,
        "the person it left (its old value)"
    );
    assert_eq!(
        avatar_of(f, cache, to),
        Some(moved.url),
        "the person it moved to"
    );
}

fn an_avatar_saved_under_another_person_retires_both_joined_rows(
    f: &mut impl JoinFront,
    tc: &mut TestCache,
) {
    moving_an_avatar_retires_both_joined_rows(f, &tc.cache, |f, avatar, to| {
        let moved = Avatar {
            person_id: to,
            ..avatar
        };
        f.save_avatar(&tc.cache, &moved).unwrap();
        moved
    });
}

fn an_avatar_moved_by_a_form_retires_both_joined_rows(f: &mut impl JoinFront, tc: &mut TestCache) {
    moving_an_avatar_retires_both_joined_rows(f, &tc.cache, |f, avatar, to| {
        let form = AvatarUpdateForm {
            person_id: Some(to),
            ..AvatarUpdateForm::default()
        };
        f.update_avatar(&tc.cache, avatar.id, &form).unwrap()
    });
}

fn a_deleted_avatar_retires_its_persons_joined_row(f: &mut impl JoinFront, tc: &mut TestCache) {
    let cache = &tc.cache;
    let (person, avatar) = cached_person(f, cache, Some(&url("deleted")));
    assert!(f.delete_avatar(cache, avatar.unwrap().id).unwrap());
    assert_eq!(avatar_of(f, cache, person), None);
}

fn an_avatar_saved_in_a_transaction_retires_at_the_commit_and_not_on_a_rollback(
    f: &mut impl JoinFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let (person, avatar) = cached_person(f, cache, Some(&url("before")));
    let avatar = avatar.unwrap();
    let rolled_back = Avatar {
        url: url("rolled-back"),
        ..avatar.clone()
    };
    f.save_avatar_in_transaction(cache, &rolled_back, false);
    assert_eq!(
        avatar_of(f, cache, person),
        Some(avatar.url.clone()),
        "nothing changed"
    );
    let committed = Avatar {
        url: url("committed"),
        ..avatar
    };
    f.save_avatar_in_transaction(cache, &committed, true);
    assert_eq!(avatar_of(f, cache, person), Some(committed.url));
}

write_through_tests::on_every_front!(
    a_new_avatar_retires_its_persons_joined_row,
    an_avatar_updated_through_a_form_retires_its_persons_joined_row,
    an_avatar_saved_under_another_person_retires_both_joined_rows,
    an_avatar_moved_by_a_form_retires_both_joined_rows,
    a_deleted_avatar_retires_its_persons_joined_row,
    an_avatar_saved_in_a_transaction_retires_at_the_commit_and_not_on_a_rollback,
);

type AnyFront = Box<dyn JoinFront + Send>;

/// A reader of the joined row loads it (the old avatar) and is held at `FIND_LOADED` while the
/// avatar's update commits; when it goes on, its fill is refused, and the next find reads the
/// new avatar. Without the retirement, the reader would install the old avatar for the TTL.
fn a_fill_that_read_the_join_before_an_avatars_update_cannot_install_it(make: fn() -> AnyFront) {
    let Some(tc) = TestCache::new() else { return };
    if write_through_tests::postgres().is_none() {
        return;
    }
    let (mut writer, mut reader) = (make(), make());
    let (person, avatar) = cached_person(&mut writer, &tc.cache, Some(&url("old")));
    let avatar = avatar.unwrap();
    tc.cache.invalidate::<PersonWithAvatar>(&person).unwrap();

    let gate = pause::arm(FIND_LOADED, &tc.cache.key::<PersonWithAvatar>(&person));
    let cache = tc.cache.clone();
    let read = thread::spawn(move || reader.find_person(&cache, person));
    gate.wait_until_reached();
    let form = AvatarUpdateForm {
        url: Some(url("new")),
        ..AvatarUpdateForm::default()
    };
    writer.update_avatar(&tc.cache, avatar.id, &form).unwrap();
    gate.release();
    assert_eq!(
        read.join().unwrap().unwrap().avatar,
        Some(avatar.url),
        "the reader loaded before the update"
    );
    assert_eq!(avatar_of(&mut writer, &tc.cache, person), form.url);
    assert_eq!(tc.cache.stats().fills_refused, 1, "{:?}", tc.cache.stats());
}

/// Between the avatar update's commit and its publish (a writer held there; one whose caller
/// dropped it at that point, or whose commit's outcome is unknown, never publishes), the person's
/// joined row is not served as it was: it was locked before the commit, so a reader goes to the
/// database and reads the new avatar.
fn between_the_commit_and_the_publish_the_joined_row_is_not_served_stale(make: fn() -> AnyFront) {
    let Some(tc) = TestCache::new() else { return };
    if write_through_tests::postgres().is_none() {
        return;
    }
    let (mut writer, mut reader) = (make(), make());
    let (person, avatar) = cached_person(&mut writer, &tc.cache, Some(&url("old")));
    let avatar = avatar.unwrap();

    let gate = pause::arm(WRITE_COMMITTED, &tc.cache.key::<Avatar>(&avatar.id));
    let cache = tc.cache.clone();
    let form = AvatarUpdateForm {
        url: Some(url("new")),
        ..AvatarUpdateForm::default()
    };
    let new_url = form.url.clone();
    let write = thread::spawn(move || writer.update_avatar(&cache, avatar.id, &form).unwrap());
    gate.wait_until_reached();
    assert_eq!(
        avatar_of(&mut reader, &tc.cache, person),
        new_url,
        "committed, not yet published: the reader reads the database"
    );
    gate.release();
    write.join().unwrap();
    assert_eq!(avatar_of(&mut reader, &tc.cache, person), new_url);
}

/// Two saves of one new avatar race on PostgreSQL: the first inserts it for one person and has
/// not committed; the second moves it to another person. The second's read of the row it
/// replaces must wait for the first's commit (a `FOR UPDATE` alone neither sees nor waits for a
/// row not yet committed, while its upsert does wait and then overwrites it): it then retires
/// the first person's joined row too, which a reader filled between the two commits.
fn a_save_racing_the_insert_of_its_row_retires_what_that_insert_named(make: fn() -> AnyFront) {
    let Some(tc) = TestCache::new() else { return };
    if write_through_tests::postgres().is_none() {
        return;
    }
    let (mut first, mut second, mut reader) = (make(), make(), make());
    let (from, _) = cached_person(&mut reader, &tc.cache, None);
    let (to, _) = cached_person(&mut reader, &tc.cache, None);
    let id = unique() as i64;
    let key = tc.cache.key::<Avatar>(&id);
    let inserted = Avatar {
        id,
        person_id: from,
        url: url("first"),
    };
    let moved = Avatar {
        person_id: to,
        url: url("second"),
        ..inserted.clone()
    };

    // The first save has inserted the avatar and waits before its commit.
    let first_gate = pause::arm(WRITE_WROTE, &key);
    let cache = tc.cache.clone();
    let first_save = thread::spawn(move || first.save_avatar(&cache, &inserted).unwrap());
    first_gate.wait_until_reached();
    // The second save starts; it waits on the first (where depends on the fix), and is held
    // before its own commit.
    let second_gate = pause::arm(WRITE_WROTE, &key);
    let cache = tc.cache.clone();
    let second_moved = moved.clone();
    let second_save = thread::spawn(move || second.save_avatar(&cache, &second_moved).unwrap());
    wait_until_a_write_of_avatars_waits_on_a_lock();
    first_gate.release();
    first_save.join().unwrap();
    second_gate.wait_until_reached();
    // Between the two commits, a reader reads the first person's joined row: the avatar is
    // theirs in the database for now.
    let _ = avatar_of(&mut reader, &tc.cache, from);
    second_gate.release();
    second_save.join().unwrap();

    assert_eq!(
        avatar_of(&mut reader, &tc.cache, from),
        None,
        "the avatar moved away from the first person"
    );
    assert_eq!(avatar_of(&mut reader, &tc.cache, to), Some(moved.url));
}

/// Waits until a session of this database waits on a lock in a write of avatars: the library's
/// turn-taking (`pg_advisory_xact_lock`) or, without it, the insert that waits on a row not yet
/// committed.
fn wait_until_a_write_of_avatars_waits_on_a_lock() {
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    #[derive(QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = BigInt)]
        waiting: i64,
    }
    let mut conn = write_through_tests::postgres().expect("PostgreSQL answered a moment ago");
    write_through_tests::services::wait_until(
        "the second save waits on the first",
        std::time::Duration::from_secs(10),
        || {
            let waiting: Waiting = diesel::sql_query(
                "SELECT count(*) AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
                 AND datname = current_database() \
                 AND (query LIKE '%pg_advisory_xact_lock%' OR query LIKE '%INTO \"wt_avatars\"%')",
            )
            .get_result(&mut conn)
            .expect("pg_stat_activity");
            waiting.waiting > 0
        },
    );
}

impl<T: JoinFront + ?Sized> JoinFront for Box<T> {
    fn insert_person(&mut self, id: i64, name: &str) {
        (**self).insert_person(id, name)
    }
    fn find_person(&mut self, cache: &Cache, id: i64) -> Option<PersonWithAvatar> {
        (**self).find_person(cache, id)
    }
    fn create_avatar(&mut self, cache: &Cache, new: &NewAvatar) -> Result<Avatar, Error> {
        (**self).create_avatar(cache, new)
    }
    fn update_avatar(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &AvatarUpdateForm,
    ) -> Result<Avatar, Error> {
        (**self).update_avatar(cache, id, form)
    }
    fn save_avatar(&mut self, cache: &Cache, avatar: &Avatar) -> Result<(), Error> {
        (**self).save_avatar(cache, avatar)
    }
    fn delete_avatar(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
        (**self).delete_avatar(cache, id)
    }
    fn save_avatar_in_transaction(&mut self, cache: &Cache, avatar: &Avatar, commit: bool) {
        (**self).save_avatar_in_transaction(cache, avatar, commit)
    }
}

fn blocking_front() -> AnyFront {
    Box::new(Blocking(
        write_through_tests::postgres().expect("PostgreSQL answered a moment ago"),
    ))
}

fn async_front() -> AnyFront {
    Box::new(
        write_through_tests::fronts::async_postgres().expect("PostgreSQL answered a moment ago"),
    )
}

write_through_tests::on_both_fronts!(
    [
        a_fill_that_read_the_join_before_an_avatars_update_cannot_install_it,
        between_the_commit_and_the_publish_the_joined_row_is_not_served_stale,
        a_save_racing_the_insert_of_its_row_retires_what_that_insert_named,
    ],
    race_blocking: |race| race(super::blocking_front),
    race_asynch: |race| race(super::async_front),
);
