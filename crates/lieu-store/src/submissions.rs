//! Submissions of the referencing form: written with the messages that tell of them, moved
//! through `lieu_core::submission`'s state machine by conditional updates on their version, so
//! that of two people acting on one submission at once, the second is told (`Conflict`) and
//! nothing is overwritten.

use crate::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::mail::{self, NewMail};
use crate::models::audit_log;
use crate::schema::submissions as su;
use chrono::NaiveDateTime;
use diesel::dsl::{Eq, Filter};
use diesel::prelude::*;
use lieu_core::UserId;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::submission::{Decision, NotAllowed, RejectReason, SenderAction, SubmissionStatus};

/// Who sent a submission (personal data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SenderContact {
    pub name: String,
    pub organisation: String,
    pub email: String,
    pub phone: String,
}

/// A submission to write: what is proposed, by whom. `form` has passed the same validation as
/// the agents' form.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    pub kind: Kind,
    /// For a correction: the entry it proposes to change.
    pub target_entry_id: Option<i32>,
    pub form: &'a EntryForm,
    pub sender: &'a SenderContact,
    /// `lieu_core::auth::token_digest` of the sender's private link.
    pub token_digest: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = su)]
pub struct Submission {
    pub id: i32,
    pub kind: String,
    pub target_entry_id: Option<i32>,
    pub fields_json: String,
    pub title: String,
    pub commune_insee: String,
    pub sender_name: String,
    pub sender_organisation: String,
    pub sender_email: String,
    pub sender_phone: String,
    pub consent_at: NaiveDateTime,
    pub status: String,
    pub token_digest: String,
    pub version: i32,
    pub decision_message: String,
    pub reject_reason: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<NaiveDateTime>,
    pub entry_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub sender_erased_at: Option<NaiveDateTime>,
    /// When the sender of this approved submission was last asked whether their entry is
    /// still right (`mark_reminded`); `None`: never.
    pub reminded_at: Option<NaiveDateTime>,
}

impl Submission {
    pub fn status(&self) -> Option<SubmissionStatus> {
        SubmissionStatus::parse(&self.status)
    }

    pub fn kind(&self) -> Option<Kind> {
        self.kind.parse().ok()
    }

    /// The proposed fields.
    pub fn form(&self) -> Option<EntryForm> {
        serde_json::from_str(&self.fields_json).ok()
    }

    pub fn reject_reason(&self) -> Option<RejectReason> {
        self.reject_reason.as_deref().and_then(RejectReason::parse)
    }
}

fn fields_json(form: &EntryForm) -> StoreResult<String> {
    serde_json::to_string(form).map_err(|e| StoreError::Pool(format!("submission fields: {e}")))
}

/// Writes a submission and the messages that tell of it (to its sender, to the agents), in
/// the caller's transaction: the sender is told « received » only of what is committed.
pub fn create(
    conn: &mut DbConn,
    new: &NewSubmission<'_>,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Submission> {
    let s = new.sender;
    diesel::insert_into(su::table)
        .values((
            su::kind.eq(new.kind.as_str()),
            su::target_entry_id.eq(new.target_entry_id),
            su::fields_json.eq(fields_json(new.form)?),
            su::title.eq(new.form.title.trim()),
            su::commune_insee.eq(new.form.commune.trim()),
            su::sender_name.eq(s.name.trim()),
            su::sender_organisation.eq(s.organisation.trim()),
            su::sender_email.eq(s.email.trim()),
            su::sender_phone.eq(s.phone.trim()),
            su::consent_at.eq(now),
            su::status.eq(SubmissionStatus::Waiting.as_str()),
            su::token_digest.eq(new.token_digest),
            su::version.eq(1),
            su::decision_message.eq(""),
            su::created_at.eq(now),
            su::updated_at.eq(now),
        ))
        .execute(conn)?;
    let created = by_token(conn, new.token_digest)?.ok_or(StoreError::NotFound)?;
    for m in mails {
        mail::enqueue(conn, m, now)?;
    }
    Ok(created)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Submission>> {
    su::table
        .find(id)
        .select(Submission::as_select())
        .first(conn)
        .optional()
}

/// The submission of a private link, by the digest of its token.
pub fn by_token(conn: &mut DbConn, digest: &str) -> QueryResult<Option<Submission>> {
    su::table
        .filter(su::token_digest.eq(digest))
        .select(Submission::as_select())
        .first(conn)
        .optional()
}

/// Why a move was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The submission is decided already (by whom, when: the submission as it is now).
    Closed(Box<Submission>),
    /// It changed since `version` was read (another agent, or its sender, acted first).
    Stale(Box<Submission>),
}

