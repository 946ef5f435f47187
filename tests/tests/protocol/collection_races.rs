//! The races of a cached collection (`Comment::find_all_by_post_id`), one deterministic test
//! each, on PostgreSQL and Redis through both fronts: a reader is held after its database load
//! (the pause point `FIND_LOADED` on the collection's key) while a writer adds a child to the
//! parent, moves one to it inside a transaction, or deletes one.
//!
//! Each test first replays its interleaving with the hand-written pattern ("cache the list of
//! ids; on insert, append": `GET`, on a miss `SELECT` the ids and `SET` them; a writer updates
//! the database, then appends the new id to the list it finds, or removes the old one) and
//! asserts that it goes wrong: a child missing from the list, or one that is not the parent's.
//! That half is the evidence that the schedule forced on the library is a real hazard; the
//! library half is the test.

use std::thread;

use diesel::PgConnection;
use diesel::prelude::*;
use write_through::Cache;
use write_through::pause::{self, FIND_LOADED};
use write_through_tests::fronts::{self, Blocking};
use write_through_tests::models::{Comment, NewComment};
use write_through_tests::schema::wt_comments;
use write_through_tests::{TestCache, postgres, unique};

use super::collections::CommentFront;

type AnyFront = Box<dyn CommentFront + Send>;

#[derive(Clone, Copy)]
struct Fronts {
    make: fn() -> AnyFront,
}

const BLOCKING: Fronts = Fronts {
    make: || {
        Box::new(Blocking(
            postgres().expect("PostgreSQL answered a moment ago"),
        ))
    },
};

const ASYNC: Fronts = Fronts {
    make: || Box::new(fronts::async_postgres().expect("PostgreSQL answered a moment ago")),
};

write_through_tests::on_both_fronts!(
    [
        a_fill_that_read_the_children_before_an_insert_cannot_hide_the_new_child,
        a_child_moved_in_a_transaction_is_listed_under_its_new_parent_only,
        a_fill_that_read_a_child_before_its_delete_never_lists_it_again,
    ],
    blocking: |spec| spec(super::BLOCKING),
    asynch: |spec| spec(super::ASYNC),
);

/// The hand-written collection: `naive:post:<id>` holds the comment ids, comma-separated.
struct Naive<'a> {
    redis: &'a mut dyn redis::ConnectionLike,
    prefix: String,
}

impl Naive<'_> {
    fn key(&self, post: i64) -> String {
        format!("{}post:{post}", self.prefix)
    }
    /// The cached list of `post`, if any.
    fn get(&mut self, post: i64) -> Option<Vec<i64>> {
        let list: Option<String> = redis::cmd("GET")
            .arg(self.key(post))
            .query(self.redis)
            .unwrap();
        list.map(|list| {
            list.split(',')
                .filter(|id| !id.is_empty())
                .map(|id| id.parse().unwrap())
                .collect()
        })
    }
    fn set(&mut self, post: i64, ids: &[i64]) {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        redis::cmd("SET")
            .arg(self.key(post))
            .arg(list.join(","))
            .query::<()>(self.redis)
            .unwrap();
    }
    /// A writer's "append the new child to the list, when it is cached".
    fn append(&mut self, post: i64, id: i64) {
        if let Some(mut ids) = self.get(post) {
            ids.push(id);
            self.set(post, &ids);
        }
    }
    /// A writer's "take the child out of the list, when it is cached".
    fn remove(&mut self, post: i64, id: i64) {
        if let Some(mut ids) = self.get(post) {
            ids.retain(|&listed| listed != id);
            self.set(post, &ids);
        }
    }
}

impl Drop for Naive<'_> {
    fn drop(&mut self) {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}*", self.prefix))
            .query(self.redis)
            .unwrap();
        for key in keys {
            redis::cmd("DEL").arg(key).query::<()>(self.redis).unwrap();
        }
    }
}

fn naive(tc: &mut TestCache) -> Naive<'_> {
    let prefix = format!("{}:naive:", tc.cache.namespace());
    Naive {
        redis: &mut *tc.redis,
        prefix,
    }
}

/// The database's ids of `post`'s comments, by id.
fn db_ids(conn: &mut PgConnection, post: i64) -> Vec<i64> {
    let mut ids: Vec<i64> = wt_comments::table
        .filter(wt_comments::post_id.eq(post))
        .select(wt_comments::id)
        .load(conn)
        .unwrap();
    ids.sort_unstable();
    ids
}

