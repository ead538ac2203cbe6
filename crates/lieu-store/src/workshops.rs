//! Workshops and their sandboxes. A workshop has one practice account per seat (role
//! `trainee`, ending with the workshop's day) and a sandbox of its own: practice pages, practice
//! submissions, a practice mailbox, and a practice space of the exchange (threads whose
//! subject is the workshop, see [`crate::exchange`]).
//!
//! The sandbox is walled off by construction: nothing here writes to `pages`, `revisions`,
//! `submissions`, `entries`, `index_outbox` or `mail_outbox`, so no practice edit reaches the
//! search, the real directory, the real queue or anyone's mailbox.
//!
//! Every function runs in the caller's transaction ([`crate::Store::write`] for writes), and
//! records the trainer's actions in the audit log.

use crate::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::mail::NewMail;
use crate::models::audit_log;
use crate::schema::{
    exchange_subscriptions as sub, exchange_threads as et, practice_mail as pm,
    practice_pages as pp, practice_submissions as ps, users as u, workshop_seats as ws,
    workshops as w,
};
use crate::wiki::Author;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::page::{PageDraft, ValidPage};
use lieu_core::submission::{Decision, SubmissionStatus};
use lieu_core::workshop::{
    PracticeMailId, PracticePageId, PracticeSubmissionId, ValidWorkshop, WorkshopId,
};
use lieu_core::{Role, UserId};
use lieu_markdown::{Labels, RenderContext};
use std::collections::HashSet;
use std::path::Path;

/// The folder of workshop material inside the content folder.
pub const MATERIAL_FOLDER: &str = "ateliers";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = w)]
pub struct Workshop {
    pub id: i32,
    pub title: String,
    pub day: NaiveDate,
    pub participants: i32,
    pub trainer_id: Option<i32>,
    pub plan_json: String,
    pub ends_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub reset_at: Option<NaiveDateTime>,
}

impl Workshop {
    pub fn workshop_id(&self) -> WorkshopId {
        WorkshopId(self.id)
    }

    /// The starting pages (file names in the material folder), in the day's order.
    pub fn plan(&self) -> Vec<String> {
        serde_json::from_str(&self.plan_json).unwrap_or_default()
    }

    /// Whether the day is over at `now`: the practice accounts no longer work.
    pub fn is_over(&self, now: NaiveDateTime) -> bool {
        lieu_core::workshop::is_over(self.ends_at, now)
    }

    pub fn is_run_by(&self, user: UserId) -> bool {
        self.trainer_id == Some(user.0)
    }
}

/// A page of the material folder: a starting page a workshop may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    /// Its file name (`atelier-adresse-e-mail.md`), the key a workshop's plan keeps.
    pub file: String,
    pub page: ValidPage,
}

/// The Markdown files of `<content_dir>/ateliers`, sorted by file name, parsed as the import
/// parses content files. A file that cannot be read or parsed is left out (and logged): one
/// broken page must not keep a trainer from preparing a workshop. No folder: no material.
pub fn read_material(content_dir: &Path) -> Vec<Material> {
    let dir = content_dir.join(MATERIAL_FOLDER);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let file = path.file_name()?.to_str()?.to_owned();
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| lieu_core::content::parse(&text).map_err(|e| e.to_string()))
                .and_then(|(matter, body)| {
                    PageDraft {
                        title: matter.title,
                        body,
                        summary: String::new(),
                    }
                    .validate()
                    .map_err(|e| e.to_string())
                });
            match parsed {
                Ok(page) => Some(Material { file, page }),
                Err(error) => {
                    tracing::warn!(file = %path.display(), %error, "workshop material left out");
                    None
                }
            }
        })
        .collect()
}

/// The material of `plan` (file names), in its order; files gone from the folder are skipped.
pub fn material_of_plan(all: &[Material], plan: &[String]) -> Vec<Material> {
    plan.iter()
        .filter_map(|file| all.iter().find(|m| &m.file == file).cloned())
        .collect()
}

