//! Background work of the server: erase the personal data of refused and withdrawn
//! submissions once the retention delay has passed (`lieu purge` does the same by hand), ask
//! the senders of published entries whether their entry is still right (daily), tell the
//! watchers of pages and entries (hourly), and mail the notifications of the exchange space
//! (every minute).

use crate::state::WebConfig;
use crate::views::directory::entry_url;
use crate::views::submit::{PrivateLink, update_url};
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::exchange::{NotificationKind, NotifyMail};
use lieu_mail::templates;
use lieu_store::Store;
use lieu_store::notifications;
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

/// Notifications read in one transaction by [`mail_notifications`].
const NOTIFY_BATCH: i64 = 100;
/// Notifications listed in one daily digest (the others are counted, with a link to the
/// notifications page).
const DIGEST_LISTED: i64 = 30;
/// Characters of a post quoted in a message.
const EXCERPT_CHARS: usize = 300;

/// The beginning of a post's text, cut at a word.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut
        .rsplit_once(char::is_whitespace)
        .map_or(cut.as_str(), |(head, _)| head);
    format!("{} …", cut.trim_end())
}

/// A notification as a message tells it: what it speaks of only while it is visible.
fn notice(config: &WebConfig, p: &notifications::Pending) -> Option<templates::Notice> {
    let kind = p.kind()?;
    let n = &p.notification;
    let url = match (kind, n.thread_id) {
        (NotificationKind::Hidden | NotificationKind::Suspended, _) | (_, None) => {
            config.absolute(crate::views::notifications::PATH)
        }
        (_, Some(thread)) => {
            config.absolute(&crate::views::notifications::post_url(thread, n.post_id))
        }
    };
    let speaks_of_post = !matches!(kind, NotificationKind::Hidden | NotificationKind::Suspended);
    Some(templates::Notice {
        kind,
        actor: n.actor_name.clone(),
        thread_title: p.thread_title.clone().filter(|_| speaks_of_post),
        excerpt: p
            .post_text
            .as_deref()
            .filter(|_| speaks_of_post)
            .map(excerpt),
        url,
    })
}

/// The unsubscribe link of `user`'s messages, its key made on the first message.
fn unsubscribe_url(
    c: &mut lieu_store::DbConn,
    config: &WebConfig,
    user: i32,
    key: &str,
) -> Result<String, lieu_store::StoreError> {
    let key = if key.is_empty() {
        notifications::mail_key(c, lieu_core::UserId(user), &lieu_core::auth::random_token())?
    } else {
        key.to_owned()
    };
    Ok(config.absolute(&crate::views::notifications::unsubscribe_path(user, &key)))
}

