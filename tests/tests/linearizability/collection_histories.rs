//! A randomized history of a cached collection: writer threads move children between two
//! parents (`save` under another post, which re-creates a deleted child) and delete them, while
//! reader threads list the parents (`Comment::find_all_by_post_id`), every operation timed.
//! Then each listing is checked against real time: it must be the parent's membership at one
//! instant between its call and its return, in the collection's order. PostgreSQL, both
//! fronts.
//!
//! Longer: `WT_HISTORY_OPS=2000 cargo test --release -p write_through_tests --test
//! linearizability collection_histories -- --nocapture`; `WT_SEED=<seed>` replays a run's
//! operation sequence (printed by every run).
//!
//! The checker has teeth: it is shown listings no instant explains (below).

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use write_through::Cache;
use write_through_tests::fronts::{self, Async};
use write_through_tests::models::{Comment, NewComment};
use write_through_tests::{TestCache, postgres, unique};

/// Where a child is: under one of the two parents, or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Under(usize),
    Deleted,
}

/// One completed operation.
#[derive(Debug, Clone)]
enum Op {
    /// A write that left `child` at `place`.
    Write { child: usize, place: Place },
    /// A listing of `parent`: the children it returned, in order.
    List { parent: usize, children: Vec<usize> },
}

#[derive(Debug, Clone)]
struct Event {
    op: Op,
    invoked: Duration,
    returned: Duration,
}

/// The children's places that some instant `t` admits: per child, each place a write could
/// have left at `t` (one that started by `t`, not followed by another that started after it
/// returned and returned before `t`), or its first place when no write had certainly happened.
fn possible_at(t: Duration, writes: &[Vec<&Event>], first: &[Place]) -> Vec<Vec<Place>> {
    writes
        .iter()
        .enumerate()
        .map(|(child, writes)| {
            let started: Vec<&&Event> = writes.iter().filter(|w| w.invoked <= t).collect();
            let superseded = |w: &Event| {
                started
                    .iter()
                    .any(|later| later.invoked > w.returned && later.returned < t)
            };
            let mut places: Vec<Place> = started
                .iter()
                .filter(|w| !superseded(w))
                .map(|w| match w.op {
                    Op::Write { place, .. } => place,
                    Op::List { .. } => unreachable!("writes only"),
                })
                .collect();
            // The first place holds until some write certainly took effect.
            if !started.iter().any(|w| w.returned < t) {
                places.push(first[child]);
            }
            places
        })
        .collect()
}

/// The listings that no instant between their call and return explains, or whose order is
/// not the collection's (`rank` descending: child `i` has rank `i`).
fn unexplained(events: &[Event], children: usize, first: &[Place]) -> Vec<Event> {
    let mut writes: Vec<Vec<&Event>> = vec![Vec::new(); children];
    for event in events {
        if let Op::Write { child, .. } = event.op {
            writes[child].push(event);
        }
    }
    let mut bad = Vec::new();
    for event in events {
        let Op::List {
            parent,
            children: listed,
        } = &event.op
        else {
            continue;
        };
        if !listed.windows(2).all(|pair| pair[0] > pair[1]) {
            bad.push(event.clone());
            continue;
        }
        // The places change only at an operation's call or return: try each such instant in
        // the window, and just after it.
        let mut instants = vec![event.invoked, event.returned];
        for write in writes.iter().flatten() {
            for at in [write.invoked, write.returned] {
                if at >= event.invoked && at <= event.returned {
                    instants.push(at);
                    instants.push((at + Duration::from_nanos(1)).min(event.returned));
                }
            }
        }
        let explained = instants.iter().any(|&t| {
            possible_at(t, &writes, first)
                .iter()
                .enumerate()
                .all(|(child, places)| {
                    let is_listed = listed.contains(&child);
                    places
                        .iter()
                        .any(|&place| (place == Place::Under(*parent)) == is_listed)
                })
        });
        if !explained {
            bad.push(event.clone());
        }
    }
    bad
}

/// What the threads do through one front.
trait Lister: Send {
    fn save(&mut self, cache: &Cache, comment: &Comment);
    fn delete(&mut self, cache: &Cache, id: i64);
    fn list(&mut self, cache: &Cache, post: i64) -> Vec<Comment>;
}

struct BlockingLister(diesel::PgConnection);

