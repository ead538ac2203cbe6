//! Submissions: what a local actor sends through the referencing form, without an account, and
//! what happens to it. The state machine lives here; the store applies it in transactions that
//! check the state they start from, so that two agents deciding at once cannot both win.
//!
//! ```text
//!             sender corrects ┌──────────────┐
//!            ┌───────────────▶│   waiting    │◀─────────────┐
//!            │                └──────┬───────┘              │ sender corrects
//!            │       agent: request  │ changes              │
//!            │                       ▼                      │
//!            │             ┌───────────────────┐            │
//!            └─────────────│ changes_requested │────────────┘
//!                          └───────────────────┘
//!   from waiting or changes_requested:
//!     agent approves  → approved   (the entry is created or corrected)
//!     agent rejects   → rejected   (with a reason)
//!     sender withdraws → withdrawn
//! ```
//!
//! Approved, rejected and withdrawn are final.

use crate::Invalid;
use std::fmt;

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubmissionStatus {
    /// Sent, or corrected by its sender: an agent is to look at it.
    Waiting,
    /// An agent asked the sender to change something.
    ChangesRequested,
    Approved,
    Rejected,
    /// The sender took it back.
    Withdrawn,
}

/// What an agent decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Approve,
    RequestChanges,
    Reject,
}

/// What the sender does through their private link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SenderAction {
    Correct,
    Withdraw,
}

/// A move the state machine does not allow: the submission is already `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAllowed {
    pub from: SubmissionStatus,
}

impl fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the submission is {} already", self.from.as_str())
    }
}

impl std::error::Error for NotAllowed {}

impl SubmissionStatus {
    pub const ALL: [SubmissionStatus; 5] = [
        SubmissionStatus::Waiting,
        SubmissionStatus::ChangesRequested,
        SubmissionStatus::Approved,
        SubmissionStatus::Rejected,
        SubmissionStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Waiting => "waiting",
            SubmissionStatus::ChangesRequested => "changes_requested",
            SubmissionStatus::Approved => "approved",
            SubmissionStatus::Rejected => "rejected",
            SubmissionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<SubmissionStatus> {
        SubmissionStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still to be decided: an agent may decide, the sender may correct or withdraw.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            SubmissionStatus::Waiting | SubmissionStatus::ChangesRequested
        )
    }

    /// The status after an agent's `decision`.
    pub fn decide(self, decision: Decision) -> Result<SubmissionStatus, NotAllowed> {
        if !self.is_open() {
            return Err(NotAllowed { from: self });
        }
        Ok(match decision {
            Decision::Approve => SubmissionStatus::Approved,
            Decision::Reject => SubmissionStatus::Rejected,
            // Asking twice is asking again: the new message replaces the old one.
            Decision::RequestChanges => SubmissionStatus::ChangesRequested,
        })
    }

    /// The status after the sender's `action`.
    pub fn by_sender(self, action: SenderAction) -> Result<SubmissionStatus, NotAllowed> {
        if !self.is_open() {
            return Err(NotAllowed { from: self });
        }
        Ok(match action {
            SenderAction::Correct => SubmissionStatus::Waiting,
            SenderAction::Withdraw => SubmissionStatus::Withdrawn,
        })
    }

    /// Whether the personal data of the sender is to be erased once the retention delay has
    /// passed: refused or withdrawn submissions. An approved one keeps its sender, who is the
    /// entry's contact for updates and the six-monthly check.
    pub fn erases_sender(self) -> bool {
        matches!(
            self,
            SubmissionStatus::Rejected | SubmissionStatus::Withdrawn
        )
    }
}

/// Why a submission is refused: the agent picks one, and may add words of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectReason {
    /// The actor is listed already.
    Duplicate,
    /// Not on the territory.
    OutsideTerritory,
    /// A business selling to residents, not a service, an association or an offer.
    Commercial,
    /// Not enough to publish, and the sender did not answer.
    Incomplete,
    /// Against the site's rules (discrimination, misleading offer...).
    AgainstRules,
    Other,
}