/// A workshop to write.
#[derive(Debug, Clone)]
pub struct NewWorkshop<'a> {
    pub workshop: &'a ValidWorkshop,
    pub trainer: &'a Author,
    /// One per seat, in order: the password printed on its card and its hash
    /// (`lieu_core::auth::hash_password`, computed before the transaction: it is slow).
    pub seats: &'a [(String, String)],
    /// The practice accounts' names are this and their seat number (« Participant 3 »): the
    /// words are the web layer's.
    pub trainee_name: &'a str,
    /// The starting pages chosen, in the day's order.
    pub material: &'a [Material],
}

/// Creates the workshop, one trainee account and seat per participant (ending at the end of
/// the day), and its starting sandbox pages, in the caller's transaction.
pub fn create(
    conn: &mut DbConn,
    new: &NewWorkshop<'_>,
    now: NaiveDateTime,
) -> StoreResult<Workshop> {
    let v = new.workshop;
    if usize::try_from(v.participants).ok() != Some(new.seats.len()) {
        return Err(StoreError::Invalid(lieu_core::Invalid::single(
            "participants",
            "workshop_participants_range",
        )));
    }
    let plan: Vec<&str> = new.material.iter().map(|m| m.file.as_str()).collect();
    let plan_json = serde_json::to_string(&plan).unwrap_or_else(|_| "[]".into());
    let ends_at = lieu_core::workshop::end_of_day(v.day);
    let values = (
        w::title.eq(&v.title),
        w::day.eq(v.day),
        w::participants.eq(v.participants),
        w::trainer_id.eq(new.trainer.id.map(|i| i.0)),
        w::plan_json.eq(&plan_json),
        w::ends_at.eq(ends_at),
        w::created_at.eq(now),
    );
    let id = crate::conn::insert_returning_id!(conn, w::table, values, w::id)?;
    let workshop = WorkshopId(id);
    for (number, (password, hash)) in (1..).zip(new.seats) {
        let login = lieu_core::workshop::trainee_login(workshop, number);
        let name = format!("{} {number}", new.trainee_name);
        diesel::insert_into(u::table)
            .values((
                u::email.eq(&login),
                u::name.eq(&name),
                u::role.eq(Role::Trainee.as_str()),
                u::password_hash.eq(hash),
                u::disabled.eq(0),
                u::created_at.eq(now),
                u::expires_at.eq(Some(ends_at)),
            ))
            .execute(conn)?;
        let user_id: i32 = u::table
            .filter(u::email.eq(&login))
            .select(u::id)
            .first(conn)?;
        diesel::insert_into(ws::table)
            .values((
                ws::workshop_id.eq(id),
                ws::number.eq(number),
                ws::user_id.eq(user_id),
                ws::card_password.eq(password),
            ))
            .execute(conn)?;
    }
    insert_starting_pages(conn, workshop, new.material, new.trainer, now)?;
    audit_log::record(
        conn,
        new.trainer.id,
        "workshop.create",
        &target(workshop),
        &format!("{} {}", v.day, v.participants),
    )?;
    by_id(conn, workshop)?.ok_or(StoreError::NotFound)
}

fn target(workshop: WorkshopId) -> String {
    format!("workshop:{workshop}")
}

