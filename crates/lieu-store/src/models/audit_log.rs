//! Who did what, when: written in the same transaction as the change it records.

use crate::DbConn;
use crate::schema::audit_log;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::UserId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i32,
    pub at: NaiveDateTime,
    pub actor_id: Option<i32>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub fn record(
    conn: &mut DbConn,
    actor: Option<UserId>,
    action: &str,
    target: &str,
    detail: &str,
) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(crate::now()),
            audit_log::actor_id.eq(actor.map(|a| a.0)),
            audit_log::action.eq(action),
            audit_log::target.eq(target),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)
}

pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)
}

/// What was done to `target` (`submission:12`...), oldest first, at most `limit` rows, each
/// with the name of who did it (none for the system or for someone without an account).
pub fn for_target(
    conn: &mut DbConn,
    target: &str,
    limit: i64,
) -> QueryResult<Vec<(AuditEntry, Option<String>)>> {
    use crate::schema::users;
    audit_log::table
        .left_join(users::table.on(audit_log::actor_id.eq(users::id.nullable())))
        .filter(audit_log::target.eq(target))
        .order(audit_log::id.asc())
        .limit(limit)
        .select((AuditEntry::as_select(), users::name.nullable()))
        .load(conn)
}
