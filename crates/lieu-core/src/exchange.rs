//! The exchange space's rules: where a thread lives, what a thread and a post may hold, who
//! waits for an agent's approval, how long an author may edit, `@name` mentions, report
//! reasons and the mail preferences of the people told. Errors are codes of the interface's
//! catalog.

use crate::Role;
use crate::entry::{clean, is_unprintable};
use crate::validation::Invalid;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use std::fmt;

/// Longest thread title, in characters.
pub const TITLE_MAX_CHARS: usize = 150;
/// Shortest thread title: "Aide ?" says too little to be found again.
pub const TITLE_MIN_CHARS: usize = 5;
/// Longest post, in characters (about ten printed pages).
pub const BODY_MAX_CHARS: usize = 20_000;
/// Longest detail of a report or reason of a moderation action.
pub const REASON_MAX_CHARS: usize = 1_000;
/// At most this many people are told of one post's mentions.
pub const MENTIONS_MAX: usize = 10;
/// Longest `@name`.
pub const HANDLE_MAX_CHARS: usize = 30;

macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name stored in the database and sent by forms.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// From the stored or submitted name; `None` for anything else.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stored_enum!(
    /// What a thread is for.
    ThreadKind {
        /// Asks something: its author or an agent marks the answer.
        Question = "question",
        /// Announces or discusses.
        Discussion = "discussion",
    }
);

stored_enum!(
    /// Who sees a post (and a thread, which follows its first post).
    PostState {
        /// Waits for an agent's approval: only its author and the moderators see it.
        Pending = "pending",
        Visible = "visible",
        /// Hidden by a moderator, by reports until an agent decides, or with a suspended
        /// member's posts: only its author and the moderators see it.
        Hidden = "hidden",
        /// Erased (its author's request or account deletion): the text is gone.
        Deleted = "deleted",
    }
);

stored_enum!(
    /// Why a post was reported.
    ReportReason {
        Spam = "spam",
        Abuse = "abuse",
        PersonalData = "personal_data",
        OffTopic = "off_topic",
        Other = "other",
    }
);

stored_enum!(
    /// How a person wants to be told of their notifications by e-mail.
    NotifyMail {
        /// One message per event.
        Each = "each",
        /// One digest a day.
        Daily = "daily",
        /// No e-mail: the notifications page only.
        None = "none",
    }
);

stored_enum!(
    /// What a notification tells.
    NotificationKind {
        /// Someone wrote `@name` of this person.
        Mention = "mention",
        /// A reply in a thread this person follows.
        Reply = "reply",
        /// A new thread where this person follows (a category, a page's or an entry's
        /// discussion).
        Thread = "thread",
        /// An agent approved this person's held post.
        Approved = "approved",
        /// This person's question got its answer.
        Answered = "answered",
        /// A moderator hid this person's post.
        Hidden = "hidden",
        /// This person's account was suspended.
        Suspended = "suspended",
    }
);

/// Where a thread lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Category(i32),
    /// A wiki page's own discussion.
    Page(i32),
    /// A directory entry's own discussion.
    Entry(i32),
    /// A workshop's practice space: never shown outside the workshop.
    Workshop(i32),
}

impl Subject {
    pub fn kind(self) -> &'static str {
        match self {
            Subject::Category(_) => "category",
            Subject::Page(_) => "page",
            Subject::Entry(_) => "entry",
            Subject::Workshop(_) => "workshop",
        }
    }

    pub fn id(self) -> i32 {
        match self {
            Subject::Category(id)
            | Subject::Page(id)
            | Subject::Entry(id)
            | Subject::Workshop(id) => id,
        }
    }

    pub fn from_parts(kind: &str, id: i32) -> Option<Subject> {
        match kind {
            "category" => Some(Subject::Category(id)),
            "page" => Some(Subject::Page(id)),
            "entry" => Some(Subject::Entry(id)),
            "workshop" => Some(Subject::Workshop(id)),
            _ => None,
        }
    }
}

