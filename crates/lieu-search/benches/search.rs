//! The search index at the size of a département, side by side with SQLite: full-text queries
//! against an FTS5 table of the same documents, directory lists against the store's SQL.
//!
//! ```sh
//! lieu import wiki-content && lieu generate --entries 100000     # once, into a database
//! LIEU_BENCH_DB=data/lieu.sqlite3 cargo bench -p lieu-search --bench search
//! ```
//!
//! `LIEU_BENCH_DB` is the path of a SQLite database prepared beforehand; it is only read.
//! Without it, a small corpus (the starter content and 2,000 generated entries) is built in a
//! temporary database, so that `cargo bench` runs anywhere. `LIEU_BENCH_ITERATIONS` (default
//! 2,000) sets how many timed runs of each query give the p50 and p99 printed at the end,
//! beside criterion's means; a query stops earlier after `LIEU_BENCH_SECONDS` (default 10) of
//! runs, and the table says how many it made. A filter given to criterion
//! (`cargo bench -p lieu-search --bench search -- "list services"`) also filters the table.

use chrono::NaiveDateTime;
use criterion::Criterion;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use lieu_core::entry::list::{ListQuery, PER_PAGE};
use lieu_core::entry::{EntryForm, Kind, utc_to_paris, vocab_sample};
use lieu_search::{SearchIndex, SearchRequest};
use lieu_store::Store;
use lieu_store::search::{EntryDoc, PageDoc};
use std::cell::RefCell;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// Entries generated when no database is given.
const SMALL_CORPUS: usize = 2_000;
/// The page of the services list the issue measured (`/annuaire/services?page=2000`), or the
/// last one when the list is shorter.
const DEEP_PAGE: i64 = 2_000;
/// Rebuilds of the index timed for the reindex rate.
const REBUILDS: usize = 3;
const BATCH: i64 = 2_000;
/// The text of the faceted query (services of one commune).
const FACETED_TEXT: &str = "aide";