fn insert_starting_pages(
    conn: &mut DbConn,
    workshop: WorkshopId,
    material: &[Material],
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<()> {
    // Inserted first, rendered after: links between starting pages then find each other.
    let mut seen = HashSet::new();
    for m in material {
        if !seen.insert(m.page.slug.clone()) {
            continue;
        }
        diesel::insert_into(pp::table)
            .values((
                pp::workshop_id.eq(workshop.0),
                pp::slug.eq(&m.page.slug),
                pp::title.eq(&m.page.title),
                pp::body.eq(&m.page.body),
                pp::html.eq(""),
                pp::revision_number.eq(1),
                pp::updated_by.eq(author.id.map(|i| i.0)),
                pp::updated_by_name.eq(&author.name),
                pp::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    for m in material {
        let html = render(conn, workshop, &m.page.body)?;
        diesel::update(
            pp::table
                .filter(pp::workshop_id.eq(workshop.0))
                .filter(pp::slug.eq(&m.page.slug)),
        )
        .set(pp::html.eq(html))
        .execute(conn)?;
    }
    Ok(())
}

/// Renders a practice page's Markdown: sanitized like a wiki page, its wiki links judged
/// against the pages of this sandbox (the web layer points them into the sandbox).
pub fn render(conn: &mut DbConn, workshop: WorkshopId, body: &str) -> StoreResult<String> {
    let first = lieu_markdown::render(body, &RenderContext::all_pages_exist());
    if first.wiki_links.is_empty() {
        return Ok(first.html);
    }
    let wanted: Vec<&str> = first.wiki_links.iter().map(String::as_str).collect();
    let existing: HashSet<String> = pp::table
        .filter(pp::workshop_id.eq(workshop.0))
        .filter(pp::slug.eq_any(&wanted))
        .select(pp::slug)
        .load(conn)?
        .into_iter()
        .collect();
    let exists = |slug: &str| existing.contains(slug);
    Ok(lieu_markdown::render(
        body,
        &RenderContext {
            page_exists: &exists,
            labels: Labels::FRENCH,
        },
    )
    .html)
}

pub fn by_id(conn: &mut DbConn, id: WorkshopId) -> QueryResult<Option<Workshop>> {
    w::table
        .find(id.0)
        .select(Workshop::as_select())
        .first(conn)
        .optional()
}

/// The workshop whose seat `user` holds (a practice account belongs to one workshop).
pub fn seat_of(conn: &mut DbConn, user: UserId) -> QueryResult<Option<(Workshop, i32)>> {
    ws::table
        .inner_join(w::table)
        .filter(ws::user_id.eq(user.0))
        .select((Workshop::as_select(), ws::number))
        .first(conn)
        .optional()
}

/// Whose workshops a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A trainer's own.
    Trainer(UserId),
    /// Every workshop (administrators).
    All,
}

/// A page of workshops, latest day first, keyset paging: `after` is the (day, id) of the last
/// row of the previous page. Read in the order of an index (`workshops_trainer`, or
/// `workshops_day` for all), so a deep page costs what the first costs.
pub fn list(
    conn: &mut DbConn,
    scope: Scope,
    after: Option<(NaiveDate, i32)>,
    limit: i64,
) -> QueryResult<Vec<Workshop>> {
    let mut query = w::table.into_boxed();
    if let Scope::Trainer(user) = scope {
        query = query.filter(w::trainer_id.eq(user.0));
    }
    if let Some((day, id)) = after {
        query = query
            .filter(w::day.le(day))
            .filter(w::day.lt(day).or(w::id.lt(id)));
    }
    query
        .order((w::day.desc(), w::id.desc()))
        .limit(limit)
        .select(Workshop::as_select())
        .load(conn)
}

/// What a login card prints.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Card {
    pub number: i32,
    /// The identifier typed at login.
    pub login: String,
    /// Empty once the workshop is over (wiped by [`wipe_card_passwords`]).
    pub password: String,
}

/// The seats of a workshop, in order, with what their cards print.
pub fn cards(conn: &mut DbConn, workshop: WorkshopId) -> QueryResult<Vec<Card>> {
    ws::table
        .inner_join(u::table)
        .filter(ws::workshop_id.eq(workshop.0))
        .order(ws::number.asc())
        .select((ws::number, u::email, ws::card_password))
        .load(conn)
}

/// Empties the printed passwords of the workshops whose day is over at `now`: their accounts
/// no longer work, and nothing needs them. Returns how many were wiped.
pub fn wipe_card_passwords(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<usize> {
    let over = w::table.filter(w::ends_at.le(now)).select(w::id);
    let wiped = diesel::update(
        ws::table
            .filter(ws::workshop_id.eq_any(over))
            .filter(ws::card_password.ne("")),
    )
    .set(ws::card_password.eq(""))
    .execute(conn)?;
    if wiped > 0 {
        audit_log::record(conn, None, "workshop.wipe_cards", "", &wiped.to_string())?;
    }
    Ok(wiped)
}

// ---------------------------------------------------------------------------------------------
// Practice pages

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = pp)]
pub struct PracticePage {
    pub id: i32,
    pub workshop_id: i32,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub html: String,
    pub revision_number: i32,
    pub updated_by: Option<i32>,
    pub updated_by_name: String,
    pub updated_at: NaiveDateTime,
}

impl PracticePage {
    pub fn page_id(&self) -> PracticePageId {
        PracticePageId(self.id)
    }
}

/// A page of the sandbox's pages, by slug (the order of its unique index), keyset paging:
/// `after` is the last slug of the previous page.
pub fn pages(
    conn: &mut DbConn,
    workshop: WorkshopId,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<PracticePage>> {
    let mut query = pp::table
        .filter(pp::workshop_id.eq(workshop.0))
        .into_boxed();
    if let Some(slug) = after {
        query = query.filter(pp::slug.gt(slug.to_owned()));
    }
    query
        .order(pp::slug.asc())
        .limit(limit)
        .select(PracticePage::as_select())
        .load(conn)
}

pub fn page(
    conn: &mut DbConn,
    workshop: WorkshopId,
    slug: &str,
) -> QueryResult<Option<PracticePage>> {
    pp::table
        .filter(pp::workshop_id.eq(workshop.0))
        .filter(pp::slug.eq(slug))
        .select(PracticePage::as_select())
        .first(conn)
        .optional()
}

/// Creates a sandbox page. `SlugTaken` when the sandbox has a page of that title already
/// (found by the unique index, so two trainees creating it at once cannot both succeed).
pub fn create_page(
    conn: &mut DbConn,
    workshop: WorkshopId,
    page: &ValidPage,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<PracticePage> {
    let html = render(conn, workshop, &page.body)?;
    diesel::insert_into(pp::table)
        .values((
            pp::workshop_id.eq(workshop.0),
            pp::slug.eq(&page.slug),
            pp::title.eq(&page.title),
            pp::body.eq(&page.body),
            pp::html.eq(html),
            pp::revision_number.eq(1),
            pp::updated_by.eq(author.id.map(|i| i.0)),
            pp::updated_by_name.eq(&author.name),
            pp::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| StoreError::slug_taken_if_unique(e, &page.slug))?;
    page_or_missing(conn, workshop, &page.slug)
}

fn page_or_missing(
    conn: &mut DbConn,
    workshop: WorkshopId,
    slug: &str,
) -> StoreResult<PracticePage> {
    page(conn, workshop, slug)?.ok_or(StoreError::NotFound)
}

/// What became of a sandbox edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticeSave {
    Saved(PracticePage),
    /// The text is the page's already: nothing written.
    Unchanged(PracticePage),
    /// Someone saved the page since `base_revision` was read: nothing written; the page as it
    /// is now, for the editor to compare with their text.
    Conflict(PracticePage),
}

/// Saves `body` over sandbox page `slug` if it is still at `base_revision`: the update names
/// the revision, so of two trainees saving at once the database lets one through and the
/// other is told.
pub fn edit_page(
    conn: &mut DbConn,
    workshop: WorkshopId,
    slug: &str,
    base_revision: i32,
    body: &str,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<PracticeSave> {
    let current = page_or_missing(conn, workshop, slug)?;
    if current.revision_number != base_revision {
        return Ok(PracticeSave::Conflict(current));
    }
    if current.body == body {
        return Ok(PracticeSave::Unchanged(current));
    }
    let html = render(conn, workshop, body)?;
    let next = base_revision.checked_add(1).ok_or(StoreError::Conflict)?;
    let changed = diesel::update(
        pp::table
            .filter(pp::id.eq(current.id))
            .filter(pp::revision_number.eq(base_revision)),
    )
    .set((
        pp::body.eq(body),
        pp::html.eq(html),
        pp::revision_number.eq(next),
        pp::updated_by.eq(author.id.map(|i| i.0)),
        pp::updated_by_name.eq(&author.name),
        pp::updated_at.eq(now),
    ))
    .execute(conn)?;
    let now_page = page_or_missing(conn, workshop, slug)?;
    Ok(if changed == 1 {
        PracticeSave::Saved(now_page)
    } else {
        PracticeSave::Conflict(now_page)
    })
}

// ---------------------------------------------------------------------------------------------
// Practice submissions

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ps)]
pub struct PracticeSubmission {
    pub id: i32,
    pub workshop_id: i32,
    pub kind: String,
    pub fields_json: String,
    pub title: String,
    pub sender_name: String,
    pub sender_email: String,
    pub status: String,
    pub version: i32,
    pub decision_message: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
}

impl PracticeSubmission {
    pub fn submission_id(&self) -> PracticeSubmissionId {
        PracticeSubmissionId(self.id)
    }

    pub fn status(&self) -> Option<SubmissionStatus> {
        SubmissionStatus::parse(&self.status)
    }

    pub fn kind(&self) -> Option<Kind> {
        self.kind.parse().ok()
    }

    pub fn form(&self) -> Option<EntryForm> {
        serde_json::from_str(&self.fields_json).ok()
    }
}

/// A practice submission to write: `form` passed the real form's validation.
#[derive(Debug, Clone)]
pub struct NewPracticeSubmission<'a> {
    pub workshop: WorkshopId,
    pub kind: Kind,
    pub form: &'a EntryForm,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub created_by: Option<UserId>,
}

/// Writes a practice submission, waiting in the workshop's practice queue, and the messages
/// that tell of it (`mails`, built from it) into the practice mailbox.
pub fn submit(
    conn: &mut DbConn,
    new: &NewPracticeSubmission<'_>,
    mails: impl FnOnce(&PracticeSubmission) -> Vec<NewMail>,
    now: NaiveDateTime,
) -> StoreResult<PracticeSubmission> {
    let fields = serde_json::to_string(new.form)
        .map_err(|e| StoreError::Pool(format!("practice submission fields: {e}")))?;
    let values = (
        ps::workshop_id.eq(new.workshop.0),
        ps::kind.eq(new.kind.as_str()),
        ps::fields_json.eq(fields),
        ps::title.eq(new.form.title.trim()),
        ps::sender_name.eq(new.sender_name.trim()),
        ps::sender_email.eq(new.sender_email.trim()),
        ps::status.eq(SubmissionStatus::Waiting.as_str()),
        ps::version.eq(1),
        ps::decision_message.eq(""),
        ps::created_by.eq(new.created_by.map(|i| i.0)),
        ps::created_at.eq(now),
    );
    let id = crate::conn::insert_returning_id!(conn, ps::table, values, ps::id)?;
    let created =
        submission(conn, new.workshop, PracticeSubmissionId(id))?.ok_or(StoreError::NotFound)?;
    for m in mails(&created) {
        write_mail(conn, new.workshop, &m, now)?;
    }
    Ok(created)
}

pub fn submission(
    conn: &mut DbConn,
    workshop: WorkshopId,
    id: PracticeSubmissionId,
) -> QueryResult<Option<PracticeSubmission>> {
    ps::table
        .filter(ps::id.eq(id.0))
        .filter(ps::workshop_id.eq(workshop.0))
        .select(PracticeSubmission::as_select())
        .first(conn)
        .optional()
}

/// A page of the practice queue with `status`, oldest first (as agents work), keyset paging
/// on the id: the order of the queue's index (workshop, status, id).
pub fn queue(
    conn: &mut DbConn,
    workshop: WorkshopId,
    status: SubmissionStatus,
    after: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<PracticeSubmission>> {
    let mut query = ps::table
        .filter(ps::workshop_id.eq(workshop.0))
        .filter(ps::status.eq(status.as_str()))
        .into_boxed();
    if let Some(id) = after {
        query = query.filter(ps::id.gt(id));
    }
    query
        .order(ps::id.asc())
        .limit(limit)
        .select(PracticeSubmission::as_select())
        .load(conn)
}

/// How many practice submissions have `status`, from the queue's index.
pub fn count(
    conn: &mut DbConn,
    workshop: WorkshopId,
    status: SubmissionStatus,
) -> QueryResult<i64> {
    ps::table
        .filter(ps::workshop_id.eq(workshop.0))
        .filter(ps::status.eq(status.as_str()))
        .count()
        .get_result(conn)
}

/// Why a practice decision was not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticeRefused {
    /// Decided already (the submission as it is now).
    Closed(Box<PracticeSubmission>),
    /// It changed since `version` was read.
    Stale(Box<PracticeSubmission>),
}

/// The trainer decides a practice submission seen at `version`, as an agent decides a real
/// one: approve, ask for changes (`message` says what) or refuse (`message` holds their
/// words; `detail` what the audit log keeps, such as the reason's code). A conditional update
/// on the version: of two decisions at once, the second is refused. The messages (`mails`,
/// built from the submission as decided) go to the practice mailbox. Approval publishes
/// nothing: the sandbox has no directory.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    conn: &mut DbConn,
    workshop: WorkshopId,
    id: PracticeSubmissionId,
    version: i32,
    decision: Decision,
    message: &str,
    detail: &str,
    trainer: Option<UserId>,
    mails: impl FnOnce(&PracticeSubmission) -> Vec<NewMail>,
    now: NaiveDateTime,
) -> StoreResult<Result<PracticeSubmission, PracticeRefused>> {
    let current = submission(conn, workshop, id)?.ok_or(StoreError::NotFound)?;
    let status = current.status().ok_or(StoreError::NotFound)?;
    let Ok(to) = status.decide(decision) else {
        return Ok(Err(PracticeRefused::Closed(Box::new(current))));
    };
    if current.version != version {
        return Ok(Err(PracticeRefused::Stale(Box::new(current))));
    }
    let next = version.checked_add(1).ok_or(StoreError::Conflict)?;
    let changed = diesel::update(
        ps::table
            .filter(ps::id.eq(id.0))
            .filter(ps::workshop_id.eq(workshop.0))
            .filter(ps::version.eq(version)),
    )
    .set((
        ps::status.eq(to.as_str()),
        ps::version.eq(next),
        ps::decision_message.eq(message.trim()),
        ps::decided_at.eq(Some(now)),
    ))
    .execute(conn)?;
    let after = submission(conn, workshop, id)?.ok_or(StoreError::NotFound)?;
    if changed != 1 {
        let open = after.status().is_some_and(SubmissionStatus::is_open);
        return Ok(Err(if open {
            PracticeRefused::Stale(Box::new(after))
        } else {
            PracticeRefused::Closed(Box::new(after))
        }));
    }
    audit_log::record(
        conn,
        trainer,
        &format!("practice_submission.{}", to.as_str()),
        &format!("practice_submission:{id}"),
        detail,
    )?;
    for m in mails(&after) {
        write_mail(conn, workshop, &m, now)?;
    }
    Ok(Ok(after))
}

