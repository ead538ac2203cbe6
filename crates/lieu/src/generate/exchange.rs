//! `lieu generate --threads N --posts M`: fills the exchange space with N threads and M posts,
//! to measure its pages at the size the issue asks for (100,000 threads, a million posts).
//!
//! The threads are spread over the open categories, with some in wiki pages' and directory
//! entries' own discussions, started over the last two years; the posts are spread over the
//! threads, most with a few replies, some with dozens, many unanswered, and one thread has
//! exactly 500 posts (when there are enough). They are written by a few generated members
//! (role `member`, address confirmed, an `@name`, one password printed at the end).
//!
//! Everything is written in the order it was posted, a batch of posts per transaction, through
//! `lieu_store::exchange_batch`, which keeps the counters as posting through the site does.
//! One member, the reader, follows the threads they posted in (as the site makes it) and gets
//! the notifications of the replies that came after, a few thousand at full size: the other
//! members follow nothing, as if they had stopped following, so that the notifications table
//! holds the reader's rows rather than millions.

use super::corpus;
use super::exchange_corpus as words;
use anyhow::{Context, Result, bail};
use chrono::{Duration, NaiveDateTime};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_core::exchange::{NotificationKind, Subject, ThreadKind};
use lieu_store::Store;
use lieu_store::exchange_batch::{
    self as batch, BatchFollow, BatchNotification, BatchPost, BatchThread, ExchangeBatch, IdsOf,
};
use lieu_store::models::users::User;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

/// Posts per transaction.
const BATCH: usize = 5_000;
/// The posts of the long thread, whose pages are measured.
pub const LONG_THREAD_POSTS: usize = 500;
/// Members who write, besides the reader.
const WRITERS: usize = 12;
/// The reader's index among the members.
const READER: usize = 0;
/// Threads were started over this many days.
const HISTORY_DAYS: i64 = 730;
/// The reader's newest notifications left unread (the menu's count).
const UNREAD: usize = 20;
/// Wiki pages and directory entries that may get a discussion, at most.
const PLACES: i64 = 2_000;

/// Where threads go.
struct Places {
    /// (id, slug) of the categories open to new threads.
    categories: Vec<(i32, String)>,
    pages: Vec<i32>,
    entries: Vec<i32>,
    communes: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct PlannedPost {
    at: NaiveDateTime,
    /// Index into the members; [`READER`] is the reader.
    author: usize,
    /// Index into [`bodies`].
    body: usize,
}

#[derive(Debug)]
struct PlannedThread {
    subject: Subject,
    kind: ThreadKind,
    title: String,
    posts: Vec<PlannedPost>,
}

/// Everything to write, decided before anything is written.
struct Plan {
    threads: Vec<PlannedThread>,
    /// Every post as (moment, thread, rank in its thread), in the order they were written.
    order: Vec<(NaiveDateTime, u32, u32)>,
    /// The thread of exactly [`LONG_THREAD_POSTS`] posts.
    long: Option<usize>,
    /// How many notifications the reader gets.
    reader_notifications: usize,
}

/// The Markdown of every post: the questions, then the discussions, then the replies.
fn bodies() -> Vec<&'static str> {
    words::QUESTIONS
        .iter()
        .chain(words::DISCUSSIONS)
        .chain(words::REPLIES)
        .copied()
        .collect()
}

fn pick<'a, T>(rng: &mut impl Rng, list: &'a [T]) -> &'a T {
    list.choose(rng).expect("a non-empty list")
}

/// Seconds between two posts of a thread: minutes mostly, hours often, days sometimes.
fn gap(rng: &mut impl Rng) -> i64 {
    match rng.random_range(0..10) {
        0..=5 => rng.random_range(120..5_400),
        6..=8 => rng.random_range(3_600..86_400),
        _ => rng.random_range(86_400..864_000),
    }
}

/// How many posts each thread gets: one each, [`LONG_THREAD_POSTS`] for the long one, the
/// rest shared unevenly (a cubed uniform weight: many threads get no reply, a few dozens).
fn post_counts(rng: &mut impl Rng, threads: usize, posts: usize) -> (Vec<usize>, Option<usize>) {
    let mut counts = vec![1; threads];
    let mut extra = posts.saturating_sub(threads);
    let mut long = None;
    if threads >= 2 && extra >= LONG_THREAD_POSTS - 1 {
        let chosen = rng.random_range(0..threads);
        counts[chosen] = LONG_THREAD_POSTS;
        extra -= LONG_THREAD_POSTS - 1;
        long = Some(chosen);
    }
    let others: Vec<usize> = (0..threads).filter(|t| Some(*t) != long).collect();
    if others.is_empty() {
        return (counts, long);
    }
    let weights: Vec<f64> = others.iter().map(|_| rng.random::<f64>().powi(3)).collect();
    let total = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let mut given = 0;
    for (t, w) in others.iter().zip(&weights) {
        let n = ((extra as f64) * w / total).floor() as usize;
        let n = n.min(extra - given);
        counts[*t] += n;
        given += n;
    }
    while given < extra {
        counts[*pick(rng, &others)] += 1;
        given += 1;
    }
    if long.is_none() && threads == 1 && counts[0] == LONG_THREAD_POSTS {
        long = Some(0);
    }
    (counts, long)
}