fn db_insert(conn: &mut PgConnection, post: i64) -> i64 {
    diesel::insert_into(wt_comments::table)
        .values((
            wt_comments::post_id.eq(post),
            wt_comments::rank.eq(1),
            wt_comments::body.eq("naive"),
        ))
        .returning(wt_comments::id)
        .get_result(conn)
        .unwrap()
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

fn ids(listed: &[Comment]) -> Vec<i64> {
    sorted(listed.iter().map(|comment| comment.id).collect())
}

fn post() -> i64 {
    unique() as i64
}

fn new_comment(post: i64, rank: i32) -> NewComment {
    NewComment {
        post_id: post,
        rank,
        body: format!("rank {rank}"),
    }
}

struct Setup {
    tc: TestCache,
    conn: PgConnection,
    a: AnyFront,
    b: AnyFront,
}

fn setup(fronts: Fronts) -> Option<Setup> {
    let (Some(conn), Some(tc)) = (postgres(), TestCache::new()) else {
        return None;
    };
    Some(Setup {
        tc,
        conn,
        a: (fronts.make)(),
        b: (fronts.make)(),
    })
}

/// `find_all_by_post_id(post)` on its own thread and front, held after its database load.
fn paused_listing(
    tc: &TestCache,
    mut front: AnyFront,
    post: i64,
) -> (pause::Gate, thread::JoinHandle<Vec<Comment>>) {
    let gate = pause::arm(FIND_LOADED, &tc.cache.collection_key::<Comment, 0>(&post));
    let cache: Cache = tc.cache.clone();
    let reader = thread::spawn(move || front.list(&cache, post).unwrap());
    gate.wait_until_reached();
    (gate, reader)
}

fn a_fill_that_read_the_children_before_an_insert_cannot_hide_the_new_child(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader loads [x]; a writer inserts y and appends it to the list, which is not
    // cached yet; the reader SETs [x].
    let p = post();
    let x = db_insert(&mut conn, p);
    {
        let mut n = naive(&mut tc);
        let loaded = db_ids(&mut conn, p);
        let y = db_insert(&mut conn, p);
        n.append(p, y);
        n.set(p, &loaded);
        assert_eq!(
            (n.get(p), db_ids(&mut conn, p)),
            (Some(vec![x]), sorted(vec![x, y])),
            "naive hides the new child"
        );
    }

    let p = post();
    let x = a.create(&tc.cache, &new_comment(p, 1)).unwrap();
    let (gate, reader) = paused_listing(&tc, b, p);
    let y = a.create(&tc.cache, &new_comment(p, 2)).unwrap();
    gate.release();
    assert_eq!(
        ids(&reader.join().unwrap()),
        [x.id],
        "it read before the insert"
    );
    assert_eq!(
        ids(&a.list(&tc.cache, p).unwrap()),
        sorted(vec![x.id, y.id])
    );
    assert_eq!(
        ids(&a.list(&tc.cache, p).unwrap()),
        sorted(vec![x.id, y.id]),
        "and again, from Redis"
    );
    assert_eq!(tc.cache.stats().fills_refused, 1, "{:?}", tc.cache.stats());
}

fn a_child_moved_in_a_transaction_is_listed_under_its_new_parent_only(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader of `to` loads [y]; in one transaction x moves from `from` to `to` (the
    // writer takes x out of `from`'s list and appends it to `to`'s, which is not cached yet);
    // the reader SETs [y].
    let (from, to) = (post(), post());
    let x = db_insert(&mut conn, from);
    let y = db_insert(&mut conn, to);
    {
        let mut n = naive(&mut tc);
        n.set(from, &[x]);
        let loaded = db_ids(&mut conn, to);
        conn.transaction(|conn| {
            diesel::update(wt_comments::table.find(x))
                .set(wt_comments::post_id.eq(to))
                .execute(conn)
        })
        .unwrap();
        n.remove(from, x);
        n.append(to, x);
        n.set(to, &loaded);
        assert_eq!(
            (n.get(to), db_ids(&mut conn, to)),
            (Some(vec![y]), sorted(vec![x, y])),
            "naive loses the moved child"
        );
    }

    let (from, to) = (post(), post());
    let x = a.create(&tc.cache, &new_comment(from, 1)).unwrap();
    let y = a.create(&tc.cache, &new_comment(to, 2)).unwrap();
    assert_eq!(ids(&a.list(&tc.cache, from).unwrap()), [x.id]);
    let (gate, reader) = paused_listing(&tc, b, to);
    let moved = Comment {
        post_id: to,
        ..x.clone()
    };
    a.save_in_transaction(&tc.cache, std::slice::from_ref(&moved), true);
    gate.release();
    assert_eq!(
        ids(&reader.join().unwrap()),
        [y.id],
        "it read before the commit"
    );
    assert_eq!(
        ids(&a.list(&tc.cache, to).unwrap()),
        sorted(vec![x.id, y.id])
    );
    assert_eq!(
        ids(&a.list(&tc.cache, to).unwrap()),
        sorted(vec![x.id, y.id]),
        "and again, from Redis"
    );
    assert!(a.list(&tc.cache, from).unwrap().is_empty(), "it left");
    assert!(a.list(&tc.cache, from).unwrap().is_empty(), "and again");
}

fn a_fill_that_read_a_child_before_its_delete_never_lists_it_again(fronts: Fronts) {
    let Some(Setup {
        mut tc,
        mut conn,
        mut a,
        b,
    }) = setup(fronts)
    else {
        return;
    };
    // Naive: the reader loads [x, y]; a writer deletes x and takes it out of the list, which is
    // not cached yet; the reader SETs [x, y].
    let p = post();
    let x = db_insert(&mut conn, p);
    let y = db_insert(&mut conn, p);
    {
        let mut n = naive(&mut tc);
        let loaded = db_ids(&mut conn, p);
        diesel::delete(wt_comments::table.find(x))
            .execute(&mut conn)
            .unwrap();
        n.remove(p, x);
        n.set(p, &loaded);
        assert_eq!(
            (n.get(p), db_ids(&mut conn, p)),
            (Some(sorted(vec![x, y])), vec![y]),
            "naive lists the deleted child"
        );
    }

    let p = post();
    let x = a.create(&tc.cache, &new_comment(p, 1)).unwrap();
    let y = a.create(&tc.cache, &new_comment(p, 2)).unwrap();
    let (gate, reader) = paused_listing(&tc, b, p);
    assert!(a.delete(&tc.cache, x.id).unwrap());
    gate.release();
    assert_eq!(
        ids(&reader.join().unwrap()),
        sorted(vec![x.id, y.id]),
        "it read before the delete"
    );
    assert_eq!(ids(&a.list(&tc.cache, p).unwrap()), [y.id]);
    assert_eq!(
        ids(&a.list(&tc.cache, p).unwrap()),
        [y.id],
        "and again, from Redis"
    );
}