/// The administrators' settings of the exchange space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// A new member's first posts wait for approval: how many.
    pub held_posts: i32,
    /// How long, in minutes, an author may edit their post.
    pub edit_minutes: i32,
    /// Distinct reports that hide a post until an agent decides.
    pub report_threshold: i32,
    /// Posts per hour allowed to a member at the first trust level.
    pub new_member_posts_per_hour: i32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            held_posts: 2,
            edit_minutes: 60,
            report_threshold: 3,
            new_member_posts_per_hour: 5,
        }
    }
}

impl Settings {
    /// The settings as typed on the administrators' form, each range-checked.
    pub fn parse(
        held_posts: &str,
        edit_minutes: &str,
        report_threshold: &str,
        posts_per_hour: &str,
    ) -> Result<Settings, Invalid> {
        let mut invalid = Invalid::default();
        let mut number = |field: &'static str, typed: &str, min: i32, max: i32| match typed
            .trim()
            .parse::<i32>(
        ) {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                invalid.add(field, "exchange.setting_out_of_range");
                min
            }
        };
        let settings = Settings {
            held_posts: number("held_posts", held_posts, 0, 50),
            edit_minutes: number("edit_minutes", edit_minutes, 0, 60 * 24 * 30),
            report_threshold: number("report_threshold", report_threshold, 1, 50),
            new_member_posts_per_hour: number("new_member_posts_per_hour", posts_per_hour, 1, 500),
        };
        invalid.into_result(settings)
    }
}

/// How far the site trusts an account in the exchange space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// A new member: posts wait for approval, carry no links and are rate-limited.
    New,
    /// Posts go out at once.
    Trusted,
}

/// A member is new until `held_posts` of their posts were approved; so is a workshop's
/// participant in the practice space (the trainer approves, as agents do for residents);
/// the team is trusted.
pub fn trust(role: Role, approved_posts: i32, settings: &Settings) -> Trust {
    let held_back = matches!(role, Role::Member | Role::Trainee);
    if !held_back || approved_posts >= settings.held_posts {
        Trust::Trusted
    } else {
        Trust::New
    }
}

/// Whether an author may still edit a post written at `created_at`.
pub fn within_edit_window(
    created_at: NaiveDateTime,
    now: NaiveDateTime,
    settings: &Settings,
) -> bool {
    created_at
        .checked_add_signed(TimeDelta::minutes(i64::from(settings.edit_minutes)))
        .is_some_and(|end| now < end)
}

/// A thread's title, cleaned (spaces and invisible characters), or an error on `title`.
pub fn title(typed: &str, invalid: &mut Invalid) -> String {
    let cleaned = clean(typed);
    let chars = cleaned.chars().count();
    if chars == 0 {
        invalid.add("title", "exchange.title_required");
    } else if chars < TITLE_MIN_CHARS {
        invalid.add("title", "exchange.title_too_short");
    } else if chars > TITLE_MAX_CHARS {
        invalid.add("title", "exchange.title_too_long");
    }
    cleaned
}

/// A post's Markdown: line ends made `\n`, invisible characters removed except line breaks
/// and tabs, trailing blank space trimmed; or an error on `body`.
pub fn body(typed: &str, invalid: &mut Invalid) -> String {
    let normalized: String = typed
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !is_unprintable(*c))
        .collect();
    let trimmed = normalized.trim_end().trim_start_matches('\n').to_owned();
    if trimmed.trim().is_empty() {
        invalid.add("body", "exchange.body_required");
    } else if trimmed.chars().count() > BODY_MAX_CHARS {
        invalid.add("body", "exchange.body_too_long");
    }
    trimmed
}

