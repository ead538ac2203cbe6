//! No input makes the site fail: hostile strings in every query parameter, form field and path
//! segment of every route, sent by an anonymous visitor, an editor, an agent, an admin, a
//! workshop's participant, on the workshops' pages its trainer, and on the exchange space's
//! pages a member (what changes or deletes one's own account is sent by accounts made for each
//! case), with a valid CSRF token (so that
//! the handler really runs) and with a forged one. Every answer must come back (a panic in a
//! handler drops the connection of the real server) with a status below 500. After a
//! successful POST the redirect is followed, so what was saved is also shown. A second test
//! checks that the table of routes probed is the site's (`crates/lieu-web/src/routes.rs`).
//!
//! The values come from proptest strategies and shrink through proptest's value trees, but the
//! loop that drives them is written here, for two reasons: the requests run inside actix's async
//! test runtime, which proptest's synchronous runner cannot await; and a run must report *every*
//! distinct failure (route and panic location), each shrunk to its smallest input, not only the
//! first one.
//!
//! Before the random cases, the inputs of the known bugs (`KNOWN`) are sent, so that every run
//! checks them however few its cases.
//!
//! Environment: `PROPTEST_CASES` (random cases, default 64 on SQLite, 16 on PostgreSQL) and
//! `PROPTEST_RNG_SEED` (a number; by default a fixed seed, so that two runs on the same code and
//! the same day send the same requests: a few dates are relative to today). No proptest
//! regression file is written; the databases live in temporary folders.

use actix_web::dev::Service;
use actix_web::http::{Method, StatusCode, header};
use actix_web::test::{self, TestRequest};
use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::submission::{Decision, RejectReason};
use lieu_core::{Role, auth};
use lieu_store::Store;
use lieu_store::models::{sessions, users};
use lieu_store::schema::{
    entries, pages, practice_mail, practice_pages, practice_submissions, submissions,
    workshop_seats,
};
use lieu_store::submissions::{self as subs, NewSubmission, SenderContact};
use lieu_store::{accounts, workshops};
use lieu_tests::{Backend, TestApp, on_both_backends};
use lieu_web::{AppState, WebConfig};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, ValueTree};
use proptest::string::string_regex;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Mutex, Once, OnceLock};

on_both_backends!(no_input_on_any_route_answers_5xx_or_drops_the_connection);

/// `ROUTES` is the table of `crates/lieu-web/src/routes.rs`: every route there (method and
/// path, whatever its parameters are called) is probed, and every route probed exists.
#[test]
fn the_table_holds_every_route_of_the_site() {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/lieu-web/src/routes.rs"),
    )
    .expect("read routes.rs");
    // `/wiki/{slug}` and `/wiki/{page}` are one route.
    let shape = |path: &str| {
        let mut out = String::new();
        let mut in_param = false;
        for ch in path.chars() {
            match ch {
                '{' => {
                    in_param = true;
                    out.push_str("{}");
                }
                '}' => in_param = false,
                _ if !in_param => out.push(ch),
                _ => {}
            }
        }
        out
    };
    let mut site: Vec<(Verb, String)> = Vec::new();
    // Each function of the file on its own: one that builds a `web::scope("/prefix")` has
    // its routes' paths written under that prefix.
    for function in source.split("\nfn ") {
        let prefix = function
            .split_once("web::scope(\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map_or("", |(prefix, _)| prefix);
        for chunk in function.split(".route(").skip(1) {
            let path = chunk
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split_once('"'))
                .map(|(path, _)| path)
                .unwrap_or_else(|| panic!("a path after `.route(`: {chunk:.80}"));
            let verb = match (chunk.find("web::get()"), chunk.find("web::post()")) {
                (Some(g), Some(p)) if g < p => Verb::Get,
                (Some(_), None) => Verb::Get,
                (_, Some(_)) => Verb::Post,
                (None, None) => panic!("no method for {path}"),
            };
            site.push((verb, shape(&format!("{prefix}{path}"))));
        }
    }
    assert!(site.len() > 100, "routes read: {}", site.len());
    let probed: Vec<(Verb, String)> = ROUTES
        .iter()
        .filter(|r| r.target != Target::Unknown)
        .map(|r| (r.verb, shape(r.path)))
        .collect();
    let missing: Vec<_> = site.iter().filter(|r| !probed.contains(r)).collect();
    assert!(missing.is_empty(), "routes not in ROUTES: {missing:?}");
    let unknown: Vec<_> = probed.iter().filter(|r| !site.contains(r)).collect();
    assert!(unknown.is_empty(), "ROUTES not in routes.rs: {unknown:?}");
    let mut seen = std::collections::BTreeSet::new();
    let twice: Vec<_> = probed
        .iter()
        .filter(|(v, p)| !seen.insert((format!("{v:?}"), p.clone())))
        .collect();
    assert!(twice.is_empty(), "routes twice in ROUTES: {twice:?}");
}

// ---------------------------------------------------------------------------------------------
// Fields: every name a route reads, with the shape of the values thrown at it.

/// The values of one field in one request: absent (empty), sent once, or repeated.
type Values = Vec<String>;

#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Short free text (titles, names, summaries).
    Text,
    /// Free text that may be very long (page bodies are limited to 200 KB; we send up to 300).
    Long,
    /// Markdown with wiki links and `{{annuaire …}}` embeds.
    Markdown,
    /// An amount typed in a text field (rent, surface…).
    Number,
    /// A field the handler parses as `i32` (a revision number): mostly values of that type, at
    /// its ends (a value that does not parse rejects the whole form, before the handler runs).
    I32,
    /// A field the handler parses as `i64` (a page number).
    I64,
    /// The version of a submission an action was decided on: mostly one of the first (so that
    /// the action is taken), else the ends of `i32`, or anything.
    Version,
    Date,
    DateTime,
    /// `YYYY-MM` of the agenda.
    Month,
    /// The events period of the lists.
    Period,
    /// A kind of entry (`service`, `event`…).
    Kind,
    Commune,
    /// A return address after login or after an action.
    Return,
    Email,
    Phone,
    Url,
    OpeningHours,
    /// One value of a closed list, or anything.
    OneOf(&'static [&'static str]),
    /// A multi-valued field (checkboxes): several values of a closed list, or anything.
    ManyOf(&'static [&'static str]),
    /// A path segment, already percent-encoded.
    Segment,
    /// Raw bytes appended to every query string, not encoded (percent-encoding junk).
    RawQuery,
    /// `1`: the request sends its first field twice.
    Flag,
    /// The signed moment of the referencing form: mostly [`STAMP`] (the site's own signature,
    /// made when the request is sent), or anything.
    Stamp,
    /// A new password: one that passes the rules, the accounts' own, too short, or anything
    /// (up to far more than the 256 characters a password may have).
    Password,
    /// The new password typed again: mostly [`SAME`] (the `password` of the request, so that
    /// the change goes through), else another password or anything.
    Confirm,
    /// The number of participants of a workshop. Each one is a practice account whose password
    /// is hashed (slow on purpose): mostly one or two, else out of range or not a number.
    Participants,
    /// The day of a new workshop: mostly one of the coming days (the workshop is made), else a
    /// [`Shape::Date`].
    WorkshopDay,
    /// The starting pages of a new workshop: mostly files of the material folder, else
    /// anything.
    Material,
    /// An address no account has yet (a number drawn in it), one of the list, or anything.
    NewEmail(&'static [&'static str]),
    /// What a watch button names: mostly pages and entries that exist, else junk.
    Watch,
}

struct FieldSpec {
    /// Unique key in this test (two routes may read the same wire name with other meanings).
    key: &'static str,
    /// Name in the query string or the form body.
    wire: &'static str,
    shape: Shape,
}

const fn field(key: &'static str, wire: &'static str, shape: Shape) -> FieldSpec {
    FieldSpec { key, wire, shape }
}

const CATEGORIES: &[&str] = &[
    "sante",
    "numerique",
    "sport",
    "culture",
    "marche",
    "atelier",
];
const THEME_GROUPS: &[&str] = &["numerique", "famille", "mobilite", "logement-hebergement"];
const THEMES: &[&str] = &[
    "numerique--acceder-a-des-services-en-ligne",
    "logement-hebergement--louer-un-logement",
    "famille--soutien-a-la-parentalite-et-a-leducation",
];
const PUBLICS: &[&str] = &["tous-publics", "familles", "seniors"];
const CONTRACTS: &[&str] = &["cdi", "cdd", "interim", "benevolat"];
const HOUSING_TYPES: &[&str] = &["appartement", "maison", "chambre", "colocation"];
const FEES: &[&str] = &["gratuit", "payant"];
const RECEPTION: &[&str] = &["en-presentiel", "a-distance"];
const HELP_MODES: &[&str] = &["sans-rendez-vous", "telephone", "sur-rendez-vous"];
const YES: &[&str] = &["1", "oui", "on", "0"];
const ACTIONS: &[&str] = &["save", "preview"];
const RETURN_TO_LIST: &[&str] = &["a-verifier"];
const SEARCH_KINDS: &[&str] = &["pages", "services", "emplois", "evenements", "job"];
const SYNONYMS_DONE: &[&str] = &["ajoute", "modifie", "supprime"];
const MAIL_STATES: &[&str] = &["en-attente", "en-cours", "envoyes", "echecs"];
const MAIL_DONE: &[&str] = &["essai", "reessai", "deja"];
const TRACKING_DONE: &[&str] = &["envoyee", "corrigee", "retiree", "verifiee"];
const SUBMISSION_STATES: &[&str] = &[
    "waiting",
    "changes_requested",
    "approved",
    "rejected",
    "withdrawn",
];
const AGES: &[&str] = &["2", "7", "30"];
const REJECT_REASONS: &[&str] = &[
    "duplicate",
    "outside_territory",
    "commercial",
    "incomplete",
    "against_rules",
    "other",
];
/// Private links that no submission has: 64 bytes (hex, other letters, accents), and one
/// byte short.
const UNKNOWN_TOKENS: &[&str] = &[
    "0000000000000000000000000000000000000000000000000000000000000000",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
    "éééééééééééééééééééééééééééééééé",
    "000000000000000000000000000000000000000000000000000000000000000",
];
/// `<seconds>.<id>` of the queue's pages: the ends of chrono's range, the first instant
/// PostgreSQL's timestamps hold and the one before, ids at the ends of `i32`.
const CURSORS: &[&str] = &[
    "1767225600.1",
    "8210266876799.1",
    "-8334601315200.1",
    "-210866889600.1",
    "-210866889601.1",
    "8210266876800.1",
    "1767225600.2147483647",
    "0.-2147483648",
    "9223372036854775807.1",
    "1.",
    ".1",
    ".",
    "1.1.1",
];
/// Accounts' pages.
const ROLES: &[&str] = &["editor", "trainer", "agent", "admin", "trainee", " ADMIN "];
const ACCOUNTS_DONE: &[&str] = &["invitation"];
const ACCOUNT_DONE: &[&str] = &["invitation", "role", "ferme", "ouvert"];
const OWN_DONE: &[&str] = &["bienvenue", "profil", "mot-de-passe", "role"];
/// Addresses the admins invite besides new ones: one invited again, the same in capitals,
/// one of this test's accounts (taken), one that is not an address.
const INVITED: &[&str] = &[
    "nouvelle@example.org",
    "Nouvelle@Example.ORG",
    "editor@example.org",
    "a@b",
];
/// Addresses of the forgotten-password form: accounts of this test (each gets a link), an
/// unknown one, a practice account's login.
const FORGOT: &[&str] = &[
    "editor@example.org",
    "agent@example.org",
    "inconnue@example.org",
    "atelier1-1",
];
/// Addresses an account gives itself besides new ones: taken by another account, in capitals.
const PROFILE_EMAILS: &[&str] = &[
    "nouvelle-adresse@example.org",
    "admin@example.org",
    "Nouvelle-Adresse@Example.org",
];
/// Passwords the rules accept.
const STRONG_PASSWORDS: &[&str] = &[
    "Le chat dort sur le radiateur depuis 2019",
    "velo-pomme-42 sous la pluie",
];
/// Other passwords: the accounts' current one, too short, one letter ten times.
const WEAK_PASSWORDS: &[&str] = &[lieu_tests::PASSWORD, "court", "éééééééééé"];
/// The current password asked before a change: the right one, or not.
const CURRENT: &[&str] = &[lieu_tests::PASSWORD, "mauvais mot de passe"];
/// Stands for the `password` of the same request, in a `password2` field.
const SAME: &str = "<same>";
/// What the watch button names: pages and entries of the demo.
const WATCH_TARGETS: &[&str] = &["page:1", "page:3", "entry:1", "entry:7"];
/// Ids that exist nowhere, and junk.
const WATCH_JUNK: &[&str] = &[
    "page:0",
    "entry:-1",
    "page:2147483647",
    "entry:-2147483648",
    "page:99999999999",
    "page:",
    ":1",
    "page:1:2",
    "revision:1",
    "PAGE:1",
];
const WATCH_ACTIONS: &[&str] = &["suivre", "arreter"];
/// Notifications of the exchange space (issue 12): what one follows (some exist, some do
/// not), the e-mail preferences, the notices of the notifications page.
const FOLLOW_TARGETS: &[&str] = &[
    "category:1",
    "category:3",
    "thread:1",
    "page:1",
    "entry:1",
    "thread:0",
    "category:-1",
    "thread:2147483647",
    "workshop:1",
];
const NOTIFY_MODES: &[&str] = &["each", "daily", "none"];
/// `<unix seconds>-<id>` of the exchange space's lists of threads (issue 12): the ends of
/// chrono's range (and one past it), ids at the ends of `i32`, missing halves.
const THREAD_CURSORS: &[&str] = &[
    "1795000000-1",
    "8210266876799-2147483647",
    "8210266876800-1",
    "0-0",
    "1795000000--2147483648",
    "9223372036854775807-1",
    "-1",
    "1795000000-",
    "-",
    "1-2-3",
];
const NOTIFICATIONS_DONE: &[&str] = &["lues"];
/// Workshops' pages.
const WORKSHOP_DONE: &[&str] = &["cree", "reinitialise"];
/// The files of `wiki-content/ateliers`.
const MATERIAL: &[&str] = &[
    "atelier-adresse-e-mail.md",
    "atelier-publier-un-evenement.md",
    "atelier-service-public.md",
    "guide-formateurs.md",
];
/// Files that are not there.
const NOT_MATERIAL: &[&str] = &[
    "../../../etc/passwd",
    "atelier-adresse-e-mail",
    "/etc/passwd",
    "ateliers/atelier-adresse-e-mail.md",
];
/// `<YYYY-MM-DD>.<id>` of the workshops' list: the ends of chrono's range and of `i32`,
/// impossible days, missing halves.
const DAY_CURSORS: &[&str] = &[
    "2026-12-01.1",
    "+262142-12-31.2147483647",
    "-262143-01-01.-2147483648",
    "2026-02-30.1",
    "9999-12-31.0",
    "2026-12-01.",
    ".1",
    ".",
    "2026-12-01.1.1",
    "2026-12-01.99999999999",
];
/// The last slug of a page of the sandbox's pages.
const SLUG_CURSORS: &[&str] = &["atelier-creer-une-adresse-e-mail", "a", "zzz", "%"];
const PARTICIPANTS: &[&str] = &["1", "2", "1", "0", "-1", "31", "1000000000000"];
const PARTICIPANT_EDGES: &[&str] = &[
    "2147483648",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e3",
    " 2 ",
    "deux",
    "١",
];

/// Members (issue 12): the notices of a member's page, durations of a suspension, what an
/// agent types to link an organisation, what becomes of a leaving account's posts, the
/// addresses residents sign up with besides new ones (this test's accounts: taken).
const MEMBER_DONE: &[&str] = &["suspendu", "leve", "masques", "organisation"];
const DAYS: &[&str] = &["1", "7", "3650", "0", "3651", "-1", "9223372036854775807"];
const ORGANISATIONS: &[&str] = &[
    "",
    "association/inexistante",
    "service/",
    "job/x",
    "/",
    "association/../../x",
];
/// The kinds a printed directory holds (`types`), and one it does not know.
const PAPER_KINDS: &[&str] = &[
    "services",
    "associations",
    "emplois",
    "logements",
    "evenements",
    "service",
];
const POSTS_CHOICES: &[&str] = &["garder", "effacer"];
/// The languages of the switch, and some it does not speak.
const LANGUAGES: &[&str] = &["en", "fr", "", "de", "EN", "en-GB"];
const SIGNUP_EMAILS: &[&str] = &["editor@example.org", "Agent@Example.org", "a@b"];