impl Lister for BlockingLister {
    fn save(&mut self, cache: &Cache, comment: &Comment) {
        use write_through::blocking::SaveOps as _;
        comment.save(&mut self.0, cache).expect("save");
    }
    fn delete(&mut self, cache: &Cache, id: i64) {
        use write_through::blocking::ModelOps as _;
        Comment::delete(&mut self.0, cache, &id).expect("delete");
    }
    fn list(&mut self, cache: &Cache, post: i64) -> Vec<Comment> {
        Comment::find_all_by_post_id(&mut self.0, cache, &post).expect("list")
    }
}

impl Lister for Async<diesel_async::AsyncPgConnection> {
    fn save(&mut self, cache: &Cache, comment: &Comment) {
        use write_through::asynch::SaveOps as _;
        self.runtime
            .block_on(comment.save(&mut self.conn, cache))
            .expect("save");
    }
    fn delete(&mut self, cache: &Cache, id: i64) {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Comment::delete(&mut self.conn, cache, &id))
            .expect("delete");
    }
    fn list(&mut self, cache: &Cache, post: i64) -> Vec<Comment> {
        self.runtime
            .block_on(Comment::find_all_by_post_id(&mut self.conn, cache, &post))
            .expect("list")
    }
}

/// A small xorshift generator: a run's operations follow from its seed alone.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const CHILDREN: usize = 6;
const WRITERS: usize = 2;
const READERS: usize = 3;