/// A short free text (a report's detail, a moderation reason), cleaned and bounded; an error
/// on `field` when `required` and empty.
pub fn reason(typed: &str, field: &'static str, required: bool, invalid: &mut Invalid) -> String {
    let cleaned = clean(typed);
    if required && cleaned.is_empty() {
        invalid.add(field, "exchange.reason_required");
    } else if cleaned.chars().count() > REASON_MAX_CHARS {
        invalid.add(field, "exchange.reason_too_long");
    }
    cleaned
}

/// The longest suspension, in days (about ten years).
pub const SUSPENSION_MAX_DAYS: i64 = 3650;
/// The longest reason of a suspension, which the member is shown.
pub const SUSPENSION_REASON_MAX_CHARS: usize = 500;

/// Until when a suspension typed as a number of days or a date (Paris) lasts, from `now`
/// (`today` in Paris), or adds an error.
pub fn suspension_end(
    days: &str,
    until: &str,
    now: NaiveDateTime,
    today: NaiveDate,
    invalid: &mut Invalid,
) -> Option<NaiveDateTime> {
    match (days.trim(), until.trim()) {
        ("", "") => {
            invalid.add("days", "members.duration_required");
            None
        }
        (days, "") => match days.parse::<i64>() {
            Ok(n) if (1..=SUSPENSION_MAX_DAYS).contains(&n) => {
                now.checked_add_signed(TimeDelta::days(n))
            }
            _ => {
                invalid.add("days", "members.days_invalid");
                None
            }
        },
        ("", until) => {
            let last = today.checked_add_signed(TimeDelta::days(SUSPENSION_MAX_DAYS));
            match NaiveDate::parse_from_str(until, "%Y-%m-%d") {
                Ok(date) if date > today && last.is_some_and(|last| date <= last) => {
                    Some(crate::entry::paris_to_utc(date.and_time(NaiveTime::MIN)))
                }
                _ => {
                    invalid.add("until", "members.until_invalid");
                    None
                }
            }
        }
        _ => {
            invalid.add("days", "members.duration_twice");
            None
        }
    }
}

/// The reason of a suspension, which the member reads: required, cleaned and bounded.
pub fn suspension_reason(typed: &str, invalid: &mut Invalid) -> String {
    let reason = clean(typed);
    if reason.is_empty() {
        invalid.add("reason", "members.reason_required");
    } else if reason.chars().count() > SUSPENSION_REASON_MAX_CHARS {
        invalid.add("reason", "members.reason_too_long");
    }
    reason
}

/// Longest name of a category, and of its description.
pub const CATEGORY_NAME_MAX_CHARS: usize = 80;
pub const CATEGORY_DESCRIPTION_MAX_CHARS: usize = 500;

/// A category's name and description as an administrator typed them, cleaned and checked
/// (the name makes the category's address, so it needs letters).
pub fn category(name: &str, description: &str, invalid: &mut Invalid) -> (String, String) {
    let name = clean(name);
    if name.is_empty() {
        invalid.add("name", "exchange.admin.name_required");
    } else if name.chars().count() > CATEGORY_NAME_MAX_CHARS {
        invalid.add("name", "exchange.admin.name_too_long");
    } else if crate::slug::slugify(&name).is_empty() {
        invalid.add("name", "title_needs_letters");
    }
    let description = clean(description);
    if description.chars().count() > CATEGORY_DESCRIPTION_MAX_CHARS {
        invalid.add("description", "exchange.admin.description_too_long");
    }
    (name, description)
}

/// The `@name` a person's display name suggests: lowercase ASCII letters and digits joined by
/// single hyphens ("Éloïse Dupré-Martin" → `eloise-dupre-martin`), at most
/// [`HANDLE_MAX_CHARS`]; `membre` when nothing is left.
pub fn handle_base(name: &str) -> String {
    let mut handle = String::new();
    for c in deunicode::deunicode(name).chars() {
        if c.is_ascii_alphanumeric() {
            handle.push(c.to_ascii_lowercase());
        } else if !handle.is_empty() && !handle.ends_with('-') {
            handle.push('-');
        }
        if handle.len() >= HANDLE_MAX_CHARS {
            break;
        }
    }
    let handle = handle.trim_matches('-').to_owned();
    if handle.is_empty() {
        "membre".to_owned()
    } else {
        handle
    }
}

