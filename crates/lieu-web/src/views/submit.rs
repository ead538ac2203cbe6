//! The referencing form, for local actors without an account: choosing what to propose, the
//! form (the entry's fields, as agents have them, and the sender's), and the sender's private
//! page that follows the submission.

use super::directory::{FormView, entry_fields, entry_url, kind_label};
use crate::extract::PageCtx;
use crate::i18n::{t, words};
use crate::territory::Territory;
use crate::views::form::input;
use crate::views::{
    PageOptions, csrf_field, error_summary, field_aria, field_error, layout, layout_with, time,
};
use lieu_core::Invalid;
use lieu_core::entry::{CONTRACTS, EntryForm, HELP_MODES, HOUSING_TYPES, Kind};
use lieu_core::submission::SubmissionStatus;
use lieu_core::vocab;
use lieu_store::models::entries::Entry;
use lieu_store::submissions::{SenderContact, Submission};
use maud::{Markup, html};

/// The address of the form, of a correction of `entry`, and of a sender's private page.
pub const FORM_PATH: &str = "/referencer";

pub fn correction_url(entry_id: i32) -> String {
    format!("{FORM_PATH}?fiche={entry_id}")
}

/// The form of an update of entry `entry_id` by the sender of private link `token` (their
/// contact filled in).
pub fn update_url(entry_id: i32, token: &str) -> String {
    format!("{}&suivi={token}", correction_url(entry_id))
}

pub fn tracking_path(token: &str) -> String {
    format!("/suivi/{token}")
}

/// A private link sent by e-mail (a sender's tracking link, an invitation, a password reset):
/// the token travels in the message and only its digest is kept, so each
/// message carries a new link that replaces the one before.
pub struct PrivateLink {
    token: String,
    pub digest: String,
}

impl PrivateLink {
    pub fn new() -> PrivateLink {
        let token = lieu_core::auth::random_token();
        PrivateLink {
            digest: lieu_core::auth::token_digest(&token),
            token,
        }
    }

    /// `/suivi/<token>`.
    pub fn path(&self) -> String {
        tracking_path(&self.token)
    }

    pub fn token(&self) -> &str {
        &self.token
    }
}

impl Default for PrivateLink {
    fn default() -> Self {
        Self::new()
    }
}

/// « une association », « une offre d’emploi »...
pub fn kind_with_article(kind: Kind) -> &'static str {
    t(match kind {
        Kind::Service => "submit.a.service",
        Kind::Association => "submit.a.association",
        Kind::Job => "submit.a.job",
        Kind::Housing => "submit.a.housing",
        Kind::Event => "submit.a.event",
    })
}

/// What to propose: the five kinds, each with what it is for.
pub fn choose(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("submit.title"),
        html! {
            h1 { (t("submit.title")) }
            p.chapo { (t("submit.intro")) }
            ol.etapes {
                li { (t("submit.step1")) }
                li { (t("submit.step2")) }
                li { (t("submit.step3")) }
            }
            h2 { (t("submit.choose")) }
            ul.choix-type {
                @for kind in Kind::ALL {
                    li {
                        a href={ (FORM_PATH) "?type=" (kind.as_str()) } {
                            strong { (kind_label(kind)) }
                            span { (t(&format!("submit.kind_hint.{}", kind.as_str()))) }
                        }
                    }
                }
            }
            p {
                (t("submit.guide_before")) " "
                a href=(super::search::LISTING_PAGE) { (t("submit.guide_link")) } "."
            }
        },
    )
}

/// Why a sent form comes back without being recorded, besides errors in its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The page was open too long (or the server restarted): its security token is no longer
    /// valid.
    Expired,
    /// The browser sent no cookie: it refuses them, and the form cannot be checked.
    NoCookie,
    /// Sent faster than a person fills a form.
    TooFast,
    /// The hidden field that people do not see was filled.
    Trap,
    /// Too many submissions from this connection; minutes to wait.
    TooMany(u64),
    /// The submission changed since the page was opened (the sender's own correction in
    /// another tab, or an agent's decision).
    Changed,
}

/// The form as shown: to propose (`sender` editable) or to correct a submission (`sender`
/// none: the sender is known).
pub struct SubmitForm<'a> {
    pub fields: FormView<'a>,
    /// Where the form is sent.
    pub action: String,
    pub heading: String,
    pub sender: Option<&'a SenderContact>,
    pub consent: bool,
    /// Signed moment the form was shown (see `handlers::submit::Stamp`).
    pub stamp: &'a str,
    pub notice: Option<Notice>,
    /// The entry a correction proposes to change.
    pub target: Option<&'a Entry>,
    /// The version of the submission a correction was opened on.
    pub version: Option<i32>,
    /// Months the sender's data is kept after a refusal or a withdrawal.
    pub keep_months: i64,
}

