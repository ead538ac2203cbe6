//! Where messages go: an SMTP server, `.eml` files in a folder, or memory.

use crate::MailError;
use lettre::Transport as _;
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lieu_store::mail::Mail;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain text: only for a server on the same machine or a test.
    None,
    /// STARTTLS, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// The SMTP server's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Empty: no authentication.
    pub username: String,
    pub password: String,
    /// How long a connection or an answer is waited for.
    pub timeout: Duration,
}

/// Messages kept in memory (tests), with a switch that makes it refuse them.
#[derive(Debug, Default)]
pub struct MemoryTransport {
    delivered: Mutex<Vec<Delivered>>,
    refusing: AtomicBool,
}

/// A message the memory transport received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The message as it would have gone on the wire.
    pub raw: String,
}

impl MemoryTransport {
    pub fn delivered(&self) -> Vec<Delivered> {
        self.delivered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// While on, every message fails as with a server that does not answer.
    pub fn refuse(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::Relaxed);
    }
}

pub enum Transport {
    Smtp(Box<SmtpTransport>),
    /// One `.eml` file per message in this folder.
    Files(PathBuf),
    Memory(Arc<MemoryTransport>),
}

impl Transport {
    pub fn smtp(settings: &SmtpSettings) -> Result<Transport, MailError> {
        let builder = match settings.tls {
            TlsMode::None => SmtpTransport::builder_dangerous(&settings.host),
            TlsMode::Starttls => SmtpTransport::starttls_relay(&settings.host)?,
            TlsMode::Tls => SmtpTransport::relay(&settings.host)?,
        };
        let mut builder = builder.port(settings.port).timeout(Some(settings.timeout));
        if !settings.username.is_empty() {
            builder = builder.credentials(Credentials::new(
                settings.username.clone(),
                settings.password.clone(),
            ));
        }
        Ok(Transport::Smtp(Box::new(builder.build())))
    }

    pub(crate) fn send(&self, mail: &Mail, message: &lettre::Message) -> Result<(), MailError> {
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message)?;
                Ok(())
            }
            Transport::Files(dir) => {
                std::fs::create_dir_all(dir)?;
                let name = format!("{:08}-{}.eml", mail.id, mail.template);
                // Written aside, then renamed: a reader never sees half a message.
                let partial = dir.join(format!(".{name}.part"));
                std::fs::write(&partial, message.formatted())?;
                std::fs::rename(&partial, dir.join(name))?;
                Ok(())
            }
            Transport::Memory(memory) => {
                if memory.refusing.load(Ordering::Relaxed) {
                    return Err(MailError::Refused);
                }
                memory
                    .delivered
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Delivered {
                        to: mail.to_address.clone(),
                        subject: mail.subject.clone(),
                        text: mail.text_body.clone(),
                        html: mail.html_body.clone(),
                        raw: String::from_utf8_lossy(&message.formatted()).into_owned(),
                    });
                Ok(())
            }
        }
    }
}
