//! Backups: the whole database in one file, and back.
//!
//! - SQLite: `VACUUM INTO` writes a consistent, compacted copy while the server goes on
//!   serving (it reads one snapshot); the copy is checked (`PRAGMA integrity_check`) before it
//!   takes its final name. Restoring replaces the database file, keeping the replaced one
//!   beside it (`….avant-restauration`).
//! - PostgreSQL: `pg_dump --format=custom` (the PostgreSQL client tools, of the server's major
//!   version or newer, must be installed), checked with `pg_restore --list`; restoring runs
//!   `pg_restore --clean --if-exists --single-transaction`, so a failed restore changes nothing.
//!
//! A backup is written under a temporary name and renamed when complete: a file named
//! `lieu-….sqlite3` or `lieu-….pgdump` is always a whole backup. The search index is not in the
//! backup: it is derived from the database, and rebuilt after a restore.

use crate::conn::{DatabaseUrl, DbConn, Store};
use crate::error::{StoreError, StoreResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first bytes of each kind of backup file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

/// What a backup or a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    /// Rows per table of the database at the time of the backup (for SQLite, read from the
    /// backup file itself), by table name.
    pub tables: Vec<(String, i64)>,
}

impl Backup {
    /// Rows of `table`, 0 when there is no such table.
    pub fn rows(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, n)| *n)
    }
}

fn failed(what: impl Into<String>) -> StoreError {
    StoreError::Backup(what.into())
}

/// The extension of backup files of this backend.
pub fn extension(url: &DatabaseUrl) -> &'static str {
    match url {
        DatabaseUrl::Sqlite(_) => "sqlite3",
        DatabaseUrl::Postgres(_) => "pgdump",
    }
}

/// `lieu-YYYYMMDD-HHMMSS.EXT`: names that sort by date.
pub fn file_name(url: &DatabaseUrl, at: chrono::NaiveDateTime) -> String {
    format!("lieu-{}.{}", at.format("%Y%m%d-%H%M%S"), extension(url))
}

/// Writes a backup of `store` to `dest` (which must not exist yet).
pub fn backup(store: &Store, dest: &Path) -> StoreResult<Backup> {
    if dest.exists() {
        return Err(failed(format!("{} already exists", dest.display())));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let partial = partial_path(dest);
    // A partial file left by an interrupted backup is stale by definition.
    let _ = std::fs::remove_file(&partial);
    let written = match store.url() {
        DatabaseUrl::Sqlite(_) => backup_sqlite(store, &partial),
        DatabaseUrl::Postgres(url) => backup_postgres(store, url, &partial),
    };
    let tables = match written {
        Ok(tables) => tables,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, dest)
        .map_err(|e| failed(format!("cannot rename to {}: {e}", dest.display())))?;
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(Backup {
        path: dest.to_path_buf(),
        bytes,
        tables,
    })
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partiel");
    dest.with_file_name(name)
}

fn backup_sqlite(store: &Store, partial: &Path) -> StoreResult<Vec<(String, i64)>> {
    let target = partial
        .to_str()
        .ok_or_else(|| failed("the backup path is not valid UTF-8"))?;
    {
        let mut conn = store.conn()?;
        let DbConn::Sqlite(c) = &mut *conn else {
            return Err(failed("not a SQLite database"));
        };
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(target)
            .execute(c)?;
    }
    let mut copy = open_sqlite_file(partial)?;
    check_sqlite(&mut copy)?;
    table_rows(&mut copy)
}

fn open_sqlite_file(path: &Path) -> StoreResult<DbConn> {
    DatabaseUrl::Sqlite(path.to_path_buf()).connect()
}

/// The file is a sound SQLite database that lieu wrote (it has lieu's migrations).
fn check_sqlite(conn: &mut DbConn) -> StoreResult<()> {
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let DbConn::Sqlite(c) = conn else {
        return Err(failed("not a SQLite database"));
    };
    let checks: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(c)?;
    if checks.len() != 1 || checks[0].integrity_check != "ok" {
        let problems: Vec<_> = checks.into_iter().map(|c| c.integrity_check).collect();
        return Err(failed(format!(
            "the SQLite file is damaged: {}",
            problems.join("; ")
        )));
    }
    let tables = table_rows(conn)?;
    if !tables
        .iter()
        .any(|(name, n)| name == "__diesel_schema_migrations" && *n > 0)
    {
        return Err(failed("this SQLite file is not a database of lieu"));
    }
    Ok(())
}

fn backup_postgres(store: &Store, url: &str, partial: &Path) -> StoreResult<Vec<(String, i64)>> {
    // The counts are read just before the dump: a server that goes on writing may make the
    // dump a few rows larger, never smaller in what it holds.
    let tables = store.read(table_rows)?;
    run(Command::new("pg_dump")
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file")
        .arg(partial)
        .arg("--dbname")
        .arg(url))?;
    run(Command::new("pg_restore").arg("--list").arg(partial))?;
    Ok(tables)
}

/// Runs a PostgreSQL client tool; its own message when it fails.
fn run(command: &mut Command) -> StoreResult<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|e| {
        failed(format!(
            "cannot run {program} ({e}): install the PostgreSQL client tools (package \
             postgresql-client, of the server's major version or newer)"
        ))
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(failed(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// The tables of the database and their rows, by name.
pub fn table_rows(conn: &mut DbConn) -> StoreResult<Vec<(String, i64)>> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let names: Vec<Name> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )
        .load(c)?,
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename",
        )
        .load(c)?,
    };
    let mut tables = Vec::with_capacity(names.len());
    for Name { name } in names {
        // Names come from the catalog, quoted as identifiers all the same.
        let sql = format!(
            "SELECT count(*) AS n FROM \"{}\"",
            name.replace('"', "\"\"")
        );
        let n = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(sql).get_result::<Count>(c)?.n,
            DbConn::Postgres(c) => diesel::sql_query(sql).get_result::<Count>(c)?.n,
        };
        tables.push((name, n));
    }
    Ok(tables)
}

