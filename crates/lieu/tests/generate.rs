//! `lieu generate --threads N --posts M`, run as a person runs it (the real binary, a database
//! on disk): the exchange space it fills reads as if every post had been written through the
//! site — the counters of categories, threads and members match the rows, ids grow with time,
//! one thread has exactly 500 posts, the reader's notifications come from threads they follow —
//! and the command's help names its options.
//!
//! SQLite always; PostgreSQL too when `LIEU_TEST_DATABASE_URL` is set (a database of its own
//! is created for the test and dropped after).

mod common;
use chrono::NaiveDateTime;
use common::{lieu, psql, succeeded};
use diesel::prelude::*;
use lieu_store::Store;
use lieu_store::schema::{
    exchange_posts as ep, exchange_subscriptions as sub, exchange_threads as et, index_outbox,
    notifications as n, users as u,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

/// A thread's row: (subject kind, subject id, first post, replies, last post at, last poster).
type ThreadRow = (String, i32, Option<i32>, i32, NaiveDateTime, String);
/// A post's row: (id, thread, author, author's name, when).
type PostRow = (i32, i32, Option<i32>, String, NaiveDateTime);
/// An account's row: (id, role, @name, address confirmed at, posts that went out).
type MemberRow = (i32, String, Option<String>, Option<NaiveDateTime>, i32);
/// A notification's row: (to whom, thread, post, read at).
type ToldRow = (i32, Option<i32>, Option<i32>, Option<NaiveDateTime>);

fn generated_threads_read_as_if_posted_through_the_site(database_url: &str) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wiki-content");
    let content = content.to_str().expect("utf-8 path");
    succeeded(
        lieu(dir.path(), database_url, &["import", content]),
        "import",
    );

    let refused = lieu(
        dir.path(),
        database_url,
        &["generate", "--threads", "10", "--posts", "5"],
    );
    assert!(!refused.status.success(), "fewer posts than threads");

    let out = succeeded(
        lieu(
            dir.path(),
            database_url,
            // More posts than one transaction writes (5,000): later batches add replies to
            // threads written by earlier ones.
            &[
                "generate",
                "--threads",
                "200",
                "--posts",
                "6000",
                "--seed",
                "3",
            ],
        ),
        "generate",
    );
    assert!(out.contains("200 sujets et 6000 messages"), "{out}");

    let store = Store::open(database_url, 2).expect("open the database");
    let categories = store
        .read(|c| lieu_store::exchange::categories(c, true))
        .expect("categories");
    let (threads, posts, members, follows, told, outbox) = store
        .read(|c| {
            let threads: Vec<(i32, ThreadRow)> = et::table
                .select((
                    et::id,
                    (
                        et::subject_kind,
                        et::subject_id,
                        et::first_post_id,
                        et::reply_count,
                        et::last_post_at,
                        et::last_poster_name,
                    ),
                ))
                .filter(et::state.eq("visible"))
                .load(c)?;
            let posts: Vec<PostRow> = ep::table
                .filter(ep::state.eq("visible"))
                .order(ep::id.asc())
                .select((
                    ep::id,
                    ep::thread_id,
                    ep::author_id,
                    ep::author_name,
                    ep::created_at,
                ))
                .load(c)?;
            let members: Vec<MemberRow> = u::table
                .select((
                    u::id,
                    u::role,
                    u::handle,
                    u::email_confirmed_at,
                    u::approved_posts,
                ))
                .load(c)?;
            let follows: Vec<(i32, String, i32, NaiveDateTime)> = sub::table
                .select((
                    sub::user_id,
                    sub::target_kind,
                    sub::target_id,
                    sub::created_at,
                ))
                .load(c)?;
            let told: Vec<ToldRow> = n::table
                .order(n::id.asc())
                .select((n::user_id, n::thread_id, n::post_id, n::read_at))
                .load(c)?;
            let outbox: Vec<i32> = index_outbox::table
                .filter(index_outbox::source.eq("thread"))
                .select(index_outbox::source_id)
                .load(c)?;
            Ok((threads, posts, members, follows, told, outbox))
        })
        .expect("read what was generated");

    assert_eq!(threads.len(), 200);
    assert_eq!(posts.len(), 6_000);
    assert!(
        posts.windows(2).all(|w| w[0].4 <= w[1].4),
        "ids grow with time"
    );

    // Each thread: its first post, its replies, its last post and poster.
    let mut by_thread: BTreeMap<i32, Vec<&PostRow>> = BTreeMap::new();
    for post in &posts {
        by_thread.entry(post.1).or_default().push(post);
    }
    for (id, (_, _, first, replies, last_at, last_name)) in &threads {
        let mine = &by_thread[id];
        let last = mine.last().expect("a post");
        assert_eq!(*first, Some(mine[0].0), "thread {id}: first post");
        assert_eq!(*replies as usize, mine.len() - 1, "thread {id}: replies");
        assert_eq!(*last_at, last.4, "thread {id}: last post at");
        assert_eq!(*last_name, last.3, "thread {id}: last poster");
        assert!(
            outbox.contains(id),
            "thread {id} is sent to the search index"
        );
    }
    let long: Vec<_> = by_thread.values().filter(|p| p.len() == 500).collect();
    assert_eq!(long.len(), 1, "one thread of exactly 500 posts");
    assert!(threads.iter().any(|(_, t)| t.0 == "page" || t.0 == "entry"));

    // Each category: its threads, its posts, its latest post.
    let subjects: HashMap<i32, &ThreadRow> = threads.iter().map(|(id, t)| (*id, t)).collect();
    for category in &categories {
        let inside: Vec<i32> = threads
            .iter()
            .filter(|(_, t)| t.0 == "category" && t.1 == category.id)
            .map(|(id, _)| *id)
            .collect();
        let its_posts: Vec<_> = posts.iter().filter(|p| inside.contains(&p.1)).collect();
        assert_eq!(
            category.thread_count as usize,
            inside.len(),
            "{}",
            category.slug
        );
        assert_eq!(
            category.post_count as usize,
            its_posts.len(),
            "{}",
            category.slug
        );
        assert_eq!(
            category.last_post_at,
            its_posts.iter().map(|p| p.4).max(),
            "{}",
            category.slug
        );
    }

    // The members: confirmed, with an @name, their posts counted.
    assert!(members.len() >= 5, "a few members");
    for (id, role, handle, confirmed, approved) in &members {
        assert_eq!(role, "member");
        assert!(handle.is_some() && confirmed.is_some(), "member {id}");
        let written = posts.iter().filter(|p| p.2 == Some(*id)).count();
        assert_eq!(
            *approved as usize, written,
            "member {id}: posts that went out"
        );
    }

    // The reader: follows the threads they posted in, from their first post there, and is
    // told of every later reply by someone else, and of nothing else.
    let readers: Vec<i32> = follows.iter().map(|f| f.0).collect();
    let reader = readers[0];
    assert!(readers.iter().all(|r| *r == reader), "one member follows");
    let mut joined: HashMap<i32, (i32, NaiveDateTime)> = HashMap::new();
    for post in posts.iter().filter(|p| p.2 == Some(reader)) {
        joined.entry(post.1).or_insert((post.0, post.4));
    }
    let mut followed: Vec<(i32, NaiveDateTime)> = follows
        .iter()
        .map(|(_, kind, thread, at)| {
            assert_eq!(kind, "thread");
            (*thread, *at)
        })
        .collect();
    followed.sort_unstable();
    let mut expected_follows: Vec<(i32, NaiveDateTime)> = joined
        .iter()
        .map(|(thread, (_, at))| (*thread, *at))
        .collect();
    expected_follows.sort_unstable();
    assert_eq!(followed, expected_follows, "followed from their first post");
    let expected: Vec<i32> = posts
        .iter()
        .filter(|p| p.2 != Some(reader))
        .filter(|p| joined.get(&p.1).is_some_and(|(first, _)| *first < p.0))
        .map(|p| p.0)
        .collect();
    assert!(expected.len() >= 499, "the reader started the long thread");
    let told_posts: Vec<i32> = told.iter().filter_map(|t| t.2).collect();
    assert_eq!(told_posts, expected);
    assert!(
        told.iter()
            .all(|t| t.0 == reader && subjects.contains_key(&t.1.unwrap_or(0)))
    );
    let unread = told.iter().filter(|t| t.3.is_none()).count();
    assert_eq!(unread, 20, "the newest are unread");

    read_back_page_by_page(&store, &threads, &posts, reader, &follows);
}