// ---------------------------------------------------------------------------------------------
// Practice mailbox

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = pm)]
pub struct PracticeMail {
    pub id: i32,
    pub workshop_id: i32,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub created_at: NaiveDateTime,
}

impl PracticeMail {
    pub fn mail_id(&self) -> PracticeMailId {
        PracticeMailId(self.id)
    }
}

/// Puts a message in the practice mailbox. It is never sent: the mail sender reads only
/// `mail_outbox`.
pub fn write_mail(
    conn: &mut DbConn,
    workshop: WorkshopId,
    mail: &NewMail,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(pm::table)
        .values((
            pm::workshop_id.eq(workshop.0),
            pm::to_address.eq(&mail.to),
            pm::subject.eq(&mail.subject),
            pm::text_body.eq(&mail.text),
            pm::created_at.eq(now),
        ))
        .execute(conn)
}

/// A page of the practice mailbox, newest first, keyset paging: `before` is the id of the last
/// message of the previous page.
pub fn mailbox(
    conn: &mut DbConn,
    workshop: WorkshopId,
    before: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<PracticeMail>> {
    let mut query = pm::table
        .filter(pm::workshop_id.eq(workshop.0))
        .into_boxed();
    if let Some(id) = before {
        query = query.filter(pm::id.lt(id));
    }
    query
        .order(pm::id.desc())
        .limit(limit)
        .select(PracticeMail::as_select())
        .load(conn)
}

pub fn mail(
    conn: &mut DbConn,
    workshop: WorkshopId,
    id: PracticeMailId,
) -> QueryResult<Option<PracticeMail>> {
    pm::table
        .filter(pm::id.eq(id.0))
        .filter(pm::workshop_id.eq(workshop.0))
        .select(PracticeMail::as_select())
        .first(conn)
        .optional()
}

// ---------------------------------------------------------------------------------------------
// Reset

/// What a reset removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reset {
    pub pages: usize,
    pub submissions: usize,
    pub mails: usize,
    /// Threads of the practice exchange space (their posts, reports and notifications go
    /// with them).
    pub threads: usize,
    /// Starting pages written again.
    pub restored: usize,
}