impl RejectReason {
    pub const ALL: [RejectReason; 6] = [
        RejectReason::Duplicate,
        RejectReason::OutsideTerritory,
        RejectReason::Commercial,
        RejectReason::Incomplete,
        RejectReason::AgainstRules,
        RejectReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::Duplicate => "duplicate",
            RejectReason::OutsideTerritory => "outside_territory",
            RejectReason::Commercial => "commercial",
            RejectReason::Incomplete => "incomplete",
            RejectReason::AgainstRules => "against_rules",
            RejectReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<RejectReason> {
        RejectReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The reason as the sender reads it.
    pub fn label_fr(self) -> &'static str {
        match self {
            RejectReason::Duplicate => {
                "Cette structure ou cette offre figure déjà dans l’annuaire."
            }
            RejectReason::OutsideTerritory => "Elle ne concerne pas notre territoire.",
            RejectReason::Commercial => "L’annuaire ne référence pas les activités commerciales.",
            RejectReason::Incomplete => "Les informations reçues ne suffisent pas pour la publier.",
            RejectReason::AgainstRules => "Elle ne respecte pas les règles de publication du site.",
            RejectReason::Other => "Pour une autre raison, précisée ci-dessous.",
        }
    }
}

/// Longest name or organisation a sender may give.
pub const SENDER_FIELD_MAX: usize = 120;

/// What is wrong with the sender's part of the referencing form: a name and an e-mail address
/// to answer to, an optional organisation and phone, and the consent to keep them for the
/// request. Errors name the form's fields (`sender_name`...).
pub fn check_sender(
    name: &str,
    organisation: &str,
    email: &str,
    phone: &str,
    consent: bool,
) -> Invalid {
    let mut invalid = Invalid::default();
    if name.trim().is_empty() {
        invalid.add("sender_name", "sender_name_required");
    } else if name.trim().chars().count() > SENDER_FIELD_MAX {
        invalid.add("sender_name", "sender_field_too_long");
    }
    if organisation.trim().chars().count() > SENDER_FIELD_MAX {
        invalid.add("sender_organisation", "sender_field_too_long");
    }
    let email = email.trim();
    if email.is_empty() {
        invalid.add("sender_email", "sender_email_required");
    } else if !crate::entry::valid_email(email)
        || email.matches('@').count() != 1
        // Nothing that would make the address a list, a group or a display name.
        || email.contains(|c: char| "<>,;:\"()[]\\".contains(c) || c.is_control())
    {
        invalid.add("sender_email", "email_invalid");
    }
    if !phone.trim().is_empty() && crate::entry::normalize_phone(phone).is_none() {
        invalid.add("sender_phone", "phone_invalid");
    }
    if !consent {
        invalid.add("consent", "consent_required");
    }
    invalid
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;
    use SenderAction::*;
    use SubmissionStatus::*;

    #[test]
    fn open_submissions_can_be_decided_corrected_or_withdrawn() {
        for from in [Waiting, ChangesRequested] {
            assert_eq!(from.decide(Approve), Ok(Approved));
            assert_eq!(from.decide(Reject), Ok(Rejected));
            assert_eq!(from.decide(RequestChanges), Ok(ChangesRequested));
            assert_eq!(from.by_sender(Correct), Ok(Waiting));
            assert_eq!(from.by_sender(Withdraw), Ok(Withdrawn));
        }
    }

    #[test]
    fn decided_submissions_are_final() {
        for from in [Approved, Rejected, Withdrawn] {
            assert!(!from.is_open());
            for d in [Approve, Reject, RequestChanges] {
                assert_eq!(from.decide(d), Err(NotAllowed { from }), "{from:?} {d:?}");
            }
            for a in [Correct, Withdraw] {
                assert_eq!(
                    from.by_sender(a),
                    Err(NotAllowed { from }),
                    "{from:?} {a:?}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip_and_only_refused_or_withdrawn_senders_are_erased() {
        for s in SubmissionStatus::ALL {
            assert_eq!(SubmissionStatus::parse(s.as_str()), Some(s));
        }
        for r in RejectReason::ALL {
            assert_eq!(RejectReason::parse(r.as_str()), Some(r));
            assert!(!r.label_fr().is_empty());
        }
        assert_eq!(SubmissionStatus::parse("approuvé"), None);
        let erased: Vec<_> = SubmissionStatus::ALL
            .into_iter()
            .filter(|s| s.erases_sender())
            .collect();
        assert_eq!(erased, [Rejected, Withdrawn]);
    }

    #[test]
    fn an_address_that_is_a_list_or_a_name_is_refused() {
        for bad in [
            "x@evil.example,y",
            "g:v@evil.example;",
            "Evil<victim@evil.example>",
            "\"a\"@b.fr",
            "a@b.fr\u{7}",
        ] {
            assert_eq!(
                check_sender("Jeanne", "", bad, "", true)
                    .on("sender_email")
                    .map(|e| e.code),
                Some("email_invalid"),
                "{bad}"
            );
        }
        assert!(check_sender("Jeanne", "", "jeanne.dupre+asso@example.org", "", true).is_empty());
    }

    #[test]
    fn a_sender_gives_a_name_an_address_and_consent() {
        let codes = |i: Invalid| {
            i.errors
                .iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert!(check_sender("Jeanne", "", "jeanne@example.org", "", true).is_empty());
        assert!(
            check_sender(
                "Jeanne",
                "Les Fils",
                "jeanne@example.org",
                "05 49 00 00 00",
                true
            )
            .is_empty()
        );
        assert_eq!(
            codes(check_sender(" ", "", "", "", false)),
            [
                ("sender_name", "sender_name_required"),
                ("sender_email", "sender_email_required"),
                ("consent", "consent_required"),
            ]
        );
        assert_eq!(
            codes(check_sender(
                &"n".repeat(121),
                &"o".repeat(121),
                "a@b@c.fr",
                "12",
                true
            )),
            [
                ("sender_name", "sender_field_too_long"),
                ("sender_organisation", "sender_field_too_long"),
                ("sender_email", "email_invalid"),
                ("sender_phone", "phone_invalid"),
            ]
        );
    }
}
