//! Typed configuration: defaults, then `lieu.toml`, then `LIEU_*` environment variables.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use lieu_core::net::TrustedProxies;
use lieu_store::Store;
use lieu_web::WebConfig;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Every setting of lieu. The README documents each one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://PATH`, a file path, or `postgres://USER@HOST/DB`.
    pub database_url: String,
    /// Connections kept open to the database.
    pub db_pool_size: u32,
    /// Address the server listens on.
    pub bind: String,
    /// Public address of the site (used in feeds; `https://` turns on secure cookies).
    pub base_url: String,
    /// Name shown in every page.
    pub site_name: String,
    /// Folder of the starter content.
    pub content_dir: PathBuf,
    /// Import `content_dir` when `serve` starts on a database with no page.
    pub import_when_empty: bool,
    /// Login attempts per client address and minute.
    pub login_attempts_per_minute: u32,
    /// Login attempts per account (typed e-mail address) and hour, from any address.
    pub login_attempts_per_account_per_hour: u32,
    /// Reverse proxies (addresses or networks) whose X-Forwarded-For gives the client address.
    pub trusted_proxies: TrustedProxies,
    /// Let pages show images hosted on other sites (off: no third-party tracking pixels).
    pub allow_external_images: bool,
    /// How long a login lasts, in days.
    pub session_days: i64,
    /// Entries not verified for this many days are listed for the agents (six months).
    pub verify_after_days: i64,
    /// Folder of the search index (rebuilt from the database when missing).
    pub index_dir: PathBuf,
    /// The France Services desk's phone number, offered when a search finds nothing.
    pub desk_phone: String,
    /// Web server worker threads (0: one per CPU core).
    pub workers: usize,
    /// The address mail comes from, with a name: `Nom <adresse@exemple.fr>`.
    pub mail_from: String,
    /// `files` (each message an `.eml` file in `mail_dir`: no mail server needed) or `smtp`.
    pub mail_transport: MailTransport,
    /// Folder of the `.eml` files of the `files` transport.
    pub mail_dir: PathBuf,
    /// The SMTP server (for `mail_transport = "smtp"`).
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `starttls` (port 587), `tls` (port 465) or `none` (a server on the same machine only).
    pub smtp_tls: lieu_mail::TlsMode,
    /// Empty: no authentication.
    pub smtp_username: String,
    pub smtp_password: String,
    /// Seconds a connection or an answer of the SMTP server is waited for.
    pub smtp_timeout_seconds: u64,
    /// Submissions of the public referencing form accepted per client address and hour.
    pub submissions_per_hour: u32,
    /// Days after a refusal or a withdrawal when the sender's personal data is erased (by
    /// `lieu purge`, run daily by the server).
    pub purge_after_days: i64,
    /// Days after which the sender of a published entry is asked whether it is still right
    /// (about six months), and again as often.
    pub reminder_after_days: i64,
    /// The licence of the published data (API, exports, footer) and the address of its text.
    pub data_licence: String,
    pub data_licence_url: String,
    /// Requests to the JSON API per client address and minute (0: no limit).
    pub api_requests_per_minute: u32,
    /// Folder of the backups (`lieu backup`, and the server's daily one).
    pub backup_dir: PathBuf,
    /// Backups kept in `backup_dir`: the server takes one a day and deletes the oldest beyond
    /// this number; 0 turns the daily backup off.
    pub backup_keep: usize,
    /// Folder of the open data files the site serves under `/donnees` (written again in the
    /// background when the content changes, and by `lieu export`).
    pub export_dir: PathBuf,
    /// Log filter, e.g. `info` or `lieu=debug,actix_web=info` (RUST_LOG wins when set).
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/lieu.sqlite3".into(),
            db_pool_size: 8,
            bind: "127.0.0.1:8080".into(),
            base_url: "http://127.0.0.1:8080".into(),
            site_name: WebConfig::default().site_name,
            content_dir: "wiki-content".into(),
            import_when_empty: true,
            login_attempts_per_minute: 10,
            login_attempts_per_account_per_hour: 20,
            trusted_proxies: TrustedProxies::default(),
            allow_external_images: false,
            session_days: 30,
            verify_after_days: 183,
            index_dir: "data/index".into(),
            desk_phone: WebConfig::default().desk_phone,
            workers: 0,
            mail_from: "Lieu partagé <ne-pas-repondre@localhost>".into(),
            mail_transport: MailTransport::Files,
            mail_dir: "data/mail".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_tls: lieu_mail::TlsMode::Starttls,
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_timeout_seconds: 10,
            submissions_per_hour: WebConfig::default().submissions_per_hour,
            purge_after_days: WebConfig::default().purge_after_days,
            reminder_after_days: WebConfig::default().reminder_after_days,
            data_licence: WebConfig::default().data_licence,
            data_licence_url: WebConfig::default().data_licence_url,
            api_requests_per_minute: WebConfig::default().api_requests_per_minute,
            backup_dir: "data/sauvegardes".into(),
            backup_keep: 7,
            export_dir: "data/exports".into(),
            log: "info".into(),
        }
    }
}

