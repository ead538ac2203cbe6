//! What the tests of the binary share: running `lieu` as a person runs it, and `psql` for the
//! PostgreSQL databases they create and drop. Each test file uses part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary in `dir` on `database_url`, its index and backups in `dir`.
pub fn lieu(dir: &Path, database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lieu"))
        .args(args)
        .current_dir(dir)
        .env("LIEU_DATABASE_URL", database_url)
        .env("LIEU_INDEX_DIR", dir.join("index"))
        .env("LIEU_BACKUP_DIR", dir.join("sauvegardes"))
        .env("LIEU_LOG", "warn")
        .output()
        .expect("run lieu")
}

/// What the command printed, once it is known to have succeeded.
#[track_caller]
pub fn succeeded(output: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Runs one SQL statement with `psql` (package postgresql-client).
pub fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        .status()
        .expect("psql (package postgresql-client)");
    assert!(status.success(), "psql: {sql}");
}