/// The submission `id` at `version`, if the state machine allows `next` from its status.
fn movable(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    next: impl FnOnce(SubmissionStatus) -> Result<SubmissionStatus, NotAllowed>,
) -> StoreResult<Result<(Submission, SubmissionStatus), Refused>> {
    let current = by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    let Some(status) = current.status() else {
        return Err(StoreError::NotFound);
    };
    let Ok(to) = next(status) else {
        return Ok(Err(Refused::Closed(Box::new(current))));
    };
    if current.version != version {
        return Ok(Err(Refused::Stale(Box::new(current))));
    }
    Ok(Ok((current, to)))
}

/// Submission `id` only while still at `version`: an update through it changes nothing once
/// someone else moved the submission, and the database, not an earlier read, decides who was
/// first.
fn at_version(
    id: i32,
    version: i32,
) -> Filter<Filter<su::table, Eq<su::id, i32>>, Eq<su::version, i32>> {
    su::table
        .filter(su::id.eq(id))
        .filter(su::version.eq(version))
}

/// The submission as it is after a move that lost the race: the caller tells who won.
fn lost(conn: &mut DbConn, id: i32) -> StoreResult<Refused> {
    let now = by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    Ok(if now.status().is_some_and(SubmissionStatus::is_open) {
        Refused::Stale(Box::new(now))
    } else {
        Refused::Closed(Box::new(now))
    })
}

