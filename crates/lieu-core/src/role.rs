//! Roles and the permission table. Every write route asks `Role::can` before acting.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an account may do. Ordered from least to most trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Writes and edits wiki pages.
    Editor,
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
    /// Create, disable and change user accounts.
    ManageUsers,
}

/// The permission table: which role grants which permission.
const TABLE: &[(Permission, Role)] = &[
    (Permission::EditPages, Role::Editor),
    (Permission::RenamePages, Role::Editor),
    (Permission::ManageEntries, Role::Agent),
    (Permission::ManageSearch, Role::Agent),
    (Permission::ViewAudit, Role::Agent),
    (Permission::ManageMail, Role::Agent),
    (Permission::ReviewSubmissions, Role::Agent),
    (Permission::TestMail, Role::Admin),
    (Permission::ManageUsers, Role::Admin),
];

impl Role {
    pub const ALL: [Role; 3] = [Role::Editor, Role::Agent, Role::Admin];

    /// Whether this role grants `permission`. Roles are cumulative: an agent can do all an
    /// editor can.
    pub fn can(self, permission: Permission) -> bool {
        TABLE
            .iter()
            .any(|(p, minimum)| *p == permission && self >= *minimum)
    }

    /// Stable name stored in the database and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role `{0}` (expected editor, agent or admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "editor" => Ok(Role::Editor),
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
    fn roles_are_cumulative() {
        assert!(Role::Agent.can(Permission::EditPages));
        assert!(Role::Agent.can(Permission::ViewAudit));
        assert!(Role::Agent.can(Permission::ReviewSubmissions));
        assert!(!Role::Editor.can(Permission::ReviewSubmissions));
        assert!(!Role::Agent.can(Permission::ManageUsers));
        assert!(Role::Admin.can(Permission::ManageUsers));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("superuser".parse::<Role>().is_err());
    }
}
