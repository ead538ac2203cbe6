//! Connections: the backend chosen from the URL, the pool, migrations and the write path.

use crate::error::{StoreError, StoreResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../schema/migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations =
    embed_migrations!("../../schema/migrations/postgres");

/// A connection to either backend; queries written against it run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL whose scheme has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (`sqlite://data/lieu.sqlite3`, `sqlite:///abs/path`, or a bare path).
    Sqlite(PathBuf),
    /// `postgres://...` or `postgresql://...`, passed to libpq as is.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> StoreResult<Self> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            return Self::sqlite_path(path);
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            return Self::sqlite_path(path);
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(StoreError::BadUrl(format!(
                "unsupported database URL scheme `{scheme}`: use sqlite://PATH (or a file path) \
                 or postgres://USER@HOST/DATABASE"
            )));
        }
        Self::sqlite_path(url)
    }

    fn sqlite_path(path: &str) -> StoreResult<Self> {
        if path.is_empty() || path.contains(":memory:") {
            return Err(StoreError::BadUrl(
                "the SQLite database needs a file path (an in-memory database would not be \
                 shared between connections)"
                    .into(),
            ));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens one connection, with the SQLite settings lieu relies on.
    pub fn connect(&self) -> StoreResult<DbConn> {
        match self {
            DatabaseUrl::Postgres(url) => diesel::PgConnection::establish(url)
                .map(DbConn::Postgres)
                .map_err(|e| StoreError::Pool(format!("PostgreSQL: {e}"))),
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    StoreError::BadUrl("the SQLite path is not valid UTF-8".into())
                })?;
                let mut conn = diesel::SqliteConnection::establish(path)
                    .map_err(|e| StoreError::Pool(format!("SQLite {path}: {e}")))?;
                // busy_timeout makes a second process (a CLI import beside the server) wait
                // instead of failing. WAL is set once per file, in `Store::open`.
                // `optimize=0x10002` gathers planner statistics for tables that lack them or
                // whose size changed a lot (SQLite's advice for long-lived connections);
                // without them the lists pick poor indexes (measured: 232 vs 3,500 req/s).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA optimize = 0x10002;",
                )?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

pub struct Manager {
    url: DatabaseUrl,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = StoreError;

    fn connect(&self) -> Result<DbConn, StoreError> {
        self.url.connect()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), StoreError> {
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The database: a pool of connections and the write path.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    backend: Backend,
    /// SQLite allows one writer at a time: writers of this process queue here.
    write_lock: Arc<Mutex<()>>,
}

pub type PooledConn = PooledConnection<Manager>;

impl Store {
    /// Opens the pool and applies pending migrations. Creates the SQLite file and its folder.
    pub fn open(url: &str, max_connections: u32) -> StoreResult<Store> {
        let url = DatabaseUrl::parse(url)?;
        if let DatabaseUrl::Sqlite(path) = &url
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Pool(format!("cannot create the folder {}: {e}", dir.display()))
            })?;
        }
        if let DatabaseUrl::Sqlite(_) = &url {
            // WAL lets readers go on while one writer writes. The mode is kept in the file;
            // setting it needs a lock, so it is done once, before the pool opens connections
            // in parallel.
            url.connect()?.batch_execute("PRAGMA journal_mode = WAL;")?;
        }
        let backend = url.backend();
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { url })
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let store = Store {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the migrations not yet applied; returns how many ran.
    pub fn migrate(&self) -> StoreResult<usize> {
        let _guard = self.lock_writes();
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConn::Postgres(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        applied.map_err(|e| StoreError::Migration(e.to_string()))
    }

    pub fn conn(&self) -> StoreResult<PooledConn> {
        self.pool.get().map_err(|e| StoreError::Pool(e.to_string()))
    }

    /// Runs `f` on a connection, outside any explicit transaction: for reads.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConn) -> StoreResult<T>) -> StoreResult<T> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction: all of its writes land, or none.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConn) -> StoreResult<T>) -> StoreResult<T> {
        let _guard = self.lock_writes();
        let mut conn = self.conn()?;
        let conn: &mut DbConn = &mut conn;
        conn.transaction(f)
    }

    fn lock_writes(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.backend {
            // A panic while holding the lock leaves nothing half-written (the transaction
            // rolled back), so a poisoned lock is safe to take again.
            Backend::Sqlite => Some(
                self.write_lock
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            ),
            Backend::Postgres => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_from_their_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/lieu.sqlite3").ok(),
            Some(DatabaseUrl::Sqlite("data/lieu.sqlite3".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("/var/lib/lieu/db.sqlite3").ok(),
            Some(DatabaseUrl::Sqlite("/var/lib/lieu/db.sqlite3".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://lieu@localhost/lieu")
                .map(|u| u.backend())
                .ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://lieu@localhost/lieu")
                .map(|u| u.backend())
                .ok(),
            Some(Backend::Postgres)
        );
    }

    #[test]
    fn other_schemes_are_refused_with_a_clear_message() {
        let err = DatabaseUrl::parse("mysql://root@localhost/lieu").expect_err("refused");
        assert!(
            err.to_string()
                .contains("unsupported database URL scheme `mysql`")
        );
        assert!(DatabaseUrl::parse("sqlite://:memory:").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn opening_a_sqlite_store_creates_the_file_and_applies_migrations() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/lieu.sqlite3");
        let store = Store::open(path.to_str().expect("utf8"), 2).expect("open");
        assert!(path.exists());
        assert_eq!(store.migrate().expect("migrate again"), 0);
        let mode: String = store
            .read(|c| {
                #[derive(QueryableByName)]
                struct Mode {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    journal_mode: String,
                }
                let m: Mode = diesel::sql_query("PRAGMA journal_mode").get_result(c)?;
                Ok(m.journal_mode)
            })
            .expect("pragma");
        assert_eq!(mode, "wal");
    }
}