/// Where mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    Files,
    Smtp,
}

impl Config {
    /// Reads the configuration. A missing `lieu.toml` is fine (defaults apply); a file that
    /// exists but does not parse is an error that names the problem.
    pub fn load(path: &Path) -> Result<Config> {
        Self::figment(path).extract().with_context(|| {
            format!(
                "invalid configuration (file {}, LIEU_* variables)",
                path.display()
            )
        })
    }

    fn figment(path: &Path) -> Figment {
        // Only the variables that name a setting: other LIEU_* variables (LIEU_CONFIG, or a
        // test harness's LIEU_BIN) are not settings and must not stop lieu from starting.
        let keys = Self::keys();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(path))
            .merge(Env::prefixed("LIEU_").only(&keys))
    }

    /// The names of all settings.
    fn keys() -> Vec<String> {
        match toml::Value::try_from(Config::default()) {
            Ok(toml::Value::Table(table)) => table.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn web(&self) -> WebConfig {
        WebConfig {
            site_name: self.site_name.clone(),
            base_url: self.base_url.clone(),
            login_attempts_per_minute: self.login_attempts_per_minute,
            login_attempts_per_account_per_hour: self.login_attempts_per_account_per_hour,
            trusted_proxies: self.trusted_proxies.clone(),
            allow_external_images: self.allow_external_images,
            session_days: self.session_days,
            verify_after_days: self.verify_after_days,
            desk_phone: self.desk_phone.clone(),
            submissions_per_hour: self.submissions_per_hour,
            purge_after_days: self.purge_after_days,
            reminder_after_days: self.reminder_after_days,
            content_dir: self.content_dir.clone(),
            data_licence: self.data_licence.clone(),
            data_licence_url: self.data_licence_url.clone(),
            api_requests_per_minute: self.api_requests_per_minute,
            export_dir: self.export_dir.clone(),
        }
    }

    /// The mail sender these settings describe; a setting that cannot work is an error that
    /// says which.
    pub fn mail_sender(&self) -> Result<lieu_mail::Sender> {
        let transport = match self.mail_transport {
            MailTransport::Files => lieu_mail::Transport::Files(self.mail_dir.clone()),
            MailTransport::Smtp => {
                anyhow::ensure!(
                    !self.smtp_host.trim().is_empty(),
                    "mail_transport is smtp but smtp_host is empty"
                );
                lieu_mail::Transport::smtp(&lieu_mail::SmtpSettings {
                    host: self.smtp_host.trim().to_owned(),
                    port: self.smtp_port,
                    tls: self.smtp_tls,
                    username: self.smtp_username.clone(),
                    password: self.smtp_password.clone(),
                    timeout: std::time::Duration::from_secs(self.smtp_timeout_seconds.max(1)),
                })
                .context("invalid SMTP settings")?
            }
        };
        lieu_mail::Sender::new(transport, &self.mail_from).context("invalid mail_from")
    }

    pub fn open_store(&self) -> Result<Store> {
        Store::open(&self.database_url, self.db_pool_size)
            .with_context(|| format!("cannot open the database {}", self.database_url))
    }

    /// Opens a database that must already exist: for commands that read or change what is
    /// there, a mistyped SQLite path must not quietly create an empty database.
    pub fn open_existing_store(&self) -> Result<Store> {
        if let Ok(lieu_store::DatabaseUrl::Sqlite(path)) =
            lieu_store::DatabaseUrl::parse(&self.database_url)
            && !path.exists()
        {
            anyhow::bail!(
                "no database at {}: check database_url (or LIEU_DATABASE_URL); `lieu serve` or \
                 `lieu migrate` creates a new one",
                path.display()
            );
        }
        self.open_store()
    }
}

pub fn init_tracing(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.log))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
// figment::Jail's closure signature is figment's, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file_and_environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            let config = Config::load(Path::new("absent.toml")).expect("defaults");
            assert_eq!(config.database_url, "sqlite://data/lieu.sqlite3");
            assert_eq!(config.bind, "127.0.0.1:8080");

            jail.create_file(
                "lieu.toml",
                "bind = \"0.0.0.0:9000\"\nsite_name = \"Test\"\n",
            )?;
            jail.set_env("LIEU_SITE_NAME", "Depuis l’environnement");
            let config = Config::load(Path::new("lieu.toml")).expect("file");
            assert_eq!(config.bind, "0.0.0.0:9000");
            assert_eq!(config.site_name, "Depuis l’environnement");
            Ok(())
        });
    }

    #[test]
    fn other_lieu_variables_are_not_settings() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("LIEU_BIN", "/usr/bin/lieu");
            jail.set_env("LIEU_TEST_DATABASE_URL", "postgres://x");
            jail.set_env("LIEU_BIND", "0.0.0.0:1");
            let config = Config::load(Path::new("absent.toml")).expect("starts");
            assert_eq!(config.bind, "0.0.0.0:1");
            Ok(())
        });
    }

    #[test]
    fn a_mistyped_sqlite_path_is_refused_not_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let typo = dir.path().join("typo/lieu.sqlite3");
        let config = Config {
            database_url: format!("sqlite://{}", typo.display()),
            ..Config::default()
        };
        let err = config.open_existing_store().err().expect("refused");
        assert!(format!("{err:#}").contains("no database at"), "{err:#}");
        assert!(!typo.exists() && !typo.parent().is_some_and(Path::exists));
        // Once created (as `lieu serve` or `lieu migrate` do), it opens.
        config.open_store().expect("create");
        config.open_existing_store().expect("open");
    }

    #[test]
    fn unknown_settings_are_reported() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("lieu.toml", "databse_url = \"x\"\n")?;
            let err = Config::load(Path::new("lieu.toml")).expect_err("typo");
            assert!(format!("{err:#}").contains("databse_url"), "{err:#}");
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_are_typed_addresses_from_the_file_or_the_environment() {
        figment::Jail::expect_with(|jail| {
            let config = Config::load(Path::new("absent.toml")).expect("defaults");
            assert!(config.trusted_proxies.is_empty());
            assert!(!config.allow_external_images);

            jail.create_file(
                "lieu.toml",
                "trusted_proxies = [\"127.0.0.1/32\", \"::1\"]\nallow_external_images = true\n",
            )?;
            let config = Config::load(Path::new("lieu.toml")).expect("file");
            let local: std::net::IpAddr = "127.0.0.1".parse().expect("ip");
            assert!(config.web().trusted_proxies.contains(local));
            assert!(
                config
                    .web()
                    .trusted_proxies
                    .contains("::1".parse().expect("ip"))
            );
            assert!(config.web().allow_external_images);

            jail.set_env("LIEU_TRUSTED_PROXIES", "[\"10.0.0.0/8\"]");
            let config = Config::load(Path::new("lieu.toml")).expect("environment");
            assert!(!config.trusted_proxies.contains(local));
            assert!(
                config
                    .trusted_proxies
                    .contains("10.1.2.3".parse().expect("ip"))
            );

            jail.set_env("LIEU_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.0.1");
            let config = Config::load(Path::new("lieu.toml")).expect("comma-separated");
            assert!(
                config
                    .trusted_proxies
                    .contains("192.168.0.1".parse().expect("ip"))
            );

            jail.set_env("LIEU_TRUSTED_PROXIES", "[\"proxy.local\"]");
            let err = Config::load(Path::new("lieu.toml")).expect_err("not an address");
            assert!(format!("{err:#}").contains("proxy.local"), "{err:#}");
            Ok(())
        });
    }

    #[test]
    fn the_old_trust_proxy_switch_is_reported() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("lieu.toml", "trust_proxy = true\n")?;
            let err = Config::load(Path::new("lieu.toml")).expect_err("removed setting");
            assert!(format!("{err:#}").contains("trust_proxy"), "{err:#}");
            Ok(())
        });
    }

    #[test]
    fn https_base_url_turns_on_secure_cookies() {
        let config = Config {
            base_url: "https://lieu.example.org".into(),
            ..Config::default()
        };
        assert!(config.web().secure_cookies());
        assert!(!Config::default().web().secure_cookies());
    }
}