fn notice(n: Notice) -> Markup {
    let (class, text) = match n {
        Notice::Expired => ("alerte-attention", t("submit.notice.expired").to_owned()),
        Notice::NoCookie => ("alerte-attention", t("submit.notice.no_cookie").to_owned()),
        Notice::TooFast => ("alerte-attention", t("submit.notice.too_fast").to_owned()),
        Notice::Trap => ("alerte-attention", t("submit.notice.trap").to_owned()),
        Notice::TooMany(minutes) => (
            "alerte-erreur",
            t("submit.notice.too_many").replace("{minutes}", &minutes.to_string()),
        ),
        Notice::Changed => ("alerte-attention", t("submit.notice.changed").to_owned()),
    };
    html! { div class={ "alerte " (class) } role="alert" { p { (text) } } }
}

pub fn form(ctx: &PageCtx, v: &SubmitForm<'_>) -> Markup {
    let invalid = v.fields.invalid;
    layout_with(
        ctx,
        &v.heading,
        PageOptions {
            noindex: v.version.is_some(),
            ..PageOptions::default()
        },
        html! {
            h1 { (v.heading) }
            @if let Some(n) = v.notice { (notice(n)) }
            @if let Some(entry) = v.target {
                p { (t("submit.correcting")) " " a href=(entry_url(entry)) { (entry.title) } "." }
            }
            (error_summary(invalid))
            p.aide { (t("form.required_note")) }
            form.formulaire method="post" action=(v.action) novalidate {
                (csrf_field(ctx))
                input type="hidden" name="type" value=(v.fields.kind.as_str());
                input type="hidden" name="debut" value=(v.stamp);
                @if let Some(entry) = v.target { input type="hidden" name="fiche" value=(entry.id); }
                @if let Some(version) = v.version { input type="hidden" name="version" value=(version); }
                (entry_fields(&v.fields))
                @if let Some(sender) = v.sender {
                    fieldset {
                        legend { (t("submit.sender")) }
                        p.aide { (t("submit.sender_hint")) }
                        (input(invalid, "sender_name", t("field.sender_name"), &sender.name, "text", true, None))
                        (input(invalid, "sender_organisation", t("field.sender_organisation"), &sender.organisation, "text", false, None))
                        (input(invalid, "sender_email", t("field.sender_email"), &sender.email, "email", true, Some(t("hint.sender_email"))))
                        (input(invalid, "sender_phone", t("field.sender_phone"), &sender.phone, "tel", false, None))
                    }
                    // A field people never see: a robot filling every field fills it too.
                    div.piege aria-hidden="true" {
                        label for="champ-site_internet_2" { (t("submit.trap_label")) }
                        input #champ-site_internet_2 type="text" name="site_internet_2" value="" tabindex="-1" autocomplete="off";
                    }
                    (consent(invalid, v.consent, v.keep_months))
                }
                div.boutons {
                    button.bouton type="submit" { (t(if v.version.is_some() { "submit.send_correction" } else { "submit.send" })) }
                }
            }
        },
    )
}

fn consent(invalid: Option<&Invalid>, checked: bool, keep_months: i64) -> Markup {
    let (error_id, aria_invalid) = field_aria(invalid, "consent");
    html! {
        fieldset {
            legend { (t("submit.privacy")) }
            p { (t("submit.retention").replace("{months}", &keep_months.to_string())) " "
                a href="/wiki/donnees-personnelles" { (t("submit.privacy_link")) } "." }
            (field_error(invalid, "consent"))
            div.champ.case {
                input #champ-consent type="checkbox" name="consent" value="oui" checked[checked] required
                    aria-describedby=[error_id] aria-invalid=[aria_invalid];
                label for="champ-consent" { (t("submit.consent")) " " span.obligatoire { (t("form.required")) } }
            }
        }
    }
}

