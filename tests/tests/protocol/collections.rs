//! Cached collections (`Comment::find_all_by_post_id`: a post's comments, highest rank first)
//! on every front and backend: a listing is read from the database once, then from Redis; and
//! every write through the library that adds, moves, reorders or removes a child is seen by the
//! next listing of each parent it touched (`create`, `save`, `update` through a form,
//! `delete`, `cache.transaction` committed or rolled back). Writes that bypass the library are
//! seen once their rows or collections are invalidated. The races are in `collection_races.rs`.

use write_through::{Cache, Error};
use write_through_tests::TestCache;
use write_through_tests::fronts::{Async, AsyncSqlite, Blocking};
use write_through_tests::models::{Comment, CommentUpdateForm, NewComment};
use write_through_tests::unique;

/// The operations these specifications need, on one front and backend.
pub(crate) trait CommentFront {
    fn create(&mut self, cache: &Cache, new: &NewComment) -> Result<Comment, Error>;
    fn save(&mut self, cache: &Cache, comment: &Comment) -> Result<(), Error>;
    fn update(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &CommentUpdateForm,
    ) -> Result<Comment, Error>;
    fn delete(&mut self, cache: &Cache, id: i64) -> Result<bool, Error>;
    /// `Comment::find_all_by_post_id`.
    fn list(&mut self, cache: &Cache, post: i64) -> Result<Vec<Comment>, Error>;
    /// `Comment::find_all_by_post_id_in`.
    fn list_in(&mut self, cache: &Cache, posts: &[i64]) -> Result<Vec<Vec<Comment>>, Error>;
    /// `comment.save` for each of `comments` inside `cache.transaction`; rolled back when
    /// `commit` is false.
    fn save_in_transaction(&mut self, cache: &Cache, comments: &[Comment], commit: bool);
    /// Runs SQL behind the cache's back, as another service would.
    fn execute(&mut self, sql: &str);
}

/// The error that makes a transaction roll back.
fn roll_back() -> Error {
    Error::Database(diesel::result::Error::RollbackTransaction)
}

macro_rules! blocking_comment_front {
    ($($connection:ty),*) => {$(
        impl CommentFront for Blocking<$connection> {
            fn create(&mut self, cache: &Cache, new: &NewComment) -> Result<Comment, Error> {
                use write_through::blocking::ModelOps as _;
                Comment::create(&mut self.0, cache, new)
            }
            fn save(&mut self, cache: &Cache, comment: &Comment) -> Result<(), Error> {
                use write_through::blocking::SaveOps as _;
                comment.save(&mut self.0, cache).map(drop)
            }
            fn update(&mut self, cache: &Cache, id: i64, form: &CommentUpdateForm) -> Result<Comment, Error> {
                use write_through::blocking::ModelOps as _;
                Comment::update(&mut self.0, cache, &id, form)
            }
            fn delete(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
                use write_through::blocking::ModelOps as _;
                Comment::delete(&mut self.0, cache, &id)
            }
            fn list(&mut self, cache: &Cache, post: i64) -> Result<Vec<Comment>, Error> {
                Comment::find_all_by_post_id(&mut self.0, cache, &post)
            }
            fn list_in(&mut self, cache: &Cache, posts: &[i64]) -> Result<Vec<Vec<Comment>>, Error> {
                Comment::find_all_by_post_id_in(&mut self.0, cache, posts)
            }
            fn save_in_transaction(&mut self, cache: &Cache, comments: &[Comment], commit: bool) {
                use write_through::blocking::{SaveOps as _, TransactionOps as _};
                let outcome = cache.transaction(&mut self.0, |conn| {
                    for comment in comments {
                        comment.save(conn, cache)?;
                    }
                    if commit { Ok(()) } else { Err(roll_back()) }
                });
                assert_eq!(outcome.is_ok(), commit, "{outcome:?}");
            }
            fn execute(&mut self, sql: &str) {
                use diesel::RunQueryDsl as _;
                diesel::sql_query(sql).execute(&mut self.0).expect(sql);
            }
        }
    )*};
}