fn run(make: fn() -> Option<Box<dyn Lister>>) {
    let (Some(tc), Some(mut setup)) = (TestCache::new(), make()) else {
        return;
    };
    let ops: usize = std::env::var("WT_HISTORY_OPS")
        .ok()
        .and_then(|ops| ops.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("WT_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| unique() | 1);
    let posts = [unique() as i64, unique() as i64];
    let cache = tc.cache.clone();
    // The children, each created under the first parent, ranked by their number.
    let mut rows: Vec<Comment> = Vec::with_capacity(CHILDREN);
    for child in 0..CHILDREN {
        use write_through::blocking::ModelOps as _;
        let mut conn = postgres().expect("PostgreSQL answered a moment ago");
        let new = NewComment {
            post_id: posts[0],
            rank: child as i32,
            body: format!("child {child}"),
        };
        rows.push(Comment::create(&mut conn, &cache, &new).expect("create"));
    }
    let first = vec![Place::Under(0); CHILDREN];
    setup.list(&cache, posts[0]);

    let start = Instant::now();
    let barrier = Arc::new(Barrier::new(WRITERS + READERS));
    let threads: Vec<thread::JoinHandle<Vec<Event>>> = (0..WRITERS + READERS)
        .map(|thread| {
            let (cache, rows, barrier) = (cache.clone(), rows.clone(), barrier.clone());
            let mut lister = make().expect("PostgreSQL answered a moment ago");
            let mut draw = Draw(seed.wrapping_add(thread as u64 * 0x9E37_79B9));
            thread::spawn(move || {
                barrier.wait();
                let mut events = Vec::with_capacity(ops);
                for _ in 0..ops {
                    let invoked = start.elapsed();
                    let op = if thread < WRITERS {
                        let child = draw.below(CHILDREN);
                        let place = match draw.below(5) {
                            0 => Place::Deleted,
                            n => Place::Under(n % 2),
                        };
                        match place {
                            Place::Deleted => lister.delete(&cache, rows[child].id),
                            Place::Under(parent) => {
                                let moved = Comment {
                                    post_id: posts[parent],
                                    ..rows[child].clone()
                                };
                                lister.save(&cache, &moved);
                            }
                        }
                        Op::Write { child, place }
                    } else {
                        let parent = draw.below(2);
                        let listed = lister.list(&cache, posts[parent]);
                        let children = listed
                            .iter()
                            .map(|comment| {
                                rows.iter()
                                    .position(|row| row.id == comment.id)
                                    .expect("a child of this run")
                            })
                            .collect();
                        Op::List { parent, children }
                    };
                    events.push(Event {
                        op,
                        invoked,
                        returned: start.elapsed(),
                    });
                }
                events
            })
        })
        .collect();
    let events: Vec<Event> = threads
        .into_iter()
        .flat_map(|thread| thread.join().expect("a thread of the history"))
        .collect();
    let listings = events
        .iter()
        .filter(|e| matches!(e.op, Op::List { .. }))
        .count();
    let bad = unexplained(&events, CHILDREN, &first);
    println!(
        "collection history, seed {seed}: {} operations ({listings} listings), {} unexplained; {:?}",
        events.len(),
        bad.len(),
        cache.stats()
    );
    assert!(
        bad.is_empty(),
        "listings no instant explains, seed {seed}: {bad:#?}"
    );
    // Writes have stopped: each parent's listing, from Redis or not, is the database's.
    for (parent, &post) in posts.iter().enumerate() {
        let mut listed: Vec<i64> = setup.list(&cache, post).iter().map(|c| c.id).collect();
        let mut conn = postgres().expect("PostgreSQL");
        use diesel::prelude::*;
        use write_through_tests::schema::wt_comments;
        let mut stored: Vec<i64> = wt_comments::table
            .filter(wt_comments::post_id.eq(post))
            .select(wt_comments::id)
            .load(&mut conn)
            .expect("the database's members");
        listed.sort_unstable();
        stored.sort_unstable();
        assert_eq!(listed, stored, "parent {parent} at rest");
    }
}

#[test]
fn listings_through_the_blocking_front_are_linearizable_per_parent() {
    run(|| postgres().map(|conn| Box::new(BlockingLister(conn)) as Box<dyn Lister>));
}

#[test]
fn listings_through_the_async_front_are_linearizable_per_parent() {
    run(|| fronts::async_postgres().map(|front| Box::new(front) as Box<dyn Lister>));
}

/// The checker's teeth: histories written by hand.
mod checker {
    use super::*;

    fn at(invoked: u64, returned: u64, op: Op) -> Event {
        Event {
            op,
            invoked: Duration::from_millis(invoked),
            returned: Duration::from_millis(returned),
        }
    }

    fn moved(child: usize, parent: usize) -> Op {
        Op::Write {
            child,
            place: Place::Under(parent),
        }
    }

    fn listed(parent: usize, children: &[usize]) -> Op {
        Op::List {
            parent,
            children: children.to_vec(),
        }
    }

    #[test]
    fn a_child_listed_after_it_certainly_left_is_caught() {
        let first = [Place::Under(0), Place::Under(0)];
        let events = [at(0, 1, moved(1, 1)), at(2, 3, listed(0, &[1, 0]))];
        assert_eq!(unexplained(&events, 2, &first).len(), 1);
    }

    #[test]
    fn a_child_missing_after_it_certainly_joined_is_caught() {
        let first = [Place::Under(0), Place::Under(1)];
        let events = [at(0, 1, moved(1, 0)), at(2, 3, listed(0, &[0]))];
        assert_eq!(unexplained(&events, 2, &first).len(), 1);
    }

    #[test]
    fn a_listing_of_two_instants_is_caught() {
        // Child 1 joins parent 0 during [0, 1] and child 0 leaves it during [2, 3]. A listing
        // during [0, 4] may show both (between the two) or child 0 alone (before the join), or
        // child 1 alone (after both); never neither: child 1 not yet there and child 0 gone.
        let first = [Place::Under(0), Place::Under(1)];
        let writes = [at(0, 1, moved(1, 0)), at(2, 3, moved(0, 1))];
        for (children, explained) in [
            (&[1, 0][..], true),
            (&[0][..], true),
            (&[1][..], true),
            (&[][..], false),
        ] {
            let mut events = writes.to_vec();
            events.push(at(0, 4, listed(0, children)));
            assert_eq!(
                unexplained(&events, 2, &first).is_empty(),
                explained,
                "{children:?}"
            );
        }
    }

    #[test]
    fn a_listing_concurrent_with_a_move_may_show_either_side() {
        let first = [Place::Under(0), Place::Under(0)];
        let events = [
            at(0, 10, moved(1, 1)),
            at(2, 3, listed(0, &[1, 0])),
            at(4, 5, listed(0, &[0])),
            at(6, 7, listed(1, &[1])),
        ];
        assert!(unexplained(&events, 2, &first).is_empty());
    }

    #[test]
    fn a_listing_out_of_order_is_caught() {
        let first = [Place::Under(0), Place::Under(0)];
        assert_eq!(
            unexplained(&[at(0, 1, listed(0, &[0, 1]))], 2, &first).len(),
            1
        );
    }
}
