//! Daily work of the server: erase the personal data of refused and withdrawn submissions once
//! the retention delay has passed (`lieu purge` does the same by hand), and ask the senders of
//! published entries whether their entry is still right.

use crate::state::WebConfig;
use crate::views::directory::entry_url;
use crate::views::submit::{PrivateLink, update_url};
use chrono::{NaiveDateTime, TimeDelta};
use lieu_mail::templates;
use lieu_store::Store;
use lieu_store::submissions as subs;
use std::time::Duration;

/// Reminders written in one transaction.
const REMINDER_BATCH: i64 = 100;

/// Erases the sender's data of submissions refused or withdrawn more than
/// `purge_after_days` ago. Returns how many.
pub fn purge(
    store: &Store,
    config: &WebConfig,
    now: NaiveDateTime,
) -> Result<usize, lieu_store::StoreError> {
    let before = now - TimeDelta::days(config.purge_after_days.max(0));
    store.write(|c| subs::purge(c, before, now))
}

/// Asks the senders of approved submissions whose entry was not verified for
/// `reminder_after_days` (and who were not asked for as long) whether it is still right:
/// one message each, with a new private link (only its digest is kept). Returns how many.
pub fn remind(
    store: &Store,
    config: &WebConfig,
    now: NaiveDateTime,
) -> Result<usize, lieu_store::StoreError> {
    let every = TimeDelta::days(config.reminder_after_days.max(1));
    let mut sent = 0;
    loop {
        let written = store.write(|c| {
            let due = subs::due_reminders(c, now - every, now - every, REMINDER_BATCH)?;
            for (submission, entry) in &due {
                let link = PrivateLink::new();
                let mail = templates::reminder(
                    config.mail_site(),
                    &submission.sender_email,
                    &entry.title,
                    &config.absolute(&entry_url(entry)),
                    &config.absolute(&format!("{}/toujours-valide", link.path())),
                    &config.absolute(&update_url(entry.id, link.token())),
                );
                subs::mark_reminded(c, submission.id, &mail, now)?;
                subs::replace_token(c, submission.id, &link.digest)?;
            }
            Ok(due.len())
        })?;
        sent += written;
        if written < usize::try_from(REMINDER_BATCH).unwrap_or(usize::MAX) {
            return Ok(sent);
        }
    }
}

/// Empties the printed passwords of the workshops whose day is over: their practice accounts
/// stopped working at the end of the day, and the cards are not printed again. Returns how many.
pub fn wipe_workshop_cards(
    store: &Store,
    now: NaiveDateTime,
) -> Result<usize, lieu_store::StoreError> {
    store.write(|c| lieu_store::workshops::wipe_card_passwords(c, now))
}

/// Runs [`purge`], [`remind`] and [`wipe_workshop_cards`] now, then once a day, for as long as
/// the server runs. A failure is logged and tried again the next day: it never stops the server.
pub fn run_daily(store: &Store, config: &WebConfig, mail: &lieu_mail::Sender) {
    loop {
        let now = lieu_store::now();
        match purge(store, config, now) {
            Ok(n) => tracing::info!(erased = n, "daily purge of submitters' personal data"),
            Err(e) => tracing::error!(error = %e, "daily purge failed"),
        }
        match remind(store, config, now) {
            Ok(n) => {
                tracing::info!(reminded = n, "still-valid reminders written");
                if n > 0 {
                    mail.notify();
                }
            }
            Err(e) => tracing::error!(error = %e, "still-valid reminders failed"),
        }
        match wipe_workshop_cards(store, now) {
            Ok(n) => tracing::info!(wiped = n, "passwords of past workshops wiped"),
            Err(e) => tracing::error!(error = %e, "wiping the passwords of past workshops failed"),
        }
        std::thread::sleep(Duration::from_secs(24 * 3600));
    }
}