/// Empties the sandbox (its pages, practice submissions, mailbox and exchange space) and
/// writes the starting pages again from `material` (the plan's files as they are now), in
/// the caller's transaction: the trainer's one click. The practice accounts are new again
/// to the exchange space: their next posts wait for the trainer's approval.
pub fn reset(
    conn: &mut DbConn,
    workshop: WorkshopId,
    material: &[Material],
    trainer: &Author,
    now: NaiveDateTime,
) -> StoreResult<Reset> {
    if by_id(conn, workshop)?.is_none() {
        return Err(StoreError::NotFound);
    }
    let pages = diesel::delete(pp::table.filter(pp::workshop_id.eq(workshop.0))).execute(conn)?;
    let submissions =
        diesel::delete(ps::table.filter(ps::workshop_id.eq(workshop.0))).execute(conn)?;
    let mails = diesel::delete(pm::table.filter(pm::workshop_id.eq(workshop.0))).execute(conn)?;
    let practice_threads = et::table
        .filter(et::subject_kind.eq(lieu_core::exchange::Subject::Workshop(0).kind()))
        .filter(et::subject_id.eq(workshop.0));
    let thread_ids: Vec<i32> = practice_threads.select(et::id).load(conn)?;
    for ids in thread_ids.chunks(500) {
        diesel::delete(
            sub::table
                .filter(sub::target_kind.eq(crate::notifications::Target::Thread(0).kind()))
                .filter(sub::target_id.eq_any(ids)),
        )
        .execute(conn)?;
    }
    // Posts, their revisions and reports, and notifications cascade with their threads.
    let threads = diesel::delete(practice_threads).execute(conn)?;
    let seated = ws::table
        .filter(ws::workshop_id.eq(workshop.0))
        .select(ws::user_id);
    diesel::update(u::table.filter(u::id.eq_any(seated)))
        .set(u::approved_posts.eq(0))
        .execute(conn)?;
    insert_starting_pages(conn, workshop, material, trainer, now)?;
    diesel::update(w::table.find(workshop.0))
        .set(w::reset_at.eq(Some(now)))
        .execute(conn)?;
    let report = Reset {
        pages,
        submissions,
        mails,
        threads,
        restored: material.len(),
    };
    audit_log::record(
        conn,
        trainer.id,
        "workshop.reset",
        &target(workshop),
        &format!(
            "pages={pages} submissions={submissions} mails={mails} threads={threads} restored={}",
            report.restored
        ),
    )?;
    Ok(report)
}
