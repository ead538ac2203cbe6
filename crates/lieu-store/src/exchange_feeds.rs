//! What the Atom feeds of the exchange space read: a category's latest visible threads, and
//! a thread's latest visible posts. Held, hidden and erased posts, and the threads of the
//! workshops' practice spaces, are never in a feed. Each read walks an index from its end, so
//! a feed costs the same with 100,000 threads or a thread of 5,000 posts.

use crate::DbConn;
use crate::error::StoreResult;
use crate::exchange::{Category, Post, Thread};
use crate::schema::{exchange_categories as ec, exchange_posts as ep, exchange_threads as et};
use diesel::prelude::*;
use lieu_core::exchange::PostState;

/// The most entries a feed holds.
pub const FEED_ENTRIES: i64 = 50;

/// A thread as a category's feed shows it: with its first post.
#[derive(Debug, Clone)]
pub struct FeedThread {
    pub thread: Thread,
    pub first_post: Option<Post>,
}

/// The category `slug` and its latest visible threads, latest activity first, at most
/// `limit` (bounded by [`FEED_ENTRIES`]); `None` for an unknown category.
pub fn category_feed(
    conn: &mut DbConn,
    slug: &str,
    limit: i64,
) -> StoreResult<Option<(Category, Vec<FeedThread>)>> {
    let limit = limit.clamp(1, FEED_ENTRIES);
    let category: Option<Category> = ec::table
        .filter(ec::slug.eq(slug))
        .select(Category::as_select())
        .first(conn)
        .optional()?;
    let Some(category) = category else {
        return Ok(None);
    };
    // The list's index has `pinned` before the date: one indexed read of each, merged here.
    let mut threads: Vec<Thread> = Vec::new();
    for pinned in [0, 1] {
        threads.extend(
            et::table
                .filter(et::subject_kind.eq("category"))
                .filter(et::subject_id.eq(category.id))
                .filter(et::state.eq(PostState::Visible.as_str()))
                .filter(et::pinned.eq(pinned))
                .order((et::last_post_at.desc(), et::id.desc()))
                .limit(limit)
                .select(Thread::as_select())
                .load::<Thread>(conn)?,
        );
    }
    threads.sort_by_key(|t| std::cmp::Reverse((t.last_post_at, t.id)));
    threads.truncate(usize::try_from(limit).unwrap_or(0));
    let first_ids: Vec<i32> = threads.iter().filter_map(|t| t.first_post_id).collect();
    let mut firsts: Vec<Post> = if first_ids.is_empty() {
        Vec::new()
    } else {
        ep::table
            .filter(ep::id.eq_any(&first_ids))
            .filter(ep::state.eq(PostState::Visible.as_str()))
            .select(Post::as_select())
            .load(conn)?
    };
    let threads = threads
        .into_iter()
        .map(|thread| {
            let first_post = firsts
                .iter()
                .position(|p| Some(p.id) == thread.first_post_id)
                .map(|i| firsts.swap_remove(i));
            FeedThread { thread, first_post }
        })
        .collect();
    Ok(Some((category, threads)))
}

/// The thread `id` and its latest visible posts, newest first, at most `limit` (bounded by
/// [`FEED_ENTRIES`]); `None` when the thread does not exist, is not visible, or belongs to a
/// workshop's practice space.
pub fn thread_feed(
    conn: &mut DbConn,
    id: i32,
    limit: i64,
) -> StoreResult<Option<(Thread, Vec<Post>)>> {
    let limit = limit.clamp(1, FEED_ENTRIES);
    let thread: Option<Thread> = et::table
        .find(id)
        .filter(et::state.eq(PostState::Visible.as_str()))
        .filter(et::subject_kind.ne("workshop"))
        .select(Thread::as_select())
        .first(conn)
        .optional()?;
    let Some(thread) = thread else {
        return Ok(None);
    };
    let posts: Vec<Post> = ep::table
        .filter(ep::thread_id.eq(thread.id))
        .filter(ep::state.eq(PostState::Visible.as_str()))
        .order(ep::id.desc())
        .limit(limit)
        .select(Post::as_select())
        .load(conn)?;
    Ok(Some((thread, posts)))
}
