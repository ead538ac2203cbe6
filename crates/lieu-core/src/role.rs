//! Roles and the permission table. Every write route asks `Role::can` before acting.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an account is for. Roles are not a ladder: a trainer runs workshops but does not
/// curate the directory, and a trainee only practises in a workshop's sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A resident who signed up by themselves: posts in the exchange space, follows threads
    /// and pages; editing the wiki and the directory stays with the team.
    Member,
    /// A workshop participant: a practice account that lives one day and reaches only its
    /// workshop's sandbox (practice pages, practice form, practice mailbox).
    Trainee,
    /// Writes and edits wiki pages.
    Editor,
    /// Runs digital workshops: practice accounts, the sandbox and its practice queue; edits
    /// wiki pages (the workshop material is wiki pages).
    Trainer,
    /// France Services agent: curates the directory and the review queue, and edits.
    Agent,
    /// Installs and runs the site: everything, including accounts.
    Admin,
}

/// An action that needs an account. Reading public pages needs none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create and edit wiki pages, revert to an old revision.
    EditPages,
    /// Rename a page (its old title keeps redirecting).
    RenamePages,
    /// Create, edit, archive, restore and verify directory entries.
    ManageEntries,
    /// Edit the synonyms of the search and read the searches that found nothing.
    ManageSearch,
    /// Read the audit log.
    ViewAudit,
    /// See the mail outbox (waiting, sent, failed) and try a message again.
    ManageMail,
    /// See the queue of submissions of the referencing form, and approve, correct, send back
    /// or refuse them.
    ReviewSubmissions,
    /// Send a test message to check the mail settings.
    TestMail,
    /// Invite people, change roles, deactivate accounts.
    ManageUsers,
    /// Change one's own name, address and password, delete one's own account, and watch pages
    /// and entries (an e-mail when they change). Practice accounts have no address of their
    /// own, so they hold none of this.
    OwnAccount,
    /// Create workshops with their practice accounts, print the login cards, review the
    /// practice queue and reset the sandbox.
    RunWorkshops,
    /// Edit the sandbox pages, fill the practice form and read the practice mailbox of a
    /// workshop (for a trainee, only their own workshop's).
    Practise,
    /// Start threads and reply in the exchange space, report posts, follow threads and
    /// categories (held back and rate-limited while a member is new).
    Post,
    /// Moderate the exchange space: approve held posts, decide reports, hide and restore
    /// posts, lock, pin, move and split threads, suspend members, link a member to the
    /// organisation they speak for, and turn an answered question into a wiki page.
    Moderate,
    /// Manage the categories of the exchange space and its settings.
    ManageExchange,
}

use Role::{Admin, Agent, Editor, Member, Trainee, Trainer};

/// The permission table: which roles hold each permission. Every permission is listed, and
/// the administrator holds all of them (a test checks both).
const TABLE: &[(Permission, &[Role])] = &[
    (Permission::EditPages, &[Editor, Trainer, Agent, Admin]),
    (Permission::RenamePages, &[Editor, Trainer, Agent, Admin]),
    (Permission::ManageEntries, &[Agent, Admin]),
    (Permission::ManageSearch, &[Agent, Admin]),
    (Permission::ViewAudit, &[Agent, Admin]),
    (Permission::ManageMail, &[Agent, Admin]),
    (Permission::ReviewSubmissions, &[Agent, Admin]),
    (Permission::TestMail, &[Admin]),
    (Permission::ManageUsers, &[Admin]),
    (
        Permission::OwnAccount,
        &[Member, Editor, Trainer, Agent, Admin],
    ),
    (Permission::RunWorkshops, &[Trainer, Admin]),
    (Permission::Practise, &[Trainee, Trainer, Admin]),
    (Permission::Post, &[Member, Editor, Trainer, Agent, Admin]),
    (Permission::Moderate, &[Agent, Admin]),
    (Permission::ManageExchange, &[Admin]),
];

impl Role {
    pub const ALL: [Role; 6] = [Member, Trainee, Editor, Trainer, Agent, Admin];

    /// The roles an administrator gives from the accounts page: practice accounts are made
    /// by workshops, and members sign up by themselves, never by hand.
    pub const ASSIGNABLE: [Role; 4] = [Editor, Trainer, Agent, Admin];