/// The store's pages, followed from one to the next as the site's links do, give every
/// thread of a category, every post of the long thread (both ways), every notification and
/// every follow of the reader, once each and in order.
fn read_back_page_by_page(
    store: &Store,
    threads: &[(i32, ThreadRow)],
    posts: &[PostRow],
    reader: i32,
    follows: &[(i32, String, i32, NaiveDateTime)],
) {
    use lieu_core::exchange::Subject;
    use lieu_core::{ThreadId, UserId};
    use lieu_store::exchange::{self, Reader, ThreadCursor};
    use lieu_store::notifications;

    let (_, (_, category, ..)) = threads
        .iter()
        .find(|(_, t)| t.0 == "category")
        .expect("a thread in a category");
    for unanswered in [false, true] {
        let mut expected: Vec<(NaiveDateTime, i32)> = threads
            .iter()
            .filter(|(_, t)| t.0 == "category" && t.1 == *category)
            .filter(|(_, t)| !unanswered || t.3 == 0)
            .map(|(id, t)| (t.4, *id))
            .collect();
        expected.sort_unstable_by(|a, b| b.cmp(a));
        let mut listed = Vec::new();
        let mut after = None;
        loop {
            let (_, mut page) = store
                .read(|c| exchange::threads(c, Subject::Category(*category), unanswered, after, 8))
                .expect("a page of threads");
            let more = page.len() == 8;
            page.truncate(7);
            listed.extend(page.iter().map(|t| (t.last_post_at, t.id)));
            match page.last() {
                Some(last) if more => {
                    after = Some(ThreadCursor {
                        last_post_at: last.last_post_at,
                        id: last.id,
                    });
                }
                _ => break,
            }
        }
        assert_eq!(listed, expected, "category pages, unanswered: {unanswered}");
    }

    let long = posts
        .iter()
        .map(|p| p.1)
        .find(|t| posts.iter().filter(|p| p.1 == *t).count() == 500)
        .expect("the long thread");
    let expected: Vec<i32> = posts.iter().filter(|p| p.1 == long).map(|p| p.0).collect();
    let anyone = Reader {
        user: None,
        moderator: false,
    };
    let (mut forward, mut after) = (Vec::new(), None);
    loop {
        let mut page = store
            .read(|c| exchange::posts(c, ThreadId(long), anyone, after, None, 51))
            .expect("a page of posts");
        let more = page.len() == 51;
        page.truncate(50);
        forward.extend(page.iter().map(|p| p.post.id));
        after = page.last().map(|p| p.post.id);
        if !more {
            break;
        }
    }
    assert_eq!(forward, expected, "the thread's pages, from the first");
    let (mut backward, mut before) = (Vec::new(), Some(i32::MAX));
    loop {
        let mut page = store
            .read(|c| exchange::posts(c, ThreadId(long), anyone, None, before, 51))
            .expect("a page of posts");
        let more = page.len() == 51;
        if more {
            page.remove(0);
        }
        backward.splice(0..0, page.iter().map(|p| p.post.id));
        before = page.first().map(|p| p.post.id);
        if !more {
            break;
        }
    }
    assert_eq!(backward, expected, "the thread's pages, from the last");

    let (mut notified, mut before) = (Vec::new(), None);
    loop {
        let mut page = store
            .read(|c| notifications::listed_page(c, UserId(reader), before, 31))
            .expect("a page of notifications");
        let more = page.len() == 31;
        page.truncate(30);
        notified.extend(page.iter().filter_map(|l| l.notification.post_id));
        before = page.last().map(|l| l.notification.id);
        if !more {
            break;
        }
    }
    let mut expected: Vec<i32> = store
        .read(|c| {
            Ok(n::table
                .filter(n::user_id.eq(reader))
                .order(n::id.desc())
                .select(n::post_id.assume_not_null())
                .load(c)?)
        })
        .expect("notifications");
    assert_eq!(notified, expected, "the notifications' pages");
    expected = follows.iter().map(|f| f.2).collect();
    expected.sort_unstable();
    let (mut followed, mut after) = (Vec::new(), None);
    loop {
        let mut page = store
            .read(|c| notifications::follows(c, UserId(reader), after, 9))
            .expect("a page of follows");
        let more = page.len() == 9;
        page.truncate(8);
        assert!(
            page.iter().all(|f| f.name.is_some()),
            "followed threads are named"
        );
        followed.extend(page.iter().map(|f| f.target.id()));
        after = page.last().map(|f| f.target);
        if !more {
            break;
        }
    }
    assert_eq!(followed, expected, "the follows' pages");
}