fn main() {
    let test_mode = std::env::args().any(|a| a == "--test");
    let iterations: usize = match std::env::var("LIEU_BENCH_ITERATIONS") {
        Ok(n) => n.parse().expect("LIEU_BENCH_ITERATIONS: a number"),
        Err(_) if test_mode => 3,
        Err(_) => 2_000,
    };
    let budget = Duration::from_secs(match std::env::var("LIEU_BENCH_SECONDS") {
        Ok(n) => n.parse().expect("LIEU_BENCH_SECONDS: a number"),
        Err(_) => 10,
    });
    let filter = criterion_filter();
    let scratch = tempfile::tempdir().expect("temporary folder");
    let store = match std::env::var("LIEU_BENCH_DB") {
        Ok(path) => {
            assert!(
                Path::new(&path).is_file(),
                "LIEU_BENCH_DB: no file at {path}"
            );
            println!("corpus: {path}");
            Store::open(&format!("sqlite://{path}"), 4).expect("open LIEU_BENCH_DB")
        }
        Err(_) => {
            let entries = if test_mode { 50 } else { SMALL_CORPUS };
            println!(
                "LIEU_BENCH_DB is not set: benchmarking a small corpus of the starter content and \
                 {entries} generated entries (for figures at 100,000 entries, see the top of \
                 benches/search.rs)"
            );
            small_corpus(scratch.path(), entries)
        }
    };
    let now = lieu_store::now();

    // Reindex rate: the full rebuild `lieu reindex` runs, from the database into a folder.
    let dir = scratch.path().join("index");
    let mut rates = Vec::new();
    let mut index = None;
    for _ in 0..(if test_mode { 1 } else { REBUILDS }) {
        let started = Instant::now();
        let (opened, _) =
            SearchIndex::open(&dir.join(rates.len().to_string()), &store, &mut |_, _| {})
                .expect("build the index");
        let seconds = started.elapsed().as_secs_f64();
        rates.push((opened.documents(), seconds));
        index = Some(opened);
    }
    let index = index.expect("an index");
    // What a question costs the first time: the server keeps the answers of questions asked
    // again (until the index changes), which tests/bench/search.sh measures over HTTP.
    index.keep_answers(false);
    let documents = index.documents();
    let started = Instant::now();
    let fts = RefCell::new(fts5_corpus(&store));
    let fts_seconds = started.elapsed().as_secs_f64();

    // The faceted query's commune: the one with the most services that the text finds.
    let commune = index
        .search(&SearchRequest {
            text: FACETED_TEXT.into(),
            kind: Some("service".into()),
            limit: 1,
            now,
            ..SearchRequest::default()
        })
        .expect("search")
        .communes
        .first()
        .map(|c| c.value.clone())
        .unwrap_or_default();
    let services = index
        .count(&ListQuery::current(Kind::Service, now))
        .expect("count");
    let last_page = (services.div_ceil(PER_PAGE as usize) as i64).max(1);
    let deep_page = DEEP_PAGE.min(last_page);

    let cases = cases(&index, &store, &fts, now, &commune, deep_page);

    let mut criterion = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| {
            filter.as_ref().is_none_or(|f| {
                format!("tantivy/{}", c.name).contains(f)
                    || format!("sqlite/{}", c.name).contains(f)
            })
        })
        .collect();
    for case in &cases {
        criterion.bench_function(&format!("tantivy/{}", case.name), |b| {
            b.iter(|| black_box((case.tantivy)()))
        });
        criterion.bench_function(&format!("sqlite/{}", case.name), |b| {
            b.iter(|| black_box((case.sqlite)()))
        });
    }
    criterion.final_summary();

    println!();
    println!(
        "{documents} documents; {services} current services ({last_page} pages of {PER_PAGE}); \
         p50/p99 in-process over {iterations} runs of each query, or fewer (runs) when they \
         took more than {budget:?}"
    );
    for (i, (docs, seconds)) in rates.iter().enumerate() {
        println!(
            "reindex {}: {docs} documents in {seconds:.2} s = {:.0} documents/s",
            i + 1,
            *docs as f64 / seconds
        );
    }
    println!(
        "FTS5 table filled from the same database: {:.2} s = {:.0} documents/s",
        fts_seconds,
        documents as f64 / fts_seconds
    );
    println!();
    println!(
        "{:<34} {:>11} {:>10} {:>6}  {:>10} {:>10} {:>6} {:>6}  sqlite is",
        "query", "tantivy p50", "p99", "found", "sqlite p50", "p99", "found", "runs"
    );
    for case in &cases {
        let tantivy = percentiles(iterations, budget, &*case.tantivy);
        let sqlite = percentiles(iterations, budget, &*case.sqlite);
        let runs = if sqlite.runs < iterations {
            format!("({})", sqlite.runs)
        } else {
            String::new()
        };
        println!(
            "{:<34} {:>11} {:>10} {:>6}  {:>10} {:>10} {:>6} {:>6}  {}",
            case.name,
            ms(tantivy.p50),
            ms(tantivy.p99),
            tantivy.found,
            ms(sqlite.p50),
            ms(sqlite.p99),
            sqlite.found,
            runs,
            case.sqlite_is
        );
    }
    println!();
    println!(
        "found: the total a page would show (for suggestions: how many are shown). FTS5 has no \
         stemming and no typo tolerance: `emplois saisonier` finds only what has those exact \
         words (the last as a prefix). The index also counts three facets and, when nothing is \
         found, looks for a spelling suggestion; FTS5 only counts."
    );
}

/// The filter given to criterion on the command line, if any: the first argument that is
/// neither an option nor an option's value.
fn criterion_filter() -> Option<String> {
    const WITH_VALUE: &[&str] = &[
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--profile-time",
        "--plotting-backend",
        "--output-format",
        "--color",
        "-c",
        "-s",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with('-') && (*i == 0 || !WITH_VALUE.contains(&args[i - 1].as_str()))
        })
        .map(|(_, a)| a.clone())
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

struct Percentiles {
    p50: Duration,
    p99: Duration,
    /// What the query found.
    found: usize,
    runs: usize,
}

/// Times `iterations` runs of `f` (after a tenth as many to warm up), or as many as fit in
/// `budget`.
fn percentiles(iterations: usize, budget: Duration, f: &dyn Fn() -> usize) -> Percentiles {
    let found = f();
    let started = Instant::now();
    for _ in 0..iterations / 10 {
        black_box(f());
        if started.elapsed() > budget / 10 {
            break;
        }
    }
    let started = Instant::now();
    let mut times = Vec::with_capacity(iterations);
    while times.len() < iterations.max(1) && (times.is_empty() || started.elapsed() < budget) {
        let run = Instant::now();
        black_box(f());
        times.push(run.elapsed());
    }
    times.sort_unstable();
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    Percentiles {
        p50: at(50),
        p99: at(99),
        found,
        runs: times.len(),
    }
}

