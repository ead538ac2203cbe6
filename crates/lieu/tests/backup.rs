//! `lieu backup` and `lieu restore`, run as an admin runs them (the real binary, a database on
//! disk): a backup restored over a changed database gives back every table row for row —
//! content, revisions, accounts, submissions, outboxes, the exchange space — rebuilds the
//! search index, and leaves the database usable (new rows get new ids). A restore is refused
//! without `--yes`, while the server holds the index, and from a file that is not a backup;
//! each refusal leaves the database as it was. The server takes its daily backup and keeps
//! `backup_keep` of them.
//!
//! SQLite always; PostgreSQL too when `LIEU_TEST_DATABASE_URL` is set (a database of its own
//! is created for the test and dropped after; pg_dump and pg_restore must be installed).

mod common;
use common::{lieu, psql, succeeded};
use diesel::prelude::*;
use diesel::sql_types::Text;
use lieu_store::DbConn;
use lieu_store::submissions::{NewSubmission, SenderContact};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn failed(output: Output, what: &str) -> String {
    assert!(!output.status.success(), "{what} should fail");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    digest: String,
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every table of the database with all its rows, as text sorted the same way on each call.
fn fingerprint(database_url: &str) -> BTreeMap<String, String> {
    let mut conn = lieu_store::DatabaseUrl::parse(database_url)
        .and_then(|u| u.connect())
        .expect("connect");
    let tables = lieu_store::backup::table_rows(&mut conn).expect("tables");
    let mut all = BTreeMap::new();
    for (table, _) in tables {
        let digest = match &mut conn {
            DbConn::Postgres(c) => diesel::sql_query(format!(
                "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS digest \
                 FROM {} t",
                quoted(&table)
            ))
            .get_result::<Digest>(c),
            DbConn::Sqlite(c) => {
                let columns: Vec<Name> =
                    diesel::sql_query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                        .bind::<Text, _>(&table)
                        .load(c)
                        .expect("columns");
                let row = columns
                    .iter()
                    .map(|c| format!("quote({})", quoted(&c.name)))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                diesel::sql_query(format!(
                    "SELECT coalesce(group_concat(r, char(10)), '') AS digest \
                     FROM (SELECT {row} AS r FROM {} ORDER BY r)",
                    quoted(&table)
                ))
                .get_result::<Digest>(c)
            }
        }
        .expect("digest");
        all.insert(table, digest.digest);
    }
    all
}

/// A submission with its two messages, as the referencing form writes them.
fn submit(database_url: &str) {
    let store = lieu_store::Store::open(database_url, 1).expect("open");
    let form = lieu_core::entry::EntryForm {
        title: "Association des jardins partagés".into(),
        commune: "01001".into(),
        ..Default::default()
    };
    let sender = SenderContact {
        name: "Camille Martin".into(),
        organisation: "Jardins partagés".into(),
        email: "camille@example.org".into(),
        phone: "06 12 34 56 78".into(),
    };
    let mail = lieu_store::mail::NewMail {
        template: "received".into(),
        to: sender.email.clone(),
        subject: "Demande reçue".into(),
        text: "Bonjour".into(),
        html: String::new(),
        unsubscribe_url: String::new(),
    };
    store
        .write(|c| {
            lieu_store::submissions::create(
                c,
                &NewSubmission {
                    kind: lieu_core::entry::Kind::Association,
                    target_entry_id: None,
                    form: &form,
                    sender: &sender,
                    token_digest: &format!("digest-{:016x}", rand::random::<u64>()),
                },
                &[mail],
                lieu_store::now(),
            )
        })
        .expect("submission");
}

fn backup_and_restore_give_back_every_row(database_url: &str, extension: &str) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wiki-content");
    let content = content.to_str().expect("utf-8 path");
    succeeded(
        lieu(dir.path(), database_url, &["import", content]),
        "import",
    );
    succeeded(
        lieu(
            dir.path(),
            database_url,
            &[
                "generate",
                "--entries",
                "40",
                "--threads",
                "50",
                "--posts",
                "600",
            ],
        ),
        "generate",
    );
    submit(database_url);
    let before = fingerprint(database_url);
    for table in [
        "pages",
        "revisions",
        "entries",
        "users",
        "submissions",
        "mail_outbox",
        "index_outbox",
        "exchange_posts",
        "notifications",
    ] {
        assert!(
            before.get(table).is_some_and(|rows| !rows.is_empty()),
            "the fixture fills {table}"
        );
    }

    let file = dir.path().join(format!("copie.{extension}"));
    let file_arg = file.to_str().expect("utf-8 path");
    let out = succeeded(
        lieu(dir.path(), database_url, &["backup", "--output", file_arg]),
        "backup",
    );
    assert!(out.contains("Sauvegarde écrite"), "{out}");
    assert!(out.contains("1 demandes de référencement"), "{out}");
    assert!(file.exists());
    let again = failed(
        lieu(dir.path(), database_url, &["backup", "--output", file_arg]),
        "a second backup to the same file",
    );
    assert!(again.contains("already exists"), "{again}");

    // Life goes on after the backup: more entries, a submission.
    succeeded(
        lieu(
            dir.path(),
            database_url,
            &["generate", "--entries", "5", "--seed", "9"],
        ),
        "generate more",
    );
    submit(database_url);
    let changed = fingerprint(database_url);
    assert_ne!(changed, before);

    // Refusals change nothing.
    let asked = failed(
        lieu(dir.path(), database_url, &["restore", file_arg]),
        "restore without --yes",
    );
    assert!(asked.contains("--yes"), "{asked}");
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "pas une sauvegarde").expect("write");
    let refused = failed(
        lieu(
            dir.path(),
            database_url,
            &["restore", junk.to_str().expect("utf-8"), "--yes"],
        ),
        "restore of a text file",
    );
    assert!(refused.contains("neither a SQLite backup"), "{refused}");
    succeeded(lieu(dir.path(), database_url, &["reindex"]), "reindex");
    {
        // As `lieu serve` holds it while it runs.
        let _held = lieu_search::SearchIndex::lock_dir(&dir.path().join("index"))
            .expect("lock")
            .expect("an index is there");
        let busy = failed(
            lieu(dir.path(), database_url, &["restore", file_arg, "--yes"]),
            "restore while the server runs",
        );
        assert!(busy.contains("is `lieu serve` running"), "{busy}");
    }
    assert_eq!(fingerprint(database_url), changed);

    let out = succeeded(
        lieu(dir.path(), database_url, &["restore", file_arg, "--yes"]),
        "restore",
    );
    assert!(out.contains("Base restaurée"), "{out}");
    assert!(out.contains("Index de recherche reconstruit"), "{out}");
    let after = fingerprint(database_url);
    for (table, rows) in &before {
        assert!(
            after.get(table) == Some(rows),
            "{table} differs after restore"
        );
    }
    assert_eq!(after.len(), before.len());

    // The restored database takes new rows (PostgreSQL's sequences came back too).
    succeeded(
        lieu(
            dir.path(),
            database_url,
            &["generate", "--entries", "5", "--seed", "11"],
        ),
        "generate after restore",
    );
    submit(database_url);
}

