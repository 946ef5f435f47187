//! Cached collections on PostgreSQL with the local Redis: a warm listing of a post's 50
//! comments beside Diesel's `filter(post_id.eq(..)).order(rank.desc()).load()` and beside a
//! warm `find_many` of the same 50 rows; and what the collection adds to a child's `save` (one
//! that keeps its parent, and one that moves it), beside the same row under a model without
//! the collection.
//!
//! ```text
//! cargo bench -p write_through_benches --bench collections
//! ```
//!
//! Ratios between functions of one group are what matter (BENCHMARKS.md).

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use diesel::prelude::*;
use write_through::Cache;
use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through_benches::wt_bench_comments::dsl as comments;
use write_through_benches::{Comment, CommentAlone, postgres_with_comments, redis_url};

const POST: i64 = 1;
const OTHER_POST: i64 = 2;
const CHILDREN: i64 = 50;

fn cache() -> Cache {
    Cache::builder(&redis_url())
        .namespace("wt-bench-collections")
        .build()
        .expect("cache")
}

fn on_postgres(c: &mut Criterion) {
    let mut conn = postgres_with_comments();
    let conn = &mut conn;
    let cache = cache();
    diesel::delete(comments::wt_bench_comments)
        .execute(conn)
        .expect("an empty table");
    let rows: Vec<Comment> = (1..=CHILDREN)
        .map(|id| Comment {
            id,
            post_id: POST,
            rank: id as i32,
            body: format!("comment number {id}, of the length of a short comment"),
        })
        .collect();
    for row in &rows {
        row.save(conn, &cache).expect("seed");
    }
    // Warm: the collection and its rows.
    let listed = Comment::find_all_by_post_id(conn, &cache, &POST).expect("warm");
    assert_eq!(listed.len(), CHILDREN as usize);
    let hits = cache.stats().hits;
    Comment::find_all_by_post_id(conn, &cache, &POST).expect("warm");
    assert_eq!(cache.stats().hits, hits + 1, "the listing is a hit");
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();

    let mut group = c.benchmark_group("collection_50/postgres");
    group.bench_function("find_all_by_post_id_hit", |b| {
        b.iter(|| Comment::find_all_by_post_id(conn, &cache, &POST).unwrap())
    });
    group.bench_function("find_many_50_hit", |b| {
        b.iter(|| Comment::find_many(conn, &cache, ids.iter()).unwrap())
    });
    // The floor: the rows' bytes alone, one MGET, no decoding.
    let keys: Vec<Vec<u8>> = ids.iter().map(|id| cache.key::<Comment>(id)).collect();
    let mut redis = redis::Client::open(redis_url())
        .and_then(|client| client.get_connection())
        .expect("Redis");
    group.bench_function("raw_mget_50_bytes", |b| {
        b.iter(|| {
            let values: Vec<Option<Vec<u8>>> =
                redis::cmd("MGET").arg(&keys).query(&mut redis).unwrap();
            values
        })
    });
    // The hand-written pattern (IdentityCache's `embed: :ids` done by hand): the list of ids
    // under a key of its own, then the rows by `find_many`: two round trips, and no guard
    // against the races of `tests/tests/protocol/collection_races.rs`.
    let list_key = format!("wt-bench-collections:hand:post:{POST}");
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    redis::cmd("SET")
        .arg(&list_key)
        .arg(list.join(","))
        .query::<()>(&mut redis)
        .expect("the hand-written list");
    group.bench_function("hand_written_ids_then_find_many", |b| {
        b.iter(|| {
            let list: String = redis::cmd("GET").arg(&list_key).query(&mut redis).unwrap();
            let ids: Vec<i64> = list.split(',').map(|id| id.parse().unwrap()).collect();
            Comment::find_many(conn, &cache, ids.iter()).unwrap()
        })
    });
    group.bench_function("diesel_filter_order_load", |b| {
        b.iter(|| {
            comments::wt_bench_comments
                .filter(comments::post_id.eq(POST))
                .order((comments::rank.desc(), comments::id.asc()))
                .select(Comment::as_select())
                .load(conn)
                .unwrap()
        })
    });
    group.finish();
    redis::cmd("DEL")
        .arg(&list_key)
        .query::<()>(&mut redis)
        .expect("the hand-written list");

    let child = rows[0].clone();
    let alone = CommentAlone {
        id: child.id,
        post_id: child.post_id,
        rank: child.rank,
        body: child.body.clone(),
    };
    let mut group = c.benchmark_group("collection_child_save/postgres");
    group.bench_function("save_with_a_collection", |b| {
        b.iter(|| child.save(conn, &cache).unwrap())
    });
    group.bench_function("save_without", |b| {
        b.iter(|| alone.save(conn, &cache).unwrap())
    });
    let mut moving = child.clone();
    group.bench_function("save_moving_it_to_another_parent", |b| {
        b.iter(|| {
            moving.post_id = if moving.post_id == POST {
                OTHER_POST
            } else {
                POST
            };
            moving.save(conn, &cache).unwrap()
        })
    });
    group.finish();
    // After the saves that kept the parent, the listing is still a hit.
    child.save(conn, &cache).unwrap();
    Comment::find_all_by_post_id(conn, &cache, &POST).unwrap();
    let hits = cache.stats().hits;
    Comment::find_all_by_post_id(conn, &cache, &POST).unwrap();
    assert_eq!(cache.stats().hits, hits + 1);

    for id in &ids {
        cache.invalidate::<Comment>(id).unwrap();
        cache.invalidate::<CommentAlone>(id).unwrap();
    }
    for post in [POST, OTHER_POST] {
        cache.invalidate_collection::<Comment, 0>(&post).unwrap();
    }
    diesel::sql_query("DROP TABLE IF EXISTS wt_bench_comments")
        .execute(conn)
        .unwrap();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = on_postgres
}
criterion_main!(benches);