macro_rules! async_comment_front {
    ($($connection:ty),*) => {$(
        impl CommentFront for Async<$connection> {
            fn create(&mut self, cache: &Cache, new: &NewComment) -> Result<Comment, Error> {
                use write_through::asynch::ModelOps as _;
                self.runtime.block_on(Comment::create(&mut self.conn, cache, new))
            }
            fn save(&mut self, cache: &Cache, comment: &Comment) -> Result<(), Error> {
                use write_through::asynch::SaveOps as _;
                self.runtime.block_on(comment.save(&mut self.conn, cache)).map(drop)
            }
            fn update(&mut self, cache: &Cache, id: i64, form: &CommentUpdateForm) -> Result<Comment, Error> {
                use write_through::asynch::ModelOps as _;
                self.runtime.block_on(Comment::update(&mut self.conn, cache, &id, form))
            }
            fn delete(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
                use write_through::asynch::ModelOps as _;
                self.runtime.block_on(Comment::delete(&mut self.conn, cache, &id))
            }
            fn list(&mut self, cache: &Cache, post: i64) -> Result<Vec<Comment>, Error> {
                self.runtime.block_on(Comment::find_all_by_post_id(&mut self.conn, cache, &post))
            }
            fn list_in(&mut self, cache: &Cache, posts: &[i64]) -> Result<Vec<Vec<Comment>>, Error> {
                self.runtime.block_on(Comment::find_all_by_post_id_in(&mut self.conn, cache, posts))
            }
            fn save_in_transaction(&mut self, cache: &Cache, comments: &[Comment], commit: bool) {
                use write_through::asynch::{SaveOps as _, TransactionOps as _};
                let outcome = self.runtime.block_on(cache.transaction(&mut self.conn, async |conn| {
                    for comment in comments {
                        comment.save(conn, cache).await?;
                    }
                    if commit { Ok(()) } else { Err(roll_back()) }
                }));
                assert_eq!(outcome.is_ok(), commit, "{outcome:?}");
            }
            fn execute(&mut self, sql: &str) {
                use diesel_async::RunQueryDsl as _;
                self.runtime
                    .block_on(diesel::sql_query(sql).execute(&mut self.conn))
                    .expect(sql);
            }
        }
    )*};
}

blocking_comment_front!(
    diesel::PgConnection,
    diesel::MysqlConnection,
    diesel::SqliteConnection
);
async_comment_front!(
    diesel_async::AsyncPgConnection,
    diesel_async::AsyncMysqlConnection,
    AsyncSqlite
);

/// A post of its own (posts are only numbers here).
fn post() -> i64 {
    unique() as i64
}

/// Creates comments of `post` with these ranks, through the library.
fn comments(f: &mut impl CommentFront, cache: &Cache, post: i64, ranks: &[i32]) -> Vec<Comment> {
    ranks
        .iter()
        .map(|&rank| {
            let new = NewComment {
                post_id: post,
                rank,
                body: format!("rank {rank}"),
            };
            f.create(cache, &new).expect("create a comment")
        })
        .collect()
}

/// The ids of a listing, in its order.
fn ids(listed: &[Comment]) -> Vec<i64> {
    listed.iter().map(|comment| comment.id).collect()
}

/// Lists `post` twice: the second listing must be a hit, with the same rows. Returns them.
fn listed_then_cached(f: &mut impl CommentFront, cache: &Cache, post: i64) -> Vec<Comment> {
    let listed = f.list(cache, post).expect("list");
    let before = cache.stats();
    let again = f.list(cache, post).expect("list again");
    let after = cache.stats();
    assert_eq!(again, listed, "the cached listing is the database's");
    assert_eq!(
        (after.hits - before.hits, after.misses - before.misses),
        (1, 0),
        "the second listing is one hit: {after:?}"
    );
    listed
}

fn a_listing_is_read_once_then_served_from_redis_in_its_order(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    let made = comments(f, cache, post, &[2, 9, 5]);
    let misses = cache.stats().misses;
    let listed = listed_then_cached(f, cache, post);
    assert_eq!(cache.stats().misses, misses + 1, "one database read");
    assert_eq!(
        ids(&listed),
        [made[1].id, made[2].id, made[0].id],
        "rank descending"
    );
    assert_eq!(listed[0], made[1]);
}

fn a_parent_without_children_is_cached_as_empty(f: &mut impl CommentFront, tc: &mut TestCache) {
    let listed = listed_then_cached(f, &tc.cache, post());
    assert!(listed.is_empty());
}

fn a_created_child_joins_its_parents_cached_collection(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    let first = comments(f, cache, post, &[1]);
    listed_then_cached(f, cache, post);
    let second = comments(f, cache, post, &[3]);
    let listed = listed_then_cached(f, cache, post);
    assert_eq!(ids(&listed), [second[0].id, first[0].id]);
}