#[test]
fn generate_help_lists_the_exchange_options() {
    let out = Command::new(env!("CARGO_BIN_EXE_lieu"))
        .args(["generate", "--help"])
        .output()
        .expect("run lieu");
    let help = String::from_utf8_lossy(&out.stdout);
    for option in ["--entries", "--threads", "--posts", "--seed"] {
        assert!(help.contains(option), "{option} in {help}");
    }
}

#[test]
fn generated_threads_read_as_if_posted_through_the_site_sqlite() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("lieu.sqlite3").display());
    generated_threads_read_as_if_posted_through_the_site(&url);
}

/// Runs `sql` on the PostgreSQL server of `url` with `psql` (CREATE and DROP DATABASE cannot
/// run in the transaction every store call opens).

#[test]
#[cfg_attr(
    not(lieu_postgres_tests),
    ignore = "set LIEU_TEST_DATABASE_URL at build time to run the PostgreSQL tests"
)]
fn generated_threads_read_as_if_posted_through_the_site_postgres() {
    let admin = std::env::var("LIEU_TEST_DATABASE_URL").expect("LIEU_TEST_DATABASE_URL");
    let name = format!("lieu_generate_{:016x}", rand::random::<u64>());
    psql(&admin, &format!("CREATE DATABASE \"{name}\""));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    generated_threads_read_as_if_posted_through_the_site(&format!("{base}/{name}"));
    psql(
        &admin,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    );
}