/// The proposed fields as the entry would show them: (label, value) of each field given.
pub fn proposed_rows(
    kind: Kind,
    f: &EntryForm,
    territory: &Territory,
) -> Vec<(&'static str, String)> {
    fn pair_label(list: &'static [(&'static str, &'static str)], v: &str) -> String {
        words::label(list, v).map_or_else(|| v.to_owned(), str::to_owned)
    }
    fn pairs_label(list: &'static [(&'static str, &'static str)], vs: &[String]) -> String {
        vs.iter()
            .map(|v| pair_label(list, v))
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn terms_label(list: &[vocab::Term], vs: &[String]) -> String {
        vs.iter()
            .map(|v| words::term(list, v).to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }
    let commune = territory
        .commune(&f.commune)
        .map_or_else(|| f.commune.clone(), |c| c.name.clone());
    let categories = f
        .categories
        .iter()
        .map(|slug| {
            territory
                .categories(kind)
                .iter()
                .find(|c| &c.slug == slug)
                .map_or_else(|| slug.clone(), |c| c.label.clone())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows = vec![
        ("field.title", f.title.clone()),
        ("field.summary", f.summary.clone()),
        ("field.commune", commune),
        ("field.address", f.address.clone()),
        ("field.categories", categories),
        ("field.description", f.description.clone()),
    ];
    match kind {
        Kind::Service => rows.extend([
            ("field.organisation", f.organisation.clone()),
            ("field.opening_hours", f.opening_hours.clone()),
            ("field.help_modes", pairs_label(HELP_MODES, &f.help_modes)),
            ("field.publics", terms_label(vocab::publics(), &f.publics)),
            (
                "field.fees",
                terms_label(vocab::frais(), std::slice::from_ref(&f.fees)),
            ),
            ("field.fees_details", f.fees_details.clone()),
            (
                "field.reception",
                terms_label(vocab::modes_accueil(), &f.reception),
            ),
            ("field.accessibility", f.accessibility.clone()),
            ("field.themes", terms_label(vocab::thematiques(), &f.themes)),
        ]),
        Kind::Association => rows.extend([
            ("field.activities", f.activities.clone()),
            ("field.meeting_times", f.meeting_times.clone()),
            ("field.membership_fee", f.membership_fee.clone()),
            ("field.publics", terms_label(vocab::publics(), &f.publics)),
        ]),
        Kind::Job => rows.extend([
            ("field.employer", f.employer.clone()),
            ("field.contract", pair_label(CONTRACTS, &f.contract)),
            ("field.working_hours", f.working_hours.clone()),
            ("field.salary", f.salary.clone()),
            ("field.how_to_apply", f.how_to_apply.clone()),
            ("field.published_on", f.published_on.clone()),
            ("field.expires_on", f.expires_on.clone()),
        ]),
        Kind::Housing => rows.extend([
            (
                "field.housing_type",
                pair_label(HOUSING_TYPES, &f.housing_type),
            ),
            ("field.rent", f.rent.clone()),
            ("field.charges", f.charges.clone()),
            ("field.surface", f.surface.clone()),
            ("field.rooms", f.rooms.clone()),
            (
                "field.furnished",
                if f.furnished == "oui" {
                    t("yes").to_owned()
                } else {
                    String::new()
                },
            ),
            ("field.available_from", f.available_from.clone()),
            ("field.expires_on", f.expires_on.clone()),
        ]),
        Kind::Event => rows.extend([
            ("field.starts_at", f.starts_at.replace('T', " ")),
            ("field.ends_at", f.ends_at.replace('T', " ")),
            ("field.weekly_until", f.weekly_until.clone()),
            ("field.organiser", f.organiser.clone()),
            ("field.price", f.price.clone()),
            ("field.booking", f.booking.clone()),
        ]),
    }
    rows.extend([
        ("field.contact_name", f.contact_name.clone()),
        ("field.phone", f.phone.clone()),
        ("field.email", f.email.clone()),
        ("field.website", f.website.clone()),
    ]);
    rows.into_iter()
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect()
}

/// The proposed entry, field by field (the fields left empty are not shown).
pub fn proposed(rows: &[(&'static str, String)]) -> Markup {
    html! {
        dl.proposition {
            @for (label, value) in rows.iter().filter(|(_, v)| !v.is_empty()) {
                dt { (t(label)) }
                dd { (value) }
            }
        }
    }
}

/// Where a submission stands, in the sender's words.
pub fn status_label(status: SubmissionStatus) -> &'static str {
    t(match status {
        SubmissionStatus::Waiting => "submission.status.waiting",
        SubmissionStatus::ChangesRequested => "submission.status.changes_requested",
        SubmissionStatus::Approved => "submission.status.approved",
        SubmissionStatus::Rejected => "submission.status.rejected",
        SubmissionStatus::Withdrawn => "submission.status.withdrawn",
    })
}

/// What the sender's private page says after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Sent,
    Corrected,
    Withdrawn,
    StillValid,
}

pub struct Tracking<'a> {
    pub submission: &'a Submission,
    pub token: &'a str,
    pub rows: Vec<(&'static str, String)>,
    pub done: Option<Done>,
    /// The published entry, once approved (or the entry a correction targets).
    pub entry: Option<&'a Entry>,
    pub keep_months: i64,
}

/// The sender's private page: where the submission stands, what was sent, what can be done.
pub fn tracking(ctx: &PageCtx, v: &Tracking<'_>) -> Markup {
    let s = v.submission;
    let status = s.status().unwrap_or(SubmissionStatus::Waiting);
    let base = tracking_path(v.token);
    layout_with(
        ctx,
        t("tracking.title"),
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            @match v.done {
                Some(Done::Sent) => div.alerte.alerte-succes role="status" {
                    h2 { (t("tracking.sent_title")) }
                    p { (t("tracking.sent")) }
                    @if !s.sender_email.is_empty() {
                        p { (t("tracking.mail_sent_to")) " " strong { (s.sender_email) } ". " (t("tracking.wrong_address")) }
                    }
                    p { (t("tracking.keep_link")) }
                },
                Some(Done::Corrected) => div.alerte.alerte-succes role="status" { p { (t("tracking.corrected")) } },
                Some(Done::Withdrawn) => div.alerte.alerte-succes role="status" {
                    p { (t("tracking.withdrawn").replace("{months}", &v.keep_months.to_string())) }
                },
                Some(Done::StillValid) => div.alerte.alerte-succes role="status" { p { (t("tracking.still_valid_done")) } },
                None => {},
            }
            h1 { (t("tracking.title")) (crate::i18n::colon()) " " (crate::i18n::quoted(&s.title)) }
            p.statut { (t("tracking.status")) " " strong { (status_label(status)) } }
            p { (t("tracking.sent_on")) " " (time(s.created_at)) }
            @match status {
                SubmissionStatus::Waiting => p { (t("tracking.waiting_explain")) },
                SubmissionStatus::ChangesRequested => div.alerte.alerte-attention {
                    h2 { (t("tracking.changes_title")) }
                    blockquote.message-agent { (s.decision_message) }
                },
                SubmissionStatus::Approved => @if let Some(entry) = v.entry {
                    p { (t("tracking.approved_explain")) " " a href=(entry_url(entry)) { (entry.title) } "." }
                },
                SubmissionStatus::Rejected => div.alerte.alerte-info {
                    p { (t("tracking.rejected_explain")) " "
                        (s.reject_reason().map_or("", crate::i18n::words::reject_reason)) }
                    @if !s.decision_message.is_empty() { blockquote.message-agent { (s.decision_message) } }
                },
                SubmissionStatus::Withdrawn => p { (t("tracking.withdrawn_explain")) },
            }
            @if status.is_open() {
                ul.actions-fiche {
                    li { a.bouton href={ (base) "/corriger" } { (t("tracking.correct")) } }
                    li { a href={ (base) "/retirer" } { (t("tracking.withdraw")) } }
                }
            } @else if status == SubmissionStatus::Approved {
                @if let Some(entry) = v.entry {
                    ul.actions-fiche {
                        li { a.bouton href={ (base) "/toujours-valide" } { (t("tracking.still_valid")) } }
                        li { a href=(update_url(entry.id, v.token)) { (t("tracking.update")) } }
                    }
                }
            }
            @if s.sender_erased_at.is_none() {
                section aria-labelledby="lieu_envoye" {
                    h2 #lieu_envoye { (t("tracking.what_was_sent")) }
                    (proposed(&v.rows))
                }
            }
            p.aide { (t("tracking.private")) }
        },
    )
}

/// Confirms an action of the sender on their submission (withdraw; still valid).
pub fn confirm(
    ctx: &PageCtx,
    title: &str,
    explain: &str,
    action: &str,
    button: &str,
    back: &str,
    version: i32,
) -> Markup {
    layout_with(
        ctx,
        title,
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            h1 { (title) }
            p { (explain) }
            form.formulaire method="post" action=(action) {
                (csrf_field(ctx))
                input type="hidden" name="version" value=(version);
                div.boutons {
                    button.bouton type="submit" { (button) }
                    a href=(back) { (t("edit.cancel")) }
                }
            }
        },
    )
}

/// A private link that leads nowhere (mistyped, or the submission's data erased).
pub fn unknown_link(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("tracking.unknown_title"),
        html! {
            h1 { (t("tracking.unknown_title")) }
            p { (t("tracking.unknown")) }
            p { a href=(FORM_PATH) { (t("submit.title")) } }
        },
    )
}