#[test]
fn backup_and_restore_give_back_every_row_sqlite() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("lieu.sqlite3");
    let url = format!("sqlite://{}", db.display());
    backup_and_restore_give_back_every_row(&url, "sqlite3");
    assert!(
        dir.path().join("lieu.sqlite3.avant-restauration").exists(),
        "the replaced database is kept"
    );
}

/// Runs `sql` on the PostgreSQL server of `url` with `psql` (CREATE and DROP DATABASE cannot
/// run in the transaction every store call opens).

#[test]
#[cfg_attr(
    not(lieu_postgres_tests),
    ignore = "set LIEU_TEST_DATABASE_URL at build time to run the PostgreSQL tests"
)]
fn backup_and_restore_give_back_every_row_postgres() {
    let admin = std::env::var("LIEU_TEST_DATABASE_URL").expect("LIEU_TEST_DATABASE_URL");
    let name = format!("lieu_backup_{:016x}", rand::random::<u64>());
    psql(&admin, &format!("CREATE DATABASE \"{name}\""));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    backup_and_restore_give_back_every_row(&format!("{base}/{name}"), "pgdump");
    psql(
        &admin,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    );
}

#[test]
fn a_backup_of_one_backend_is_refused_by_the_other() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let dump = dir.path().join("lieu-20261101-030000.pgdump");
    std::fs::write(&dump, b"PGDMP\x01\x0e\x00").expect("write");
    let url = format!("sqlite://{}", dir.path().join("lieu.sqlite3").display());
    let refused = failed(
        lieu(
            dir.path(),
            &url,
            &["restore", dump.to_str().expect("utf-8"), "--yes"],
        ),
        "a pg_dump archive restored on SQLite",
    );
    assert!(refused.contains("PostgreSQL backup"), "{refused}");
    assert!(!dir.path().join("lieu.sqlite3").exists());
}

/// The server backs up at start when no backup is a day old, and keeps `backup_keep`.
#[test]
fn the_server_takes_its_daily_backup_and_keeps_the_newest() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let backups = dir.path().join("sauvegardes");
    std::fs::create_dir_all(&backups).expect("folder");
    for day in ["20261001", "20261002", "20261003"] {
        std::fs::write(backups.join(format!("lieu-{day}-030000.sqlite3")), b"old").expect("old");
    }
    let url = format!("sqlite://{}", dir.path().join("lieu.sqlite3").display());
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wiki-content");
    let mut server = Command::new(env!("CARGO_BIN_EXE_lieu"))
        .arg("serve")
        .current_dir(dir.path())
        .env("LIEU_DATABASE_URL", &url)
        .env("LIEU_INDEX_DIR", dir.path().join("index"))
        .env("LIEU_MAIL_DIR", dir.path().join("mail"))
        .env("LIEU_CONTENT_DIR", &content)
        .env("LIEU_BACKUP_DIR", &backups)
        .env("LIEU_BACKUP_KEEP", "2")
        .env("LIEU_BIND", "127.0.0.1:0")
        .env("LIEU_BASE_URL", "http://127.0.0.1:0")
        .env("LIEU_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("lieu serve");
    let mut names = Vec::new();
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        names = std::fs::read_dir(&backups)
            .expect("read")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect::<Vec<_>>();
        names.sort();
        if names.len() == 2 && !names.contains(&"lieu-20261002-030000.sqlite3".to_owned()) {
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], "lieu-20261003-030000.sqlite3");
    let new = backups.join(&names[1]);
    assert_eq!(
        lieu_store::backup::kind_of(&new).expect("a backup"),
        lieu_store::backup::Kind::Sqlite
    );
    let mut copy = lieu_store::DatabaseUrl::Sqlite(new)
        .connect()
        .expect("open the backup");
    let tables = lieu_store::backup::table_rows(&mut copy).expect("tables");
    assert!(
        tables.iter().any(|(t, n)| t == "pages" && *n > 0),
        "the starter content is in the backup"
    );
}
