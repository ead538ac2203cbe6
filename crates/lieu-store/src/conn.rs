//! Connections: the backend chosen from the URL, the pool, migrations and the write path.

use crate::error::{StoreError, StoreResult};
use diesel::connection::SimpleConnection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ConnectionManager, CustomizeConnection, Pool, PooledConnection};
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

/// Loads a query through the backend's own connection: `load_direct!(conn, query)`, where
/// `query` is written out in full (it is typed once for each backend, so that a selection such
/// as `Thread::as_select()` takes the right one). Through [`DbConn`], diesel writes the SQL of
/// every statement again at each execution to find it in its cache (queries have no static
/// identity there) and reads every value through one more layer; through the backend's own
/// connection a statement of fixed shape is found by its type. On the 30 threads of a
/// category page of the exchange space that was 24% of the page (callgrind). For queries read
/// on every page view; the rest keep the plainer `query.load(conn)`.
#[macro_export]
macro_rules! load_direct {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::DbConn::Sqlite(c) => diesel::RunQueryDsl::load($query, c),
            $crate::DbConn::Postgres(c) => diesel::RunQueryDsl::load($query, c),
        }
    };
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

    /// What the pool hands to diesel: libpq's URL, or the SQLite file path as is (diesel would
    /// read a `sqlite://` prefix as a URI, where `?` and `#` in a path mean something else).
    fn connection_string(&self) -> StoreResult<String> {
        match self {
            DatabaseUrl::Postgres(url) => Ok(url.clone()),
            DatabaseUrl::Sqlite(path) => path
                .to_str()
                .map(str::to_owned)
                .ok_or_else(|| StoreError::BadUrl("the SQLite path is not valid UTF-8".into())),
        }
    }

    /// Opens one connection outside the pool, with the settings the pool gives its own: for
    /// one-off work and for checking what really reached the database.
    pub fn connect(&self) -> StoreResult<DbConn> {
        let url = self.connection_string()?;
        let mut conn = match self {
            DatabaseUrl::Postgres(_) => diesel::PgConnection::establish(&url)
                .map(DbConn::Postgres)
                .map_err(|e| StoreError::Pool(format!("PostgreSQL: {e}")))?,
            DatabaseUrl::Sqlite(_) => diesel::SqliteConnection::establish(&url)
                .map(DbConn::Sqlite)
                .map_err(|e| StoreError::Pool(format!("SQLite {url}: {e}")))?,
        };
        Settings {
            backend: self.backend(),
        }
        .apply(&mut conn)?;
        Ok(conn)
    }
}

/// The settings every new connection gets before the pool lends it.
#[derive(Debug, Clone, Copy)]
struct Settings {
    backend: Backend,
}

impl Settings {
    fn apply(&self, conn: &mut DbConn) -> QueryResult<()> {
        match conn {
            // busy_timeout makes a second process (a CLI import beside the server) wait for
            // the write lock instead of failing; writes take that lock at BEGIN (see
            // `Store::write`), where waiting is safe. WAL is set once per file, in
            // `Store::open`. `optimize=0x10002` gathers planner statistics for tables that
            // lack them or whose size changed a lot (SQLite's advice for long-lived
            // connections); without them the lists pick poor indexes (measured: 232 vs 3,500
            // req/s).
            DbConn::Sqlite(c) => c.batch_execute(
                "PRAGMA busy_timeout = 10000;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA optimize = 0x10002;",
            ),
            DbConn::Postgres(_) => Ok(()),
        }
    }
}

impl CustomizeConnection<DbConn, r2d2::Error> for Settings {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        // `DbConn::establish` tries each backend in turn: a PostgreSQL URL that fails (server
        // down) must not fall through to a SQLite file of that name.
        let backend = match conn {
            DbConn::Sqlite(_) => Backend::Sqlite,
            DbConn::Postgres(_) => Backend::Postgres,
        };
        if backend != self.backend {
            return Err(r2d2::Error::ConnectionError(
                diesel::ConnectionError::BadConnection(format!(
                    "expected a {:?} connection, got {backend:?}",
                    self.backend
                )),
            ));
        }
        self.apply(conn).map_err(r2d2::Error::QueryError)
    }
}

