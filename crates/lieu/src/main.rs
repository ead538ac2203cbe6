//! `lieu`: the command line and the server of the shared place's wiki and directory.

mod backup;
mod config;
mod export;
mod generate;
mod import;
mod open_import;
mod reindex;
mod rerender;
mod serve;
mod user;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "lieu", version, about = "Wiki et annuaire du territoire d’un lieu partagé France Services", long_about = None)]
struct Cli {
    /// Configuration file (TOML). Optional: every setting has a default and can also be set
    /// with a LIEU_* environment variable.
    #[arg(
        long,
        short,
        global = true,
        default_value = "lieu.toml",
        env = "LIEU_CONFIG"
    )]
    config: PathBuf,

    /// What to do; without a command, `serve`.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (applies migrations, imports the starter content into an empty
    /// database).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080 (overrides `bind`).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply the database migrations that have not run yet.
    Migrate,
    /// Import the Markdown pages of a content folder (idempotent); with --format, import
    /// directory entries from open data (data·inclusion, HSDS, lieu's CSV tables), idempotent
    /// by source identifier.
    Import {
        /// Folder of Markdown files with TOML front matter, e.g. wiki-content; with --format,
        /// the file (or folder) of records.
        dir: PathBuf,
        /// Import entries from this open data format instead of a content folder.
        #[arg(long, value_enum)]
        format: Option<open_import::ImportFormat>,
        /// Show what would be created, updated and refused, and write nothing.
        #[arg(long, requires = "format")]
        dry_run: bool,
        /// The source recorded on each entry (default: the records' own, for CSV the file's
        /// name, for HSDS `hsds`).
        #[arg(long, requires = "format")]
        source: Option<String>,
    },
    /// Write the open data files (data·inclusion, HSDS, CSV) of the published entries, as the
    /// site serves them under /donnees.
    Export {
        #[arg(long, value_enum, default_value = "all")]
        format: export::FormatArg,
        /// Folder to write into (default: the `export_dir` setting, the folder the site serves).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Fill the database with generated directory entries, exchange threads and posts (for
    /// benchmarks). Without any option, 10,000 entries.
    Generate {
        /// How many directory entries (default: 10,000, or none when --threads is given).
        #[arg(long)]
        entries: Option<usize>,
        /// How many threads of the exchange space, spread over its categories and some pages'
        /// and entries' discussions, written by generated members (their password is printed).
        #[arg(long)]
        threads: Option<usize>,
        /// How many posts in these threads, at least one a thread (default: ten a thread); with
        /// 500 more posts than threads, one thread has exactly 500.
        #[arg(long, requires = "threads")]
        posts: Option<usize>,
        /// Seed of the generator: the same seed gives the same entries and threads (their
        /// dates are relative to the day of the run).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Rebuild the search index from the database (the server must be stopped; it also
    /// rebuilds a missing or outdated index when it starts).
    Reindex,
    /// Render again the pages whose stored HTML comes from an older version of the renderer
    /// (also done when the server starts).
    Rerender,
    /// Erase the personal data of refused and withdrawn submissions older than
    /// `purge_after_days` (the server also does it daily).
    Purge,
    /// Ask the senders of published entries not verified for `reminder_after_days` whether
    /// they are still right (the server also does it daily).
    Remind,
    /// Write a backup of the whole database in one file (SQLite: a checked copy; PostgreSQL:
    /// pg_dump). The server may keep running.
    Backup {
        /// The file to write (default: a dated file in `backup_dir`, the oldest beyond
        /// `backup_keep` then deleted).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Replace the database with a backup, then rebuild the search index. Stop the server
    /// first; the replaced SQLite database is kept beside it.
    Restore {
        /// A file written by `lieu backup`.
        file: PathBuf,
        /// Do it: without this, only say what would be replaced.
        #[arg(long)]
        yes: bool,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let config = config::Config::load(&cli.config)?;
    config::init_tracing(&config);
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => serve::run(config, bind),
        Command::Reindex => reindex::run(&config),
        Command::Migrate => {
            let store = config.open_store()?;
            println!("Base de données à jour ({:?}).", store.backend());
            Ok(())
        }
        Command::Import {
            dir,
            format: Some(format),
            dry_run,
            source,
        } => {
            let store = config.open_existing_store()?;
            let report = open_import::run(&store, format, &dir, source.as_deref(), dry_run, true)?;
            print!("{report}");
            Ok(())
        }
        Command::Export { format, output } => export::run(&config, format, output, true),
        Command::Import { dir, .. } => {
            let store = config.open_store()?;
            let report = import::import_dir(&store, &dir, true)?;
            println!("{report}");
            if report.failed > 0 {
                anyhow::bail!("{} file(s) could not be imported", report.failed);
            }
            Ok(())
        }
        Command::Generate {
            entries,
            threads,
            posts,
            seed,
        } => {
            let store = config.open_store()?;
            let entries = entries.unwrap_or(if threads.is_some() { 0 } else { 10_000 });
            if entries > 0 {
                generate::run(&store, entries, seed)?;
            }
            if let Some(threads) = threads {
                let posts = posts.unwrap_or(threads.saturating_mul(10));
                generate::exchange::run(&store, threads, posts, seed)?;
            }
            Ok(())
        }
        Command::Purge => {
            let store = config.open_existing_store()?;
            let n = lieu_web::housekeeping::purge(&store, &config.web(), lieu_store::now())?;
            println!(
                "{n} demande(s) refusée(s) ou retirée(s) depuis plus de {} jours : coordonnées effacées.",
                config.purge_after_days
            );
            Ok(())
        }
        Command::Remind => {
            let store = config.open_existing_store()?;
            let n = lieu_web::housekeeping::remind(&store, &config.web(), lieu_store::now())?;
            println!("{n} courriel(s) de vérification mis en file d’envoi.");
            Ok(())
        }
        Command::Rerender => {
            let done = rerender::run(&config.open_existing_store()?, true)?;
            println!("{done} page(s) rendue(s) à nouveau.");
            Ok(())
        }
        Command::Backup { output } => backup::run_backup(&config, output),
        Command::Restore { file, yes } => backup::run_restore(&config, &file, yes),
        Command::User { command } => user::run(&config, command),
    }
}