/// What kind of backup a file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    PgDump,
}

pub fn kind_of(path: &Path) -> StoreResult<Kind> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path)
        .map_err(|e| failed(format!("cannot open {}: {e}", path.display())))?;
    let n = file
        .read(&mut head)
        .map_err(|e| failed(format!("cannot read {}: {e}", path.display())))?;
    if head[..n].starts_with(SQLITE_MAGIC) {
        Ok(Kind::Sqlite)
    } else if head[..n].starts_with(PG_DUMP_MAGIC) {
        Ok(Kind::PgDump)
    } else {
        Err(failed(format!(
            "{} is neither a SQLite backup nor a pg_dump archive",
            path.display()
        )))
    }
}

/// What `restore` did besides bringing the data back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Rows per table of the restored database.
    pub tables: Vec<(String, i64)>,
    /// Where the replaced SQLite database was kept.
    pub kept: Option<PathBuf>,
}

/// Replaces the database at `url` with the backup `src`. Nothing may be using the database
/// (stop `lieu serve` first). The caller then opens the store (which applies the migrations
/// newer than the backup) and rebuilds the search index.
pub fn restore(url: &DatabaseUrl, src: &Path) -> StoreResult<Restored> {
    let kind = kind_of(src)?;
    match (url, kind) {
        (DatabaseUrl::Sqlite(db), Kind::Sqlite) => restore_sqlite(db, src),
        (DatabaseUrl::Postgres(url), Kind::PgDump) => {
            run(Command::new("pg_restore")
                .arg("--clean")
                .arg("--if-exists")
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg("--single-transaction")
                .arg("--exit-on-error")
                .arg("--dbname")
                .arg(url)
                .arg(src))?;
            let tables = table_rows(&mut DatabaseUrl::Postgres(url.clone()).connect()?)?;
            Ok(Restored { tables, kept: None })
        }
        (DatabaseUrl::Sqlite(_), Kind::PgDump) => Err(failed(
            "this is a PostgreSQL backup (pg_dump); the configured database is SQLite",
        )),
        (DatabaseUrl::Postgres(_), Kind::Sqlite) => Err(failed(
            "this is a SQLite backup; the configured database is PostgreSQL",
        )),
    }
}

fn sidecars(db: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn restore_sqlite(db: &Path, src: &Path) -> StoreResult<Restored> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    // The backup is copied beside the database and checked there: the backup file itself is
    // never opened for writing, and the final rename is atomic.
    let incoming = with_suffix(db, ".restauration");
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(src, &incoming).map_err(|e| {
        failed(format!(
            "cannot copy {} to {}: {e}",
            src.display(),
            incoming.display()
        ))
    })?;
    let checked = (|| {
        let mut conn = open_sqlite_file(&incoming)?;
        check_sqlite(&mut conn)?;
        // Back to a single file: the restored database gets its WAL when the store opens it.
        if let DbConn::Sqlite(c) = &mut conn {
            c.batch_execute("PRAGMA journal_mode = DELETE;")?;
        }
        table_rows(&mut conn)
    })();
    let tables = match checked {
        Ok(tables) => tables,
        Err(e) => {
            let _ = std::fs::remove_file(&incoming);
            for sidecar in sidecars(&incoming) {
                let _ = std::fs::remove_file(sidecar);
            }
            return Err(e);
        }
    };
    let kept = if db.exists() {
        let kept = with_suffix(db, ".avant-restauration");
        std::fs::rename(db, &kept)
            .map_err(|e| failed(format!("cannot move {} aside: {e}", db.display())))?;
        for (sidecar, kept_sidecar) in sidecars(db).into_iter().zip(sidecars(&kept)) {
            let _ = std::fs::remove_file(&kept_sidecar);
            if sidecar.exists() {
                std::fs::rename(&sidecar, &kept_sidecar)
                    .map_err(|e| failed(format!("cannot move {} aside: {e}", sidecar.display())))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&incoming, db)
        .map_err(|e| failed(format!("cannot rename to {}: {e}", db.display())))?;
    Ok(Restored { tables, kept })
}

/// Deletes the oldest backups of `dir` (files named as [`file_name`] names them, of this
/// backend) beyond the `keep` newest; returns the deleted paths.
pub fn prune(dir: &Path, url: &DatabaseUrl, keep: usize) -> StoreResult<Vec<PathBuf>> {
    let mut backups = list(dir, url)?;
    let excess = backups.len().saturating_sub(keep);
    let old: Vec<PathBuf> = backups.drain(..excess).collect();
    for path in &old {
        std::fs::remove_file(path)
            .map_err(|e| failed(format!("cannot delete {}: {e}", path.display())))?;
    }
    Ok(old)
}

/// The backups of `dir` of this backend, oldest first.
pub fn list(dir: &Path, url: &DatabaseUrl) -> StoreResult<Vec<PathBuf>> {
    let suffix = format!(".{}", extension(url));
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(failed(format!("cannot read {}: {e}", dir.display()))),
    };
    let mut backups: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("lieu-") && n.ends_with(&suffix))
        })
        .collect();
    backups.sort();
    Ok(backups)
}

