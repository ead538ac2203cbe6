//! The agents' view of the members (residents who signed up): a list searchable by the start
//! of a name, an `@name` or an address, built for 100,000 members; one member's recent posts;
//! the organisations of the directory a member may speak for. What agents do to a member
//! (suspend, hide their posts, link an organisation) is `crate::exchange`'s.

use crate::DbConn;
use crate::error::StoreResult;
use crate::exchange::Post;
use crate::models::users::User;
use crate::schema::{entries, exchange_posts as ep, exchange_threads as et, users as u};
use diesel::prelude::*;
use lieu_core::entry::{Kind, Status};
use lieu_core::{Role, UserId};

/// What the agent typed in the search box of the members' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// The start of an address (the search holds an `@`): lowercased, as addresses are kept.
    Email(String),
    /// The start of a name or an `@name`: the `@name` made from it (`Marie Du` → `marie-du`).
    Handle(String),
}

impl Search {
    /// The search for `typed`, or `None` when there is nothing to search for.
    pub fn parse(typed: &str) -> Option<Search> {
        let typed = typed.trim();
        if typed.contains('@') && !typed.starts_with('@') {
            let email = typed.to_lowercase();
            return (!email.is_empty()).then_some(Search::Email(email));
        }
        let words = typed.trim_start_matches('@');
        if words.trim().is_empty() {
            return None;
        }
        let base = lieu_core::exchange::handle_base(words);
        // `handle_base` gives a fallback for a name without letters; then there is nothing to
        // look for.
        (!base.is_empty() && words.chars().any(char::is_alphanumeric))
            .then_some(Search::Handle(base))
    }

    /// The key the list is ordered (and continued) by, for `user`.
    pub fn key_of(search: Option<&Search>, user: &User) -> String {
        match search {
            Some(Search::Email(_)) => user.email.clone(),
            _ => user.handle.clone().unwrap_or_default(),
        }
    }
}

/// The end of the range of strings that start with `prefix`: every such string sorts before
/// it (on both backends' byte and code point orders).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10ffff}")
}

/// A page of members (not deleted), ordered by `@name`, or by address when searching one,
/// after the key `after`. Every condition is a range of a unique index (`users_handle`, the
/// address), so a deep page costs what the first one costs. `limit` + 1 rows tell whether a
/// next page exists.
pub fn page(
    conn: &mut DbConn,
    search: Option<&Search>,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<User>> {
    let mut query = u::table
        .filter(u::role.eq(Role::Member.as_str()))
        .filter(u::deleted_at.is_null())
        .select(User::as_select())
        .limit(limit)
        .into_boxed();
    match search {
        Some(Search::Email(prefix)) => {
            query = query
                .filter(u::email.ge(prefix.clone()))
                .filter(u::email.lt(prefix_end(prefix)))
                .order(u::email.asc());
            if let Some(after) = after {
                query = query.filter(u::email.gt(after.to_owned()));
            }
        }
        Some(Search::Handle(prefix)) => {
            query = query
                .filter(u::handle.ge(prefix.clone()))
                .filter(u::handle.lt(prefix_end(prefix)))
                .order(u::handle.asc());
            if let Some(after) = after {
                query = query.filter(u::handle.gt(after.to_owned()));
            }
        }
        None => {
            query = query.order(u::handle.asc());
            if let Some(after) = after {
                query = query.filter(u::handle.gt(after.to_owned()));
            }
        }
    }
    Ok(query.load(conn)?)
}

/// A member's post, with the thread it is in, for the agents' page of the member.
#[derive(Debug, Clone)]
pub struct MemberPost {
    pub post: Post,
    pub thread_id: i32,
    pub thread_title: String,
}

/// `member`'s posts, newest first, in every state (agents see what was held or hidden),
/// older than the post `before`.
pub fn recent_posts(
    conn: &mut DbConn,
    member: UserId,
    before: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<MemberPost>> {
    let mut query = ep::table
        .inner_join(et::table)
        .filter(ep::author_id.eq(member.0))
        .order(ep::id.desc())
        .select((Post::as_select(), et::id, et::title))
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(ep::id.lt(before));
    }
    Ok(query
        .load::<(Post, i32, String)>(conn)?
        .into_iter()
        .map(|(post, thread_id, thread_title)| MemberPost {
            post,
            thread_id,
            thread_title,
        })
        .collect())
}

/// An entry of the directory a member may speak for: an association or a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: i32,
    pub kind: String,
    pub slug: String,
    pub title: String,
}

