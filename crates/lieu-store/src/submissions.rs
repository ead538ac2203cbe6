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