/// What follows a conditional update of submission `id` that changed `changed` rows: if it
/// lost the race, who won; otherwise the audit row, the messages, and the submission as it is
/// now.
#[allow(clippy::too_many_arguments)]
fn after_move(
    conn: &mut DbConn,
    id: i32,
    changed: usize,
    actor: Option<UserId>,
    action: &str,
    detail: &str,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Result<Submission, Refused>> {
    if changed != 1 {
        return Ok(Err(lost(conn, id)?));
    }
    audit_log::record(conn, actor, action, &format!("submission:{id}"), detail)?;
    for m in mails {
        mail::enqueue(conn, m, now)?;
    }
    Ok(Ok(by_id(conn, id)?.ok_or(StoreError::NotFound)?))
}

/// An agent asks the sender to change something (`message` says what), or refuses the
/// submission (`reason`, and `message` for words of their own). Approval, which creates or
/// corrects the entry, is `approve`. In the caller's transaction, with the audit row and the
/// messages.
#[allow(clippy::too_many_arguments)]
fn record_decision(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    decision: Decision,
    reason: Option<RejectReason>,
    message: &str,
    agent: UserId,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Result<Submission, Refused>> {
    let (_, to) = match movable(conn, id, version, |s| s.decide(decision))? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let changed = diesel::update(at_version(id, version))
        .set((
            su::status.eq(to.as_str()),
            su::version.eq(version + 1),
            su::decision_message.eq(message.trim()),
            su::reject_reason.eq(reason.map(RejectReason::as_str)),
            su::decided_by.eq(Some(agent.0)),
            su::decided_at.eq(Some(now)),
            su::updated_at.eq(now),
        ))
        .execute(conn)?;
    let detail = match reason {
        Some(r) => format!("{}: {}", r.as_str(), message.trim()),
        None => message.trim().to_owned(),
    };
    let action = format!("submission.{}", to.as_str());
    after_move(conn, id, changed, Some(agent), &action, &detail, mails, now)
}

/// An agent asks the sender to change something; `message` says what.
#[allow(clippy::too_many_arguments)]
pub fn request_changes(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    message: &str,
    agent: UserId,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Result<Submission, Refused>> {
    record_decision(
        conn,
        id,
        version,
        Decision::RequestChanges,
        None,
        message,
        agent,
        mails,
        now,
    )
}

/// An agent refuses the submission, for `reason`, with words of their own in `message`.
#[allow(clippy::too_many_arguments)]
pub fn reject(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    reason: RejectReason,
    message: &str,
    agent: UserId,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Result<Submission, Refused>> {
    record_decision(
        conn,
        id,
        version,
        Decision::Reject,
        Some(reason),
        message,
        agent,
        mails,
        now,
    )
}

/// The sender takes their submission back through their private link.
pub fn withdraw(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Result<Submission, Refused>> {
    let (_, to) = match movable(conn, id, version, |s| s.by_sender(SenderAction::Withdraw))? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let changed = diesel::update(at_version(id, version))
        .set((
            su::status.eq(to.as_str()),
            su::version.eq(version + 1),
            su::decided_at.eq(Some(now)),
            su::updated_at.eq(now),
        ))
        .execute(conn)?;
    after_move(
        conn,
        id,
        changed,
        None,
        "submission.withdrawn",
        "",
        mails,
        now,
    )
}

/// The sender corrects their submission (`form` validated like the agents' form): it waits
/// for an agent again.
pub fn correct(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    form: &EntryForm,
    mails: &[NewMail],
    now: NaiveDateTime,
) -> StoreResult<Result<Submission, Refused>> {
    let (_, to) = match movable(conn, id, version, |s| s.by_sender(SenderAction::Correct))? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let changed = diesel::update(at_version(id, version))
        .set((
            su::status.eq(to.as_str()),
            su::version.eq(version + 1),
            su::fields_json.eq(fields_json(form)?),
            su::title.eq(form.title.trim()),
            su::commune_insee.eq(form.commune.trim()),
            su::updated_at.eq(now),
        ))
        .execute(conn)?;
    after_move(
        conn,
        id,
        changed,
        None,
        "submission.corrected",
        "",
        mails,
        now,
    )
}

/// What an approval made.
#[derive(Debug, Clone)]
pub struct Approval {
    pub submission: Submission,
    /// The entry created, or the entry corrected.
    pub entry: crate::models::entries::Entry,
}

/// An agent approves submission `id` (seen at `version`), as sent or with their own edits
/// (`edited`): the entry is created, or, for a correction, the target entry is saved over
/// `entry_revision` (the revision the agent compared with); `summary` is the revision's
/// summary, in the words of the web layer. One transaction with the caller:
/// the submission's claim, the entry, its revision and index row, the audit row and the
/// messages (`mails`, built from the entry, whose address is known only now).
///
/// Errors that undo everything, for the caller to show: `Invalid` (the fields no longer pass:
/// a date now past, a commune removed), `Conflict` (the target entry was saved since the agent
/// looked), `SlugTaken`.
#[allow(clippy::too_many_arguments)]
pub fn approve(
    conn: &mut DbConn,
    id: i32,
    version: i32,
    edited: Option<&EntryForm>,
    entry_revision: Option<i32>,
    agent: &crate::wiki::Author,
    summary: &str,
    today: chrono::NaiveDate,
    now: NaiveDateTime,
    mails: impl FnOnce(&crate::models::entries::Entry) -> Vec<NewMail>,
) -> StoreResult<Result<Approval, Refused>> {
    let (current, to) = match movable(conn, id, version, |s| s.decide(Decision::Approve))? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let agent_id = agent.id.ok_or(StoreError::NotFound)?;
    let kind = current.kind().ok_or(StoreError::NotFound)?;
    let form = match edited {
        Some(form) => form.clone(),
        None => current.form().ok_or(StoreError::NotFound)?,
    };
    // The claim first: of two agents approving at once, the second stops here, before any
    // entry is written.
    let claimed = diesel::update(at_version(id, version))
        .set((
            su::status.eq(to.as_str()),
            su::version.eq(version + 1),
            su::fields_json.eq(fields_json(&form)?),
            su::title.eq(form.title.trim()),
            su::commune_insee.eq(form.commune.trim()),
            su::decided_by.eq(Some(agent_id.0)),
            su::decided_at.eq(Some(now)),
            su::updated_at.eq(now),
        ))
        .execute(conn)?;
    if claimed != 1 {
        return Ok(Err(lost(conn, id)?));
    }
    let valid =
        crate::directory::validate(conn, kind, &form, today)?.map_err(StoreError::Invalid)?;
    let entry = match current.target_entry_id {
        None => crate::directory::create_entry(conn, &valid, agent, summary, now)?,
        Some(target) => {
            let base = match entry_revision {
                Some(r) => r,
                None => {
                    crate::models::entries::by_id(conn, target)?
                        .ok_or(StoreError::NotFound)?
                        .revision_number
                }
            };
            match crate::directory::update_entry(conn, target, base, &valid, agent, summary, now)? {
                crate::directory::EntrySave::Saved(entry) => *entry,
                crate::directory::EntrySave::Conflict(_) => return Err(StoreError::Conflict),
            }
        }
    };
    diesel::update(su::table.find(id))
        .set(su::entry_id.eq(Some(entry.id)))
        .execute(conn)?;
    audit_log::record(
        conn,
        Some(agent_id),
        "submission.approved",
        &format!("submission:{id}"),
        &format!("entry:{}", entry.id),
    )?;
    for m in mails(&entry) {
        mail::enqueue(conn, &m, now)?;
    }
    let submission = by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    Ok(Ok(Approval { submission, entry }))
}

/// Which submissions the agents' queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub kind: Option<Kind>,
    /// None: the open ones (waiting and changes_requested).
    pub status: Option<SubmissionStatus>,
    pub commune: Option<String>,
    /// Only those created before this instant (the "older than N days" filter).
    pub created_before: Option<NaiveDateTime>,
}

impl QueueFilter {
    /// The statuses shown: the one asked for, or the open ones.
    fn statuses(&self) -> Vec<&'static str> {
        match self.status {
            Some(status) => vec![status.as_str()],
            None => SubmissionStatus::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .map(SubmissionStatus::as_str)
                .collect(),
        }
    }
}

type Boxed<'a> = su::BoxedQuery<'a, crate::conn::MultiBackend>;

/// The submissions of `filter` but for their status, which the caller states: with one
/// status, every combination of filters is a range of one of the queue indexes (status, kind
/// or commune first, then `created_at`).
fn in_queue(filter: &QueueFilter) -> Boxed<'_> {
    let mut query = su::table.into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(su::kind.eq(kind.as_str()));
    }
    if let Some(commune) = &filter.commune {
        query = query.filter(su::commune_insee.eq(commune));
    }
    if let Some(before) = filter.created_before {
        query = query.filter(su::created_at.lt(before));
    }
    query
}

/// A page of the queue, oldest first (first come, first served), keyset paging: `after` is the
/// (created_at, id) of the last row of the previous page.
///
/// One query per status, each read in the order of its index and stopped at `limit`, then
/// merged: asked for two statuses at once, both backends would read and sort every open
/// submission for each page. The keyset also states `created_at >= a`, a bound the index can
/// start from, where the `OR` alone would make it read every row before the page.
pub fn queue(
    conn: &mut DbConn,
    filter: &QueueFilter,
    after: Option<(NaiveDateTime, i32)>,
    limit: i64,
) -> QueryResult<Vec<Submission>> {
    let mut page = Vec::new();
    for status in filter.statuses() {
        // `=`, not `IN`: PostgreSQL's `= ANY(array)` would not read the index in order.
        let mut query = in_queue(filter).filter(su::status.eq(status));
        if let Some((at, id)) = after {
            query = query
                .filter(su::created_at.ge(at))
                .filter(su::created_at.gt(at).or(su::id.gt(id)));
        }
        page.extend(
            query
                .order((su::created_at.asc(), su::id.asc()))
                .limit(limit)
                .select(Submission::as_select())
                .load(conn)?,
        );
    }
    page.sort_by_key(|s| (s.created_at, s.id));
    page.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(page)
}

/// How many submissions the queue holds with `filter`, for the pages' count.
pub fn count(conn: &mut DbConn, filter: &QueueFilter) -> QueryResult<i64> {
    in_queue(filter)
        .filter(su::status.eq_any(filter.statuses()))
        .count()
        .get_result(conn)
}

/// Submissions waiting for an agent (status waiting), for the count in the agents' menu.
pub fn count_waiting(conn: &mut DbConn) -> QueryResult<i64> {
    su::table
        .filter(su::status.eq(SubmissionStatus::Waiting.as_str()))
        .count()
        .get_result(conn)
}

diesel::define_sql_function! {
    /// The text in lower case (ASCII letters only on SQLite, every letter on PostgreSQL).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

type Condition = Box<
    dyn BoxableExpression<su::table, crate::conn::MultiBackend, SqlType = diesel::sql_types::Bool>,
>;

/// Other open submissions that look like `of`: the same sender email or phone (non-empty), or
/// the same title ignoring case and surrounding spaces, newest first, at most `limit`. The
/// agent deciding `of` sees them, so that one actor sending twice is not listed twice.
///
/// Titles are compared by the database's `lower()`, on both sides, so that the index on
/// `lower(title)` answers; SQLite lowers ASCII letters only, so « École » and « école » differ
/// there. Emails and phones are compared as stored (trimmed).
pub fn similar(conn: &mut DbConn, of: &Submission, limit: i64) -> QueryResult<Vec<Submission>> {
    let mut alike: Vec<Condition> = Vec::new();
    let title = of.title.trim();
    if !title.is_empty() {
        alike.push(Box::new(lower(su::title).eq(lower(title.to_owned()))));
    }
    let email = of.sender_email.trim();
    if !email.is_empty() {
        alike.push(Box::new(su::sender_email.eq(email.to_owned())));
    }
    let phone = of.sender_phone.trim();
    if !phone.is_empty() {
        alike.push(Box::new(su::sender_phone.eq(phone.to_owned())));
    }
    let Some(alike) = alike.into_iter().reduce(|a, b| Box::new(a.or(b))) else {
        return Ok(Vec::new());
    };
    let open: Vec<&str> = QueueFilter::default().statuses();
    su::table
        .filter(alike)
        .filter(su::status.eq_any(open))
        .filter(su::id.ne(of.id))
        .order((su::created_at.desc(), su::id.desc()))
        .limit(limit)
        .select(Submission::as_select())
        .load(conn)
}

/// How many submissions the purge rewrites at once: enough to keep the round trips few, few
/// enough that a purge of years of submissions never holds them all in memory.
const PURGE_BATCH: i64 = 500;

/// The proposed fields without the contact's personal data. Fields that no longer parse are
/// dropped but for the title and commune (kept in their own columns too): what cannot be read
/// cannot be sorted, and personal data must not stay.
fn fields_without_contact(submission: &Submission) -> StoreResult<String> {
    let form = match submission.form() {
        Some(form) => EntryForm {
            contact_name: String::new(),
            email: String::new(),
            phone: String::new(),
            ..form
        },
        None => EntryForm {
            title: submission.title.clone(),
            commune: submission.commune_insee.clone(),
            ..EntryForm::default()
        },
    };
    fields_json(&form)
}

/// Erases the personal data of refused and withdrawn submissions decided before `before`: the
/// sender's name, organisation, email and phone become empty, the contact fields of the
/// proposed entry (contact_name, email, phone in fields_json) are emptied, `sender_erased_at`
/// = now, and the token digest is replaced by a unique value that no token hashes to
/// ("erased:{id}") so the private link no longer opens it. Writes one audit_log row
/// "submission.purged" per run with the count (actor None), even when it is 0: the log shows
/// that the purge runs. Returns how many were erased. Idempotent (skips rows with
/// sender_erased_at set).
///
/// The rows are read and rewritten `PURGE_BATCH` at a time, in id order, in the caller's
/// transaction. Approved submissions keep their sender (the entry's contact for updates and
/// the six-monthly check) while their entry is published, and lose it once the entry has
/// been archived for the delay.
pub fn purge(conn: &mut DbConn, before: NaiveDateTime, now: NaiveDateTime) -> StoreResult<usize> {
    use crate::schema::entries as e;
    let erased: Vec<&str> = SubmissionStatus::ALL
        .into_iter()
        .filter(|s| s.erases_sender())
        .map(SubmissionStatus::as_str)
        .collect();
    let mut count = 0;
    let mut last_id = 0;
    loop {
        let batch: Vec<Submission> = su::table
            .filter(su::status.eq_any(erased.clone()))
            .filter(su::decided_at.lt(before))
            .filter(su::sender_erased_at.is_null())
            .filter(su::id.gt(last_id))
            .order(su::id.asc())
            .limit(PURGE_BATCH)
            .select(Submission::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        last_id = last.id;
        count += erase(conn, &batch, now)?;
    }
    // An approved sender is the contact of a published entry; once the entry is archived
    // (and was not touched for the delay), nothing needs them any more.
    let mut last_id = 0;
    loop {
        let batch: Vec<Submission> = su::table
            .inner_join(e::table.on(su::entry_id.eq(e::id.nullable())))
            .filter(su::status.eq(SubmissionStatus::Approved.as_str()))
            .filter(su::sender_erased_at.is_null())
            .filter(e::status.eq(lieu_core::entry::Status::Archived.as_str()))
            .filter(e::updated_at.lt(before))
            .filter(su::id.gt(last_id))
            .order(su::id.asc())
            .limit(PURGE_BATCH)
            .select(Submission::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        last_id = last.id;
        count += erase(conn, &batch, now)?;
    }
    audit_log::record(conn, None, "submission.purged", "", &count.to_string())?;
    Ok(count)
}

/// Erases the sender of each of `batch` not erased yet; returns how many.
fn erase(conn: &mut DbConn, batch: &[Submission], now: NaiveDateTime) -> StoreResult<usize> {
    let mut count = 0;
    for submission in batch {
        count += diesel::update(
            su::table
                .filter(su::id.eq(submission.id))
                .filter(su::sender_erased_at.is_null()),
        )
        .set((
            su::sender_name.eq(""),
            su::sender_organisation.eq(""),
            su::sender_email.eq(""),
            su::sender_phone.eq(""),
            su::fields_json.eq(fields_without_contact(submission)?),
            su::token_digest.eq(format!("erased:{}", submission.id)),
            su::sender_erased_at.eq(Some(now)),
        ))
        .execute(conn)?;
    }
    Ok(count)
}

/// Approved submissions whose entry (still published: entries.status = 'published') was last
/// verified before `verified_before` and whose sender was not reminded since
/// `reminded_before` (or never), not erased, oldest-verified first, at most `limit`; with their
/// entry.
///
/// When several approved submissions point at one entry, only the latest one's sender is
/// asked: one message per entry, to whoever last spoke for it.
pub fn due_reminders(
    conn: &mut DbConn,
    verified_before: NaiveDateTime,
    reminded_before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(Submission, crate::models::entries::Entry)>> {
    use crate::models::entries::Entry;
    use crate::schema::entries as e;
    let approved = SubmissionStatus::Approved.as_str();
    // Written out: diesel has no correlated subquery. The index on entry_id answers it.
    let no_later_approval = diesel::dsl::sql::<diesel::sql_types::Bool>(
        "NOT EXISTS (SELECT 1 FROM submissions later WHERE later.entry_id = submissions.entry_id \
         AND later.status = 'approved' AND later.id > submissions.id)",
    );
    su::table
        .inner_join(e::table.on(su::entry_id.eq(e::id.nullable())))
        .filter(su::status.eq(approved))
        .filter(su::sender_erased_at.is_null())
        .filter(
            su::reminded_at
                .is_null()
                .or(su::reminded_at.lt(reminded_before)),
        )
        .filter(e::status.eq(lieu_core::entry::Status::Published.as_str()))
        .filter(e::verified_at.lt(verified_before))
        .filter(no_later_approval)
        .order((e::verified_at.asc(), su::id.asc()))
        .limit(limit)
        .select((Submission::as_select(), Entry::as_select()))
        .load(conn)
}

/// Records that the sender was asked, with the message (enqueued in the same transaction via
/// crate::mail::enqueue): the sender is asked again only once the delay has passed from now.
pub fn mark_reminded(
    conn: &mut DbConn,
    id: i32,
    mail: &NewMail,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let changed = diesel::update(su::table.find(id))
        .set(su::reminded_at.eq(Some(now)))
        .execute(conn)?;
    if changed != 1 {
        return Err(StoreError::NotFound);
    }
    mail::enqueue(conn, mail, now)?;
    Ok(())
}

/// The sender says through their private link that the entry is still right: the entry's
/// verified date becomes `now` (crate::models::entries::set_verified), audit_log row
/// "entry.verify_by_sender" with target the entry slug and detail "submission:{id}".
/// Err(NotFound) when the submission is not approved or has no entry.
pub fn confirm_still_valid(
    conn: &mut DbConn,
    id: i32,
    now: NaiveDateTime,
) -> StoreResult<crate::models::entries::Entry> {
    use crate::models::entries;
    let submission = by_id(conn, id)?.ok_or(StoreError::NotFound)?;
    if submission.status() != Some(SubmissionStatus::Approved) {
        return Err(StoreError::NotFound);
    }
    let entry_id = submission.entry_id.ok_or(StoreError::NotFound)?;
    if entries::set_verified(conn, entry_id, now)? != 1 {
        return Err(StoreError::NotFound);
    }
    let entry = entries::by_id(conn, entry_id)?.ok_or(StoreError::NotFound)?;
    audit_log::record(
        conn,
        None,
        "entry.verify_by_sender",
        &entry.slug,
        &format!("submission:{id}"),
    )?;
    Ok(entry)
}

/// Gives submission `id` a new private link (its digest): each message to the sender carries
/// a fresh link, since only digests are kept, and the older link stops opening it. In the
/// caller's transaction, with the decision the message tells of.
pub fn replace_token(conn: &mut DbConn, id: i32, digest: &str) -> StoreResult<()> {
    let changed = diesel::update(su::table.find(id))
        .set(su::token_digest.eq(digest))
        .execute(conn)?;
    if changed != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