/// The kinds of entries that speak in the exchange space through a member.
pub const ORGANISATION_KINDS: [Kind; 2] = [Kind::Association, Kind::Service];

/// Published associations and services whose address (slug) starts with the slug of
/// `typed`, by slug, at most `limit`.
pub fn find_organisations(
    conn: &mut DbConn,
    typed: &str,
    limit: i64,
) -> StoreResult<Vec<Organisation>> {
    let prefix = lieu_core::slug::slugify(typed);
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for kind in ORGANISATION_KINDS {
        found.extend(
            entries::table
                .filter(entries::kind.eq(kind.as_str()))
                .filter(entries::status.eq(Status::Published.as_str()))
                .filter(entries::slug.ge(prefix.clone()))
                .filter(entries::slug.lt(prefix_end(&prefix)))
                .order(entries::slug.asc())
                .limit(limit)
                .select((entries::id, entries::kind, entries::slug, entries::title))
                .load::<(i32, String, String, String)>(conn)?,
        );
    }
    found.sort_by(|a, b| a.2.cmp(&b.2));
    found.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(found
        .into_iter()
        .map(|(id, kind, slug, title)| Organisation {
            id,
            kind,
            slug,
            title,
        })
        .collect())
}

/// The published association or service named `kind/slug`, or `slug` alone (an association
/// first when both kinds have it).
pub fn organisation_by_slug(conn: &mut DbConn, typed: &str) -> StoreResult<Option<Organisation>> {
    let typed = typed.trim().trim_matches('/');
    let (kinds, slug): (Vec<Kind>, &str) = match typed.split_once('/') {
        Some((kind, slug)) => match kind.parse::<Kind>() {
            Ok(kind) if ORGANISATION_KINDS.contains(&kind) => (vec![kind], slug),
            _ => return Ok(None),
        },
        None => (ORGANISATION_KINDS.to_vec(), typed),
    };
    for kind in kinds {
        let found = entries::table
            .filter(entries::kind.eq(kind.as_str()))
            .filter(entries::status.eq(Status::Published.as_str()))
            .filter(entries::slug.eq(slug))
            .select((entries::id, entries::kind, entries::slug, entries::title))
            .first::<(i32, String, String, String)>(conn)
            .optional()?;
        if let Some((id, kind, slug, title)) = found {
            return Ok(Some(Organisation {
                id,
                kind,
                slug,
                title,
            }));
        }
    }
    Ok(None)
}

/// The organisation entry `id` (whatever its state now), for showing a member's link.
pub fn organisation(conn: &mut DbConn, id: i32) -> StoreResult<Option<Organisation>> {
    Ok(entries::table
        .find(id)
        .select((entries::id, entries::kind, entries::slug, entries::title))
        .first::<(i32, String, String, String)>(conn)
        .optional()?
        .map(|(id, kind, slug, title)| Organisation {
            id,
            kind,
            slug,
            title,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_by_address_when_it_holds_an_at_sign_else_by_name() {
        assert_eq!(
            Search::parse(" Marie.D@"),
            Some(Search::Email("marie.d@".into()))
        );
        assert_eq!(
            Search::parse("Marie Du"),
            Some(Search::Handle("marie-du".into()))
        );
        assert_eq!(
            Search::parse("@marie-du"),
            Some(Search::Handle("marie-du".into()))
        );
        assert_eq!(Search::parse("   "), None);
        assert_eq!(Search::parse("@"), None);
    }
}
