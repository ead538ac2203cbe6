//! Mail of lieu. A message is written in the database's `mail_outbox` in the same transaction
//! as what it tells (`lieu_store::mail`); the [`Sender`] here, one background thread per
//! process, takes the messages that are due, builds each (text and HTML parts) and hands it to
//! the [`Transport`]: SMTP, `.eml` files under the data folder (the default, so that a fresh
//! `lieu serve` needs no mail server), or memory (tests). A failure is tried again later, each
//! time waiting longer ([`retry_delay`]); a request never waits for a mail server, and a
//! message in the outbox is never lost.

pub mod templates;
mod transport;

pub use transport::{Delivered, MemoryTransport, SmtpSettings, TlsMode, Transport};

use chrono::{NaiveDateTime, TimeDelta};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lieu_store::Store;
use lieu_store::mail::{self as outbox, Mail};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail address « {0} »: {1}")]
    Address(String, String),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the message file: {0}")]
    File(#[from] std::io::Error),
    #[error("the test transport refuses messages")]
    Refused,
    #[error("mail outbox: {0}")]
    Store(#[from] lieu_store::StoreError),
}

impl MailError {
    /// Whether trying again cannot help: an address that is not one, a message the server
    /// refuses for good (5xx).
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address(..) | MailError::Build(_) => true,
            MailError::Smtp(e) => e.is_permanent(),
            MailError::File(_) | MailError::Refused | MailError::Store(_) => false,
        }
    }
}

/// Tries after which a message is given up (an agent can try it again): the waits add up to
/// about two days.
pub const MAX_ATTEMPTS: i32 = 16;

/// How long to wait after the `attempts`-th failed try: one minute, doubling up to six hours;
/// `None` once [`MAX_ATTEMPTS`] are spent.
pub fn retry_delay(attempts: i32) -> Option<TimeDelta> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    let minutes = 1i64.checked_shl(doublings).unwrap_or(i64::MAX).min(6 * 60);
    Some(TimeDelta::minutes(minutes))
}

/// How long a sender holds a message it took: past it, another may take it.
const LEASE: TimeDelta = TimeDelta::minutes(5);
/// Messages taken at once.
const BATCH: i64 = 20;
/// Sent and given-up messages are deleted after this long.
pub const KEPT: TimeDelta = TimeDelta::days(30);

/// The message as it goes out: `From` the site, text and HTML alternatives.
pub fn build(from: &Mailbox, mail: &Mail) -> Result<lettre::Message, MailError> {
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|e: lettre::address::AddressError| {
            MailError::Address(mail.to_address.clone(), e.to_string())
        })?;
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject);
    if !mail.unsubscribe_url.is_empty() {
        // RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that posts
        // `List-Unsubscribe=One-Click` to the link, without opening it in a browser.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", mail.unsubscribe_url),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    Ok(builder.multipart(MultiPart::alternative_plain_html(
        mail.text_body.clone(),
        mail.html_body.clone(),
    ))?)
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub sent: usize,
    /// Failed, to be tried again later.
    pub delayed: usize,
    /// Failed for good.
    pub failed: usize,
}

/// Drains the outbox through one transport.
pub struct Sender {
    transport: Transport,
    from: Mailbox,
    wake: (Mutex<bool>, Condvar),
}

impl Sender {
    /// `from`: the site's address, such as `Lieu partagé <ne-pas-repondre@lieu.example.org>`.
    pub fn new(transport: Transport, from: &str) -> Result<Sender, MailError> {
        let from = from.parse().map_err(|e: lettre::address::AddressError| {
            MailError::Address(from.to_owned(), e.to_string())
        })?;
        Ok(Sender {
            transport,
            from,
            wake: (Mutex::new(false), Condvar::new()),
        })
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Sends what is due at `now`. After a failure that may pass (a server down), the rest of
    /// the batch is put back to wait as long as the failed one: a down server is asked once,
    /// not once per message.
    pub fn send_due(&self, store: &Store, now: NaiveDateTime) -> Result<Outcome, MailError> {
        let mut outcome = Outcome::default();
        loop {
            let batch = store.write(|c| outbox::take_due(c, now, BATCH, LEASE))?;
            let taken = batch.len();
            let mut batch = batch.into_iter();
            while let Some(mail) = batch.next() {
                let Err(error) = self.deliver(&mail) else {
                    store.write(|c| Ok(outbox::mark_sent(c, mail.id, now)?))?;
                    outcome.sent += 1;
                    continue;
                };
                let retry_at = if error.is_permanent() {
                    None
                } else {
                    retry_delay(mail.attempts).and_then(|d| now.checked_add_signed(d))
                };
                tracing::warn!(id = mail.id, %error, ?retry_at, "mail not sent");
                let message = error.to_string();
                store.write(|c| Ok(outbox::mark_failed(c, mail.id, &message, retry_at, now)?))?;
                match retry_at {
                    // Only a failure that may pass is tried again.
                    Some(at) => {
                        let rest: Vec<i32> = batch.by_ref().map(|m| m.id).collect();
                        outcome.delayed += 1 + rest.len();
                        store.write(|c| Ok(outbox::release(c, &rest, at)?))?;
                        return Ok(outcome);
                    }
                    None => outcome.failed += 1,
                }
            }
            if taken < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                return Ok(outcome);
            }
        }
    }

    fn deliver(&self, mail: &Mail) -> Result<(), MailError> {
        let message = build(&self.from, mail)?;
        self.transport.send(mail, &message)
    }

    /// Asks the sender thread to look at the outbox now rather than at its next tick.
    pub fn notify(&self) {
        let (flag, condvar) = &self.wake;
        *flag.lock().unwrap_or_else(PoisonError::into_inner) = true;
        condvar.notify_one();
    }

    /// The sender thread: sends what is due when notified and at least every `tick`, deletes
    /// old messages once a day, until the process ends. Errors are logged, never fatal.
    pub fn run(&self, store: &Store, tick: Duration) {
        let mut last_prune: Option<Instant> = None;
        loop {
            if let Err(error) = self.send_due(store, lieu_store::now()) {
                tracing::error!(%error, "mail outbox: sending failed");
            }
            if last_prune.is_none_or(|t| t.elapsed() > Duration::from_secs(24 * 3600)) {
                last_prune = Some(Instant::now());
                let before = lieu_store::now() - KEPT;
                match store.write(|c| Ok(outbox::prune(c, before)?)) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(messages = n, "old mail deleted from the outbox"),
                    Err(error) => tracing::error!(%error, "mail outbox: pruning failed"),
                }
            }
            let (flag, condvar) = &self.wake;
            let guard = flag.lock().unwrap_or_else(PoisonError::into_inner);
            let (mut guard, _) = condvar
                .wait_timeout_while(guard, tick, |woken| !*woken)
                .unwrap_or_else(PoisonError::into_inner);
            *guard = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_and_end() {
        assert_eq!(retry_delay(1), Some(TimeDelta::minutes(1)));
        assert_eq!(retry_delay(2), Some(TimeDelta::minutes(2)));
        assert_eq!(retry_delay(5), Some(TimeDelta::minutes(16)));
        assert_eq!(retry_delay(10), Some(TimeDelta::hours(6)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        assert_eq!(retry_delay(0), Some(TimeDelta::minutes(1)));
        assert_eq!(retry_delay(-3), Some(TimeDelta::minutes(1)));
        let total: TimeDelta = (1..MAX_ATTEMPTS).filter_map(retry_delay).sum();
        assert!(total > TimeDelta::days(1) && total < TimeDelta::days(3));
    }
}