/// Writes the messages of the notifications not yet mailed: one per notification for those
/// who chose a message per event, one digest a day for those who chose it; those who chose
/// none, or whose notification speaks of a post hidden, held or erased since, get nothing
/// (their notifications are marked all the same). Each notification is won by one
/// conditional update, so that two servers never mail it twice. Returns how many messages
/// were written.
pub fn mail_notifications(
    store: &Store,
    config: &WebConfig,
    now: NaiveDateTime,
) -> Result<usize, lieu_store::StoreError> {
    let preferences_url = config.absolute(&format!(
        "{}#notifications",
        crate::views::accounts::OWN_PATH
    ));
    let mut written = 0;
    loop {
        let (seen, mails) = store.write(|c| {
            let due = notifications::due_each(c, NOTIFY_BATCH)?;
            let mut mails = 0;
            for p in &due {
                if !notifications::claim(c, p.notification.id, now)? {
                    continue;
                }
                let wanted = NotifyMail::parse(&p.mode) == Some(NotifyMail::Each);
                if !wanted || !p.tellable() {
                    continue;
                }
                let Some(notice) = notice(config, p) else {
                    continue;
                };
                let unsubscribe = unsubscribe_url(c, config, p.notification.user_id, &p.mail_key)?;
                let mail = templates::notification(
                    config.mail_site(),
                    &p.email,
                    &notice,
                    templates::NoticeLinks {
                        preferences_url: &preferences_url,
                        unsubscribe_url: &unsubscribe,
                    },
                );
                lieu_store::mail::enqueue(c, &mail, now)?;
                mails += 1;
            }
            Ok((due.len(), mails))
        })?;
        written += mails;
        if seen < usize::try_from(NOTIFY_BATCH).unwrap_or(usize::MAX) {
            break;
        }
    }
    let since = now - TimeDelta::days(1);
    loop {
        let due = store.read(|c| notifications::due_digests(c, since, NOTIFY_BATCH))?;
        for user in &due {
            let user = *user;
            written += store.write(|c| {
                let pending = notifications::pending_of(c, user, DIGEST_LISTED)?;
                let won = notifications::claim_digest(c, user, now)?;
                let told: Vec<&notifications::Pending> =
                    pending.iter().filter(|p| p.tellable()).collect();
                let Some(first) = told.first() else {
                    return Ok(0);
                };
                if won == 0 || NotifyMail::parse(&first.mode) != Some(NotifyMail::Daily) {
                    return Ok(0);
                }
                let notices: Vec<templates::Notice> =
                    told.iter().filter_map(|p| notice(config, p)).collect();
                let more = won.saturating_sub(pending.len());
                let unsubscribe = unsubscribe_url(c, config, user.0, &first.mail_key)?;
                let mail = templates::notification_digest(
                    config.mail_site(),
                    &first.email,
                    &notices,
                    more,
                    templates::NoticeLinks {
                        preferences_url: &preferences_url,
                        unsubscribe_url: &unsubscribe,
                    },
                    &config.absolute(crate::views::notifications::PATH),
                );
                lieu_store::mail::enqueue(c, &mail, now)?;
                notifications::digest_sent(c, user, now)?;
                Ok(1)
            })?;
        }
        if due.len() < usize::try_from(NOTIFY_BATCH).unwrap_or(usize::MAX) {
            return Ok(written);
        }
    }
}

/// How often the server looks for notifications to mail: "a message per event" must not
/// wait long.
const NOTIFY_EVERY: Duration = Duration::from_secs(60);

/// Runs [`mail_notifications`] now, then every minute, for as long as the server runs.
pub fn run_notification_mail(store: &Store, config: &WebConfig, mail: &lieu_mail::Sender) {
    loop {
        match mail_notifications(store, config, lieu_store::now()) {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(messages = n, "notification messages written");
                mail.notify();
            }
            Err(e) => tracing::error!(error = %e, "notification messages failed"),
        }
        std::thread::sleep(NOTIFY_EVERY);
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

/// How often the open data files are checked against the content.
const EXPORT_EVERY: Duration = Duration::from_secs(60);

/// Writes the open data files again if the content changed since they were written (or they
/// are missing): `Some(seconds taken)` when it did. Downloads never build them.
pub fn refresh_exports(
    store: &Store,
    config: &WebConfig,
    now: NaiveDateTime,
) -> Result<Option<f64>, lieu_store::opendata::ExportError> {
    let producer = config.producer();
    if !lieu_store::opendata::is_stale(store, &config.export_dir, &producer, now)? {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    lieu_store::opendata::export(
        store,
        &config.export_dir,
        &producer,
        &lieu_core::opendata::Format::ALL,
        now,
        &mut |_| {},
    )?;
    Ok(Some(started.elapsed().as_secs_f64()))
}

/// Runs [`refresh_exports`] now, then every minute, for as long as the server runs.
pub fn run_exports(store: &Store, config: &WebConfig) {
    loop {
        match refresh_exports(store, config, lieu_store::now()) {
            Ok(Some(seconds)) => tracing::info!(seconds, "open data files written"),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "open data export failed"),
        }
        std::thread::sleep(EXPORT_EVERY);
    }
}