/// Diesel's own manager: it reports a connection as broken when it is handed back inside a
/// transaction or while a panic unwinds, so the pool never lends it again.
pub type Manager = ConnectionManager<DbConn>;

/// The database: a pool of connections and the write path.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    url: DatabaseUrl,
    /// SQLite allows one writer at a time: writers of this process queue here.
    write_lock: Arc<Mutex<()>>,
}

pub type PooledConn = PooledConnection<Manager>;

impl Store {
    /// How many connections the pool holds at most.
    pub fn max_connections(&self) -> u32 {
        self.pool.max_size()
    }

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
        // One direct connection first: its error says what is wrong (the pool's would only
        // say that no backend accepted the URL).
        let mut first = url.connect()?;
        if let DbConn::Sqlite(_) = &first {
            // WAL lets readers go on while one writer writes. The mode is kept in the file;
            // setting it needs a lock, so it is done once, before the pool opens connections
            // in parallel.
            first.batch_execute("PRAGMA journal_mode = WAL;")?;
        }
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .connection_timeout(Duration::from_secs(10))
            // A SQLite connection is an open file, which cannot break as a network connection
            // does: the `SELECT 1` before each loan was 1.4% of a page of the exchange space.
            .test_on_check_out(url.backend() == Backend::Postgres)
            .connection_customizer(Box::new(Settings {
                backend: url.backend(),
            }))
            .build(ConnectionManager::new(url.connection_string()?))
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        let store = Store {
            pool,
            url,
            write_lock: Arc::new(Mutex::new(())),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.url.backend()
    }

    /// The database this store opened.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// A new connection outside the pool, e.g. to check what was really committed.
    pub fn connect_unpooled(&self) -> StoreResult<DbConn> {
        self.url.connect()
    }