type Run<'a> = Box<dyn Fn() -> usize + 'a>;

struct Case<'a> {
    name: String,
    tantivy: Run<'a>,
    sqlite: Run<'a>,
    sqlite_is: &'static str,
}

fn cases<'a>(
    index: &'a SearchIndex,
    store: &'a Store,
    fts: &'a RefCell<SqliteConnection>,
    now: NaiveDateTime,
    commune: &str,
    deep_page: i64,
) -> Vec<Case<'a>> {
    let until = now.and_utc().timestamp();
    let search = |text: &str, kind: Option<&str>, commune: Option<&str>| -> Case<'a> {
        let request = SearchRequest {
            text: text.to_owned(),
            kind: kind.map(str::to_owned),
            commune: commune.map(str::to_owned),
            limit: 20,
            now,
            ..SearchRequest::default()
        };
        let fts_query = FtsQuery {
            matching: fts5_match(text),
            kind: kind.map(str::to_owned),
            commune: commune.map(str::to_owned),
            until,
            limit: 20,
            full: true,
        };
        let name = match (kind, commune) {
            (Some(k), Some(c)) => format!("search \"{text}\" {k} {c}"),
            _ => format!("search \"{text}\""),
        };
        Case {
            name,
            tantivy: Box::new(move || index.search(&request).expect("search").total),
            sqlite: Box::new(move || fts_query.run(&mut fts.borrow_mut())),
            sqlite_is: "FTS5",
        }
    };
    let list = |name: String, q: ListQuery| -> Case<'a> {
        let sql = q.clone();
        Case {
            name,
            tantivy: Box::new(move || index.list(&q).expect("list").1),
            sqlite: Box::new(move || {
                store
                    .read(|c| {
                        let page = lieu_store::directory::list(c, &sql)?;
                        black_box(page);
                        lieu_store::directory::count(c, &sql)
                    })
                    .map(|n| usize::try_from(n).unwrap_or_default())
                    .expect("SQL list")
            }),
            sqlite_is: "SQL",
        }
    };
    let current = |kind| ListQuery::current(kind, now);
    let suggest_query = FtsQuery {
        matching: fts5_match("cre"),
        kind: None,
        commune: None,
        until,
        limit: 8,
        full: false,
    };
    vec![
        search("creche", None, None),
        search("aide logement", None, None),
        search("emplois saisonier", None, None),
        search(FACETED_TEXT, Some("service"), Some(commune)),
        Case {
            name: "suggestions \"cre\"".into(),
            tantivy: Box::new(move || index.suggest("cre", now, 8).expect("suggest").len()),
            sqlite: Box::new(move || suggest_query.run(&mut fts.borrow_mut())),
            sqlite_is: "FTS5",
        },
        list("list services, page 1".into(), current(Kind::Service)),
        list(
            format!("list services, page {deep_page}"),
            ListQuery {
                offset: (deep_page - 1) * PER_PAGE,
                ..current(Kind::Service)
            },
        ),
        list(
            "list jobs, contrat=cdi".into(),
            ListQuery {
                subtype: Some("cdi".into()),
                ..current(Kind::Job)
            },
        ),
        list(
            "list housing, loyer_max=500".into(),
            ListQuery {
                max_amount: Some(500),
                ..current(Kind::Housing)
            },
        ),
        list("list events, page 1".into(), current(Kind::Event)),
        Case {
            name: "directory home counts".into(),
            tantivy: Box::new(move || {
                index
                    .counts(now)
                    .expect("counts")
                    .iter()
                    .map(|(_, n)| n)
                    .sum()
            }),
            sqlite: Box::new(move || {
                store
                    .read(|c| lieu_store::directory::counts(c, now))
                    .expect("counts")
                    .iter()
                    .map(|(_, n)| usize::try_from(*n).unwrap_or_default())
                    .sum()
            }),
            sqlite_is: "SQL",
        },
    ]
}

