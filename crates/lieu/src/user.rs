//! `lieu user add`: creates an account (the first admin is made this way).

use crate::config::Config;
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use lieu_core::{Role, auth};
use lieu_store::models::{audit_log, users};
use std::io::{BufRead, IsTerminal};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked twice on a terminal, or read as one line from
    /// standard input (for scripts).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// editor, agent or admin.
        #[arg(long, default_value = "editor")]
        role: Role,
    },
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
    match command {
        UserCommand::Add { email, name, role } => {
            let email = users::normalize_email(&email);
            if !email.contains('@') || email.len() < 3 {
                bail!("`{email}` is not an email address");
            }
            if name.trim().is_empty() {
                bail!("the name must not be empty");
            }
            let store = config.open_store()?;
            if store.read(|c| Ok(users::by_email(c, &email)?))?.is_some() {
                bail!("an account already exists for {email}");
            }
            let password = read_password()?;
            let hash = auth::hash_password(&password).context("cannot use this password")?;
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
            println!(
                "Compte créé : {} <{}>, rôle {}. Connectez-vous sur {}/connexion",
                user.name,
                user.email,
                user.role,
                config.base_url.trim_end_matches('/')
            );
            Ok(())
        }
    }
}