fn plan(
    rng: &mut impl Rng,
    threads: usize,
    posts: usize,
    places: &Places,
    now: NaiveDateTime,
) -> Plan {
    let (counts, long) = post_counts(rng, threads, posts);
    let bodies = bodies();
    let (questions, discussions) = (words::QUESTIONS.len(), words::DISCUSSIONS.len());
    let replies = questions + discussions..bodies.len();
    let history = Duration::days(HISTORY_DAYS).num_seconds();
    let mut planned = Vec::with_capacity(threads);
    for (t, count) in counts.iter().enumerate() {
        let roll = rng.random_range(0..100);
        let subject = if Some(t) == long || (places.pages.is_empty() && places.entries.is_empty()) {
            Subject::Category(pick(rng, &places.categories).0)
        } else if roll < 6 && !places.pages.is_empty() {
            Subject::Page(*pick(rng, &places.pages))
        } else if roll < 12 && !places.entries.is_empty() {
            Subject::Entry(*pick(rng, &places.entries))
        } else {
            Subject::Category(pick(rng, &places.categories).0)
        };
        // Questions are most of what is asked about public services, a page or an entry.
        let (titles, asks): (&[&str], bool) = match subject {
            Subject::Category(id) => {
                let slug = places
                    .categories
                    .iter()
                    .find(|(c, _)| *c == id)
                    .map_or("", |(_, s)| s.as_str());
                let titles = words::CATEGORY_TITLES
                    .iter()
                    .find(|(s, _)| *s == slug)
                    .map_or(words::GENERAL_TITLES, |(_, t)| *t);
                (titles, slug == words::QUESTIONS_CATEGORY)
            }
            Subject::Page(_) => (words::PAGE_TITLES, true),
            Subject::Entry(_) | Subject::Workshop(_) => (words::ENTRY_TITLES, true),
        };
        let kind = if rng.random_bool(if asks { 0.8 } else { 0.2 }) {
            ThreadKind::Question
        } else {
            ThreadKind::Discussion
        };
        let commune = if places.communes.is_empty() {
            "votre commune"
        } else {
            pick(rng, &places.communes).as_str()
        };
        let title = corpus::fill(pick::<&str>(rng, titles), commune);

        let started = if Some(t) == long {
            now - Duration::days(rng.random_range(180..365))
        } else {
            now - Duration::seconds(rng.random_range(0..history))
        };
        let mut offsets = Vec::with_capacity(*count);
        let mut last = 0i64;
        offsets.push(0);
        for _ in 1..*count {
            last += gap(rng);
            offsets.push(last);
        }
        // A thread started lately had its replies closer together: none is in the future.
        let room = (now - started).num_seconds();
        if last > room {
            for o in &mut offsets {
                *o = i64::try_from(i128::from(*o) * i128::from(room) / i128::from(last))
                    .unwrap_or(room);
            }
        }
        let first_body = match kind {
            ThreadKind::Question => rng.random_range(0..questions),
            ThreadKind::Discussion => questions + rng.random_range(0..discussions),
        };
        let mut author = rng.random_range(1..=WRITERS);
        let mut thread_posts = Vec::with_capacity(*count);
        for (rank, offset) in offsets.into_iter().enumerate() {
            if rank > 0 {
                // Someone else than the last poster answers.
                let next = rng.random_range(1..WRITERS);
                author = if next >= author { next + 1 } else { next };
            }
            thread_posts.push(PlannedPost {
                at: started + Duration::seconds(offset),
                author,
                body: if rank == 0 {
                    first_body
                } else {
                    rng.random_range(replies.clone())
                },
            });
        }
        planned.push(PlannedThread {
            subject,
            kind,
            title,
            posts: thread_posts,
        });
    }

    // The reader started the long thread, and wrote one post in a few hundred others.
    if let Some(long) = long {
        planned[long].posts[0].author = READER;
    }
    let mut candidates: Vec<usize> = (0..threads).filter(|t| Some(*t) != long).collect();
    let joined = (threads / 150).clamp(1, 1_000).min(candidates.len());
    let (chosen, _) = candidates.partial_shuffle(rng, joined);
    for t in chosen.iter() {
        let posts = &mut planned[*t].posts;
        let rank = rng.random_range(0..posts.len());
        posts[rank].author = READER;
    }

    let mut order = Vec::with_capacity(posts);
    for (t, thread) in planned.iter().enumerate() {
        for (rank, post) in thread.posts.iter().enumerate() {
            order.push((
                post.at,
                u32::try_from(t).unwrap_or(u32::MAX),
                u32::try_from(rank).unwrap_or(u32::MAX),
            ));
        }
    }
    order.sort_unstable();

    let mut following = vec![false; threads];
    let mut reader_notifications = 0;
    for (_, t, rank) in &order {
        let (t, rank) = (*t as usize, *rank as usize);
        if planned[t].posts[rank].author == READER {
            following[t] = true;
        } else if following[t] {
            reader_notifications += 1;
        }
    }
    Plan {
        threads: planned,
        order,
        long,
        reader_notifications,
    }
}

