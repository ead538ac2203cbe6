//! `lieu user`: creates and administers accounts (the first admin is made this way). The rules
//! (keep one active administrator, end the sessions of a closed account) live in
//! `lieu_store::accounts`; this module reads the arguments and prints the outcome.

use crate::config::Config;
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use lieu_core::{Role, auth};
use lieu_store::models::users::User;
use lieu_store::models::{audit_log, users};
use lieu_store::{Store, StoreError, accounts};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked twice on a terminal, or read as one line from
    /// standard input (for scripts).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// editor, trainer, agent or admin.
        #[arg(long, default_value = "editor")]
        role: Role,
    },
    /// List the accounts: email, name, role, active or not.
    List,
    /// Change the role of an account (editor, trainer, agent or admin).
    SetRole { email: String, role: Role },
    /// Close an account: it can no longer log in and its open sessions end now. The last
    /// active admin cannot be closed.
    Deactivate { email: String },
    /// Open a closed account again (its owner logs in anew).
    Activate { email: String },
    /// Set a new password, asked like for `add`; the account's open sessions end.
    ResetPassword { email: String },
}

/// The hash of a password chosen on the command line, once it passes the same rules as on
/// the site (length, not among the most common, not the person's own name).
fn checked_hash(password: &str, context: &[&str]) -> Result<String> {
    if let Err(problem) = auth::check_new_password(password, context) {
        bail!("{}", lieu_web::i18n::t(problem.code()));
    }
    auth::hash_password(password).context("cannot use this password")
}

fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password("Mot de passe (10 caractères au moins) : ")?;
        let second = rpassword::prompt_password("Confirmez le mot de passe : ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

pub fn run(config: &Config, command: UserCommand) -> Result<()> {
    // `add` may create the database (the first administrator of a new site); the other
    // commands act on accounts that exist.
    let store = match command {
        UserCommand::Add { .. } => config.open_store()?,
        _ => config.open_existing_store()?,
    };
    let base_url = config.base_url.trim_end_matches('/');
    execute(
        &store,
        command,
        base_url,
        read_password,
        &mut std::io::stdout().lock(),
    )
}

/// Runs one command against `store`, asking `password` for a password when the command needs
/// one, and writing what it did to `out`.
pub fn execute(
    store: &Store,
    command: UserCommand,
    base_url: &str,
    password: impl FnOnce() -> Result<String>,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        UserCommand::Add { email, name, role } => {
            let email = users::normalize_email(&email);
            if !email.contains('@') || email.len() < 3 {
                bail!("`{email}` is not an email address");
            }
            if name.trim().is_empty() {
                bail!("the name must not be empty");
            }
            if store.read(|c| Ok(users::by_email(c, &email)?))?.is_some() {
                bail!("an account already exists for {email}");
            }
            if role == Role::Trainee {
                bail!("practice accounts are made by workshops (/ateliers), not by hand");
            }
            let password = password()?;
            let hash = checked_hash(&password, &[name.trim(), &email])?;
            let user = store.write(|c| {
                let user = users::insert(
                    c,
                    &users::NewUser {
                        email: &email,
                        name: name.trim(),
                        role: role.as_str(),
                        password_hash: &hash,
                        disabled: 0,
                        created_at: lieu_store::now(),
                    },
                )?;
                audit_log::record(c, None, "user.create", &email, role.as_str())?;
                Ok(user)
            })?;
            writeln!(
                out,
                "Compte créé : {} <{}>, rôle {}. Connectez-vous sur {base_url}/connexion",
                user.name, user.email, user.role,
            )?;
        }
        UserCommand::List => {
            let all = store.read(accounts::list)?;
            if all.is_empty() {
                writeln!(
                    out,
                    "Aucun compte. Créez le premier administrateur : lieu user add --email … --name … --role admin"
                )?;
            } else {
                write!(out, "{}", table(&all))?;
            }
        }
        UserCommand::SetRole { email, role } => {
            if role == Role::Trainee {
                bail!("practice accounts are made by workshops (/ateliers), not by hand");
            }
            let user = store
                .write(|c| accounts::set_role(c, &email, role))
                .map_err(|e| explain(e, &email))?;
            writeln!(
                out,
                "{} <{}> a maintenant le rôle {}.",
                user.name, user.email, user.role
            )?;
            if user.is_disabled() {
                writeln!(
                    out,
                    "Ce compte est désactivé : il ne peut pas se connecter tant que vous ne l’avez \
                     pas rouvert (lieu user activate {}).",
                    user.email
                )?;
            }
        }
        UserCommand::Deactivate { email } => {
            let was_closed = store
                .read(|c| Ok(users::by_email(c, &email)?))?
                .is_some_and(|u| u.is_disabled());
            let user = store
                .write(|c| accounts::deactivate(c, &email))
                .map_err(|e| explain(e, &email))?;
            if was_closed {
                writeln!(out, "{} <{}> était déjà désactivé.", user.name, user.email)?;
            } else {
                writeln!(
                    out,
                    "Compte désactivé : {} <{}> ne peut plus se connecter ; ses sessions sont fermées.",
                    user.name, user.email
                )?;
            }
        }
        UserCommand::Activate { email } => {
            let user = store
                .write(|c| accounts::activate(c, &email))
                .map_err(|e| explain(e, &email))?;
            writeln!(
                out,
                "Compte actif : {} <{}> peut se connecter (rôle {}).",
                user.name, user.email, user.role
            )?;
        }
        UserCommand::ResetPassword { email } => {
            if store.read(|c| Ok(users::by_email(c, &email)?))?.is_none() {
                return Err(explain(StoreError::NotFound, &email));
            }
            let password = password()?;
            let hash = checked_hash(&password, &[&email])?;
            let user = store
                .write(|c| accounts::reset_password(c, &email, &hash))
                .map_err(|e| explain(e, &email))?;
            writeln!(
                out,
                "Mot de passe changé pour {} <{}> ; ses sessions ouvertes sont fermées.",
                user.name, user.email
            )?;
        }
    }
    Ok(())
}

