//! The mail outbox: a message to send is written in the same transaction as what it tells, and
//! `lieu-mail`'s sender delivers it later. Nothing here talks to a mail server.
//!
//! Several senders may run at once (one per `lieu serve` on a shared PostgreSQL database): a
//! sender takes a message by moving it to `sending` with a lease, in one conditional update
//! per row, so that only one of them wins it. A sender that dies while sending leaves the
//! message to be taken again when its lease ends: a message may, rarely, arrive twice, never
//! zero times.

use crate::DbConn;
use crate::error::StoreResult;
use crate::schema::mail_outbox as mo;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailStatus {
    /// To send at `next_attempt_at`.
    Waiting,
    /// Taken by a sender until `next_attempt_at`.
    Sending,
    Sent,
    /// Given up after too many failures: an agent can try again.
    Failed,
}

impl MailStatus {
    pub const ALL: [MailStatus; 4] = [
        MailStatus::Waiting,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Waiting => "waiting",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MailStatus> {
        MailStatus::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A message to write in the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewMail {
    /// What the message is (`received`, `new_submission`...).
    pub template: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe link of a message about the exchange space (given to mail
    /// programs in the `List-Unsubscribe` header, RFC 8058); empty for other messages.
    pub unsubscribe_url: String,
}

/// A message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = mo)]
pub struct Mail {
    pub id: i32,
    pub template: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// See [`NewMail::unsubscribe_url`].
    pub unsubscribe_url: String,
}

impl Mail {
    pub fn status(&self) -> Option<MailStatus> {
        MailStatus::parse(&self.status)
    }
}

/// Longest error text kept: a mail server's answer, cut.
const MAX_ERROR: usize = 500;

/// Writes `mail` in the outbox, in the caller's transaction, to send at once. Returns its id.
pub fn enqueue(conn: &mut DbConn, mail: &NewMail, now: NaiveDateTime) -> QueryResult<i32> {
    let values = (
        mo::template.eq(&mail.template),
        mo::to_address.eq(&mail.to),
        mo::subject.eq(&mail.subject),
        mo::text_body.eq(&mail.text),
        mo::html_body.eq(&mail.html),
        mo::status.eq(MailStatus::Waiting.as_str()),
        mo::attempts.eq(0),
        mo::next_attempt_at.eq(now),
        mo::created_at.eq(now),
        mo::unsubscribe_url.eq(&mail.unsubscribe_url),
    );
    crate::conn::insert_returning_id!(conn, mo::table, values, mo::id)
}

/// Takes up to `limit` messages due at `now` (waiting, or left `sending` by a sender whose
/// lease ended), each for `lease`: the caller sends them and records the outcome before then.
/// Oldest first. Each message is taken by one conditional update, so two senders never take
/// the same one.
pub fn take_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
    lease: TimeDelta,
) -> StoreResult<Vec<Mail>> {
    let due = [MailStatus::Waiting.as_str(), MailStatus::Sending.as_str()];
    let candidates: Vec<i32> = mo::table
        .filter(mo::status.eq_any(due))
        .filter(mo::next_attempt_at.le(now))
        .order(mo::id.asc())
        .limit(limit)
        .select(mo::id)
        .load(conn)?;
    let until = now.checked_add_signed(lease).unwrap_or(now);
    let mut taken = Vec::with_capacity(candidates.len());
    for id in candidates {
        let won = diesel::update(
            mo::table
                .filter(mo::id.eq(id))
                .filter(mo::status.eq_any(due))
                .filter(mo::next_attempt_at.le(now)),
        )
        .set((
            mo::status.eq(MailStatus::Sending.as_str()),
            mo::next_attempt_at.eq(until),
            mo::attempts.eq(mo::attempts + 1),
        ))
        .execute(conn)?;
        if won == 1 {
            taken.push(mo::table.find(id).select(Mail::as_select()).first(conn)?);
        }
    }
    Ok(taken)
}

/// Records that message `id` was delivered.
pub fn mark_sent(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(mo::table.find(id))
        .set((
            mo::status.eq(MailStatus::Sent.as_str()),
            mo::sent_at.eq(now),
            mo::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// Records that sending message `id` failed with `error`: it is tried again at `retry_at`, or,
/// with `None`, given up (`failed`).
pub fn mark_failed(
    conn: &mut DbConn,
    id: i32,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let error: String = error.chars().take(MAX_ERROR).collect();
    let (status, next) = match retry_at {
        Some(at) => (MailStatus::Waiting, at),
        None => (MailStatus::Failed, now),
    };
    diesel::update(mo::table.find(id))
        .set((
            mo::status.eq(status.as_str()),
            mo::next_attempt_at.eq(next),
            mo::last_error.eq(Some(error)),
        ))
        .execute(conn)
}

/// Gives back messages taken but not tried (the server was found down on another): they wait
/// until `at`, and the try they were counted for is not counted.
pub fn release(conn: &mut DbConn, ids: &[i32], at: NaiveDateTime) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(
        mo::table
            .filter(mo::id.eq_any(ids))
            .filter(mo::status.eq(MailStatus::Sending.as_str())),
    )
    .set((
        mo::status.eq(MailStatus::Waiting.as_str()),
        mo::next_attempt_at.eq(at),
        mo::attempts.eq(mo::attempts - 1),
    ))
    .execute(conn)
}

/// Puts a failed or waiting message back to be sent at once. Returns whether it was one (a
/// message sent or being sent is left alone), or `None` when there is no such message.
pub fn retry(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> QueryResult<Option<bool>> {
    if by_id(conn, id)?.is_none() {
        return Ok(None);
    }
    let changed =
        diesel::update(mo::table.filter(mo::id.eq(id)).filter(
            mo::status.eq_any([MailStatus::Failed.as_str(), MailStatus::Waiting.as_str()]),
        ))
        .set((
            mo::status.eq(MailStatus::Waiting.as_str()),
            mo::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(changed == 1))
}

/// How many messages of each status the outbox holds.
pub fn counts(conn: &mut DbConn) -> QueryResult<Vec<(MailStatus, i64)>> {
    let rows: Vec<(String, i64)> = mo::table
        .group_by(mo::status)
        .select((mo::status, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(MailStatus::ALL
        .into_iter()
        .map(|status| {
            let n = rows
                .iter()
                .find(|(s, _)| s == status.as_str())
                .map_or(0, |(_, n)| *n);
            (status, n)
        })
        .collect())
}

/// Messages newest first, of one status or all, `limit` of them with ids below `before` (the
/// last id of the page before): a page costs the same however deep.
pub fn page(
    conn: &mut DbConn,
    status: Option<MailStatus>,
    before: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<Mail>> {
    let mut query = mo::table.select(Mail::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(mo::status.eq(status.as_str()));
    }
    if let Some(before) = before {
        query = query.filter(mo::id.lt(before));
    }
    query.order(mo::id.desc()).limit(limit).load(conn)
}

/// One message.
pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Mail>> {
    mo::table
        .find(id)
        .select(Mail::as_select())
        .first(conn)
        .optional()
}

/// Deletes the messages sent before `before`, and those given up before it: they hold the
/// addresses and words of the people told, kept no longer than needed to answer « did you get
/// my mail? ». Returns how many went.
pub fn prune(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    let sent = diesel::delete(
        mo::table
            .filter(mo::status.eq(MailStatus::Sent.as_str()))
            .filter(mo::sent_at.lt(before)),
    )
    .execute(conn)?;
    let failed = diesel::delete(
        mo::table
            .filter(mo::status.eq(MailStatus::Failed.as_str()))
            .filter(mo::created_at.lt(before)),
    )
    .execute(conn)?;
    Ok(sent + failed)
}
