//! `lieu serve`: opens the database (migrating it), fills an empty one with the starter
//! content, and runs the web server.

use crate::config::Config;
use crate::import;
use crate::reindex;
use crate::rerender;
use actix_web::HttpServer;
use anyhow::{Context, Result};
use lieu_store::models::{communes, pages, users};
use lieu_web::AppState;

pub fn run(mut config: Config, bind: Option<String>) -> Result<()> {
    if let Some(bind) = bind {
        config.bind = bind;
    }
    let store = config.open_store()?;
    let page_count = store.read(|c| Ok(pages::count(c)?))?;
    if page_count == 0 && config.import_when_empty {
        if config.content_dir.is_dir() {
            tracing::info!(dir = %config.content_dir.display(), "empty database: importing the starter content");
            let report = import::import_dir(&store, &config.content_dir, true)?;
            println!("{report}");
        } else {
            tracing::warn!(dir = %config.content_dir.display(), "empty database and no content folder: the site starts empty");
        }
    }
    // A site created before the directory existed has pages but no commune: give it the
    // territory, without which no entry can be created.
    let territory = config.content_dir.join("territory.toml");
    if territory.is_file() && store.read(|c| Ok(communes::all(c)?))?.is_empty() {
        let text = std::fs::read_to_string(&territory)
            .with_context(|| format!("cannot read {}", territory.display()))?;
        let count = lieu_store::content::import_territory(&store, &text)
            .with_context(|| format!("invalid {}", territory.display()))?;
        tracing::info!(communes = count, "territory loaded");
    }
    // Pages stored by an older renderer or sanitizer are rendered again before serving, so
    // that a fix to either reaches every page.
    let rerendered = rerender::run(&store, true)?;
    if rerendered > 0 {
        println!("{rerendered} page(s) rendue(s) à nouveau avec le moteur actuel.");
    }
    let no_account = store.read(|c| Ok(users::count(c)?))? == 0;
    // The search index follows the database: rebuilt if missing or outdated, then kept up to
    // date by one indexer thread that applies the outbox (and did so for changes made while
    // the server was down).
    let search = std::sync::Arc::new(reindex::open(&config, &store, true)?);
    {
        let (search, store) = (search.clone(), store.clone());
        std::thread::Builder::new()
            .name("lieu-indexer".into())
            .spawn(move || search.run_indexer(&store, std::time::Duration::from_millis(250)))
            .context("cannot start the indexer")?;
    }
    // Mail goes out from its own thread, from the outbox the database keeps: also what was
    // written while the server was down.
    let mail = std::sync::Arc::new(config.mail_sender()?);
    {
        let (mail, store) = (mail.clone(), store.clone());
        std::thread::Builder::new()
            .name("lieu-mail".into())
            .spawn(move || mail.run(&store, std::time::Duration::from_secs(5)))
            .context("cannot start the mail sender")?;
    }
    // Once a day: erase the personal data that is kept no longer, ask senders whether their
    // entries are still right.
    {
        let (store, config, mail) = (store.clone(), config.web(), mail.clone());
        std::thread::Builder::new()
            .name("lieu-daily".into())
            .spawn(move || lieu_web::housekeeping::run_daily(&store, &config, &mail))
            .context("cannot start the daily work")?;
    }
    {
        let (store, config, mail) = (store.clone(), config.web(), mail.clone());
        std::thread::Builder::new()
            .name("lieu-hourly".into())
            .spawn(move || lieu_web::housekeeping::run_hourly(&store, &config, &mail))
            .context("cannot start the hourly work")?;
    }
    // Once a day: a backup of the database in `backup_dir`, the oldest beyond `backup_keep`
    // deleted.
    if config.backup_keep > 0 {
        let (store, dir, keep) = (store.clone(), config.backup_dir.clone(), config.backup_keep);
        std::thread::Builder::new()
            .name("lieu-backup".into())
            .spawn(move || crate::backup::run_daily(&store, &dir, keep))
            .context("cannot start the daily backup")?;
    }
    // Every minute: the messages of the exchange space's notifications (issue 12).
    {
        let (store, config, mail) = (store.clone(), config.web(), mail.clone());
        std::thread::Builder::new()
            .name("lieu-notify".into())
            .spawn(move || lieu_web::housekeeping::run_notification_mail(&store, &config, &mail))
            .context("cannot start the notification mail")?;
    }
    // The open data files under /donnees: written again within a minute of a change, never
    // per download (issue 13).
    {
        let (store, config) = (store.clone(), config.web());
        std::thread::Builder::new()
            .name("lieu-exports".into())
            .spawn(move || lieu_web::housekeeping::run_exports(&store, &config))
            .context("cannot start the open data export")?;
    }
    if let Some(warning) = base_url_mismatch(&config.base_url, &config.bind) {
        tracing::warn!("{warning}");
        println!("Attention : {warning}");
    }
    let state = AppState::new(store, search, mail, config.web());
    let workers = config.workers;
    let bind = config.bind.clone();
    actix_web::rt::System::new().block_on(async move {
        let mut server = HttpServer::new(move || lieu_web::app(state.clone()));
        if workers > 0 {
            server = server.workers(workers);
        }
        let server = server
            .bind(&bind)
            .with_context(|| format!("cannot listen on {bind}"))?;
        println!("lieu est prêt : http://{bind}/");
        if no_account {
            println!(
                "Aucun compte pour l’instant. Créez le premier administrateur :\n  \
                 lieu user add --email vous@exemple.fr --name \"Votre nom\" --role admin\n\
                 (depuis les sources : cargo run --release -- user add …)"
            );
        }
        server
            .run()
            .await
            .context("the web server stopped with an error")
    })
}

/// A `base_url` on this machine whose port is not the one served: the links of every message
/// (private links of senders, the agents' links) would lead nowhere.
fn base_url_mismatch(base_url: &str, bind: &str) -> Option<String> {
    let rest = base_url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().ok()?),
        None => (
            authority,
            if base_url.starts_with("https") {
                443
            } else {
                80
            },
        ),
    };
    let local = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    let bound: u16 = bind.rsplit_once(':')?.1.parse().ok()?;
    (local && port != bound).then(|| {
        format!(
            "base_url {base_url} does not point at the port served ({bind}): links in mails will \
             not work; set base_url (LIEU_BASE_URL) to the site's public address"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::base_url_mismatch;

    #[test]
    fn a_local_base_url_on_another_port_is_reported() {
        assert!(base_url_mismatch("http://127.0.0.1:8080", "127.0.0.1:8093").is_some());
        assert!(base_url_mismatch("http://127.0.0.1:8080", "127.0.0.1:8080").is_none());
        assert!(base_url_mismatch("https://lieu.example.org", "127.0.0.1:8080").is_none());
        assert!(base_url_mismatch("http://localhost", "0.0.0.0:80").is_none());
    }
}