/// When the newest backup of `dir` was taken, read from its name.
pub fn newest(dir: &Path, url: &DatabaseUrl) -> StoreResult<Option<chrono::NaiveDateTime>> {
    Ok(list(dir, url)?.last().and_then(|p| {
        let name = p.file_stem()?.to_str()?;
        chrono::NaiveDateTime::parse_from_str(name.strip_prefix("lieu-")?, "%Y%m%d-%H%M%S").ok()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_date_and_prune_keeps_the_newest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = DatabaseUrl::Sqlite(dir.path().join("db.sqlite3"));
        let day = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, d)
                .and_then(|d| d.and_hms_opt(3, 0, 0))
                .expect("date")
        };
        for d in [3, 1, 12, 2] {
            std::fs::write(dir.path().join(file_name(&url, day(d))), b"x").expect("write");
        }
        // Not ours: left alone.
        std::fs::write(dir.path().join("notes.sqlite3"), b"x").expect("write");
        std::fs::write(dir.path().join("lieu-20261101-030000.pgdump"), b"x").expect("write");
        assert_eq!(newest(dir.path(), &url).expect("newest"), Some(day(12)));
        let deleted = prune(dir.path(), &url, 2).expect("prune");
        let names: Vec<_> = deleted
            .iter()
            .map(|p| p.file_name().and_then(|n| n.to_str()).unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            [
                "lieu-20261101-030000.sqlite3",
                "lieu-20261102-030000.sqlite3"
            ]
        );
        assert_eq!(list(dir.path(), &url).expect("list").len(), 2);
        assert!(dir.path().join("notes.sqlite3").exists());
        assert!(dir.path().join("lieu-20261101-030000.pgdump").exists());
        assert!(
            list(&dir.path().join("missing"), &url)
                .expect("none")
                .is_empty()
        );
    }

    #[test]
    fn a_sqlite_backup_is_a_checked_copy_that_restores() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("lieu.sqlite3");
        let store = Store::open(db.to_str().expect("utf8"), 2).expect("open");
        let dest = dir.path().join("sauvegardes/lieu-1.sqlite3");
        let backup = backup(&store, &dest).expect("backup");
        assert!(dest.exists() && backup.bytes > 0);
        assert!(backup.rows("__diesel_schema_migrations") > 0);
        assert!(!partial_path(&dest).exists());
        assert!(
            super::backup(&store, &dest).is_err(),
            "never overwrites a backup"
        );
        drop(store);

        // Not a backup: refused, and the database is untouched.
        let junk = dir.path().join("junk");
        std::fs::write(&junk, b"hello").expect("write");
        let url = DatabaseUrl::Sqlite(db.clone());
        assert!(restore(&url, &junk).is_err());
        let empty_sqlite = dir.path().join("other.sqlite3");
        DatabaseUrl::Sqlite(empty_sqlite.clone())
            .connect()
            .and_then(|mut c| Ok(c.batch_execute("CREATE TABLE t (x INTEGER);")?))
            .expect("other database");
        let refused = restore(&url, &empty_sqlite).expect_err("not lieu's");
        assert!(refused.to_string().contains("not a database of lieu"));
        assert!(!with_suffix(&db, ".restauration").exists());

        let restored = restore(&url, &dest).expect("restore");
        assert_eq!(restored.tables, backup.tables);
        assert_eq!(restored.kept, Some(with_suffix(&db, ".avant-restauration")));
        Store::open(db.to_str().expect("utf8"), 2).expect("opens after restore");
    }
}