/// Whether `c` can be part of an `@name`.
fn handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// The `@name`s a post mentions, lowercased, each once, in order, at most [`MENTIONS_MAX`].
/// An `@` inside a word (an e-mail address) or inside inline or fenced code mentions no one.
pub fn mentions(body: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut in_code = false;
        let mut previous: Option<char> = None;
        for (i, c) in line.char_indices() {
            if c == '`' {
                in_code = !in_code;
            } else if c == '@'
                && !in_code
                && !previous
                    .is_some_and(|p| p.is_alphanumeric() || p == '-' || p == '_' || p == '.')
            {
                let rest = &line[i + 1..];
                let name: String = rest.chars().take_while(|c| handle_char(*c)).collect();
                let name = name.trim_end_matches('-').to_ascii_lowercase();
                if !name.is_empty() && name.len() <= HANDLE_MAX_CHARS && !found.contains(&name) {
                    found.push(name);
                    if found.len() == MENTIONS_MAX {
                        return found;
                    }
                }
            }
            previous = Some(c);
        }
    }
    found
}

/// The Markdown that quotes `author`'s post at the start of a reply: its text as a block
/// quote under a line naming the author.
pub fn quote(author: &str, body: &str) -> String {
    let mut quoted = format!("> **{author}** :\n>\n");
    for line in body.lines() {
        if line.is_empty() {
            quoted.push_str(">\n");
        } else {
            quoted.push_str("> ");
            quoted.push_str(line);
            quoted.push('\n');
        }
    }
    quoted.push('\n');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn stored_names_round_trip() {
        for kind in ReportReason::ALL {
            assert_eq!(ReportReason::parse(kind.as_str()), Some(*kind));
        }
        for state in PostState::ALL {
            assert_eq!(PostState::parse(state.as_str()), Some(*state));
        }
        assert_eq!(NotifyMail::parse("weekly"), None);
        for subject in [
            Subject::Category(1),
            Subject::Page(2),
            Subject::Entry(3),
            Subject::Workshop(4),
        ] {
            assert_eq!(
                Subject::from_parts(subject.kind(), subject.id()),
                Some(subject)
            );
        }
    }

    #[test]
    fn new_members_are_held_until_enough_posts_are_approved() {
        let settings = Settings::default();
        assert_eq!(trust(Role::Member, 0, &settings), Trust::New);
        assert_eq!(trust(Role::Member, 1, &settings), Trust::New);
        assert_eq!(trust(Role::Member, 2, &settings), Trust::Trusted);
        assert_eq!(trust(Role::Agent, 0, &settings), Trust::Trusted);
        assert_eq!(trust(Role::Trainer, 0, &settings), Trust::Trusted);
        assert_eq!(trust(Role::Trainee, 0, &settings), Trust::New);
        assert_eq!(trust(Role::Trainee, 2, &settings), Trust::Trusted);
        let open = Settings {
            held_posts: 0,
            ..settings
        };
        assert_eq!(trust(Role::Member, 0, &open), Trust::Trusted);
    }

    #[test]
    fn the_edit_window_ends_and_survives_absurd_settings() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 25)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a date");
        let settings = Settings::default();
        assert!(within_edit_window(
            at,
            at + TimeDelta::minutes(59),
            &settings
        ));
        assert!(!within_edit_window(
            at,
            at + TimeDelta::minutes(60),
            &settings
        ));
        let huge = Settings {
            edit_minutes: i32::MAX,
            ..settings
        };
        assert!(!within_edit_window(
            NaiveDateTime::MAX,
            NaiveDateTime::MAX,
            &huge
        ));
    }

    #[test]
    fn settings_are_range_checked() {
        assert_eq!(
            Settings::parse("2", "60", "3", "5"),
            Ok(Settings::default())
        );
        let invalid = Settings::parse("-1", "abc", "0", "99999999999").expect_err("out of range");
        let fields: Vec<_> = invalid.errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "held_posts",
                "edit_minutes",
                "report_threshold",
                "new_member_posts_per_hour"
            ]
        );
    }

    #[test]
    fn titles_and_bodies_are_cleaned_and_bounded() {
        let mut invalid = Invalid::default();
        assert_eq!(
            title("  Renouveler   ma carte\u{200b} grise ", &mut invalid),
            "Renouveler ma carte grise"
        );
        assert_eq!(
            body("\r\n\r\nBonjour\r\n\r\nMerci  \n\n", &mut invalid),
            "Bonjour\n\nMerci"
        );
        assert!(invalid.is_empty());
        title("Aide", &mut invalid);
        title(&"a".repeat(151), &mut invalid);
        body(" \n\t\n", &mut invalid);
        body(&"a".repeat(20_001), &mut invalid);
        let codes: Vec<_> = invalid.errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "exchange.title_too_short",
                "exchange.title_too_long",
                "exchange.body_required",
                "exchange.body_too_long"
            ]
        );
    }

    #[test]
    fn suspensions_last_a_bounded_time_and_need_a_reason() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 25)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a date");
        let today = now.date();
        let mut invalid = Invalid::default();
        assert_eq!(
            suspension_end("7", "", now, today, &mut invalid),
            Some(now + TimeDelta::days(7))
        );
        assert!(suspension_end("", "2026-12-01", now, today, &mut invalid).is_some());
        assert!(invalid.is_empty());
        for (days, until) in [
            ("", ""),
            ("0", ""),
            ("3651", ""),
            ("", "2026-11-25"),
            ("", "2040-01-01"),
            ("3", "2026-12-01"),
        ] {
            assert_eq!(
                suspension_end(days, until, now, today, &mut invalid),
                None,
                "{days} {until}"
            );
        }
        suspension_reason("  ", &mut invalid);
        suspension_reason(&"a".repeat(501), &mut invalid);
        assert_eq!(invalid.errors.len(), 8);
    }

    #[test]
    fn categories_need_a_name_with_letters() {
        let mut invalid = Invalid::default();
        assert_eq!(
            category(" Vie  du village ", "", &mut invalid),
            ("Vie du village".to_owned(), String::new())
        );
        assert!(invalid.is_empty());
        category("", "", &mut invalid);
        category("!!!", &"d".repeat(501), &mut invalid);
        let codes: Vec<_> = invalid.errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "exchange.admin.name_required",
                "title_needs_letters",
                "exchange.admin.description_too_long"
            ]
        );
    }

    #[test]
    fn handles_are_ascii_and_bounded() {
        assert_eq!(handle_base("Éloïse Dupré-Martin"), "eloise-dupre-martin");
        assert_eq!(handle_base("  <script>  "), "script");
        assert_eq!(handle_base("☺☺"), "membre");
        assert!(handle_base(&"a ".repeat(100)).len() <= HANDLE_MAX_CHARS);
        assert!(!handle_base(&"ab ".repeat(100)).ends_with('-'));
    }

    #[test]
    fn mentions_skip_addresses_and_code() {
        let body = "Bonjour @Marie-Dupont et @paul, écrivez à mairie@val.fr.\n\
                    `@code` puis @paul encore\n```\n@fence\n```\n@-- @";
        assert_eq!(mentions(body), ["marie-dupont", "paul"]);
        let many: String = (0..50).map(|i| format!("@p{i} ")).collect();
        assert_eq!(mentions(&many).len(), MENTIONS_MAX);
    }

    #[test]
    fn quotes_are_block_quotes_under_the_author() {
        assert_eq!(
            quote("Marie", "Bonjour\n\nMerci"),
            "> **Marie** :\n>\n> Bonjour\n>\n> Merci\n\n"
        );
    }
}