    /// Applies the migrations not yet applied, then fills what SQL alone could not (the
    /// title sort keys of rows written before they existed, the `@name` of accounts made
    /// before the exchange space); returns how many migrations ran.
    pub fn migrate(&self) -> StoreResult<usize> {
        let applied = {
            let _guard = self.lock_writes();
            let mut conn = self.conn()?;
            match &mut *conn {
                DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
                DbConn::Postgres(c) => c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.len()),
            }
            .map_err(|e| StoreError::Migration(e.to_string()))?
        };
        self.fill_missing_sort_keys()?;
        self.write(|c| Ok(crate::models::users::assign_missing_handles(c)?))?;
        Ok(applied)
    }

    /// Computes the title sort key (`lieu_core::collation`) of pages and entries that have
    /// none, a batch per transaction. A no-op once every row has its key.
    fn fill_missing_sort_keys(&self) -> StoreResult<()> {
        use crate::models::{entries, pages};
        const BATCH: i64 = 500;
        for fill in [
            pages::fill_missing_sort_keys,
            entries::fill_missing_sort_keys,
        ] {
            let mut after = 0;
            while let Some(last) = self.write(|c| Ok(fill(c, after, BATCH)?))? {
                after = last;
            }
        }
        Ok(())
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
    ///
    /// On SQLite the transaction is `BEGIN IMMEDIATE`: it takes the write lock before reading,
    /// so a writer in another process (a CLI import beside the server) makes it wait
    /// (busy_timeout) at BEGIN. A deferred BEGIN would read first and fail with SQLITE_BUSY when
    /// upgrading to a writer, without waiting, because its snapshot may be stale.
    ///
    /// If `f` panics, the transaction stays open and the connection is handed back while
    /// unwinding: the pool's manager drops it instead of lending it again.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConn) -> StoreResult<T>) -> StoreResult<T> {
        let _guard = self.lock_writes();
        let mut conn = self.conn()?;
        let conn: &mut DbConn = &mut conn;
        match conn {
            DbConn::Sqlite(c) => {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
            }
            DbConn::Postgres(_) => DbConn::begin_transaction(conn)?,
        }
        match f(conn) {
            Ok(value) => {
                DbConn::commit_transaction(conn)?;
                Ok(value)
            }
            Err(error) => match DbConn::rollback_transaction(conn) {
                // The original error says more than a rollback that could not even start.
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                Err(rollback) => Err(rollback.into()),
            },
        }
    }

    fn lock_writes(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.backend() {
            // A panic while holding the lock leaves nothing half-written (its connection is
            // dropped with the transaction uncommitted), so a poisoned lock is safe to take
            // again.
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

    #[test]
    fn writers_in_two_processes_on_one_sqlite_file_wait_for_each_other() {
        use crate::wiki::{self, Author};
        use std::sync::{Arc, Barrier};
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lieu.sqlite3");
        let path = path.to_str().expect("utf8");
        // Two stores: two pools and two write locks, as the server and `lieu import` have.
        let stores = [
            Store::open(path, 3).expect("first"),
            Store::open(path, 3).expect("second"),
        ];
        let barrier = Arc::new(Barrier::new(6));
        let threads: Vec<_> = (0..6)
            .map(|i| {
                let store = stores[i % 2].clone();
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    barrier.wait();
                    for j in 0..15 {
                        // Reads then writes in one transaction, as every store function does.
                        let page = lieu_core::page::PageDraft {
                            title: format!("Page {i} {j}"),
                            body: format!("Voir [[Page {j} {i}]]"),
                            summary: String::new(),
                        }
                        .validate()
                        .expect("valid");
                        stores_write(&store, &page)?;
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .collect();
        fn stores_write(store: &Store, page: &lieu_core::page::ValidPage) -> StoreResult<()> {
            store.write(|c| {
                crate::models::pages::count(c)?;
                wiki::create_page(c, page, &Author::system("t")).map(drop)
            })
        }
        for t in threads {
            t.join()
                .expect("thread")
                .expect("no writer fails with SQLITE_BUSY");
        }
        let count = stores[1]
            .read(|c| Ok(crate::models::pages::count(c)?))
            .expect("count");
        assert_eq!(count, 90);
    }
}

diesel::define_sql_function! {
    /// SQLite's id of the row this connection inserted last (writes are serialized there).
    fn last_insert_rowid() -> diesel::sql_types::Integer;
}

/// Inserts `$values` into `$table` and gives the new row's `$id`: RETURNING on PostgreSQL,
/// and on SQLite, whose writes are serialized, the last id this connection inserted.
macro_rules! insert_returning_id {
    ($conn:expr, $table:expr, $values:expr, $id:expr) => {
        match $conn {
            $crate::DbConn::Postgres(c) => diesel::insert_into($table)
                .values($values)
                .returning($id)
                .get_result::<i32>(c),
            $crate::DbConn::Sqlite(c) => diesel::insert_into($table)
                .values($values)
                .execute(c)
                .and_then(|_| {
                    diesel::select($crate::conn::last_insert_rowid()).get_result::<i32>(c)
                }),
        }
    };
}
pub(crate) use insert_returning_id;

/// The most values one statement binds: under both backends' limits on bound parameters
/// (SQLite 32,766, PostgreSQL 65,535). Multi-row inserts send their rows in chunks of at most
/// `MAX_BINDS / columns`.
pub(crate) const MAX_BINDS: usize = 30_000;

/// Runs a multi-row insert on the connection's own backend: diesel's `MultiConnection` does
/// not carry batch inserts, the concrete connections do (SQLite as one `INSERT ... VALUES
/// (...), (...)` statement since none of the values is `DEFAULT`).
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::DbConn::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
            $crate::DbConn::Postgres(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}
pub(crate) use insert_rows;