/// What the referencing form's trap holds when a person sends it.
const EMPTY: &[&str] = &[""];
const CONSENT: &[&str] = &["oui"];

/// Every field of every route. The entry form's fields are `lieu_core::entry::EntryForm`'s.
const FIELDS: &[FieldSpec] = &[
    // Query parameters.
    field("page", "page", Shape::I64),
    field("titre", "titre", Shape::Text),
    field("de", "de", Shape::I32),
    field("a", "a", Shape::I32),
    field("retour", "retour", Shape::Return),
    field("l", "l", Shape::OneOf(LANGUAGES)),
    field("retour@verify", "retour", Shape::OneOf(RETURN_TO_LIST)),
    field("commune", "commune", Shape::Commune),
    field("categorie", "categorie", Shape::OneOf(CATEGORIES)),
    field("theme", "theme", Shape::OneOf(THEME_GROUPS)),
    field("public", "public", Shape::OneOf(PUBLICS)),
    field("contrat", "contrat", Shape::OneOf(CONTRACTS)),
    field("type@list", "type", Shape::OneOf(HOUSING_TYPES)),
    field("types", "types", Shape::OneOf(PAPER_KINDS)),
    field("loyer_max", "loyer_max", Shape::Number),
    field("periode", "periode", Shape::Period),
    field("date", "date", Shape::Date),
    field("passes", "passes", Shape::OneOf(YES)),
    field("mois", "mois", Shape::Month),
    field("du", "du", Shape::Date),
    field("type", "type", Shape::Kind),
    field("q", "q", Shape::Text),
    field("type@search", "type", Shape::OneOf(SEARCH_KINDS)),
    field("raw_query", "", Shape::RawQuery),
    field("segment", "", Shape::Segment),
    field("duplicate", "", Shape::Flag),
    // Wiki and login forms.
    field("csrf", "csrf", Shape::Text),
    field("title", "title", Shape::Text),
    field("body", "body", Shape::Markdown),
    field("summary", "summary", Shape::Text),
    field("base_revision", "base_revision", Shape::I32),
    field("action", "action", Shape::OneOf(ACTIONS)),
    field("revision", "revision", Shape::I32),
    field("email", "email", Shape::Email),
    field("password", "password", Shape::Text),
    // The entry form (title, summary, commune, email, base_revision and type above).
    field("description", "description", Shape::Long),
    field("categories", "categories", Shape::ManyOf(CATEGORIES)),
    field("address", "address", Shape::Text),
    field("contact_name", "contact_name", Shape::Text),
    field("phone", "phone", Shape::Phone),
    field("website", "website", Shape::Url),
    field("publics", "publics", Shape::ManyOf(PUBLICS)),
    field("organisation", "organisation", Shape::Text),
    field("themes", "themes", Shape::ManyOf(THEMES)),
    field("fees", "fees", Shape::OneOf(FEES)),
    field("fees_details", "fees_details", Shape::Text),
    field("reception", "reception", Shape::ManyOf(RECEPTION)),
    field("opening_hours", "opening_hours", Shape::OpeningHours),
    field("accessibility", "accessibility", Shape::Text),
    field("help_modes", "help_modes", Shape::ManyOf(HELP_MODES)),
    field("activities", "activities", Shape::Long),
    field("membership_fee", "membership_fee", Shape::Text),
    field("meeting_times", "meeting_times", Shape::Text),
    field("employer", "employer", Shape::Text),
    field("contract", "contract", Shape::OneOf(CONTRACTS)),
    field("working_hours", "working_hours", Shape::Text),
    field("salary", "salary", Shape::Text),
    field("how_to_apply", "how_to_apply", Shape::Long),
    field("published_on", "published_on", Shape::Date),
    field("expires_on", "expires_on", Shape::Date),
    field("housing_type", "housing_type", Shape::OneOf(HOUSING_TYPES)),
    field("rent", "rent", Shape::Number),
    field("charges", "charges", Shape::Number),
    field("surface", "surface", Shape::Number),
    field("rooms", "rooms", Shape::Number),
    field("furnished", "furnished", Shape::OneOf(YES)),
    field("available_from", "available_from", Shape::Date),
    field("starts_at", "starts_at", Shape::DateTime),
    field("ends_at", "ends_at", Shape::DateTime),
    field("weekly_until", "weekly_until", Shape::Date),
    field("organiser", "organiser", Shape::Text),
    field("price", "price", Shape::Text),
    field("booking", "booking", Shape::Long),
    field("change_summary", "change_summary", Shape::Text),
    // The agents' search pages.
    field("groupe", "groupe", Shape::I32),
    field("deja", "deja", Shape::OneOf(YES)),
    field("fait", "fait", Shape::OneOf(SYNONYMS_DONE)),
    field("query", "query", Shape::Text),
    field("word", "word", Shape::Text),
    field("terms", "terms", Shape::Text),
    // The agents' page of the mail outbox.
    field("etat", "etat", Shape::OneOf(MAIL_STATES)),
    field("avant", "avant", Shape::I32),
    field("fait@mail", "fait", Shape::OneOf(MAIL_DONE)),
    field("to", "to", Shape::Email),
    // The referencing form and the sender's private link.
    field("fiche", "fiche", Shape::I32),
    field("suivi", "suivi", Shape::OneOf(UNKNOWN_TOKENS)),
    field("fait@tracking", "fait", Shape::OneOf(TRACKING_DONE)),
    field("debut", "debut", Shape::Stamp),
    field("version", "version", Shape::Version),
    field("site_internet_2", "site_internet_2", Shape::OneOf(EMPTY)),
    field("sender_name", "sender_name", Shape::Text),
    field("sender_organisation", "sender_organisation", Shape::Text),
    field("sender_email", "sender_email", Shape::Email),
    field("sender_phone", "sender_phone", Shape::Phone),
    field("consent", "consent", Shape::OneOf(CONSENT)),
    // The agents' review of submissions.
    field("etat@queue", "etat", Shape::OneOf(SUBMISSION_STATES)),
    field("anciennete", "anciennete", Shape::OneOf(AGES)),
    field("apres", "apres", Shape::OneOf(CURSORS)),
    field("entry_revision", "entry_revision", Shape::I32),
    field("message", "message", Shape::Long),
    field("reason", "reason", Shape::OneOf(REJECT_REASONS)),
    // The admins' accounts pages.
    field("apres@accounts", "apres", Shape::Email),
    field("fait@accounts", "fait", Shape::OneOf(ACCOUNTS_DONE)),
    field("fait@account", "fait", Shape::OneOf(ACCOUNT_DONE)),
    field("email@invite", "email", Shape::NewEmail(INVITED)),
    field("role", "role", Shape::OneOf(ROLES)),
    // Invitation and forgotten-password links, one's own account, the watch button.
    field("name", "name", Shape::Text),
    field("password@new", "password", Shape::Password),
    field("password2", "password2", Shape::Confirm),
    field("email@forgot", "email", Shape::OneOf(FORGOT)),
    field("fait@own", "fait", Shape::OneOf(OWN_DONE)),
    field("suivis", "suivis", Shape::Watch),
    field("pages", "pages", Shape::I32),
    field("fiches", "fiches", Shape::I32),
    field("email@profile", "email", Shape::NewEmail(PROFILE_EMAILS)),
    field("current", "current", Shape::OneOf(CURRENT)),
    field(
        "current_password",
        "current_password",
        Shape::OneOf(CURRENT),
    ),
    field("cible", "cible", Shape::Watch),
    field("action@watch", "action", Shape::OneOf(WATCH_ACTIONS)),
    // Workshops and their sandboxes.
    field("apres@workshops", "apres", Shape::OneOf(DAY_CURSORS)),
    field("day", "day", Shape::WorkshopDay),
    field("participants", "participants", Shape::Participants),
    field("material", "material", Shape::Material),
    field("fait@workshop", "fait", Shape::OneOf(WORKSHOP_DONE)),
    field("apres@sandbox", "apres", Shape::OneOf(SLUG_CURSORS)),
    field("apres@id", "apres", Shape::I32),
    field("base_revision@sandbox", "base_revision", Shape::Version),
    // Notifications of the exchange space (issue 12).
    field("apres@follows", "apres", Shape::OneOf(FOLLOW_TARGETS)),
    field(
        "fait@notifications",
        "fait",
        Shape::OneOf(NOTIFICATIONS_DONE),
    ),
    field("jusqua", "jusqua", Shape::I32),
    field("cible@follow", "cible", Shape::OneOf(FOLLOW_TARGETS)),
    field("notify_mail", "notify_mail", Shape::OneOf(NOTIFY_MODES)),
    // Members (issue 12).
    field("q@members", "q", Shape::Text),
    field("apres@members", "apres", Shape::Text),
    field("fait@member", "fait", Shape::OneOf(MEMBER_DONE)),
    field("org", "org", Shape::Text),
    field("avant@member", "avant", Shape::I32),
    field("email@signup", "email", Shape::NewEmail(SIGNUP_EMAILS)),
    field("days", "days", Shape::OneOf(DAYS)),
    field("until", "until", Shape::Date),
    field("reason@member", "reason", Shape::Text),
    field("hide_reason", "hide_reason", Shape::Text),
    field(
        "organisation@member",
        "organisation",
        Shape::OneOf(ORGANISATIONS),
    ),
    field("posts", "posts", Shape::OneOf(POSTS_CHOICES)),
    // The exchange space (issue 12).
    field("sans-reponse", "sans-reponse", Shape::OneOf(&["1"])),
    field("apres@exchange", "apres", Shape::OneOf(THREAD_CURSORS)),
    // The post after which a thread's page or the moderation queue goes on.
    field("apres@posts", "apres", Shape::I32),
    field("avant@exchange", "avant", Shape::I32),
    field("message@exchange", "message", Shape::I32),
    field("fin", "fin", Shape::OneOf(&["1"])),
    field("citer", "citer", Shape::I32),
    field(
        "erreur",
        "erreur",
        Shape::OneOf(&["deja-decide", "modifie-entre-temps"]),
    ),
    field(
        "kind@exchange",
        "kind",
        Shape::OneOf(&["question", "discussion"]),
    ),
    field("quote", "quote", Shape::I32),
    field("post", "post", Shape::I32),
    field("from", "from", Shape::I32),
    field("depuis", "depuis", Shape::I32),
    field("category", "category", Shape::OneOf(&["1", "2", "3"])),
    field(
        "action@moderate",
        "action",
        Shape::OneOf(&["lock", "unlock", "pin", "unpin", "move"]),
    ),
    field(
        "decision",
        "decision",
        Shape::OneOf(&[
            "approve",
            "reject",
            "hide",
            "restore",
            "hide_reported",
            "keep_reported",
        ]),
    ),
    field("reason@exchange", "reason", Shape::Text),
    field(
        "reason@report",
        "reason",
        Shape::OneOf(&["spam", "abuse", "personal_data", "off_topic", "other"]),
    ),
    field("detail", "detail", Shape::Long),
    field("back", "back", Shape::Return),
    field("file", "file", Shape::OneOf(&["signalements"])),
    field("held_posts", "held_posts", Shape::I32),
    field("edit_minutes", "edit_minutes", Shape::I32),
    field("report_threshold", "report_threshold", Shape::I32),
    field(
        "new_member_posts_per_hour",
        "new_member_posts_per_hour",
        Shape::I32,
    ),
    field("position", "position", Shape::I32),
    field("archived", "archived", Shape::OneOf(&["1"])),
];

/// The fields of the agents' entry form (`type` is sent apart: see [`Probe::entry_type`]).
const ENTRY_FORM: &[&str] = &[
    "title",
    "commune",
    "summary",
    "description",
    "categories",
    "address",
    "contact_name",
    "phone",
    "email",
    "website",
    "publics",
    "organisation",
    "themes",
    "fees",
    "fees_details",
    "reception",
    "opening_hours",
    "accessibility",
    "help_modes",
    "activities",
    "membership_fee",
    "meeting_times",
    "employer",
    "contract",
    "working_hours",
    "salary",
    "how_to_apply",
    "published_on",
    "expires_on",
    "housing_type",
    "rent",
    "charges",
    "surface",
    "rooms",
    "furnished",
    "available_from",
    "starts_at",
    "ends_at",
    "weekly_until",
    "organiser",
    "price",
    "booking",
    "change_summary",
    "base_revision",
];

const LIST_FILTERS: &[&str] = &[
    "commune",
    "categorie",
    "theme",
    "public",
    "contrat",
    "type@list",
    "loyer_max",
    "periode",
    "date",
    "passes",
    "page",
];

fn field_index(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.key == key)
        .unwrap_or_else(|| panic!("no field {key} in FIELDS"))
}

// ---------------------------------------------------------------------------------------------
// Routes: the table of `crates/lieu-web/src/routes.rs`, with what each handler reads.

/// What the `{…}` of a path stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// No path parameter.
    Fixed,
    /// `{page}`: a wiki page.
    Page,
    /// `{page}` and `{rev}`: a page and one of its revision numbers.
    PageRevision,
    /// `{kind}`: the path segment of a kind of entry.
    Kind,
    /// `{kind}/{slug}`: an entry under its kind.
    KindEntry,
    /// `{slug}`: an event.
    Event,
    /// `{id}`: an entry id (the agents' pages).
    EntryId,
    /// `{id}`: a group of synonyms.
    SynonymId,
    /// `{id}`: a message of the mail outbox.
    MailId,
    /// `{id}`: a submission of the referencing form (the agents' pages).
    SubmissionId,
    /// `{token}`: the private link of a submission.
    Token,
    /// `{day}`: a day of the agenda (`YYYY-MM-DD`).
    Day,
    /// `{format}/{name}`: an open data file.
    DataFile,
    /// `{place}`: a commune's INSEE code, or the whole territory (the printed directory).
    Place,
    /// `{id}`: an account on the admins' pages.
    Account,
    /// `{token}`: an invitation link.
    InvitationToken,
    /// `{token}`: a password-reset link.
    ResetToken,
    /// `{id}`: a workshop.
    Workshop,
    /// `{id}` and `{slug}`: a page of a workshop's sandbox.
    SandboxPage,
    /// `{id}` and `{pid}`: a practice submission of a workshop.
    PracticeSubmission,
    /// `{id}` and `{mid}`: a message of a workshop's practice mailbox.
    PracticeMail,
    /// `{slug}`: a category of the exchange space (the seeded ones).
    ExchangeCategory,
    /// `{id}`: a thread of the exchange space.
    ExchangeThread,
    /// `{id}`: a post of the exchange space.
    ExchangePost,
    /// `{id}`: a category of the exchange space, on the admins' page.
    ExchangeCategoryId,
    /// `{user}` and `{key}`: a one-click unsubscribe link (issue 12).
    Unsubscribe,
    /// `{id}`: a member on the agents' pages.
    Member,
    /// `{token}`: a link that confirms a member's address.
    ConfirmationToken,
    /// `{part}` and `{n}`: a file of the sitemap (issue 13).
    SitemapFile,
    /// Any path no route matches: `/{segment}`.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Post,
}

impl Verb {
    fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
        }
    }
}

#[derive(Debug)]
struct Route {
    verb: Verb,
    path: &'static str,
    target: Target,
    query: &'static [&'static str],
    form: &'static [&'static str],
    /// The entry form: its fields, and `type` taken from [`Probe::entry_type`].
    entry_form: bool,
}