/// The refusals an administrator can act on, said plainly.
fn explain(error: StoreError, email: &str) -> anyhow::Error {
    match error {
        StoreError::NotFound => anyhow::anyhow!("Aucun compte pour {email}."),
        StoreError::LastAdmin => anyhow::anyhow!(
            "Refusé : {email} est le dernier administrateur actif. Donnez d’abord le rôle admin \
             à un autre compte actif (lieu user set-role AUTRE-EMAIL admin ; un compte désactivé \
             se rouvre avec lieu user activate AUTRE-EMAIL)."
        ),
        other => other.into(),
    }
}

/// The accounts as an aligned text table.
fn table(all: &[User]) -> String {
    let rows: Vec<[String; 4]> = all
        .iter()
        .map(|u| {
            [
                u.email.clone(),
                u.name.clone(),
                u.role.clone(),
                if u.is_disabled() { "non" } else { "oui" }.to_owned(),
            ]
        })
        .collect();
    let header = ["email", "nom", "rôle", "actif"].map(str::to_owned);
    let mut widths = [0; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use lieu_store::models::sessions;

    const PASSWORD: &str = "un mot de passe assez long";

    fn store(dir: &tempfile::TempDir) -> Store {
        Store::open(dir.path().join("t.sqlite3").to_str().expect("utf8"), 2).expect("store")
    }

    fn run(store: &Store, command: UserCommand) -> Result<String> {
        run_with_password(store, command, PASSWORD)
    }

    fn run_with_password(store: &Store, command: UserCommand, password: &str) -> Result<String> {
        let mut out = Vec::new();
        execute(
            store,
            command,
            "http://localhost:8080",
            || Ok(password.to_owned()),
            &mut out,
        )?;
        Ok(String::from_utf8(out).expect("utf8"))
    }

    fn add(store: &Store, email: &str, name: &str, role: Role) {
        run(
            store,
            UserCommand::Add {
                email: email.into(),
                name: name.into(),
                role,
            },
        )
        .expect("add");
    }

    fn user(store: &Store, email: &str) -> User {
        store
            .read(|c| Ok(users::by_email(c, email)?))
            .expect("read")
            .expect("account")
    }

    fn open_session(store: &Store, email: &str) {
        let id = user(store, email).id;
        store
            .write(|c| {
                let now = lieu_store::now();
                Ok(sessions::insert(
                    c,
                    &sessions::NewSession {
                        token_digest: &auth::token_digest(email),
                        user_id: id,
                        created_at: now,
                        expires_at: now + chrono::Duration::days(1),
                    },
                )?)
            })
            .expect("session");
    }

    fn session_user(store: &Store, email: &str) -> Option<User> {
        store
            .read(|c| {
                Ok(sessions::user_for(
                    c,
                    &auth::token_digest(email),
                    lieu_store::now(),
                )?)
            })
            .expect("read")
    }

    #[test]
    fn list_prints_one_aligned_row_per_account() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir);
        add(&store, "marie@mairie.fr", "Marie Curie", Role::Admin);
        add(&store, "ali@fs.fr", "Ali", Role::Agent);
        run(
            &store,
            UserCommand::Deactivate {
                email: "ali@fs.fr".into(),
            },
        )
        .expect("deactivate");
        let text = run(&store, UserCommand::List).expect("list");
        assert_eq!(
            text,
            "email            nom          rôle   actif\n\
             ali@fs.fr        Ali          agent  non\n\
             marie@mairie.fr  Marie Curie  admin  oui\n"
        );
    }

    #[test]
    fn set_role_changes_the_role_but_never_demotes_the_last_active_admin() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir);
        add(&store, "admin@fs.fr", "Admin", Role::Admin);
        add(&store, "eve@fs.fr", "Eve", Role::Editor);

        let said = run(
            &store,
            UserCommand::SetRole {
                email: "EVE@fs.fr".into(),
                role: Role::Agent,
            },
        )
        .expect("set-role");
        assert!(said.contains("rôle agent"), "{said}");
        assert_eq!(user(&store, "eve@fs.fr").role(), Role::Agent);

        let refused = run(
            &store,
            UserCommand::SetRole {
                email: "admin@fs.fr".into(),
                role: Role::Editor,
            },
        )
        .expect_err("last admin");
        assert!(
            refused.to_string().contains("dernier administrateur actif"),
            "{refused}"
        );
        assert_eq!(user(&store, "admin@fs.fr").role(), Role::Admin);

        let unknown = run(
            &store,
            UserCommand::SetRole {
                email: "personne@fs.fr".into(),
                role: Role::Agent,
            },
        )
        .expect_err("unknown");
        assert_eq!(unknown.to_string(), "Aucun compte pour personne@fs.fr.");
    }

    #[test]
    fn deactivate_ends_sessions_and_refuses_the_last_active_admin() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir);
        add(&store, "admin@fs.fr", "Admin", Role::Admin);
        add(&store, "other@fs.fr", "Other", Role::Admin);
        open_session(&store, "other@fs.fr");
        assert!(session_user(&store, "other@fs.fr").is_some());

        run(
            &store,
            UserCommand::Deactivate {
                email: "other@fs.fr".into(),
            },
        )
        .expect("deactivate");
        assert!(user(&store, "other@fs.fr").is_disabled());
        assert!(session_user(&store, "other@fs.fr").is_none());

        let refused = run(
            &store,
            UserCommand::Deactivate {
                email: "admin@fs.fr".into(),
            },
        )
        .expect_err("last admin");
        assert!(
            refused.to_string().contains("dernier administrateur actif"),
            "{refused}"
        );
        assert!(!user(&store, "admin@fs.fr").is_disabled());
    }

    #[test]
    fn reset_password_replaces_the_password_and_ends_sessions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(&dir);
        add(&store, "eve@fs.fr", "Eve", Role::Editor);
        open_session(&store, "eve@fs.fr");

        run_with_password(
            &store,
            UserCommand::ResetPassword {
                email: "eve@fs.fr".into(),
            },
            "un tout nouveau mot de passe",
        )
        .expect("reset");
        let eve = user(&store, "eve@fs.fr");
        assert!(!auth::verify_password(PASSWORD, &eve.password_hash));
        assert!(auth::verify_password(
            "un tout nouveau mot de passe",
            &eve.password_hash
        ));
        assert!(session_user(&store, "eve@fs.fr").is_none());

        let too_short = run_with_password(
            &store,
            UserCommand::ResetPassword {
                email: "eve@fs.fr".into(),
            },
            "court",
        );
        assert!(too_short.is_err());
        let common = run_with_password(
            &store,
            UserCommand::ResetPassword {
                email: "eve@fs.fr".into(),
            },
            "motdepasse123",
        );
        let message = common.expect_err("a common password").to_string();
        assert!(message.contains("trop facile à deviner"), "{message}");
    }
}