/// A child moved from one post to another by `move_it` (given the comment and the new post,
/// it returns the comment as stored) leaves the first post's cached listing and joins the
/// second's.
fn moving_a_child_changes_both_collections<F: CommentFront>(
    f: &mut F,
    cache: &Cache,
    move_it: impl FnOnce(&mut F, Comment, i64) -> Comment,
) {
    let (from, to) = (post(), post());
    let stays = comments(f, cache, from, &[1]);
    let moving = comments(f, cache, from, &[2]);
    let there = comments(f, cache, to, &[5]);
    assert_eq!(
        ids(&listed_then_cached(f, cache, from)),
        [moving[0].id, stays[0].id]
    );
    assert_eq!(ids(&listed_then_cached(f, cache, to)), [there[0].id]);
    let moved = move_it(f, moving[0].clone(), to);
    assert_eq!(moved.post_id, to);
    assert_eq!(
        ids(&listed_then_cached(f, cache, from)),
        [stays[0].id],
        "it left"
    );
    let listed = listed_then_cached(f, cache, to);
    assert_eq!(
        ids(&listed),
        [there[0].id, moved.id],
        "it joined, in rank order"
    );
    assert_eq!(listed[1], moved);
}

fn a_child_saved_under_another_parent_moves_between_collections(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    moving_a_child_changes_both_collections(f, &tc.cache, |f, comment, to| {
        let moved = Comment {
            post_id: to,
            ..comment
        };
        f.save(&tc.cache, &moved).unwrap();
        moved
    });
}

fn a_child_moved_by_a_form_moves_between_collections(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    moving_a_child_changes_both_collections(f, &tc.cache, |f, comment, to| {
        let form = CommentUpdateForm {
            post_id: Some(to),
            ..CommentUpdateForm::default()
        };
        f.update(&tc.cache, comment.id, &form).unwrap()
    });
}

fn a_deleted_child_leaves_its_collection(f: &mut impl CommentFront, tc: &mut TestCache) {
    let cache = &tc.cache;
    let post = post();
    let made = comments(f, cache, post, &[1, 2]);
    listed_then_cached(f, cache, post);
    assert!(f.delete(cache, made[1].id).unwrap());
    assert_eq!(ids(&listed_then_cached(f, cache, post)), [made[0].id]);
}

fn a_child_whose_order_changed_is_listed_in_the_new_order(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    let made = comments(f, cache, post, &[1, 2]);
    assert_eq!(
        ids(&listed_then_cached(f, cache, post)),
        [made[1].id, made[0].id]
    );
    let promoted = Comment {
        rank: 7,
        ..made[0].clone()
    };
    f.save(cache, &promoted).unwrap();
    assert_eq!(
        ids(&listed_then_cached(f, cache, post)),
        [made[0].id, made[1].id]
    );
    // Through a form as well.
    let form = CommentUpdateForm {
        rank: Some(9),
        ..CommentUpdateForm::default()
    };
    f.update(cache, made[1].id, &form).unwrap();
    assert_eq!(
        ids(&listed_then_cached(f, cache, post)),
        [made[1].id, made[0].id]
    );
}

/// A `save` that keeps the row's parent puts the collection's entry back as it was: the next
/// listing is a hit, with the row as saved.
fn a_childs_own_update_is_listed_without_reading_the_collection_again(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    let made = comments(f, cache, post, &[1]);
    listed_then_cached(f, cache, post);
    let edited = Comment {
        body: "edited".into(),
        ..made[0].clone()
    };
    f.save(cache, &edited).unwrap();
    let misses = cache.stats().misses;
    assert_eq!(f.list(cache, post).unwrap(), [edited], "the row as saved");
    assert_eq!(
        cache.stats().misses,
        misses,
        "a hit: the collection did not change"
    );
}

fn children_saved_in_a_transaction_join_at_the_commit_and_not_on_a_rollback(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let (from, to) = (post(), post());
    let made = comments(f, cache, from, &[1, 2]);
    listed_then_cached(f, cache, from);
    listed_then_cached(f, cache, to);
    let moved: Vec<Comment> = made
        .iter()
        .map(|comment| Comment {
            post_id: to,
            ..comment.clone()
        })
        .collect();
    f.save_in_transaction(cache, &moved, false);
    assert_eq!(
        ids(&listed_then_cached(f, cache, from)),
        [made[1].id, made[0].id],
        "rolled back: nothing moved"
    );
    assert!(listed_then_cached(f, cache, to).is_empty());
    f.save_in_transaction(cache, &moved, true);
    // (On MySQL a transaction's commit deletes the rows it wrote: the first listing of `to`
    // then finds its rows missing, and the second fills them.)
    assert!(
        f.list(cache, from).unwrap().is_empty(),
        "committed: both left"
    );
    assert_eq!(
        ids(&f.list(cache, to).unwrap()),
        [made[1].id, made[0].id],
        "and joined"
    );
    assert!(listed_then_cached(f, cache, from).is_empty());
    assert_eq!(
        ids(&listed_then_cached(f, cache, to)),
        [made[1].id, made[0].id]
    );
}