/// What a resident typed, as an FTS5 query: every word, the last one also as a prefix.
fn fts5_match(text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let star = if i + 1 == words.len() { "*" } else { "" };
        out.push(format!("\"{w}\"{star}"));
    }
    out.join(" ")
}

struct FtsQuery {
    matching: String,
    kind: Option<String>,
    commune: Option<String>,
    until: i64,
    limit: i64,
    /// A results page: snippets and the total. Otherwise suggestions: titles only.
    full: bool,
}

#[derive(QueryableByName)]
struct FtsHit {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    rowid: i64,
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    title: String,
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    snippet: String,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl FtsQuery {
    /// One page of results, ranked by bm25 with the title weighing three times the rest (as
    /// the index boosts titles), with snippets; then the total, which it returns. For
    /// suggestions, the titles alone, and how many.
    fn run(&self, conn: &mut SqliteConnection) -> usize {
        // Every parameter appears in the text (SQLite refuses to bind one that does not).
        let filter = "docs MATCH ?1 AND until > ?2 AND (?3 = '' OR kind = ?3) \
                      AND (?4 = '' OR commune = ?4)";
        let snippet = if self.full {
            "snippet(docs, 2, '<mark>', '</mark>', '…', 24)"
        } else {
            "''"
        };
        let page = format!(
            "SELECT rowid, title, {snippet} AS snippet FROM docs WHERE {filter} \
             ORDER BY bm25(docs, 3.0, 1.0, 1.0) LIMIT {}",
            self.limit
        );
        let count = format!("SELECT count(*) AS n FROM docs WHERE {filter}");
        let kind = self.kind.clone().unwrap_or_default();
        let commune = self.commune.clone().unwrap_or_default();
        let hits: Vec<FtsHit> = diesel::sql_query(page)
            .bind::<Text, _>(&self.matching)
            .bind::<BigInt, _>(self.until)
            .bind::<Text, _>(&kind)
            .bind::<Text, _>(&commune)
            .load(conn)
            .expect("FTS5 page");
        if !self.full {
            return hits.len();
        }
        black_box(hits);
        let total: Total = diesel::sql_query(count)
            .bind::<Text, _>(&self.matching)
            .bind::<BigInt, _>(self.until)
            .bind::<Text, _>(&kind)
            .bind::<Text, _>(&commune)
            .get_result(conn)
            .expect("FTS5 count");
        usize::try_from(total.n).unwrap_or_default()
    }
}

/// The documents of the index, in an FTS5 table of an in-memory SQLite database: title,
/// summary (headings for pages) and details (the text the index puts in its body), with the
/// kind, commune and the second the document stops being current as unindexed columns.
fn fts5_corpus(store: &Store) -> SqliteConnection {
    let mut conn = SqliteConnection::establish(":memory:").expect("SQLite in memory");
    diesel::sql_query(
        "CREATE VIRTUAL TABLE docs USING fts5(title, summary, details, kind UNINDEXED, \
         commune UNINDEXED, until UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    )
    .execute(&mut conn)
    .expect("FTS5 (libsqlite3-sys is built with SQLITE_ENABLE_FTS5)");
    let insert = |conn: &mut SqliteConnection, row: [&str; 5], until: i64| {
        diesel::sql_query(
            "INSERT INTO docs (title, summary, details, kind, commune, until) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind::<Text, _>(row[0])
        .bind::<Text, _>(row[1])
        .bind::<Text, _>(row[2])
        .bind::<Text, _>(row[3])
        .bind::<Text, _>(row[4])
        .bind::<BigInt, _>(until)
        .execute(conn)
        .expect("FTS5 insert");
    };
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let mut after = 0;
        loop {
            let pages: Vec<PageDoc> = store
                .read(|c| lieu_store::search::page_docs_after(c, after, BATCH))
                .expect("pages");
            let Some(last) = pages.last() else { break };
            after = last.id;
            for p in &pages {
                let headings = p.headings.join("\n");
                insert(conn, [&p.title, &headings, &p.text, "page", ""], i64::MAX);
            }
        }
        after = 0;
        loop {
            let entries: Vec<EntryDoc> = store
                .read(|c| lieu_store::search::entry_docs_after(c, after, BATCH))
                .expect("entries");
            let Some(last) = entries.last() else { break };
            after = last.entry.id;
            for d in &entries {
                let e = &d.entry;
                let mut details = vec![e.details().map(|x| x.search_text()).unwrap_or_default()];
                details.push(d.commune_name.clone());
                for (facet, value) in &d.tags {
                    if facet == "category" {
                        details.push(value.replace('-', " "));
                    }
                }
                let seconds = |t: Option<NaiveDateTime>| t.map(|t| t.and_utc().timestamp());
                let until =
                    seconds(e.expires_at)
                        .unwrap_or(i64::MAX)
                        .min(if e.kind() == Kind::Event {
                            seconds(e.ends_at).unwrap_or(i64::MIN)
                        } else {
                            i64::MAX
                        });
                let kind = e.kind();
                insert(
                    conn,
                    [
                        &e.title,
                        &e.summary,
                        &details.join("\n"),
                        kind.as_str(),
                        &e.commune_insee,
                    ],
                    until,
                );
            }
        }
        Ok(())
    })
    .expect("FTS5 corpus");
    diesel::sql_query("INSERT INTO docs(docs) VALUES ('optimize')")
        .execute(&mut conn)
        .expect("FTS5 optimize");
    conn
}

/// A temporary database with the starter content and `count` generated entries, written
/// through the store as the agents' forms write them.
fn small_corpus(dir: &Path, count: usize) -> Store {
    let path = dir.join("bench.sqlite3");
    let store = Store::open(&format!("sqlite://{}", path.display()), 4).expect("store");
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wiki-content");
    let today = utc_to_paris(lieu_store::now()).date();
    for item in lieu_store::content::import_items(&content).expect("wiki-content") {
        lieu_store::content::import_item(&store, &content, &item, today).expect("import");
    }
    let communes = store
        .read(|c| Ok(lieu_store::models::communes::all(c)?))
        .expect("communes");
    let now = lieu_store::now();
    let author = lieu_store::wiki::Author::system("Banc d’essai");
    let words = [
        "Permanence",
        "Atelier",
        "Accueil",
        "Aide",
        "Maison",
        "Relais",
    ];
    let topics = [
        "numérique",
        "emploi",
        "logement",
        "familles",
        "santé",
        "mobilité",
    ];
    let day = |d: usize| {
        (today + chrono::Days::new(d as u64))
            .format("%Y-%m-%d")
            .to_string()
    };
    for chunk in (0..count).collect::<Vec<_>>().chunks(250) {
        store
            .write(|c| {
                for &n in chunk {
                    let kind = Kind::ALL[n % Kind::ALL.len()];
                    let (word, topic) = (words[n % words.len()], topics[n / 7 % topics.len()]);
                    let mut f = EntryForm {
                        title: format!("{word} {topic} {n}"),
                        commune: communes[n % communes.len()].insee.clone(),
                        summary: format!("{word} consacré à {topic}, ouvert à tous."),
                        description: format!("Fiche générée pour les mesures ({topic})."),
                        address: format!("{} rue de la Mairie", n % 80 + 1),
                        publics: vec![vocab_sample::public(n % 14).to_owned()],
                        ..EntryForm::default()
                    };
                    match kind {
                        Kind::Service => {
                            f.themes = vec![vocab_sample::theme(n % 69).to_owned()];
                            f.fees = "gratuit".into();
                        }
                        Kind::Association => f.activities = format!("Activités : {topic}."),
                        Kind::Job => {
                            f.employer = format!("Employeur {n}");
                            f.contract = ["cdi", "cdd", "saisonnier"][n % 3].into();
                            f.how_to_apply = "CV par courriel.".into();
                            f.expires_on = day(n % 90 + 1);
                        }
                        Kind::Housing => {
                            f.housing_type = ["appartement", "maison"][n % 2].into();
                            f.rent = (200 + n % 700).to_string();
                            f.expires_on = day(n % 90 + 1);
                        }
                        Kind::Event => f.starts_at = format!("{}T18:00", day(n % 150)),
                    }
                    let valid = lieu_store::directory::validate(c, kind, &f, today)?
                        .map_err(lieu_store::StoreError::Invalid)?;
                    lieu_store::directory::create_entry(
                        c,
                        &valid,
                        &author,
                        lieu_core::content::history_text::ENTRY_CREATED,
                        now,
                    )?;
                }
                Ok(())
            })
            .expect("generated entries");
    }
    store
}
