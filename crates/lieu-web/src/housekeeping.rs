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

/// Watches read in one transaction by [`tell_watchers`].
const WATCH_BATCH: i64 = 200;

/// Writes the messages of the watches that are due (see [`lieu_store::watches`]): one message
/// per person per run, listing each page or entry they watch that others changed, at most one
/// a day per watch. Returns how many messages were written.
pub fn tell_watchers(
    store: &Store,
    config: &WebConfig,
    now: NaiveDateTime,
) -> Result<usize, lieu_store::StoreError> {
    use lieu_store::watches;
    let mut written = 0;
    loop {
        let (seen, mails) = store.write(|c| {
            let due = watches::due(c, now, WATCH_BATCH)?;
            let mut mails = 0;
            // Rows come by watcher: one message for each run of rows of one person.
            for group in due.chunk_by(|a, b| a.user.id == b.user.id) {
                let told: Vec<&watches::Due> =
                    group.iter().filter(|d| watches::worth_telling(d)).collect();
                if let Some(first) = told.first() {
                    let news: Vec<templates::WatchNews> = told
                        .iter()
                        .map(|d| templates::WatchNews {
                            title: d.watched.title.clone(),
                            url: config.absolute(&crate::views::accounts::watched_url(&d.watched)),
                            changes: d
                                .changes
                                .iter()
                                .map(|ch| {
                                    let mut line = format!(
                                        "{}, {}",
                                        crate::views::format_datetime(ch.at),
                                        ch.author_name
                                    );
                                    if !ch.summary.trim().is_empty() {
                                        line.push_str(" : ");
                                        line.push_str(ch.summary.trim());
                                    }
                                    line
                                })
                                .collect(),
                            more: d.changes_total
                                - i64::try_from(d.changes.len()).unwrap_or(d.changes_total),
                        })
                        .collect();
                    let mail = templates::watch_digest(
                        config.mail_site(),
                        &first.user.email,
                        &news,
                        &config.absolute("/compte#suivis"),
                    );
                    lieu_store::mail::enqueue(c, &mail, now)?;
                    mails += 1;
                }
                for d in group {
                    watches::mark_told(c, d, watches::worth_telling(d), now)?;
                }
            }
            Ok((due.len(), mails))
        })?;
        written += mails;
        if seen < usize::try_from(WATCH_BATCH).unwrap_or(usize::MAX) {
            return Ok(written);
        }
    }
}

/// How often the server looks for watches to tell about.
const WATCH_EVERY: Duration = Duration::from_secs(3600);

/// Runs [`tell_watchers`] now, then every hour, for as long as the server runs.
pub fn run_hourly(store: &Store, config: &WebConfig, mail: &lieu_mail::Sender) {
    loop {
        match tell_watchers(store, config, lieu_store::now()) {
            Ok(n) => {
                if n > 0 {
                    tracing::info!(messages = n, "watch messages written");
                    mail.notify();
                }
            }
            Err(e) => tracing::error!(error = %e, "watch messages failed"),
        }
        std::thread::sleep(WATCH_EVERY);
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