fn many_parents_are_listed_in_one_call_in_their_order(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let (a, b, empty) = (post(), post(), post());
    let of_a = comments(f, cache, a, &[1, 2]);
    let of_b = comments(f, cache, b, &[3]);
    let expected = vec![
        vec![of_b[0].clone()],
        vec![of_a[1].clone(), of_a[0].clone()],
        vec![],
        vec![of_b[0].clone()],
    ];
    assert_eq!(f.list_in(cache, &[b, a, empty, b]).unwrap(), expected);
    let before = cache.stats();
    assert_eq!(f.list_in(cache, &[b, a, empty, b]).unwrap(), expected);
    let after = cache.stats();
    assert_eq!(
        (after.hits - before.hits, after.misses - before.misses),
        (3, 0),
        "three parents, each a hit: {after:?}"
    );
    assert_eq!(f.list_in(cache, &[]).unwrap(), Vec::<Vec<Comment>>::new());
}

fn a_collection_over_its_cap_is_answered_whole_and_not_cached(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    // `Comment`'s cap is 20.
    let ranks: Vec<i32> = (0..21).collect();
    comments(f, cache, post, &ranks);
    for _ in 0..2 {
        let listed = f.list(cache, post).unwrap();
        assert_eq!(listed.len(), 21);
        assert!(listed.windows(2).all(|pair| pair[0].rank > pair[1].rank));
    }
    let stats = cache.stats();
    assert_eq!(
        (stats.misses, stats.collections_too_large),
        (2, 2),
        "{stats:?}"
    );
}

fn a_child_inserted_behind_the_caches_back_is_listed_once_its_collection_is_invalidated(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    let made = comments(f, cache, post, &[1]);
    listed_then_cached(f, cache, post);
    let id = unique() as i64;
    f.execute(&format!(
        "INSERT INTO wt_comments (id, post_id, rank, body) VALUES ({id}, {post}, 5, 'by hand')"
    ));
    assert_eq!(
        ids(&f.list(cache, post).unwrap()),
        [made[0].id],
        "not told yet"
    );
    cache.invalidate_collection::<Comment, 0>(&post).unwrap();
    assert_eq!(ids(&f.list(cache, post).unwrap()), [id, made[0].id]);
    // Its row was never cached: the next listing reads the database again and fills it too.
    assert_eq!(ids(&listed_then_cached(f, cache, post)), [id, made[0].id]);
}

fn a_child_deleted_behind_the_caches_back_leaves_once_its_row_is_invalidated(
    f: &mut impl CommentFront,
    tc: &mut TestCache,
) {
    let cache = &tc.cache;
    let post = post();
    let made = comments(f, cache, post, &[1, 2]);
    listed_then_cached(f, cache, post);
    f.execute(&format!(
        "DELETE FROM wt_comments WHERE id = {}",
        made[0].id
    ));
    cache.invalidate::<Comment>(&made[0].id).unwrap();
    assert_eq!(ids(&listed_then_cached(f, cache, post)), [made[1].id]);
}

write_through_tests::on_every_front!(
    a_listing_is_read_once_then_served_from_redis_in_its_order,
    a_parent_without_children_is_cached_as_empty,
    a_created_child_joins_its_parents_cached_collection,
    a_child_saved_under_another_parent_moves_between_collections,
    a_child_moved_by_a_form_moves_between_collections,
    a_deleted_child_leaves_its_collection,
    a_child_whose_order_changed_is_listed_in_the_new_order,
    a_childs_own_update_is_listed_without_reading_the_collection_again,
    children_saved_in_a_transaction_join_at_the_commit_and_not_on_a_rollback,
    many_parents_are_listed_in_one_call_in_their_order,
    a_collection_over_its_cap_is_answered_whole_and_not_cached,
    a_child_inserted_behind_the_caches_back_is_listed_once_its_collection_is_invalidated,
    a_child_deleted_behind_the_caches_back_leaves_once_its_row_is_invalidated,
);