/// The generated members, the reader first: confirmed, with one password.
fn create_members(store: &Store, now: NaiveDateTime) -> Result<(Vec<User>, String)> {
    // Not derived from the seed: a database generated with a known seed must not come with a
    // password anyone can work out.
    let mut os = rand::rng();
    let password: String = (0..16)
        .map(|_| char::from(*pick(&mut os, b"abcdefghijkmnpqrstuvwxyz23456789")))
        .collect();
    let tag: String = (0..6)
        .map(|_| char::from(*pick(&mut os, b"0123456789abcdef")))
        .collect();
    let hash = lieu_core::auth::hash_password(&password).context("hashing the password")?;
    let joined = now - Duration::days(HISTORY_DAYS + 30);
    let members = store.write(|c| {
        (0..=WRITERS)
            .map(|i| {
                let name = format!(
                    "{} {}",
                    words::FIRST_NAMES[i % words::FIRST_NAMES.len()],
                    words::FAMILY_NAMES[(i * 5) % words::FAMILY_NAMES.len()]
                );
                let email = format!("{}.{tag}@membres.invalid", lieu_core::slug::slugify(&name));
                batch::confirmed_member(c, &email, &name, &hash, joined)
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    Ok((members, password))
}

pub fn run(store: &Store, threads: usize, posts: usize, seed: u64) -> Result<()> {
    if posts < threads {
        bail!(
            "--posts ({posts}) must be at least --threads ({threads}): each thread starts with a post"
        );
    }
    if threads == 0 {
        return Ok(());
    }
    let places = store.read(|c| {
        let categories = lieu_store::exchange::categories(c, false)?
            .into_iter()
            .map(|c| (c.id, c.slug))
            .collect();
        let (pages, entries) = batch::discussion_places(c, PLACES)?;
        let communes = lieu_store::models::communes::all(c)?
            .into_iter()
            .map(|c| c.name)
            .collect();
        Ok(Places {
            categories,
            pages,
            entries,
            communes,
        })
    })?;
    if places.categories.is_empty() {
        bail!("the exchange space has no open category to put threads in");
    }
    let now = lieu_store::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let plan = plan(&mut rng, threads, posts, &places, now);
    let (members, password) = create_members(store, now)?;
    let bodies = bodies();

    let bar = ProgressBar::new(posts as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} messages ({per_sec}, reste {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let mut thread_ids = vec![0; threads];
    let mut following = vec![false; threads];
    let mut told = 0;
    let unread_from = plan.reader_notifications.saturating_sub(UNREAD);
    let reader = &members[READER];
    for chunk in plan.order.chunks(BATCH) {
        store
            .write(|c| {
                let starting = chunk.iter().filter(|(_, _, rank)| *rank == 0).count();
                let mut fresh = batch::reserve_ids(c, IdsOf::Threads, starting)?.into_iter();
                let post_ids = batch::reserve_ids(c, IdsOf::Posts, chunk.len())?;
                let mut b = ExchangeBatch::default();
                for ((at, t, rank), id) in chunk.iter().zip(post_ids) {
                    let (at, t, rank) = (*at, *t as usize, *rank as usize);
                    let thread = &plan.threads[t];
                    let post = thread.posts[rank];
                    let author = &members[post.author];
                    if rank == 0 {
                        thread_ids[t] = fresh.next().ok_or(lieu_store::StoreError::NotFound)?;
                        b.threads.push(BatchThread {
                            id: thread_ids[t],
                            subject: thread.subject,
                            title: thread.title.clone(),
                            kind: thread.kind,
                            author_id: author.id,
                            author_name: author.name.clone(),
                            first_post_id: id,
                            created_at: at,
                        });
                    }
                    b.posts.push(BatchPost {
                        id,
                        thread_id: thread_ids[t],
                        author_id: author.id,
                        author_name: &author.name,
                        body: bodies[post.body],
                        created_at: at,
                    });
                    if post.author == READER {
                        if !following[t] {
                            following[t] = true;
                            b.follows.push(BatchFollow {
                                user_id: reader.id,
                                thread_id: thread_ids[t],
                                created_at: at,
                            });
                        }
                    } else if following[t] {
                        b.notifications.push(BatchNotification {
                            user_id: reader.id,
                            kind: NotificationKind::Reply,
                            thread_id: thread_ids[t],
                            post_id: id,
                            actor_name: &author.name,
                            created_at: at,
                            read_at: (told < unread_from)
                                .then(|| (at + Duration::hours(2)).min(now)),
                            mailed_at: Some(at),
                        });
                        told += 1;
                    }
                }
                batch::publish_batch(c, &b)
            })
            .context("generating threads")?;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{threads} sujets et {posts} messages générés en {seconds:.1} s ({:.0} messages/s).",
        posts as f64 / seconds.max(0.001)
    );
    if let Some(long) = plan.long {
        println!(
            "Le sujet de {LONG_THREAD_POSTS} messages : /echanges/sujet/{}",
            thread_ids[long]
        );
    }
    println!(
        "{} membres générés, tous avec le mot de passe {password} ; {} <{}> suit {} sujets et a {told} notifications ({} non lues).",
        members.len(),
        reader.name,
        reader.email,
        following.iter().filter(|f| **f).count(),
        told.min(UNREAD),
    );
    println!(
        "L’index de recherche prend ces sujets au prochain démarrage de `lieu serve` \
         (reconstruit au-delà de 20 000 changements en attente), ou avec `lieu reindex`."
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        Places {
            categories: vec![
                (1, "questions-services-publics".into()),
                (2, "entraide".into()),
                (3, "une-categorie-ajoutee".into()),
            ],
            pages: vec![10, 11],
            entries: vec![20],
            communes: vec!["Le Breuil-Sauvage".into()],
        }
    }

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date")
    }

    /// Every post is planned once, in time order, none in the future; one thread has exactly
    /// 500 posts and lives in a category; the reader follows threads and is told of replies;
    /// every title and body passes the exchange space's validation.
    #[test]
    fn the_plan_holds_every_post_once_in_time_order_with_one_long_thread() {
        let plan = plan(&mut StdRng::seed_from_u64(3), 200, 5_000, &places(), now());
        let total: usize = plan.threads.iter().map(|t| t.posts.len()).sum();
        assert_eq!(total, 5_000);
        assert_eq!(plan.order.len(), 5_000);
        assert!(plan.order.windows(2).all(|w| w[0] <= w[1]));
        let long: Vec<_> = plan
            .threads
            .iter()
            .filter(|t| t.posts.len() == LONG_THREAD_POSTS)
            .collect();
        assert_eq!(long.len(), 1);
        assert!(matches!(long[0].subject, Subject::Category(_)));
        assert_eq!(
            plan.threads[plan.long.expect("a long thread")].posts.len(),
            LONG_THREAD_POSTS
        );
        for thread in &plan.threads {
            assert!(thread.posts.windows(2).all(|w| w[0].at <= w[1].at));
            assert!(thread.posts.iter().all(|p| p.at <= now()));
            let mut invalid = lieu_core::Invalid::default();
            lieu_core::exchange::title(&thread.title, &mut invalid);
            assert!(invalid.is_empty(), "{}", thread.title);
        }
        assert!(
            plan.threads.iter().any(|t| t.posts.len() == 1),
            "unanswered threads"
        );
        assert!(plan.reader_notifications >= LONG_THREAD_POSTS - 1);
        for body in bodies() {
            let mut invalid = lieu_core::Invalid::default();
            lieu_core::exchange::body(body, &mut invalid);
            assert!(invalid.is_empty(), "{body}");
        }
    }

    #[test]
    fn the_same_seed_plans_the_same_threads() {
        let titles = |seed| {
            plan(&mut StdRng::seed_from_u64(seed), 50, 600, &places(), now())
                .threads
                .into_iter()
                .map(|t| (t.title, t.posts.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(7), titles(7));
        assert_ne!(titles(7), titles(8));
    }

    #[test]
    fn too_few_posts_make_no_long_thread() {
        let (counts, long) = post_counts(&mut StdRng::seed_from_u64(1), 10, 400);
        assert_eq!(counts.iter().sum::<usize>(), 400);
        assert!(long.is_none());
        let (counts, long) = post_counts(&mut StdRng::seed_from_u64(1), 1, 500);
        assert_eq!((counts, long), (vec![500], Some(0)));
    }
}