const fn get(path: &'static str, target: Target, query: &'static [&'static str]) -> Route {
    Route {
        verb: Verb::Get,
        path,
        target,
        query,
        form: &[],
        entry_form: false,
    }
}

const fn post(path: &'static str, target: Target, form: &'static [&'static str]) -> Route {
    Route {
        verb: Verb::Post,
        path,
        target,
        query: &[],
        form,
        entry_form: false,
    }
}

const WIKI_FORM: &[&str] = &["title", "body", "summary", "base_revision", "action"];

/// The referencing form's fields besides the entry's (`type` is the entry form's).
const REFERENCING_FORM: &[&str] = &[
    "fiche",
    "debut",
    "version",
    "site_internet_2",
    "sender_name",
    "sender_organisation",
    "sender_email",
    "sender_phone",
    "consent",
];

/// The practice referencing form's fields besides the entry's (`type` is the entry form's).
const PRACTICE_FORM: &[&str] = &["sender_name", "sender_email", "consent"];

/// Every route, reads first; the POSTs that change what later requests see (rename, archive,
/// reset of a sandbox, deletion of an account, logout) come last. The POSTs of one's own
/// account are sent by accounts of the case (see [`senders`]).
const ROUTES: &[Route] = &[
    get("/", Target::Fixed, &[]),
    get("/robots.txt", Target::Fixed, &[]),
    get("/sitemap.xml", Target::Fixed, &[]),
    get("/sitemaps/{part}/{n}", Target::SitemapFile, &[]),
    get("/pages", Target::Fixed, &["page"]),
    get("/nouvelle-page", Target::Fixed, &["titre"]),
    get("/modifications-recentes", Target::Fixed, &["page"]),
    get("/modifications-recentes.atom", Target::Fixed, &[]),
    get("/wiki/{page}", Target::Page, &[]),
    get("/wiki/{page}/modifier", Target::Page, &[]),
    get("/wiki/{page}/historique", Target::Page, &["page"]),
    get("/wiki/{page}/revision/{rev}", Target::PageRevision, &[]),
    get("/wiki/{page}/diff", Target::Page, &["de", "a"]),
    get("/wiki/{page}/liens", Target::Page, &[]),
    get("/wiki/{page}/renommer", Target::Page, &[]),
    get("/connexion", Target::Fixed, &["retour"]),
    get("/langue", Target::Fixed, &["l", "retour"]),
    get("/static/lieu.css", Target::Fixed, &[]),
    get("/static/lieu.js", Target::Fixed, &[]),
    get(
        "/recherche",
        Target::Fixed,
        &["q", "type@search", "commune", "theme", "page"],
    ),
    get("/recherche/suggestions", Target::Fixed, &["q"]),
    get("/annuaire", Target::Fixed, &[]),
    get("/annuaire/evenements/{slug}.ics", Target::Event, &[]),
    get("/annuaire/imprimer", Target::Fixed, &["commune", "types"]),
    get("/annuaire/imprimer/{place}", Target::Place, &["types"]),
    get("/annuaire/{kind}", Target::Kind, LIST_FILTERS),
    get("/annuaire/{kind}/{slug}", Target::KindEntry, &[]),
    get("/agenda", Target::Fixed, &["mois", "du"]),
    get("/agenda/{day}", Target::Day, &["page"]),
    get("/agenda.ics", Target::Fixed, &[]),
    // Open data (issue 13): the page, the metadata, the files (only catalogued names).
    get("/donnees", Target::Fixed, &[]),
    get("/donnees/metadonnees.json", Target::Fixed, &[]),
    get("/donnees/{format}/{name}", Target::DataFile, &[]),
    // Atom feeds of the exchange space (helper "search-feeds").
    get("/echanges/sujet/{id}/atom.xml", Target::ExchangeThread, &[]),
    get("/echanges/{slug}/atom.xml", Target::ExchangeCategory, &[]),
    // The exchange space: lists, threads, posts, moderation (issue 12).
    get("/echanges", Target::Fixed, &[]),
    get(
        "/echanges/{slug}",
        Target::ExchangeCategory,
        &["sans-reponse", "apres@exchange"],
    ),
    get("/echanges/{slug}/nouveau", Target::ExchangeCategory, &[]),
    post(
        "/echanges/{slug}/nouveau",
        Target::ExchangeCategory,
        &["title", "kind@exchange", "body"],
    ),
    get(
        "/wiki/{page}/discussion",
        Target::Page,
        &["sans-reponse", "apres@exchange"],
    ),
    get("/wiki/{page}/discussion/nouveau", Target::Page, &[]),
    post(
        "/wiki/{page}/discussion/nouveau",
        Target::Page,
        &["title", "kind@exchange", "body"],
    ),
    get(
        "/annuaire/{kind}/{slug}/discussion",
        Target::KindEntry,
        &["sans-reponse", "apres@exchange"],
    ),
    get(
        "/annuaire/{kind}/{slug}/discussion/nouveau",
        Target::KindEntry,
        &[],
    ),
    post(
        "/annuaire/{kind}/{slug}/discussion/nouveau",
        Target::KindEntry,
        &["title", "kind@exchange", "body"],
    ),
    get(
        "/echanges/sujet/{id}",
        Target::ExchangeThread,
        &[
            "apres@posts",
            "avant@exchange",
            "message@exchange",
            "fin",
            "citer",
            "fait",
            "erreur",
        ],
    ),
    post(
        "/echanges/sujet/{id}/repondre",
        Target::ExchangeThread,
        &["body", "quote"],
    ),
    post(
        "/echanges/sujet/{id}/reponse",
        Target::ExchangeThread,
        &["post"],
    ),
    post(
        "/echanges/sujet/{id}/moderer",
        Target::ExchangeThread,
        &["version", "action@moderate", "reason@exchange", "category"],
    ),
    get(
        "/echanges/sujet/{id}/scinder",
        Target::ExchangeThread,
        &["depuis"],
    ),
    post(
        "/echanges/sujet/{id}/scinder",
        Target::ExchangeThread,
        &["from", "title", "category", "reason@exchange"],
    ),
    get(
        "/echanges/sujet/{id}/page-wiki",
        Target::ExchangeThread,
        &[],
    ),
    post(
        "/echanges/sujet/{id}/page-wiki",
        Target::ExchangeThread,
        &["title", "body"],
    ),
    get("/echanges/message/{id}", Target::ExchangePost, &[]),
    get("/echanges/message/{id}/modifier", Target::ExchangePost, &[]),
    post(
        "/echanges/message/{id}/modifier",
        Target::ExchangePost,
        &["version", "body"],
    ),
    get(
        "/echanges/message/{id}/historique",
        Target::ExchangePost,
        &[],
    ),
    get("/echanges/message/{id}/signaler", Target::ExchangePost, &[]),
    post(
        "/echanges/message/{id}/signaler",
        Target::ExchangePost,
        &["reason@report", "detail"],
    ),
    post(
        "/echanges/message/{id}/decision",
        Target::ExchangePost,
        &["decision", "reason@exchange", "back"],
    ),
    get(
        "/gestion/moderation",
        Target::Fixed,
        &["file", "apres@posts", "fait", "erreur"],
    ),
    get("/gestion/echanges", Target::Fixed, &["fait"]),
    post(
        "/gestion/echanges/reglages",
        Target::Fixed,
        &[
            "held_posts",
            "edit_minutes",
            "report_threshold",
            "new_member_posts_per_hour",
        ],
    ),
    post(
        "/gestion/echanges/categories",
        Target::Fixed,
        &["name", "description", "position", "archived"],
    ),
    post(
        "/gestion/echanges/categories/{id}",
        Target::ExchangeCategoryId,
        &["name", "description", "position", "archived"],
    ),
    get("/gestion/fiches/nouvelle", Target::Fixed, &["type"]),
    get("/gestion/fiches/{id}/modifier", Target::EntryId, &[]),
    get("/gestion/fiches/{id}/historique", Target::EntryId, &[]),
    get("/gestion/a-verifier", Target::Fixed, &["page"]),
    get("/gestion/recherches", Target::Fixed, &["groupe", "deja"]),
    get("/gestion/synonymes", Target::Fixed, &["fait"]),
    get("/gestion/synonymes/{id}/supprimer", Target::SynonymId, &[]),
    get(
        "/gestion/courriels",
        Target::Fixed,
        &["etat", "avant", "fait@mail"],
    ),
    get("/referencer", Target::Fixed, &["type", "fiche", "suivi"]),
    get("/suivi/{token}", Target::Token, &["fait@tracking"]),
    get("/suivi/{token}/corriger", Target::Token, &[]),
    get("/suivi/{token}/retirer", Target::Token, &[]),
    get("/suivi/{token}/toujours-valide", Target::Token, &[]),
    get(
        "/gestion/propositions",
        Target::Fixed,
        &["type", "etat@queue", "commune", "anciennete", "apres"],
    ),
    get("/gestion/propositions/{id}", Target::SubmissionId, &[]),
    get(
        "/gestion/propositions/{id}/modifier",
        Target::SubmissionId,
        &[],
    ),
    // Accounts.
    get(
        "/gestion/comptes",
        Target::Fixed,
        &["apres@accounts", "fait@accounts"],
    ),
    get("/gestion/comptes/{id}", Target::Account, &["fait@account"]),
    get("/invitation/{token}", Target::InvitationToken, &[]),
    get("/mot-de-passe-oublie", Target::Fixed, &[]),
    get("/mot-de-passe/{token}", Target::ResetToken, &[]),
    get(
        "/compte",
        Target::Fixed,
        &["fait@own", "suivis", "pages", "fiches"],
    ),
    get("/compte/supprimer", Target::Fixed, &[]),
    get("/compte/supprime", Target::Fixed, &[]),
    // Notifications of the exchange space (issue 12).
    get(
        "/notifications",
        Target::Fixed,
        &["avant", "fait@notifications"],
    ),
    get("/notifications/suivis", Target::Fixed, &["apres@follows"]),
    get("/desabonnement/{user}/{key}", Target::Unsubscribe, &[]),
    // Workshops.
    get("/atelier", Target::Fixed, &[]),
    get("/atelier/referencer", Target::Fixed, &[]),
    get("/ateliers", Target::Fixed, &["apres@workshops"]),
    get("/ateliers/{id}", Target::Workshop, &["fait@workshop"]),
    get("/ateliers/{id}/cartes", Target::Workshop, &[]),
    get("/ateliers/{id}/reinitialiser", Target::Workshop, &[]),
    get(
        "/ateliers/{id}/bac-a-sable",
        Target::Workshop,
        &["apres@sandbox"],
    ),
    get(
        "/ateliers/{id}/bac-a-sable/{slug}",
        Target::SandboxPage,
        &[],
    ),
    get(
        "/ateliers/{id}/bac-a-sable/{slug}/modifier",
        Target::SandboxPage,
        &[],
    ),
    get("/ateliers/{id}/nouvelle-page", Target::Workshop, &["titre"]),
    get("/ateliers/{id}/referencer", Target::Workshop, &["type"]),
    get(
        "/ateliers/{id}/propositions",
        Target::Workshop,
        &["etat@queue", "apres@id"],
    ),
    get(
        "/ateliers/{id}/propositions/{pid}",
        Target::PracticeSubmission,
        &["fait@tracking"],
    ),
    get("/ateliers/{id}/courriels", Target::Workshop, &["avant"]),
    get("/ateliers/{id}/courriels/{mid}", Target::PracticeMail, &[]),
    // The workshop's practice space of the exchange (issue 12).
    get(
        "/ateliers/{id}/echanges",
        Target::Workshop,
        &["sans-reponse", "apres@exchange"],
    ),
    get("/ateliers/{id}/echanges/nouveau", Target::Workshop, &[]),
    get(
        "/ateliers/{id}/echanges/moderation",
        Target::Workshop,
        &["file", "apres@id", "fait", "erreur"],
    ),
    // Members (issue 12).
    get("/inscription", Target::Fixed, &[]),
    get("/inscription/envoyee", Target::Fixed, &[]),
    get("/confirmer/{token}", Target::ConfirmationToken, &[]),
    get(
        "/gestion/membres",
        Target::Fixed,
        &["q@members", "apres@members"],
    ),
    get(
        "/gestion/membres/{id}",
        Target::Member,
        &["fait@member", "org", "avant@member"],
    ),
    get("/{segment}", Target::Unknown, &[]),
    post("/nouvelle-page", Target::Fixed, WIKI_FORM),
    post("/wiki/{page}/modifier", Target::Page, WIKI_FORM),
    post("/wiki/{page}/restaurer", Target::Page, &["revision"]),
    post(
        "/connexion",
        Target::Fixed,
        &["email", "password", "retour"],
    ),
    Route {
        entry_form: true,
        ..post("/gestion/fiches/nouvelle", Target::Fixed, &[])
    },
    Route {
        entry_form: true,
        ..post("/gestion/fiches/{id}/modifier", Target::EntryId, &[])
    },
    Route {
        query: &["retour@verify"],
        ..post("/gestion/fiches/{id}/verifier", Target::EntryId, &[])
    },
    post("/gestion/fiches/{id}/restaurer", Target::EntryId, &[]),
    post("/gestion/fiches/{id}/archiver", Target::EntryId, &[]),
    post(
        "/gestion/recherches/synonyme",
        Target::Fixed,
        &["query", "word"],
    ),
    post("/gestion/synonymes", Target::Fixed, &["terms"]),
    post(
        "/gestion/synonymes/{id}/modifier",
        Target::SynonymId,
        &["terms"],
    ),
    post("/gestion/synonymes/{id}/supprimer", Target::SynonymId, &[]),
    post("/gestion/courriels/essai", Target::Fixed, &["to"]),
    post(
        "/gestion/courriels/{id}/reessayer",
        Target::MailId,
        &["etat"],
    ),
    Route {
        entry_form: true,
        ..post("/referencer", Target::Fixed, REFERENCING_FORM)
    },
    // What corrects or comments a submission before what closes it.
    Route {
        entry_form: true,
        ..post("/suivi/{token}/corriger", Target::Token, &["version"])
    },
    post(
        "/suivi/{token}/toujours-valide",
        Target::Token,
        &["version"],
    ),
    post(
        "/gestion/propositions/{id}/demander",
        Target::SubmissionId,
        &["version", "message"],
    ),
    Route {
        entry_form: true,
        ..post(
            "/gestion/propositions/{id}/modifier",
            Target::SubmissionId,
            &["version", "entry_revision"],
        )
    },
    post(
        "/gestion/propositions/{id}/approuver",
        Target::SubmissionId,
        &["version", "entry_revision"],
    ),
    post(
        "/gestion/propositions/{id}/refuser",
        Target::SubmissionId,
        &["version", "reason", "message"],
    ),
    post("/suivi/{token}/retirer", Target::Token, &["version"]),
    // Accounts: the links are followed before the admins send them again or close their
    // accounts; an account's role changes, then it is closed and opened again.
    post(
        "/gestion/comptes/inviter",
        Target::Fixed,
        &["email@invite", "role"],
    ),
    post(
        "/invitation/{token}",
        Target::InvitationToken,
        &["name", "password@new", "password2"],
    ),
    post("/mot-de-passe-oublie", Target::Fixed, &["email@forgot"]),
    post(
        "/mot-de-passe/{token}",
        Target::ResetToken,
        &["password@new", "password2"],
    ),
    post("/gestion/comptes/{id}/role", Target::Account, &["role"]),
    post("/gestion/comptes/{id}/reinviter", Target::Account, &[]),
    post("/gestion/comptes/{id}/desactiver", Target::Account, &[]),
    post("/gestion/comptes/{id}/reactiver", Target::Account, &[]),
    post(
        "/suivis",
        Target::Fixed,
        &["cible", "action@watch", "retour"],
    ),
    // Notifications of the exchange space (issue 12).
    post("/notifications/lues", Target::Fixed, &["jusqua"]),
    post("/suivre", Target::Fixed, &["cible@follow", "retour"]),
    post(
        "/ne-plus-suivre",
        Target::Fixed,
        &["cible@follow", "retour"],
    ),
    post("/compte/notifications", Target::Fixed, &["notify_mail"]),
    post("/desabonnement/{user}/{key}", Target::Unsubscribe, &[]),
    post(
        "/compte",
        Target::Fixed,
        &["name", "email@profile", "current"],
    ),
    post(
        "/compte/mot-de-passe",
        Target::Fixed,
        &["current_password", "password@new", "password2"],
    ),
    // Members (issue 12): sign-up, the confirmation link and its resending, then what agents
    // do to a member.
    post(
        "/inscription",
        Target::Fixed,
        &[
            "name",
            "email@signup",
            "password@new",
            "password2",
            "consent",
        ],
    ),
    post("/confirmer/{token}", Target::ConfirmationToken, &[]),
    post("/compte/confirmation", Target::Fixed, &[]),
    post(
        "/gestion/membres/{id}/suspendre",
        Target::Member,
        &["days", "until", "reason@member"],
    ),
    post("/gestion/membres/{id}/lever", Target::Member, &[]),
    post(
        "/gestion/membres/{id}/masquer",
        Target::Member,
        &["hide_reason"],
    ),
    post(
        "/gestion/membres/{id}/organisation",
        Target::Member,
        &["organisation@member"],
    ),
    // Workshops: the sandbox is written, the practice submissions decided, workshops made;
    // the reset (which empties the sandbox) comes after.
    post(
        "/ateliers",
        Target::Fixed,
        &["title", "day", "participants", "material"],
    ),
    post(
        "/ateliers/{id}/nouvelle-page",
        Target::Workshop,
        &["title", "body"],
    ),
    post(
        "/ateliers/{id}/echanges/nouveau",
        Target::Workshop,
        &["title", "kind@exchange", "body"],
    ),
    post(
        "/ateliers/{id}/bac-a-sable/{slug}/modifier",
        Target::SandboxPage,
        &["body", "base_revision@sandbox"],
    ),
    Route {
        entry_form: true,
        ..post("/ateliers/{id}/referencer", Target::Workshop, PRACTICE_FORM)
    },
    post(
        "/ateliers/{id}/propositions/{pid}/demander",
        Target::PracticeSubmission,
        &["version", "message"],
    ),
    post(
        "/ateliers/{id}/propositions/{pid}/approuver",
        Target::PracticeSubmission,
        &["version"],
    ),
    post(
        "/ateliers/{id}/propositions/{pid}/refuser",
        Target::PracticeSubmission,
        &["version", "reason", "message"],
    ),
    post("/ateliers/{id}/reinitialiser", Target::Workshop, &[]),
    post("/wiki/{page}/renommer", Target::Page, &["title"]),
    post(
        "/compte/supprimer",
        Target::Fixed,
        &["current_password", "posts"],
    ),
    post("/deconnexion", Target::Fixed, &[]),
];

const KIND_SEGMENTS: [(&str, &str); 5] = [
    ("service", "services"),
    ("association", "associations"),
    ("job", "emplois"),
    ("housing", "logements"),
    ("event", "evenements"),
];

// ---------------------------------------------------------------------------------------------
// Strategies.

/// Strings that have broken web applications before: markup, wiki syntax, numbers and dates at
/// the edges of their types, percent-encoding junk, control characters, header injection.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "{{annuaire}}",
    "{{annuaire services limite=-9223372036854775808}}",
    "{{annuaire evenements periode=date date=+262142-12-31}}",
    "{{annuaire \u{0} = = }}",
    "{{",
    "}}",
    "[[",
    "]]",
    "[[|]]",
    "[[#]]",
    "[[../../etc/passwd]]",
    "%",
    "%zz",
    "%00",
    "%FF%FE",
    "%2F%2F",
    "%0d%0aSet-Cookie: x=y",
    "\r\nSet-Cookie: x=y",
    "\r\n",
    "\0",
    "\u{7f}",
    "\u{202e}",
    "\u{feff}",
    "\u{fffd}",
    "’",
    "é",
    "𝕏",
    "../",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "-1",
    "0",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "2147483647",
    "-2147483648",
    "1e309",
    "NaN",
    "inf",
    "+262142-12-31",
    "-262143-01-01",
    "0000-00-00",
    "2026-02-30",
    "9999-12-31T23:59",
    "' OR 1=1 --",
    "%s%s%n",
    "&",
    "=",
    "?",
    "#",
    "+",
    "\\",
];

/// The values at the very ends of their types: drawn often, so that two fields of one form
/// (a rent and its charges, a start and a weekly repetition) are at an end together.
const NUMBER_EDGES: &[&str] = &[
    "-2147483648",
    "2147483648",
    "4294967295",
    "9223372036854775807",
    "-9223372036854775808",
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "50",
    "2147483647",
    "-2147483649",
    "9223372036854775808",
    "18446744073709551616",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "1.5",
    "+1",
    " 1",
    "0001",
    "١٢",
];

/// The first and last days chrono can represent.
const DATE_EDGES: &[&str] = &["+262142-12-31", "-262143-01-01"];

const DATES: &[&str] = &[
    "262142-12-31",
    "+262142-12-24",
    "+262143-01-01",
    "-262144-12-31",
    "0000-00-00",
    "0000-01-01",
    "1899-12-31",
    "1900-01-01",
    "2200-12-31",
    "9999-12-31",
    "10000-01-01",
    "2026-02-29",
    "2026-02-30",
    "2028-02-29",
    "2026-13-01",
    "2026-03-29",
    "2026-10-25",
    "31/12/262142",
    "01/01/-262143",
];

const TIMES: &[&str] = &[
    "T23:00", "T23:59", "T00:00", "T02:30", "T24:00", "T12:60", " 22:30",
];

const DATETIME_EDGES: &[&str] = &["+262142-12-31T23:00", "-262143-01-01T00:00"];

const DATETIMES: &[&str] = &[
    "+262142-12-31T00:00",
    "+262142-12-24T10:00",
    "9999-12-31T23:59",
    "2026-03-29T02:30",
    "2026-10-25T02:30",
    "2026-02-30T10:00",
    "0000-00-00T00:00",
    "31/12/262142 23:00",
];

const MONTH_EDGES: &[&str] = &["+262142-12", "-262143-01"];

const MONTHS: &[&str] = &[
    "262142-12",
    "+262143-01",
    "2026-13",
    "2026-00",
    "0000-01",
    "9999-12",
    "-0001-01",
    "1900-01",
    "2026-1",
];

const PERIODS: &[&str] = &["aujourdhui", "semaine", "mois"];

const RETURNS: &[&str] = &[
    "/",
    "/wiki/accueil",
    "//evil.example",
    "/%09/evil.example",
    "/\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\r\nLocation: https://evil.example",
];

const PHONES: &[&str] = &[
    "01 99 00 12 34",
    "+33 1 99 00 12 34",
    "0033199001234",
    "+",
    "00",
];

const URLS: &[&str] = &[
    "https://example.org",
    "http://",
    "https://exa mple.org",
    "javascript:alert(1)",
    "https://[::1",
];

const OPENING_HOURS: &[&str] = &[
    "Mo-Fr 09:00-12:00",
    "24/7",
    "Mo-Su 00:00-24:00; PH off",
    "PH 10:00-12:00",
    "easter -100000 days",
    "week 01-53/1 Mo 09:00-10:00",
    "2026 Feb 30",
    "99999 Jan 01",
    "Mo 25:00-26:00",
    "sunrise-sunset",
    "00:00-00:00",
    "Mo-Fr 08:00-12:00,13:00-17:30; Sa 08:00-12:00; PH off",
];

const MARKDOWN: &[&str] = &[
    "# Titre",
    "{{annuaire services}}",
    "{{annuaire evenements periode=date date=+262142-12-31}}",
    "{{annuaire evenements periode=date date=-262143-01-01}}",
    "{{annuaire evenements periode=semaine}}",
    "{{annuaire services limite=99999999999999999999}}",
    "{{annuaire logements loyer_max=-1e309}}",
    "{{annuaire services commune=%zz page=-1}}",
    "{{annuaire nulle-part}}",
    "{{annuaire}}",
    "[[Accueil]]",
    "[[Page inexistante|texte]]",
    "[[]]",
    "[[|]]",
    "[[a]b]]",
    "```\ncode\n```",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![](https://tracker.example/p.gif)",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> citation",
    "- liste\n  - imbriquée",
    "<details><summary>x</summary>y</details>",
    "[^1]\n\n[^1]: note",
    "&#0;",
    // Mentions of the exchange space (issue 12): the test's accounts, nobody, and edges.
    "@editor @agent @member bonjour",
    "@inexistant",
    "@",
    "@@@@",
    "@editor-2147483648",
    "Écrivez à @member.",
    "[@member](https://example.org)",
];

const RAW_QUERIES: &[&str] = &[
    "%zz=1",
    "page=%",
    "page=%ff%fe",
    "%00=%00",
    "=&=&&",
    "page=1&page=2",
    "a[b]=c",
    "%2B=%2B",
];

fn one_of(list: &'static [&'static str]) -> BoxedStrategy<String> {
    select(list).prop_map(str::to_owned).boxed()
}

/// Anything: short strings of arbitrary characters (control characters included), the hostile
/// list, their concatenations, and long repetitions up to `max_len` bytes.
fn anything(max_len: usize) -> BoxedStrategy<String> {
    let token = prop_oneof![one_of(HOSTILE), string_regex("(?s).{0,24}").expect("regex"),];
    prop_oneof![
        4 => token.clone(),
        2 => prop::collection::vec(token.clone(), 2..5).prop_map(|v| v.concat()),
        1 => (token, 1..=max_len).prop_map(move |(t, len)| repeat_to(&t, len)),
    ]
    .boxed()
}

/// `t` repeated to about `len` bytes (never more), cut on a character boundary.
fn repeat_to(t: &str, len: usize) -> String {
    let t = if t.is_empty() { "x" } else { t };
    let mut s = t.repeat(len / t.len() + 1);
    let mut cut = len.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

/// Plausible values first (they take the handler deeper), hostile ones otherwise.
fn plausible_or_anything(
    plausible: BoxedStrategy<String>,
    max_len: usize,
) -> BoxedStrategy<String> {
    prop_oneof![3 => plausible, 2 => anything(max_len)].boxed()
}

/// Values at the ends of their type, other values of the shape, or anything.
fn edges_first(
    edges: &'static [&'static str],
    others: impl Strategy<Value = String> + 'static,
) -> BoxedStrategy<String> {
    prop_oneof![3 => one_of(edges), 3 => others, 1 => anything(QUERY_MAX)].boxed()
}

const QUERY_MAX: usize = 8 * 1024;
const TEXT_MAX: usize = 4 * 1024;
const LONG_MAX: usize = 300 * 1024;

/// Dates relative to the day the test runs, so that some values pass validation and the entry
/// is saved and shown.
fn near_dates() -> Vec<String> {
    let today = lieu_store::now().date();
    [1, 7, 30, 200]
        .iter()
        .map(|d| {
            (today + chrono::Duration::days(*d))
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect()
}

fn date() -> BoxedStrategy<String> {
    edges_first(DATE_EDGES, prop_oneof![one_of(DATES), select(near_dates())])
}

fn strategy(shape: Shape) -> BoxedStrategy<Values> {
    let value: BoxedStrategy<String> = match shape {
        Shape::Text => plausible_or_anything(
            one_of(&["Atelier numérique", "Club de judo", "Mairie", "É"]),
            TEXT_MAX,
        ),
        Shape::Long => plausible_or_anything(one_of(&["Une ligne.\n\nUne autre."]), LONG_MAX),
        Shape::Markdown => prop_oneof![
            3 => prop::collection::vec(
                prop_oneof![3 => one_of(MARKDOWN), 1 => anything(TEXT_MAX)],
                1..6
            )
            .prop_map(|v| v.join("\n\n")),
            1 => anything(LONG_MAX),
            1 => (one_of(MARKDOWN), 1..=40usize).prop_map(|(s, n)| format!("{s}\n\n").repeat(n)),
        ]
        .boxed(),
        Shape::Number => edges_first(NUMBER_EDGES, one_of(NUMBERS)),
        Shape::I32 => prop_oneof![
            4 => one_of(&["-2147483648", "2147483647", "0", "-1", "1", "2"]),
            2 => any::<i32>().prop_map(|n| n.to_string()),
            1 => anything(QUERY_MAX),
        ]
        .boxed(),
        Shape::I64 => prop_oneof![
            4 => one_of(&["-9223372036854775808", "9223372036854775807", "0", "-1", "1", "2"]),
            2 => any::<i64>().prop_map(|n| n.to_string()),
            1 => anything(QUERY_MAX),
        ]
        .boxed(),
        Shape::Version => prop_oneof![
            6 => one_of(&["1", "2", "3"]),
            1 => one_of(&["0", "-1", "2147483647", "-2147483648"]),
            1 => anything(QUERY_MAX),
        ]
        .boxed(),
        Shape::Date => date(),
        Shape::DateTime => {
            let near: Vec<String> = near_dates().into_iter().map(|d| d + "T10:00").collect();
            edges_first(
                DATETIME_EDGES,
                prop_oneof![
                    one_of(DATETIMES),
                    (select([DATE_EDGES, DATES].concat()), select(TIMES))
                        .prop_map(|(d, t)| format!("{d}{t}")),
                    select(near),
                ],
            )
        }
        Shape::Month => {
            let this_month = lieu_store::now().date().format("%Y-%m").to_string();
            edges_first(MONTH_EDGES, prop_oneof![one_of(MONTHS), Just(this_month)])
        }
        // `date` is the period that reads the `date` parameter.
        Shape::Period => prop_oneof![
            3 => Just("date".to_owned()),
            2 => one_of(PERIODS),
            1 => anything(QUERY_MAX),
        ]
        .boxed(),
        Shape::Kind => plausible_or_anything(
            select(KIND_SEGMENTS.map(|(k, _)| k).to_vec())
                .prop_map(str::to_owned)
                .boxed(),
            QUERY_MAX,
        ),
        Shape::Commune => plausible_or_anything(one_of(&["79901", "79902"]), QUERY_MAX),
        Shape::Return => plausible_or_anything(one_of(RETURNS), QUERY_MAX),
        Shape::Email => plausible_or_anything(one_of(&["contact@example.org"]), TEXT_MAX),
        Shape::Phone => plausible_or_anything(one_of(PHONES), TEXT_MAX),
        Shape::Url => plausible_or_anything(one_of(URLS), TEXT_MAX),
        Shape::OpeningHours => plausible_or_anything(one_of(OPENING_HOURS), TEXT_MAX),
        Shape::OneOf(list) => plausible_or_anything(one_of(list), QUERY_MAX),
        Shape::ManyOf(list) => {
            return prop::collection::vec(plausible_or_anything(one_of(list), QUERY_MAX), 0..4)
                .boxed();
        }
        Shape::Segment => prop_oneof![
            3 => anything(QUERY_MAX).prop_map(|s| percent_encode(&s)),
            1 => one_of(&["%", "%zz", "%00", "%FF", "%2F", "..", "%2e%2e", "%C0%AF"]),
        ]
        .boxed(),
        Shape::RawQuery => one_of(RAW_QUERIES),
        Shape::Flag => {
            return prop_oneof![7 => Just(Vec::new()), 1 => Just(vec!["1".to_owned()])].boxed();
        }
        Shape::Stamp => prop_oneof![3 => Just(STAMP.to_owned()), 1 => anything(QUERY_MAX)].boxed(),
        Shape::Password => prop_oneof![
            3 => one_of(STRONG_PASSWORDS),
            1 => one_of(WEAK_PASSWORDS),
            1 => anything(TEXT_MAX),
        ]
        .boxed(),
        Shape::Confirm => prop_oneof![
            3 => Just(SAME.to_owned()),
            1 => one_of(STRONG_PASSWORDS),
            1 => anything(TEXT_MAX),
        ]
        .boxed(),
        Shape::Participants => prop_oneof![
            6 => one_of(PARTICIPANTS),
            1 => one_of(PARTICIPANT_EDGES),
            1 => anything(QUERY_MAX),
        ]
        .boxed(),
        Shape::WorkshopDay => prop_oneof![3 => select(near_dates()), 2 => date()].boxed(),
        Shape::Material => {
            return prop_oneof![
                3 => prop::collection::vec(one_of(MATERIAL), 0..4),
                1 => prop::collection::vec(
                    prop_oneof![one_of(MATERIAL), one_of(NOT_MATERIAL), anything(QUERY_MAX)],
                    1..4
                ),
            ]
            .boxed();
        }
        Shape::NewEmail(list) => prop_oneof![
            3 => any::<u32>().prop_map(|n| format!("personne-{n}@example.org")),
            2 => one_of(list),
            1 => anything(TEXT_MAX),
        ]
        .boxed(),
        Shape::Watch => prop_oneof![
            3 => one_of(WATCH_TARGETS),
            1 => one_of(WATCH_JUNK),
            1 => anything(QUERY_MAX),
        ]
        .boxed(),
    };
    // Absent comes first: a shrunk failure names only the fields it needs. Forms leave many
    // fields empty, so absence is common too. (A field sent twice is the `duplicate` flag's
    // business: a repeated single-valued field rejects the whole form.)
    prop_oneof![3 => Just(Vec::new()), 10 => value.prop_map(|v| vec![v])].boxed()
}

/// Stands for a stamp the site signed, in the inputs of a case: the stamp itself depends on
/// the site's key (new at each opening) and on the time the request is sent.
const STAMP: &str = "<stamp>";

/// The signed moment of the referencing form (`lieu_web::handlers::submit::Stamp`), a minute
/// ago: a form filled at a person's pace, that passes the spam check. The run starts by checking
/// that the site accepts it.
fn stamp(state: &AppState, csrf: &str) -> String {
    let secs = state.clock.now().and_utc().timestamp() - 60;
    let signature = lieu_core::content::sha256_hex(&format!("{}:{csrf}:{secs}", state.form_key));
    format!("{secs}-{}", &signature[..32])
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One generated case: a value tree per field, so that shrinking touches only what a failing
// request reads.

type Tree = Box<dyn ValueTree<Value = Values>>;

struct Case {
    trees: Vec<Tree>,
}

impl Case {
    fn new(strategies: &[BoxedStrategy<Values>], runner: &mut TestRunner) -> Case {
        Case {
            trees: strategies
                .iter()
                .map(|s| s.new_tree(runner).expect("a strategy that never rejects"))
                .collect(),
        }
    }

    fn inputs(&self) -> Inputs {
        Inputs(self.trees.iter().map(|t| t.current()).collect())
    }
}

/// The values of every field, in the order of [`FIELDS`].
#[derive(Clone)]
struct Inputs(Vec<Values>);

impl Inputs {
    fn get(&self, key: &str) -> &Values {
        &self.0[field_index(key)]
    }

    /// The first value of a field, or "" when absent.
    fn first(&self, key: &str) -> &str {
        self.get(key).first().map_or("", String::as_str)
    }

    /// Inputs with only the given fields set: the known failures, written out.
    fn only(fields: &[(&str, &str)]) -> Inputs {
        let mut inputs = Inputs(vec![Vec::new(); FIELDS.len()]);
        for (key, value) in fields {
            inputs.0[field_index(key)] = vec![(*value).to_owned()];
        }
        inputs
    }
}

// ---------------------------------------------------------------------------------------------
// Requests.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Editor,
    Agent,
    Admin,
    /// The trainer who runs the test's workshop.
    Trainer,
    /// A participant seated in the test's workshop (a practice account).
    Trainee,
    /// An account made for the case, whose own profile and password the case changes.
    Spare,
    /// An account made for the case, that the case deletes.
    Leaving,
    /// A member of the exchange space (issue 12) whose address is confirmed: new (posts held,
    /// no links, a bounded rate), trusted or suspended, by turns (see [`Site::add_accounts`]).
    Member,
}

/// Who sends the requests of most routes.
const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Editor,
    Who::Agent,
    Who::Admin,
    Who::Trainee,
];

/// Who sends the requests of the workshops' routes: their trainer, an administrator, a
/// participant (who has no right on the trainer's pages), nobody.
const WORKSHOP_PEOPLE: [Who; 4] = [Who::Anonymous, Who::Trainer, Who::Trainee, Who::Admin];

/// The routes of the exchange space and of its notifications (issue 12), which a member also
/// sends: its lists, threads and posts, the discussions of pages and entries, notifications
/// and follows, sign-up and confirmation, and the agents' pages a member must not open.
fn exchange_route(path: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "/echanges",
        "/notifications",
        "/desabonnement/",
        "/inscription",
        "/confirmer/",
        "/gestion/moderation",
        "/gestion/echanges",
        "/gestion/membres",
    ];
    PREFIXES.iter().any(|p| path.starts_with(p))
        || path.contains("/discussion")
        || matches!(
            path,
            "/suivre"
                | "/ne-plus-suivre"
                | "/compte"
                | "/compte/notifications"
                | "/compte/confirmation"
        )
}

/// Who sends a request to `route` in case `n`.
fn senders(route: &Route, n: usize) -> Vec<Who> {
    match (route.verb, route.path) {
        // Logging in costs a password hash (slow on purpose): one sender per case, in turn.
        (Verb::Post, "/connexion") => vec![EVERYONE[n % EVERYONE.len()]],
        // What changes one's own account goes to the case's own accounts: the accounts of the
        // other requests keep their address, password and sessions.
        (Verb::Post, "/compte" | "/compte/mot-de-passe") => {
            vec![Who::Anonymous, Who::Trainee, Who::Spare]
        }
        (_, "/compte/supprimer") => vec![Who::Anonymous, Who::Trainee, Who::Leaving],
        (_, path) if path.starts_with("/atelier") => WORKSHOP_PEOPLE.to_vec(),
        (_, path) if exchange_route(path) => {
            let mut people = EVERYONE.to_vec();
            people.push(Who::Member);
            people
        }
        _ => EVERYONE.to_vec(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Csrf {
    /// The token of the cookie, as a form of the site sends it.
    Valid,
    /// Whatever the `csrf` field holds.
    Forged,
}

/// A path parameter: an existing page or entry, or the case's hostile segment.
#[derive(Debug, Clone)]
enum Seg {
    Real(String),
    Hostile,
}

/// The values of the `{…}` of a path.
type PathParams = Vec<(&'static str, Seg)>;

/// One request of a case: a route, who sends it, and what its path points at.
#[derive(Debug, Clone)]
struct Probe {
    route: &'static Route,
    who: Who,
    csrf: Csrf,
    params: PathParams,
    /// For the entry form: the `type` field (a kind, or the case's hostile `type`).
    entry_type: Option<Seg>,
}

impl Probe {
    fn path(&self, inputs: &Inputs) -> String {
        let mut path = self.route.path.to_owned();
        for (name, seg) in &self.params {
            let value = match seg {
                Seg::Real(v) => v.clone(),
                Seg::Hostile => inputs.first("segment").to_owned(),
            };
            path = path.replace(&format!("{{{name}}}"), &value);
        }
        let mut query: Vec<(&str, &str)> = Vec::new();
        for key in self.route.query {
            let wire = FIELDS[field_index(key)].wire;
            for v in inputs.get(key) {
                query.push((wire, v));
            }
        }
        if !inputs.get("duplicate").is_empty()
            && let Some(&first) = query.first()
        {
            query.push(first);
        }
        let mut query = serde_urlencoded::to_string(&query).expect("query encoding");
        for raw in inputs.get("raw_query") {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(raw);
        }
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }

    fn body(&self, inputs: &Inputs, csrf_token: &str, stamp: &str) -> String {
        let mut form: Vec<(&str, &str)> = Vec::new();
        match self.csrf {
            Csrf::Valid => form.push(("csrf", csrf_token)),
            Csrf::Forged => {
                for v in inputs.get("csrf") {
                    form.push(("csrf", v));
                }
            }
        }
        let entry_fields = if self.route.entry_form {
            ENTRY_FORM
        } else {
            &[]
        };
        for key in self.route.form.iter().chain(entry_fields) {
            let wire = FIELDS[field_index(key)].wire;
            for v in inputs.get(key) {
                let v = match v.as_str() {
                    STAMP => stamp,
                    SAME => inputs.first("password@new"),
                    _ => v,
                };
                form.push((wire, v));
            }
        }
        match &self.entry_type {
            Some(Seg::Real(kind)) => form.push(("type", kind)),
            Some(Seg::Hostile) => {
                for v in inputs.get("type") {
                    form.push(("type", v));
                }
            }
            None => {}
        }
        // The first field after the token, or the token.
        if !inputs.get("duplicate").is_empty()
            && let Some(&first) = form.get(1).or(form.first())
        {
            form.push(first);
        }
        serde_urlencoded::to_string(&form).expect("form encoding")
    }

    /// The fields this request reads: the only ones worth shrinking.
    fn reads(&self) -> Vec<usize> {
        let mut keys: Vec<&str> = vec!["raw_query", "duplicate"];
        keys.extend_from_slice(self.route.query);
        keys.extend_from_slice(self.route.form);
        if self.route.entry_form {
            keys.extend_from_slice(ENTRY_FORM);
        }
        if self.route.verb == Verb::Post && self.csrf == Csrf::Forged {
            keys.push("csrf");
        }
        if self.params.iter().any(|(_, s)| matches!(s, Seg::Hostile)) {
            keys.push("segment");
        }
        if matches!(self.entry_type, Some(Seg::Hostile)) {
            keys.push("type");
        }
        keys.into_iter().map(field_index).collect()
    }

    fn describe(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(n, s)| match s {
                Seg::Real(v) => format!("{n}={v}"),
                Seg::Hostile => format!("{n}=<segment>"),
            })
            .collect();
        let mut s = format!(
            "{:?} {} as {:?}",
            self.route.verb, self.route.path, self.who
        );
        if self.route.verb == Verb::Post {
            let _ = write!(s, ", CSRF {:?}", self.csrf);
        }
        if !params.is_empty() {
            let _ = write!(s, ", {}", params.join(" "));
        }
        match &self.entry_type {
            Some(Seg::Real(k)) => {
                let _ = write!(s, ", type={k}");
            }
            Some(Seg::Hostile) => s.push_str(", type=<type>"),
            None => {}
        }
        s
    }
}

/// What exists in the database at the start of a case.
struct Targets {
    /// (slug, latest revision number) of the pages.
    pages: Vec<(String, i32)>,
    /// (id, slug, kind) of the entries.
    entries: Vec<(i32, String, String)>,
    /// Ids of the groups of synonyms.
    synonyms: Vec<i32>,
    /// Ids of the messages of the mail outbox.
    mails: Vec<i32>,
    /// (id, status) of the submissions.
    submissions: Vec<(i32, String)>,
    /// (private link, status) of the submissions whose link this test knows.
    tokens: Vec<(String, String)>,
    /// What the case made: accounts to manage, links to follow.
    case: CaseRows,
    /// The test's workshop (its trainer and participant are [`Who::Trainer`] and
    /// [`Who::Trainee`]), and another one, an administrator's.
    workshops: [i32; 2],
    /// Slugs of the pages of the test's workshop's sandbox.
    sandbox: Vec<String>,
    /// (id, status) of the practice submissions of the test's workshop.
    practice: Vec<(i32, String)>,
    /// Ids of the messages of the test's workshop's practice mailbox.
    practice_mails: Vec<i32>,
}

impl Targets {
    /// `known`: private links this test made; those still in use are targets.
    fn load(store: &Store, known: &[String], case: &CaseRows, workshops: [i32; 2]) -> Targets {
        store
            .read(|c| {
                let sandbox = practice_pages::table
                    .filter(practice_pages::workshop_id.eq(workshops[0]))
                    .select(practice_pages::slug)
                    .order(practice_pages::id)
                    .load::<String>(c)?;
                let practice = practice_submissions::table
                    .filter(practice_submissions::workshop_id.eq(workshops[0]))
                    .select((practice_submissions::id, practice_submissions::status))
                    .order(practice_submissions::id)
                    .load::<(i32, String)>(c)?;
                let practice_mails = practice_mail::table
                    .filter(practice_mail::workshop_id.eq(workshops[0]))
                    .select(practice_mail::id)
                    .order(practice_mail::id)
                    .load::<i32>(c)?;
                let pages = pages::table
                    .select((pages::slug, pages::revision_number))
                    .order(pages::id)
                    .load::<(String, i32)>(c)?;
                let entries = entries::table
                    .select((entries::id, entries::slug, entries::kind))
                    .order(entries::id)
                    .load::<(i32, String, String)>(c)?;
                let synonyms = lieu_store::search::synonyms(c)?
                    .into_iter()
                    .map(|g| g.id)
                    .collect();
                let mails = lieu_store::mail::page(c, None, None, 100)?
                    .into_iter()
                    .map(|m| m.id)
                    .collect();
                let rows = submissions::table
                    .select((
                        submissions::id,
                        submissions::token_digest,
                        submissions::status,
                    ))
                    .order(submissions::id)
                    .load::<(i32, String, String)>(c)?;
                let by_digest: BTreeMap<&str, &str> = rows
                    .iter()
                    .map(|(_, digest, status)| (digest.as_str(), status.as_str()))
                    .collect();
                let tokens = known
                    .iter()
                    .filter_map(|token| {
                        let status = by_digest.get(auth::token_digest(token).as_str())?;
                        Some((token.clone(), (*status).to_owned()))
                    })
                    .collect();
                let submissions = rows
                    .into_iter()
                    .map(|(id, _, status)| (id, status))
                    .collect();
                Ok(Targets {
                    pages,
                    entries,
                    synonyms,
                    mails,
                    submissions,
                    tokens,
                    case: case.clone(),
                    workshops,
                    sandbox,
                    practice,
                    practice_mails,
                })
            })
            .expect("load the targets")
    }

    /// The `n`-th page (cycling), so that successive cases visit different pages.
    fn page(&self, n: usize) -> &(String, i32) {
        &self.pages[n % self.pages.len()]
    }

    fn entry(&self, kind: &str, n: usize) -> Option<&(i32, String, String)> {
        let of_kind: Vec<_> = self.entries.iter().filter(|e| e.2 == kind).collect();
        (!of_kind.is_empty()).then(|| of_kind[n % of_kind.len()])
    }

    /// The `n`-th (cycling) of `items` whose status is one of `statuses`.
    fn nth_in<'a, T>(items: &'a [(T, String)], statuses: &[&str], n: usize) -> Option<&'a T> {
        let found: Vec<&T> = items
            .iter()
            .filter(|(_, s)| statuses.contains(&s.as_str()))
            .map(|(item, _)| item)
            .collect();
        (!found.is_empty()).then(|| found[n % found.len()])
    }
}

/// The statuses a submission's pages show differently: still open, approved (its sender may
/// confirm the entry), closed otherwise.
const SUBMISSION_GROUPS: [&[&str]; 3] = [
    &["waiting", "changes_requested"],
    &["approved"],
    &["rejected", "withdrawn"],
];

/// Every request of a case: each route with each of its path targets, for everyone, with a
/// valid and a forged CSRF token for the POSTs.
fn probes(targets: &Targets, n: usize, every_kind: bool) -> Vec<Probe> {
    // The pages of one entry go to an entry of each kind, or (to keep a run short) of one kind
    // per case, in turn.
    let entry_kinds: &[(&str, &str)] = if every_kind {
        &KIND_SEGMENTS
    } else {
        std::slice::from_ref(&KIND_SEGMENTS[n % KIND_SEGMENTS.len()])
    };
    let mut all = Vec::new();
    for (index, route) in ROUTES.iter().enumerate() {
        let (page, revision) = targets.page(n);
        let real = |v: &str| Seg::Real(v.to_owned());
        // (path parameters, entry type) of each request to this route.
        let mut variants: Vec<(PathParams, Option<Seg>)> = Vec::new();
        match route.target {
            Target::Fixed if route.entry_form => {
                for (kind, _) in KIND_SEGMENTS {
                    variants.push((vec![], Some(real(kind))));
                }
                variants.push((vec![], Some(Seg::Hostile)));
            }
            Target::Fixed => variants.push((vec![], None)),
            Target::Unknown => variants.push((vec![("segment", Seg::Hostile)], None)),
            Target::Page => {
                variants.push((vec![("page", real(page))], None));
                variants.push((vec![("page", Seg::Hostile)], None));
            }
            Target::PageRevision => {
                let rev = (n as i32 % revision.max(&1)) + 1;
                variants.push((
                    vec![("page", real(page)), ("rev", real(&rev.to_string()))],
                    None,
                ));
                variants.push((vec![("page", real(page)), ("rev", Seg::Hostile)], None));
                variants.push((vec![("page", Seg::Hostile), ("rev", real("1"))], None));
            }
            Target::Kind => {
                for (_, segment) in KIND_SEGMENTS {
                    variants.push((vec![("kind", real(segment))], None));
                }
                variants.push((vec![("kind", Seg::Hostile)], None));
            }
            Target::KindEntry => {
                for (kind, segment) in entry_kinds {
                    if let Some((_, slug, _)) = targets.entry(kind, n) {
                        variants.push((vec![("kind", real(segment)), ("slug", real(slug))], None));
                    }
                }
                variants.push((
                    vec![("kind", real("evenements")), ("slug", Seg::Hostile)],
                    None,
                ));
            }
            Target::Event => {
                if let Some((_, slug, _)) = targets.entry("event", n) {
                    variants.push((vec![("slug", real(slug))], None));
                }
                variants.push((vec![("slug", Seg::Hostile)], None));
            }
            Target::EntryId => {
                for (kind, _) in entry_kinds {
                    if let Some((id, _, _)) = targets.entry(kind, n) {
                        variants.push((vec![("id", real(&id.to_string()))], None));
                    }
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::SynonymId => {
                if !targets.synonyms.is_empty() {
                    let id = targets.synonyms[n % targets.synonyms.len()];
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::MailId => {
                if !targets.mails.is_empty() {
                    let id = targets.mails[n % targets.mails.len()];
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::SubmissionId => {
                for statuses in SUBMISSION_GROUPS {
                    if let Some(id) = Targets::nth_in(&targets.submissions, statuses, n) {
                        variants.push((vec![("id", real(&id.to_string()))], None));
                    }
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::Token => {
                for statuses in SUBMISSION_GROUPS {
                    if let Some(token) = Targets::nth_in(&targets.tokens, statuses, n) {
                        variants.push((vec![("token", real(token))], None));
                    }
                }
                variants.push((vec![("token", Seg::Hostile)], None));
            }
            Target::ExchangeCategory => {
                for slug in [
                    "questions-services-publics",
                    "entraide",
                    "categorie-absente",
                ] {
                    variants.push((vec![("slug", real(slug))], None));
                }
                variants.push((vec![("slug", Seg::Hostile)], None));
            }
            Target::ExchangeThread => {
                for id in &targets.case.threads {
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                for id in ["1", "0", "-1", "2147483648"] {
                    variants.push((vec![("id", real(id))], None));
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::ExchangePost => {
                for id in &targets.case.posts {
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                variants.push((vec![("id", real("0"))], None));
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::ExchangeCategoryId => {
                for id in ["1", "2", "0"] {
                    variants.push((vec![("id", real(id))], None));
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::SitemapFile => {
                for part in ["site", "pages", "annuaire", "echanges"] {
                    variants.push((vec![("part", real(part)), ("n", real("0"))], None));
                }
                variants.push((vec![("part", real("annuaire")), ("n", Seg::Hostile)], None));
                variants.push((vec![("part", Seg::Hostile), ("n", real("0"))], None));
            }
            Target::DataFile => {
                for file in lieu_core::opendata::FILES {
                    variants.push((
                        vec![
                            ("format", real(file.format.dir())),
                            ("name", real(file.name)),
                        ],
                        None,
                    ));
                }
                variants.push((vec![("format", real("csv")), ("name", Seg::Hostile)], None));
                variants.push((vec![("format", Seg::Hostile), ("name", Seg::Hostile)], None));
            }
            Target::Place => {
                for place in ["79901", "79902", "territoire"] {
                    variants.push((vec![("place", real(place))], None));
                }
                variants.push((vec![("place", Seg::Hostile)], None));
            }
            Target::Day => {
                let today = lieu_store::now().date().format("%Y-%m-%d").to_string();
                for day in [today.as_str(), "1900-01-01", "2200-12-31"] {
                    variants.push((vec![("day", real(day))], None));
                }
                variants.push((vec![("day", Seg::Hostile)], None));
            }
            Target::Account => {
                for id in &targets.case.accounts {
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::Member => {
                for id in &targets.case.members {
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                // A team account has no member page.
                if let Some(id) = targets.case.accounts.first() {
                    variants.push((vec![("id", real(&id.to_string()))], None));
                }
                variants.push((vec![("id", Seg::Hostile)], None));
            }
            Target::ConfirmationToken => {
                variants.push((vec![("token", real(&targets.case.confirmation))], None));
                variants.push((vec![("token", real(&targets.case.invitation))], None));
                variants.push((vec![("token", Seg::Hostile)], None));
            }
            // A link of the other purpose is a well-formed link that opens nothing here.
            Target::InvitationToken | Target::ResetToken => {
                let (right, wrong) = (&targets.case.invitation, &targets.case.reset);
                let (right, wrong) = if route.target == Target::InvitationToken {
                    (right, wrong)
                } else {
                    (wrong, right)
                };
                variants.push((vec![("token", real(right))], None));
                variants.push((vec![("token", real(wrong))], None));
                variants.push((vec![("token", Seg::Hostile)], None));
            }
            // Notifications of the exchange space (issue 12): the right link, a wrong key,
            // another account's id, and hostile segments.
            Target::Unsubscribe => {
                let (user, key) = &targets.case.unsubscribe;
                let user = real(&user.to_string());
                variants.push((vec![("user", user.clone()), ("key", real(key))], None));
                variants.push((
                    vec![("user", user.clone()), ("key", real(&"0".repeat(64)))],
                    None,
                ));
                variants.push((vec![("user", real("1")), ("key", real(key))], None));
                variants.push((vec![("user", user), ("key", Seg::Hostile)], None));
                variants.push((vec![("user", Seg::Hostile), ("key", real(key))], None));
            }
            Target::Workshop => {
                let [ours, other] = targets.workshops.map(|id| real(&id.to_string()));
                if route.entry_form {
                    let kind = real(KIND_SEGMENTS[n % KIND_SEGMENTS.len()].0);
                    variants.push((vec![("id", ours.clone())], Some(kind.clone())));
                    variants.push((vec![("id", ours)], Some(Seg::Hostile)));
                    variants.push((vec![("id", other)], Some(kind.clone())));
                    variants.push((vec![("id", Seg::Hostile)], Some(kind)));
                } else {
                    variants.push((vec![("id", ours)], None));
                    variants.push((vec![("id", other)], None));
                    variants.push((vec![("id", Seg::Hostile)], None));
                }
            }
            Target::SandboxPage => {
                let [ours, other] = targets.workshops.map(|id| real(&id.to_string()));
                if !targets.sandbox.is_empty() {
                    let slug = real(&targets.sandbox[n % targets.sandbox.len()]);
                    variants.push((vec![("id", ours.clone()), ("slug", slug.clone())], None));
                    variants.push((vec![("id", other), ("slug", slug.clone())], None));
                    variants.push((vec![("id", Seg::Hostile), ("slug", slug)], None));
                }
                variants.push((
                    vec![("id", ours.clone()), ("slug", real("page-absente"))],
                    None,
                ));
                variants.push((vec![("id", ours), ("slug", Seg::Hostile)], None));
            }
            Target::PracticeSubmission => {
                let [ours, other] = targets.workshops.map(|id| real(&id.to_string()));
                // The three decisions, one after the other in the table, go to three different
                // waiting submissions.
                for statuses in SUBMISSION_GROUPS {
                    if let Some(pid) = Targets::nth_in(&targets.practice, statuses, n + index) {
                        variants.push((
                            vec![("id", ours.clone()), ("pid", real(&pid.to_string()))],
                            None,
                        ));
                    }
                }
                if let Some((pid, _)) = targets.practice.first() {
                    let pid = real(&pid.to_string());
                    variants.push((vec![("id", other), ("pid", pid.clone())], None));
                    variants.push((vec![("id", Seg::Hostile), ("pid", pid)], None));
                }
                variants.push((vec![("id", ours), ("pid", Seg::Hostile)], None));
            }
            Target::PracticeMail => {
                let [ours, other] = targets.workshops.map(|id| real(&id.to_string()));
                if !targets.practice_mails.is_empty() {
                    let mid = targets.practice_mails[n % targets.practice_mails.len()];
                    let mid = real(&mid.to_string());
                    variants.push((vec![("id", ours.clone()), ("mid", mid.clone())], None));
                    variants.push((vec![("id", other), ("mid", mid)], None));
                }
                variants.push((vec![("id", ours), ("mid", Seg::Hostile)], None));
            }
        }
        let csrf_modes: &[Csrf] = if route.verb == Verb::Post {
            &[Csrf::Valid, Csrf::Forged]
        } else {
            &[Csrf::Valid]
        };
        let senders = senders(route, n);
        for (params, entry_type) in variants {
            for &who in &senders {
                for &csrf in csrf_modes {
                    all.push(Probe {
                        route,
                        who,
                        csrf,
                        params: params.clone(),
                        entry_type: entry_type.clone(),
                    });
                }
            }
        }
    }
    all
}

// ---------------------------------------------------------------------------------------------
// Panics: recorded with their location, wherever they happen (a handler on the test's thread,
// or a `web::block` closure on a blocking thread, which the handler turns into a 500).

struct Recorded {
    message: String,
    location: String,
}

static PANICS: Mutex<Vec<Recorded>> = Mutex::new(Vec::new());
/// The two backends' runs must not interleave: panics of blocking threads land in one list.
static ONE_RUN_AT_A_TIME: Mutex<()> = Mutex::new(());

thread_local! {
    static IN_REQUEST: Cell<bool> = const { Cell::new(false) };
}

fn record_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                .unwrap_or_default();
            let thread = std::thread::current();
            let of_a_request =
                IN_REQUEST.with(Cell::get) || thread.name().is_some_and(|n| n.starts_with("tokio"));
            if of_a_request {
                PANICS
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Recorded { message, location });
            } else {
                default(info);
            }
        }));
    });
}

fn take_panics() -> Vec<Recorded> {
    std::mem::take(&mut *PANICS.lock().unwrap_or_else(|e| e.into_inner()))
}

// ---------------------------------------------------------------------------------------------
// Running a probe.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Answered(StatusCode),
    /// The handler panicked on the request's own task: the real server drops the connection.
    Dropped,
}

/// A failed request: what came back, and the panics it caused (message, location).
#[derive(Debug, Clone)]
struct Failure {
    /// The request that failed (the POST, or the redirect it led to).
    request: String,
    outcome: Outcome,
    panics: Vec<(String, String)>,
}

impl Failure {
    /// What makes two failures the same bug: the route and where it panicked (or its status).
    fn signature(&self, probe: &Probe) -> String {
        let place = match self.panics.first() {
            Some((_, location)) => location.clone(),
            None => format!("{:?}", self.outcome),
        };
        format!("{:?} {} → {place}", probe.route.verb, probe.route.path)
    }
}

/// What came back: the status, the `Location`, and the session cookie set, if any.
type Answer = (StatusCode, Option<String>, Option<String>);

/// Sends one request to the app.
type Call = Rc<dyn Fn(TestRequest) -> Pin<Box<dyn Future<Output = Answer>>>>;

/// A lieu with the demo content, one account per role and two workshops.
struct Site {
    // Dropped in this order: the app, its state, then the database.
    call: Call,
    state: web::Data<AppState>,
    /// The accounts of the whole run, and the workshops (see [`Targets::workshops`]).
    fixture: Fixture,
    _db: Db,
}

#[derive(Debug, Clone)]
struct Fixture {
    users: Vec<(Who, i32)>,
    workshops: [i32; 2],
}

impl Fixture {
    fn user(&self, who: Who) -> lieu_core::UserId {
        self.users
            .iter()
            .find(|(w, _)| *w == who)
            .map(|&(_, id)| lieu_core::UserId(id))
            .unwrap_or_else(|| panic!("no account for {who:?}"))
    }
}

/// The rows a case's requests act on besides the submissions, made for each case: the
/// previous case may have closed, deleted or used them.
#[derive(Debug, Clone, Default)]
struct CaseRows {
    /// Accounts on the admins' pages: an open one, one still invited, a practice account.
    accounts: Vec<i32>,
    /// The token of an invitation link, and of a password-reset link.
    invitation: String,
    reset: String,
    /// The case's own accounts ([`Who::Spare`], [`Who::Leaving`]).
    users: Vec<(Who, i32)>,
    /// An account's one-click unsubscribe link: its id and key (issue 12).
    unsubscribe: (i32, String),
    /// Members for the agents' pages (one with posts), and the token of a link that confirms
    /// the address of one of them.
    members: Vec<i32>,
    confirmation: String,
    /// Threads of the exchange space made for the case (a held one, an answered question
    /// with a reply), and their posts.
    threads: Vec<i32>,
    posts: Vec<i32>,
}

/// The site's configuration: the demo's content folder, for the workshops' material.
fn config() -> WebConfig {
    WebConfig {
        content_dir: lieu_tests::wiki_content_dir(),
        ..WebConfig::default()
    }
}

enum Db {
    /// The first site of a run: a [`TestApp`].
    Test(#[allow(dead_code)] TestApp),
    /// A SQLite site opened again from the template of the first one.
    Copy(#[allow(dead_code)] tempfile::TempDir),
}

impl Site {
    /// A new site: the demo imported (as `lieu serve` does on an empty database) and the
    /// accounts created. On SQLite, `template` receives a copy of the database, to open the
    /// same site again quickly.
    async fn create(backend: Backend, template: &std::path::Path) -> Site {
        let app = TestApp::with_config(backend, config()).await;
        app.import_wiki_content();
        // Searches that found nothing, for the agents' page of them.
        app.store()
            .write(|c| {
                for text in ["alloc", "velo electrique", "<b>x</b>"] {
                    lieu_store::search::record_miss(c, text, app.today())?;
                }
                Ok(())
            })
            .expect("record misses");
        // Messages of the mail outbox, for the agents' page of it: one waiting, one given up.
        app.store()
            .write(|c| {
                for to in ["asso@example.org", "pas une adresse"] {
                    let mail = lieu_mail::templates::test_message("<b>Lieu</b>", "http://x", to);
                    lieu_store::mail::enqueue(c, &mail, app.now())?;
                }
                Ok(())
            })
            .expect("write messages");
        app.send_mail();
        let mut users: Vec<(Who, i32)> = [
            (Who::Editor, Role::Editor),
            (Who::Agent, Role::Agent),
            (Who::Admin, Role::Admin),
            (Who::Trainer, Role::Trainer),
        ]
        .into_iter()
        .map(|(who, role)| {
            let email = format!("{}@example.org", role.as_str());
            (who, create_user(app.store(), &email, role))
        })
        .collect();
        // A member of the exchange space, its address confirmed.
        let member = create_user(app.store(), "member@example.org", Role::Member);
        app.store()
            .write(|c| {
                diesel::update(lieu_store::schema::users::table.find(member))
                    .set(lieu_store::schema::users::email_confirmed_at.eq(Some(app.now())))
                    .execute(c)?;
                Ok(())
            })
            .expect("confirm the member's address");
        users.push((Who::Member, member));
        // The trainer's workshop, tomorrow (its participants' accounts work until its end),
        // with every page of the material folder and two seats; and an administrator's.
        let workshops =
            [(Who::Trainer, 2, usize::MAX), (Who::Admin, 1, 1)].map(|(who, seats, pages)| {
                let by = users.iter().find(|(w, _)| *w == who).expect("an account").1;
                create_workshop(&app.state, lieu_core::UserId(by), who, seats, pages)
            });
        let trainee = app
            .store()
            .read(|c| {
                Ok(workshop_seats::table
                    .filter(workshop_seats::workshop_id.eq(workshops[0]))
                    .filter(workshop_seats::number.eq(1))
                    .select(workshop_seats::user_id)
                    .first::<i32>(c)?)
            })
            .expect("the trainee's seat");
        users.push((Who::Trainee, trainee));
        if backend == Backend::Sqlite {
            let into = template.display().to_string().replace('\'', "''");
            app.store()
                .read(|c| Ok(c.batch_execute(&format!("VACUUM INTO '{into}'"))?))
                .expect("copy the database");
        }
        Site::serve(
            app.state.clone(),
            Fixture { users, workshops },
            Db::Test(app),
        )
        .await
    }

    /// The site of `create` again, from its SQLite template (much faster than importing).
    async fn reopen(template: &std::path::Path, fixture: Fixture) -> Site {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("lieu.sqlite3");
        std::fs::copy(template, &path).expect("copy the template");
        // Two connections: one request at a time, and each one opened costs pragmas.
        let store = Store::open(&format!("sqlite://{}", path.display()), 2).expect("open the copy");
        let search = lieu_search::SearchIndex::in_memory(&store).expect("search index");
        Site::serve(
            AppState::new(
                store,
                std::sync::Arc::new(search),
                lieu_tests::memory_mail().1,
                config(),
            ),
            fixture,
            Db::Copy(dir),
        )
        .await
    }

    async fn serve(state: web::Data<AppState>, fixture: Fixture, db: Db) -> Site {
        let service = Rc::new(test::init_service(lieu_web::app(state.clone())).await);
        let call: Call = Rc::new(move |req: TestRequest| {
            let service = Rc::clone(&service);
            Box::pin(async move {
                match service.call(req.to_request()).await {
                    Ok(res) => {
                        let status = res.status();
                        let location = res
                            .headers()
                            .get(header::LOCATION)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let session = res
                            .response()
                            .cookies()
                            .find(|c| c.name() == "lieu_session")
                            .map(|c| c.value().to_owned());
                        // The whole body: a streamed body could still fail.
                        let _ = test::read_body(res).await;
                        (status, location, session)
                    }
                    Err(e) => (e.as_response_error().status_code(), None, None),
                }
            })
        });
        Site {
            call,
            state,
            fixture,
            _db: db,
        }
    }

    fn store(&self) -> &Store {
        &self.state.store
    }

    /// Submissions with private links this test knows, one in each state a link can be in:
    /// waiting (a new entry, and a correction of a published one), changes requested, approved
    /// (its entry published), rejected and withdrawn. Made for each case `n`: the previous
    /// case's decisions closed the others and gave their senders new links.
    fn add_submissions(&self, n: usize) -> Vec<String> {
        let agent = self.fixture.user(Who::Agent);
        let author = lieu_store::wiki::Author {
            id: Some(agent),
            name: "agent".into(),
            at: self.state.clock.now(),
        };
        let (now, today) = (self.state.clock.now(), self.state.clock.today());
        let kind: Kind = KIND_SEGMENTS[n % KIND_SEGMENTS.len()]
            .0
            .parse()
            .expect("a kind");
        let tokens: Vec<String> = (0..6).map(|i| format!("{n:032x}{i:032x}")).collect();
        self.store()
            .write(|c| {
                let published = entries::table
                    .filter(entries::status.eq("published"))
                    .select((entries::id, entries::kind))
                    .order(entries::id)
                    .load::<(i32, String)>(c)?;
                let target = &published[n % published.len()];
                let proposals = [
                    (kind, None, "Atelier proposé"),
                    (
                        target.1.parse().expect("a kind"),
                        Some(target.0),
                        "Correction proposée",
                    ),
                    (Kind::Association, None, "Association à préciser"),
                    (Kind::Association, None, "Association approuvée"),
                    (Kind::Association, None, "Association refusée"),
                    (Kind::Association, None, "Association retirée"),
                ];
                let mut ids = Vec::new();
                for ((kind, target_entry_id, title), token) in proposals.into_iter().zip(&tokens) {
                    let form = EntryForm {
                        title: format!("{title} {n}"),
                        commune: "79901".into(),
                        summary: "Des ateliers le mardi soir.".into(),
                        ..EntryForm::default()
                    };
                    let sender = SenderContact {
                        name: "Jeanne Dupré".into(),
                        organisation: "Les Fils d’Aubin".into(),
                        email: "jeanne@example.org".into(),
                        phone: String::new(),
                    };
                    let digest = auth::token_digest(token);
                    let new = NewSubmission {
                        kind,
                        target_entry_id,
                        form: &form,
                        sender: &sender,
                        token_digest: &digest,
                    };
                    ids.push(subs::create(c, &new, &[], now)?.id);
                }
                let moved = [
                    subs::request_changes(c, ids[2], 1, "Précisez.", agent, &[], now)?.is_ok(),
                    subs::approve(
                        c,
                        ids[3],
                        1,
                        None,
                        None,
                        &author,
                        "Proposition",
                        today,
                        now,
                        |_| Vec::new(),
                    )?
                    .is_ok(),
                    subs::reject(c, ids[4], 1, RejectReason::Commercial, "", agent, &[], now)?
                        .is_ok(),
                    subs::withdraw(c, ids[5], 1, &[], now)?.is_ok(),
                ];
                assert!(moved.iter().all(|m| *m), "submissions moved: {moved:?}");
                Ok(())
            })
            .expect("write the submissions");
        tokens
    }

    /// The rows of [`CaseRows`] for case `n`: an open account and an invited one for the
    /// admins' pages, an invitation link and a reset link this test knows, and the case's own
    /// accounts (of a role that changes with the case).
    fn add_accounts(&self, n: usize) -> CaseRows {
        let admin = self.fixture.user(Who::Admin);
        let trainee = self.fixture.user(Who::Trainee).0;
        let now = self.state.clock.now();
        // 64 hexadecimal characters, as the site's links; not those of `add_submissions`.
        let token = |i: usize| format!("{n:032x}{:032x}", 0x100 + i);
        let (invitation, reset) = (token(0), token(1));
        let role = |i: usize| Role::ASSIGNABLE[(n + i) % Role::ASSIGNABLE.len()];
        // Every other case, the leaving account is a member with a post (issue 12): kept
        // under the neutral name or erased.
        let leaving_role = if n % 2 == 1 { Role::Member } else { role(2) };
        self.store()
            .write(|c| {
                let invite = |c: &mut lieu_store::DbConn, email: &str, token: &str| {
                    let mail = lieu_mail::templates::test_message("Lieu", "http://x", email);
                    let digest = auth::token_digest(token);
                    let invitation = accounts::Invitation {
                        email,
                        role: Role::Editor,
                        link: accounts::NewLink {
                            token_digest: &digest,
                            expires_at: now + chrono::Duration::days(7),
                        },
                        mail: &mail,
                    };
                    Ok::<_, lieu_store::StoreError>(
                        accounts::invite(c, &invitation, admin, now)?.id,
                    )
                };
                let managed = insert_user(c, &format!("geree-{n}@example.org"), role(0))?;
                let invited = invite(c, &format!("invitee-{n}@example.org"), &token(2))?;
                invite(c, &format!("rejoindre-{n}@example.org"), &invitation)?;
                let forgetful = format!("oubli-{n}@example.org");
                insert_user(c, &forgetful, Role::Editor)?;
                let digest = auth::token_digest(&reset);
                let link = accounts::NewLink {
                    token_digest: &digest,
                    expires_at: now + chrono::Duration::minutes(30),
                };
                let sent = accounts::request_reset(c, &forgetful, &link, now, |user| {
                    lieu_mail::templates::test_message("Lieu", "http://x", &user.email)
                })?;
                assert!(sent, "a reset link for {forgetful}");
                let users = vec![
                    (
                        Who::Spare,
                        insert_user(c, &format!("compte-{n}@example.org"), role(1))?,
                    ),
                    (
                        Who::Leaving,
                        insert_user(c, &format!("depart-{n}@example.org"), leaving_role)?,
                    ),
                ];
                // The spare account's unsubscribe link (notifications, issue 12).
                let spare = users[0].1;
                let key =
                    lieu_store::notifications::mail_key(c, lieu_core::UserId(spare), &token(3))?;
                // Members (issue 12): one waiting for its confirmation link, one with posts.
                let member = insert_user(c, &format!("membre-{n}@example.org"), Role::Member)?;
                let member_row = users::by_id(c, lieu_core::UserId(member))?
                    .ok_or(lieu_store::StoreError::NotFound)?;
                let confirmation = token(3);
                let digest = auth::token_digest(&confirmation);
                accounts::resend_confirmation(
                    c,
                    &member_row,
                    &accounts::NewLink {
                        token_digest: &digest,
                        expires_at: now + chrono::Duration::hours(48),
                    },
                    now,
                    |user| lieu_mail::templates::test_message("Lieu", "http://x", &user.email),
                )?;
                let poster = insert_user(c, &format!("auteur-{n}@example.org"), Role::Member)?;
                diesel::update(lieu_store::schema::users::table.find(poster))
                    .set(lieu_store::schema::users::email_confirmed_at.eq(Some(now)))
                    .execute(c)?;
                let poster_row = users::by_id(c, lieu_core::UserId(poster))?
                    .ok_or(lieu_store::StoreError::NotFound)?;
                // The fixture's member (issue 12): new, trusted, then suspended, by turns.
                {
                    use lieu_store::schema::users as u;
                    let (approved, suspended) = match n % 3 {
                        0 => (0, None),
                        1 => (50, None),
                        _ => (50, Some(now + chrono::Duration::days(1))),
                    };
                    let reason = if suspended.is_some() {
                        "<b>Publicité</b> répétée"
                    } else {
                        ""
                    };
                    diesel::update(u::table.find(self.fixture.user(Who::Member).0))
                        .set((
                            u::approved_posts.eq(approved),
                            u::suspended_until.eq(suspended),
                            u::suspension_reason.eq(reason),
                        ))
                        .execute(c)?;
                    if leaving_role == Role::Member {
                        diesel::update(u::table.find(users[1].1))
                            .set((
                                u::email_confirmed_at.eq(Some(now)),
                                u::approved_posts.eq(50),
                            ))
                            .execute(c)?;
                    }
                }
                let (mut threads, mut posts) = (Vec::new(), Vec::new());
                if let Some(category) = lieu_store::exchange::categories(c, false)?.first() {
                    let subject = lieu_core::exchange::Subject::Category(category.id);
                    let question = lieu_core::exchange::ThreadKind::Question;
                    let (held, first) = lieu_store::exchange::start_thread(
                        c,
                        &poster_row,
                        subject,
                        "Question",
                        question,
                        "Comment faire ?",
                        now,
                    )?;
                    threads.push(held.id);
                    posts.push(first.id);
                    // An answered question of the team, with a reply.
                    let agent =
                        insert_user(c, &format!("agent-echanges-{n}@example.org"), Role::Agent)?;
                    let agent = users::by_id(c, lieu_core::UserId(agent))?
                        .ok_or(lieu_store::StoreError::NotFound)?;
                    let (thread, first) = lieu_store::exchange::start_thread(
                        c,
                        &agent,
                        subject,
                        "Carte grise",
                        question,
                        "Comment la refaire ?",
                        now,
                    )?;
                    let reply = lieu_store::exchange::reply(
                        c,
                        &agent,
                        thread.thread_id(),
                        "En ligne.",
                        None,
                        false,
                        now,
                    )?;
                    lieu_store::exchange::mark_answer(
                        c,
                        &agent,
                        true,
                        thread.thread_id(),
                        Some(reply.post_id()),
                        now,
                    )?;
                    threads.push(thread.id);
                    posts.extend([first.id, reply.id]);
                    if leaving_role == Role::Member {
                        let leaving = users::by_id(c, lieu_core::UserId(users[1].1))?
                            .ok_or(lieu_store::StoreError::NotFound)?;
                        lieu_store::exchange::start_thread(
                            c,
                            &leaving,
                            subject,
                            "Mon adresse",
                            question,
                            "J’habite au 3 rue des Lilas, appelez-moi.",
                            now,
                        )?;
                    }
                }
                Ok(CaseRows {
                    accounts: vec![managed, invited, trainee],
                    invitation,
                    reset,
                    users,
                    unsubscribe: (spare, key),
                    members: vec![member, poster],
                    confirmation,
                    threads,
                    posts,
                })
            })
            .expect("write the case's accounts")
    }

    /// Practice submissions of the test's workshop, in each state a trainer sees (three waiting,
    /// one for each decision; changes requested, approved, rejected), each with its practice
    /// message. Made for each case: the previous case's decisions closed the others, and a
    /// reset emptied the sandbox.
    fn add_practice(&self, n: usize) {
        let workshop = lieu_core::workshop::WorkshopId(self.fixture.workshops[0]);
        let trainer = self.fixture.user(Who::Trainer);
        let trainee = self.fixture.user(Who::Trainee);
        let now = self.state.clock.now();
        let kind: Kind = KIND_SEGMENTS[n % KIND_SEGMENTS.len()]
            .0
            .parse()
            .expect("a kind");
        let mail = |to: &str| vec![lieu_mail::templates::test_message("Lieu", "http://x", to)];
        self.store()
            .write(|c| {
                let mut ids = Vec::new();
                for i in 0..6 {
                    let form = EntryForm {
                        title: format!("Entraînement {n}.{i}"),
                        commune: "79901".into(),
                        summary: "Des ateliers le mardi soir.".into(),
                        ..EntryForm::default()
                    };
                    let new = workshops::NewPracticeSubmission {
                        workshop,
                        kind,
                        form: &form,
                        sender_name: "Marcel Test",
                        sender_email: "marcel@example.org",
                        created_by: Some(trainee),
                    };
                    ids.push(workshops::submit(c, &new, |s| mail(&s.sender_email), now)?.id);
                }
                for (id, decision) in ids[3..].iter().zip([
                    Decision::RequestChanges,
                    Decision::Approve,
                    Decision::Reject,
                ]) {
                    let id = lieu_core::workshop::PracticeSubmissionId(*id);
                    let decided = workshops::decide(
                        c,
                        workshop,
                        id,
                        1,
                        decision,
                        "Précisez.",
                        "Précisez.",
                        Some(trainer),
                        |s| mail(&s.sender_email),
                        now,
                    )?;
                    assert!(decided.is_ok(), "practice submission {id:?}: {decision:?}");
                }
                Ok(())
            })
            .expect("write the practice submissions");
    }
}

/// The password hash of [`lieu_tests::PASSWORD`], made once for the whole run (hashing is slow
/// on purpose, and the site is opened again after each panic).
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password(lieu_tests::PASSWORD).expect("hash"))
}

/// An account with [`lieu_tests::PASSWORD`], named after its role.
fn insert_user(
    c: &mut lieu_store::DbConn,
    email: &str,
    role: Role,
) -> Result<i32, lieu_store::StoreError> {
    Ok(users::insert(
        c,
        &users::NewUser {
            email,
            name: role.as_str(),
            role: role.as_str(),
            password_hash: password_hash(),
            disabled: 0,
            created_at: lieu_store::now(),
        },
    )?
    .id)
}

fn create_user(store: &Store, email: &str, role: Role) -> i32 {
    store
        .write(|c| insert_user(c, email, role))
        .expect("create user")
}

/// A workshop of tomorrow run by `trainer`, with `seats` practice accounts (their password is
/// [`lieu_tests::PASSWORD`]) and the first `pages` pages of the material folder.
fn create_workshop(
    state: &AppState,
    trainer: lieu_core::UserId,
    who: Who,
    seats: usize,
    pages: usize,
) -> i32 {
    let now = state.clock.now();
    let material: Vec<_> = workshops::read_material(&state.config.content_dir)
        .into_iter()
        .take(pages)
        .collect();
    assert!(!material.is_empty(), "the workshops' material folder");
    let valid = lieu_core::workshop::ValidWorkshop {
        title: format!("Atelier <b>{who:?}</b>"),
        day: state.clock.today() + chrono::Duration::days(1),
        participants: i32::try_from(seats).expect("seats"),
        material: material.iter().map(|m| m.file.clone()).collect(),
    };
    let seats: Vec<(String, String)> = (0..seats)
        .map(|_| (lieu_tests::PASSWORD.to_owned(), password_hash().to_owned()))
        .collect();
    let author = lieu_store::wiki::Author {
        id: Some(trainer),
        name: format!("{who:?}"),
        at: now,
    };
    state
        .store
        .write(|c| {
            workshops::create(
                c,
                &workshops::NewWorkshop {
                    workshop: &valid,
                    trainer: &author,
                    seats: &seats,
                    trainee_name: "Participant",
                    material: &material,
                },
                now,
            )
        })
        .expect("create a workshop")
        .id
}

struct Runner {
    backend: Backend,
    site: Site,
    /// Folder of the SQLite template of the site.
    template: tempfile::TempDir,
    /// A panic happened in the store's blocking work: the site is opened afresh before the next
    /// request. (A panic inside `Store::write` can leave its connection inside a transaction
    /// that holds SQLite's write lock, and every later write would wait for it; that bug is
    /// not this test's subject.)
    panicked: bool,
    csrf_token: String,
    /// Session token of each logged-in role.
    sessions: Vec<(Who, String)>,
    /// The private links of the submissions this test made.
    tokens: Vec<String>,
    /// What the current case made.
    case: CaseRows,
    peer: u32,
    requests: u64,
    reopened: u64,
}

impl Runner {
    /// Fresh sessions for the logged-in roles (a previous case may have logged them out).
    fn new_sessions(&mut self) {
        self.sessions.clear();
        let users: Vec<(Who, i32)> = self
            .site
            .fixture
            .users
            .iter()
            .chain(&self.case.users)
            .copied()
            .collect();
        for (who, user_id) in users {
            let token = auth::random_token();
            let digest = auth::token_digest(&token);
            self.site
                .store()
                .write(|c| {
                    let now = lieu_store::now();
                    sessions::insert(
                        c,
                        &sessions::NewSession {
                            token_digest: &digest,
                            user_id,
                            created_at: now,
                            expires_at: now + chrono::Duration::days(1),
                        },
                    )?;
                    Ok(())
                })
                .expect("create a session");
            self.sessions.push((who, token));
        }
    }

    /// A referencing form sent with [`stamp`] and plausible fields is recorded: else every probe
    /// of the form would stop at the spam check, and this test would not see it.
    async fn check_the_stamp(&mut self) {
        let stamp = stamp(&self.site.state, &self.csrf_token);
        let body = serde_urlencoded::to_string([
            ("csrf", self.csrf_token.as_str()),
            ("debut", &stamp),
            ("type", "association"),
            ("title", "Association de la vérification"),
            ("commune", "79901"),
            ("summary", "Une association du territoire."),
            ("sender_name", "Jeanne Dupré"),
            ("sender_email", "jeanne@example.org"),
            ("consent", "oui"),
        ])
        .expect("form encoding");
        let (outcome, location) = self
            .send(Who::Anonymous, Method::POST, "/referencer", Some(body))
            .await;
        let token = location
            .as_deref()
            .and_then(|l| l.strip_prefix("/suivi/"))
            .and_then(|l| l.split('?').next());
        match (outcome, token) {
            (Outcome::Answered(StatusCode::SEE_OTHER), Some(token)) => {
                self.tokens.push(token.to_owned());
            }
            (outcome, _) => panic!(
                "the referencing form with this test's stamp was not recorded ({outcome:?}, \
                 {location:?}): see `stamp`"
            ),
        }
    }

    async fn reopen_if_panicked(&mut self) {
        if self.panicked {
            let template = self.template.path().join("template.sqlite3");
            self.site = match self.backend {
                Backend::Sqlite => Site::reopen(&template, self.site.fixture.clone()).await,
                Backend::Postgres => Site::create(self.backend, &template).await,
            };
            self.panicked = false;
            self.reopened += 1;
            // The case's rows are not in the new site.
            self.case = CaseRows::default();
            self.new_sessions();
        }
    }

    async fn send(
        &mut self,
        who: Who,
        method: Method,
        uri: &str,
        body: Option<String>,
    ) -> (Outcome, Option<String>) {
        self.requests += 1;
        // Each request from its own address, so that the login limiter never stops the run.
        self.peer = self.peer.wrapping_add(1);
        let peer = format!(
            "10.{}.{}.{}:40000",
            (self.peer >> 16) & 0xff,
            (self.peer >> 8) & 0xff,
            self.peer & 0xff
        );
        let mut cookies = vec![format!("lieu_csrf={}", self.csrf_token)];
        if let Some((_, token)) = self.sessions.iter().find(|(w, _)| *w == who) {
            cookies.push(format!("lieu_session={token}"));
        }
        let mut req = TestRequest::default()
            .method(method)
            .uri(uri)
            .peer_addr(peer.parse().expect("peer address"))
            .insert_header((header::COOKIE, cookies.join("; ")));
        if let Some(body) = body {
            req = req
                .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .set_payload(body);
        }
        // On its own task, so that a panic in the handler is caught as the server would
        // (it drops the connection) instead of ending this test.
        IN_REQUEST.with(|c| c.set(true));
        let answer = actix_web::rt::spawn((self.site.call)(req)).await;
        IN_REQUEST.with(|c| c.set(false));
        match answer {
            Ok((status, location, session)) => {
                // The case's own account keeps the new session its password change gives it.
                // (The others keep theirs: a link followed while logged in opens another
                // account, and an anonymous visitor stays anonymous for this test.)
                if let Some(token) = session.filter(|t| !t.is_empty() && who == Who::Spare)
                    && let Some(entry) = self.sessions.iter_mut().find(|(w, _)| *w == who)
                {
                    entry.1 = token;
                }
                (Outcome::Answered(status), location)
            }
            Err(_) => (Outcome::Dropped, None),
        }
    }

    /// Sends the probe and, after a redirect within the site, the GET that follows it (the
    /// saved page or entry is shown there). Returns the first failure.
    async fn run(&mut self, probe: &Probe, inputs: &Inputs) -> Option<Failure> {
        self.reopen_if_panicked().await;
        take_panics();
        let uri = probe.path(inputs);
        let stamp = stamp(&self.site.state, &self.csrf_token);
        let body =
            (probe.route.verb == Verb::Post).then(|| probe.body(inputs, &self.csrf_token, &stamp));
        let shown = request_line(&probe.route.verb.method(), &uri, body.as_deref(), probe.who);
        let (outcome, location) = self
            .send(probe.who, probe.route.verb.method(), &uri, body)
            .await;
        if let Some(failure) = self.failure(shown, outcome.clone()) {
            return Some(failure);
        }
        let redirected = matches!(outcome, Outcome::Answered(s) if s.is_redirection());
        match location {
            Some(to) if redirected && to.starts_with('/') && !to.starts_with("//") => {
                let (outcome, _) = self.send(probe.who, Method::GET, &to, None).await;
                self.failure(request_line(&Method::GET, &to, None, probe.who), outcome)
            }
            _ => None,
        }
    }

    /// The failure of a request, if it failed: a status of 500 or more, a panic anywhere, or
    /// no answer at all.
    fn failure(&mut self, request: String, outcome: Outcome) -> Option<Failure> {
        let panics: Vec<(String, String)> = take_panics()
            .into_iter()
            .map(|p| (p.message, p.location))
            .collect();
        // Only a panic off the request's task can be inside a `Store::write` (handlers reach
        // the store through `web::block`, which turns the panic into a 500).
        self.panicked |= !panics.is_empty() && outcome != Outcome::Dropped;
        let failed = match outcome {
            Outcome::Answered(status) => status.is_server_error() || !panics.is_empty(),
            Outcome::Dropped => true,
        };
        failed.then_some(Failure {
            request,
            outcome,
            panics,
        })
    }
}

/// A request as a line of the report (long values cut).
fn request_line(method: &Method, uri: &str, body: Option<&str>, who: Who) -> String {
    let cut = |s: &str| {
        if s.len() > 600 {
            let mut end = 600;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}… ({} bytes)", &s[..end], s.len())
        } else {
            s.to_owned()
        }
    };
    match body {
        Some(body) => format!("{method} {} as {who:?}, body: {}", cut(uri), cut(body)),
        None => format!("{method} {} as {who:?}", cut(uri)),
    }
}

// ---------------------------------------------------------------------------------------------
// Shrinking and the run.

/// Requests one failure may spend on shrinking.
const SHRINK_BUDGET: usize = 400;

fn proptest_config() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

/// The smallest inputs that still fail the same way: first drop every field the failure does
/// not need, then shrink the others through their value trees.
async fn shrink(
    runner: &mut Runner,
    probe: &Probe,
    mut case: Case,
    start: (Inputs, Failure),
    signature: &str,
) -> (Inputs, Failure) {
    let mut best = start;
    let mut budget = SHRINK_BUDGET;
    let mut needed = Vec::new();
    for i in probe.reads() {
        if best.0.0[i].is_empty() {
            continue;
        }
        let mut trial = best.0.clone();
        trial.0[i] = Vec::new();
        budget = budget.saturating_sub(1);
        match runner.run(probe, &trial).await {
            Some(f) if f.signature(probe) == signature => best = (trial, f),
            _ => needed.push(i),
        }
    }
    for i in needed {
        let tree = &mut case.trees[i];
        if !tree.simplify() {
            continue;
        }
        while budget > 0 {
            budget -= 1;
            let mut trial = best.0.clone();
            trial.0[i] = tree.current();
            let moved = match runner.run(probe, &trial).await {
                Some(f) if f.signature(probe) == signature => {
                    best = (trial, f);
                    tree.simplify()
                }
                _ => tree.complicate(),
            };
            if !moved {
                break;
            }
        }
    }
    best
}

/// A distinct failure, shrunk.
struct Found {
    probe: Probe,
    inputs: Inputs,
    failure: Failure,
}

impl Found {
    fn report(&self) -> String {
        let mut s = String::new();
        let what = match (&self.failure.outcome, self.failure.panics.first()) {
            (Outcome::Dropped, Some((msg, at))) => {
                format!("handler panicked (connection dropped) at {at}: {msg}")
            }
            (Outcome::Dropped, None) => "handler panicked (connection dropped)".to_owned(),
            (Outcome::Answered(status), Some((msg, at))) => {
                format!("{status}, after a panic at {at}: {msg}")
            }
            (Outcome::Answered(status), None) => format!("{status}"),
        };
        let _ = writeln!(s, "{}\n    {what}", self.probe.describe());
        let _ = writeln!(s, "    request: {}", self.failure.request);
        let fields: Vec<String> = self
            .probe
            .reads()
            .into_iter()
            .filter(|&i| !self.inputs.0[i].is_empty())
            .map(|i| {
                let shown: Vec<String> = self.inputs.0[i]
                    .iter()
                    .map(|v| {
                        if v.len() > 200 {
                            let start: String = v.chars().take(60).collect();
                            format!("{start:?}… ({} bytes)", v.len())
                        } else {
                            format!("{v:?}")
                        }
                    })
                    .collect();
                format!("{}={}", FIELDS[i].key, shown.join(" & "))
            })
            .collect();
        let _ = writeln!(s, "    minimal fields: {}", fields.join(", "));
        s
    }
}

/// The bugs of issue 7, written out: every run checks them, however few its random cases.
const KNOWN: &[&[(&str, &str)]] = &[
    &[("periode", "date"), ("date", "+262142-12-31")],
    &[("mois", "+262142-12")],
    &[("mois", "-262143-01")],
    &[("starts_at", "+262142-12-31T23:00")],
    // Found by this test: a page embedding such a list cannot be shown to anyone.
    &[
        ("title", "Agenda"),
        (
            "body",
            "{{annuaire evenements periode=date date=+262142-12-31}}",
        ),
    ],
    &[("a", "-2147483648")],
    &[("rent", "4294967295"), ("charges", "1")],
    &[
        ("starts_at", "+262142-12-31T23:00"),
        ("ends_at", "+262142-12-31T23:00"),
        ("weekly_until", "+262142-12-31"),
    ],
    &[
        ("expires_on", "+262142-12-31"),
        ("published_on", "+262142-12-31"),
    ],
    &[("theme", "\0")],
];

/// Random cases of a run: `PROPTEST_CASES`, or 64 on SQLite (about a minute) and 16 on
/// PostgreSQL (each request costs several round trips there; the PostgreSQL run is for what
/// differs between the backends, not for more inputs).
fn cases(backend: Backend) -> usize {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(match backend {
            Backend::Sqlite => 64,
            Backend::Postgres => 16,
        })
}

fn seed_rng() -> TestRng {
    match std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(seed) => TestRng::from_seed(RngAlgorithm::ChaCha, &[seed.to_le_bytes(); 4].concat()),
        None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    }
}

// Holding a std mutex across awaits is what we want here: the other backend's run, on its own
// thread and runtime, waits for this one to end (see ONE_RUN_AT_A_TIME).
#[allow(clippy::await_holding_lock)]
async fn no_input_on_any_route_answers_5xx_or_drops_the_connection(backend: Backend) {
    let _one_run = ONE_RUN_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    record_panics();
    let template = tempfile::tempdir().expect("temporary folder");
    let mut runner = Runner {
        backend,
        site: Site::create(backend, &template.path().join("template.sqlite3")).await,
        template,
        panicked: false,
        csrf_token: auth::random_token(),
        sessions: Vec::new(),
        tokens: Vec::new(),
        case: CaseRows::default(),
        peer: 0,
        requests: 0,
        reopened: 0,
    };
    runner.check_the_stamp().await;
    let strategies: Vec<BoxedStrategy<Values>> = FIELDS.iter().map(|f| strategy(f.shape)).collect();
    let mut seeds = TestRunner::new_with_rng(proptest_config(), seed_rng());
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    let cases = cases(backend);

    for (n, case) in KNOWN
        .iter()
        .map(|known| Err(Inputs::only(known)))
        .chain((0..cases).map(Ok))
        .enumerate()
    {
        runner.reopen_if_panicked().await;
        runner.case = runner.site.add_accounts(n);
        runner.site.add_practice(n);
        runner.new_sessions();
        let made = runner.site.add_submissions(n);
        runner.tokens.extend(made);
        let targets = Targets::load(
            runner.site.store(),
            &runner.tokens,
            &runner.case,
            runner.site.fixture.workshops,
        );
        // A random case keeps the seed of its value trees, to rebuild them for shrinking.
        let (inputs, seed) = match case {
            Err(known) => (known, None),
            Ok(_) => {
                let seed = seeds.new_rng();
                let trees = Case::new(
                    &strategies,
                    &mut TestRunner::new_with_rng(proptest_config(), seed.clone()),
                );
                (trees.inputs(), Some(seed))
            }
        };
        for probe in probes(&targets, n, seed.is_none()) {
            let Some(failure) = runner.run(&probe, &inputs).await else {
                continue;
            };
            let signature = failure.signature(&probe);
            if found.contains_key(&signature) {
                continue;
            }
            let (inputs, failure) = match &seed {
                Some(seed) => {
                    let trees = Case::new(
                        &strategies,
                        &mut TestRunner::new_with_rng(proptest_config(), seed.clone()),
                    );
                    shrink(
                        &mut runner,
                        &probe,
                        trees,
                        (inputs.clone(), failure),
                        &signature,
                    )
                    .await
                }
                None => (inputs.clone(), failure),
            };
            found.insert(
                signature,
                Found {
                    probe,
                    inputs,
                    failure,
                },
            );
        }
    }
    let report: Vec<String> = found
        .values()
        .enumerate()
        .map(|(i, f)| format!("{}. {}", i + 1, f.report()))
        .collect();
    assert!(
        found.is_empty(),
        "{} distinct failures in {} requests ({} random cases and {} known ones, {backend:?}; \
         the site was reopened {} times after a panic):\n\n{}",
        found.len(),
        runner.requests,
        cases,
        KNOWN.len(),
        runner.reopened,
        report.join("\n")
    );
    // The member's requests ran as a member's: some of their posts were written.
    let member = runner.site.fixture.user(Who::Member).0;
    let member_posts: i64 = runner
        .site
        .store()
        .read(|c| {
            use lieu_store::schema::exchange_posts as ep;
            Ok(ep::table
                .filter(ep::author_id.eq(member))
                .count()
                .get_result(c)?)
        })
        .expect("count the member's posts");
    assert!(member_posts > 0, "the member sent no post that was written");
}