    /// Whether this role grants `permission`.
    pub fn can(self, permission: Permission) -> bool {
        TABLE
            .iter()
            .any(|(p, roles)| *p == permission && roles.contains(&self))
    }

    /// Stable name stored in the database and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Member => "member",
            Trainee => "trainee",
            Editor => "editor",
            Trainer => "trainer",
            Agent => "agent",
            Admin => "admin",
        }
    }

    /// The role's name as the interface shows it.
    pub fn label_fr(self) -> &'static str {
        match self {
            Member => "Membre",
            Trainee => "Participant d'atelier",
            Editor => "Rédacteur",
            Trainer => "Formateur",
            Agent => "Agent France Services",
            Admin => "Administrateur",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role `{0}` (expected editor, trainer, agent or admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "member" => Ok(Role::Member),
            "trainee" => Ok(Role::Trainee),
            "editor" => Ok(Role::Editor),
            "trainer" => Ok(Role::Trainer),
            "agent" => Ok(Role::Agent),
            "admin" => Ok(Role::Admin),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_edit_but_do_not_manage_users() {
        assert!(Role::Editor.can(Permission::EditPages));
        assert!(!Role::Editor.can(Permission::ViewAudit));
        assert!(!Role::Editor.can(Permission::ManageEntries));
        assert!(Role::Agent.can(Permission::ManageEntries));
        assert!(!Role::Editor.can(Permission::ManageSearch));
        assert!(Role::Agent.can(Permission::ManageSearch));
        assert!(Role::Admin.can(Permission::ManageSearch));
        assert!(!Role::Editor.can(Permission::ManageUsers));
    }

    #[test]
    fn agents_hold_what_editors_hold_and_review() {
        assert!(Role::Agent.can(Permission::EditPages));
        assert!(Role::Agent.can(Permission::ViewAudit));
        assert!(Role::Agent.can(Permission::ReviewSubmissions));
        assert!(!Role::Editor.can(Permission::ReviewSubmissions));
        assert!(!Role::Agent.can(Permission::ManageUsers));
        assert!(Role::Admin.can(Permission::ManageUsers));
    }

    #[test]
    fn every_permission_is_in_the_table_and_the_admin_holds_it() {
        use Permission::*;
        let all = [
            EditPages,
            RenamePages,
            ManageEntries,
            ManageSearch,
            ViewAudit,
            ManageMail,
            ReviewSubmissions,
            TestMail,
            ManageUsers,
            OwnAccount,
            RunWorkshops,
            Practise,
            Post,
            Moderate,
            ManageExchange,
        ];
        assert_eq!(all.len(), TABLE.len());
        for permission in all {
            assert!(Role::Admin.can(permission), "{permission:?}");
        }
    }

    #[test]
    fn trainees_only_practise_and_trainers_do_not_curate() {
        for permission in TABLE.iter().map(|(p, _)| *p) {
            assert_eq!(
                Role::Trainee.can(permission),
                permission == Permission::Practise,
                "{permission:?}"
            );
        }
        assert!(Role::Trainer.can(Permission::RunWorkshops));
        assert!(Role::Trainer.can(Permission::EditPages));
        assert!(!Role::Trainer.can(Permission::ManageEntries));
        assert!(!Role::Trainer.can(Permission::ReviewSubmissions));
        assert!(!Role::Agent.can(Permission::RunWorkshops));
        assert!(!Role::Editor.can(Permission::Practise));
    }

    #[test]
    fn members_post_but_neither_edit_nor_moderate() {
        for permission in TABLE.iter().map(|(p, _)| *p) {
            assert_eq!(
                Role::Member.can(permission),
                matches!(permission, Permission::Post | Permission::OwnAccount),
                "{permission:?}"
            );
        }
        assert!(Role::Agent.can(Permission::Moderate));
        assert!(!Role::Editor.can(Permission::Moderate));
        assert!(!Role::Agent.can(Permission::ManageExchange));
        assert!(!Role::Trainee.can(Permission::Post));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("superuser".parse::<Role>().is_err());
    }
}
