//! Many entries in one transaction (`lieu generate`, large imports): the same rows as
//! [`super::create_entry`] writes for each entry — the entry under a free slug, its tags and
//! occurrences, revision 1 and an audit entry — written with multi-row inserts.
//!
//! Statements stay under both backends' limits on bound parameters: rows are sent in chunks of
//! at most [`MAX_BINDS`] values.

use super::{Snapshot, details_json};
use crate::DbConn;
use crate::conn::{MAX_BINDS, insert_rows};
use crate::error::{StoreError, StoreResult};
use crate::schema::entry_tags as t;
use crate::schema::{
    audit_log, entries as e, entry_occurrences as o, entry_revisions as r, index_outbox,
};
use crate::wiki::Author;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::collation::title_sort_key;
use lieu_core::entry::{Status, ValidEntry};
use std::collections::{HashMap, HashSet};

/// The most values one `IN (...)` lookup binds.
const LOOKUP_CHUNK: usize = 1_000;

/// One entry of a batch: what validation returned, and the moment it is recorded as created
/// (and verified). A generator spreads these over the past so that offers expire at their date.
#[derive(Debug, Clone)]
pub struct BatchEntry {
    pub valid: ValidEntry,
    pub created_at: NaiveDateTime,
}

/// Creates `batch` inside the caller's transaction, each under the first free slug found for
/// its title (`titre`, `titre-2`, ...), and returns their ids in order.
///
/// Unlike [`super::create_entry`] it does not retry on a unique violation: it is meant for a
/// writer that holds the write transaction (on SQLite writers take turns; on PostgreSQL a
/// concurrent agent taking one of the slugs makes the whole batch fail, and nothing is
/// written).
pub fn create_entries_batch(
    conn: &mut DbConn,
    batch: &[BatchEntry],
    author: &Author,
    default_summary: &str,
) -> StoreResult<Vec<i32>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    // A batch reads and writes pages of a dozen indexes all over the file: with SQLite's
    // default 2 MB page cache, half the time went to copying pages in from the kernel. 64 MB
    // for this connection (the writer's) halves the system time of `lieu generate`.
    if let DbConn::Sqlite(c) = conn {
        use diesel::connection::SimpleConnection;
        c.batch_execute("PRAGMA cache_size = -65536")?;
    }
    let bases: Vec<&str> = batch.iter().map(|b| b.valid.slug.as_str()).collect();
    let slugs = free_slugs(conn, &bases)?;
    let published = Status::Published.as_str();
    let jsons = batch
        .iter()
        .map(|b| details_json(&b.valid.details))
        .collect::<StoreResult<Vec<String>>>()?;
    let sort_keys: Vec<String> = batch
        .iter()
        .map(|b| title_sort_key(&b.valid.title))
        .collect();
    let rows: Vec<_> = batch
        .iter()
        .zip(&slugs)
        .zip(jsons.iter().zip(&sort_keys))
        .map(|((b, slug), (json, sort))| {
            let v = &b.valid;
            (
                e::kind.eq(v.kind.as_str()),
                e::status.eq(published),
                e::slug.eq(slug.as_str()),
                e::title.eq(v.title.as_str()),
                e::summary.eq(v.summary.as_str()),
                e::commune_insee.eq(v.commune.as_str()),
                e::starts_at.eq(v.starts_at),
                e::ends_at.eq(v.ends_at),
                e::expires_at.eq(v.expires_at),
                e::amount_eur.eq(v.amount_eur),
                e::details_json.eq(json.as_str()),
                e::revision_number.eq(1),
                e::verified_at.eq(b.created_at),
                e::created_at.eq(b.created_at),
                e::updated_at.eq(b.created_at),
                e::subtype.eq(v.subtype.as_deref()),
                e::title_sort.eq(sort.as_str()),
            )
        })
        .collect();
    for chunk in rows.chunks(MAX_BINDS / 17) {
        insert_rows!(conn, e::table, chunk)?;
    }

    let mut ids_by_slug: HashMap<String, i32> = HashMap::with_capacity(slugs.len());
    for chunk in slugs.chunks(LOOKUP_CHUNK) {
        let found: Vec<(String, i32)> = e::table
            .filter(e::slug.eq_any(chunk))
            .select((e::slug, e::id))
            .load(conn)?;
        ids_by_slug.extend(found);
    }
    let ids = slugs
        .iter()
        .map(|s| ids_by_slug.get(s).copied().ok_or(StoreError::NotFound))
        .collect::<StoreResult<Vec<i32>>>()?;
    // One outbox row per entry, in this transaction, as `create_entry` writes: the search
    // index applies them (or, after a large batch, `lieu reindex` rebuilds it faster).
    let at = crate::now();
    let outbox: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                index_outbox::source.eq("entry"),
                index_outbox::source_id.eq(*id),
                index_outbox::created_at.eq(at),
            )
        })
        .collect();
    for chunk in outbox.chunks(MAX_BINDS / 3) {
        insert_rows!(conn, index_outbox::table, chunk)?;
    }

    let mut tags = Vec::new();
    let mut occurrences = Vec::new();
    for (b, id) in batch.iter().zip(&ids) {
        let mut seen = HashSet::new();
        for (facet, value) in &b.valid.tags {
            if seen.insert((*facet, value.as_str())) {
                tags.push((
                    t::entry_id.eq(*id),
                    t::facet.eq(*facet),
                    t::value.eq(value.as_str()),
                ));
            }
        }
        for (starts_at, ends_at) in &b.valid.occurrences {
            occurrences.push((
                o::entry_id.eq(*id),
                o::starts_at.eq(*starts_at),
                o::ends_at.eq(*ends_at),
            ));
        }
    }
    for chunk in tags.chunks(MAX_BINDS / 3) {
        insert_rows!(conn, t::table, chunk)?;
    }
    for chunk in occurrences.chunks(MAX_BINDS / 3) {
        insert_rows!(conn, o::table, chunk)?;
    }

    let snapshots = batch
        .iter()
        .map(|b| {
            serde_json::to_string(&Snapshot::of(&b.valid, Status::Published))
                .map_err(|e| StoreError::Pool(e.to_string()))
        })
        .collect::<StoreResult<Vec<String>>>()?;
    let author_id = author.id.map(|a| a.0);
    let revisions: Vec<_> = batch
        .iter()
        .zip(&ids)
        .zip(&snapshots)
        .map(|((b, id), snapshot)| {
            (
                r::entry_id.eq(*id),
                r::number.eq(1),
                r::snapshot_json.eq(snapshot.as_str()),
                r::summary.eq(b.valid.summary_or(default_summary)),
                r::author_id.eq(author_id),
                r::author_name.eq(author.name.as_str()),
                r::created_at.eq(b.created_at),
            )
        })
        .collect();
    for chunk in revisions.chunks(MAX_BINDS / 7) {
        insert_rows!(conn, r::table, chunk)?;
    }

    let audit: Vec<_> = batch
        .iter()
        .zip(&slugs)
        .map(|(b, slug)| {
            (
                audit_log::at.eq(at),
                audit_log::actor_id.eq(author_id),
                audit_log::action.eq("entry.create"),
                audit_log::target.eq(slug.as_str()),
                audit_log::detail.eq(b.valid.kind.as_str()),
            )
        })
        .collect();
    for chunk in audit.chunks(MAX_BINDS / 5) {
        insert_rows!(conn, audit_log::table, chunk)?;
    }
    Ok(ids)
}

/// Which of `slugs` are taken, by exact lookups on the unique index.
fn taken(conn: &mut DbConn, slugs: &[String]) -> StoreResult<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in slugs.chunks(LOOKUP_CHUNK) {
        let found: Vec<String> = e::table
            .filter(e::slug.eq_any(chunk))
            .select(e::slug)
            .load(conn)?;
        out.extend(found);
    }
    Ok(out)
}

fn numbered(base: &str, n: u64) -> String {
    format!("{base}-{n}")
}

/// A free slug for each of `bases`, in order: the base itself when free, otherwise
/// `base-N` with N past the numbers in use.
///
/// Only exact lookups on the unique index, a few rounds for the whole batch: a search for the
/// first free number (doubling, then halving) per base, then one check of every slug chosen.
/// The search assumes numbers are taken from 2 upwards without holes, as this function and
/// `create_entry` take them; where an agent's title made a hole, the final check finds the
/// clash and moves past it. `prefix LIKE` queries, which neither backend can answer from the
/// index here (SQLite's LIKE ignores case; PostgreSQL's depends on the collation), would read
/// the whole table for each title.
fn free_slugs<'a>(conn: &mut DbConn, bases: &[&'a str]) -> StoreResult<Vec<String>> {
    let mut distinct: Vec<&'a str> = Vec::new();
    let mut wanted: HashMap<&'a str, usize> = HashMap::new();
    for base in bases {
        let count = wanted.entry(base).or_insert(0);
        if *count == 0 {
            distinct.push(base);
        }
        *count += 1;
    }
    let plain = taken(
        conn,
        &distinct.iter().map(|b| (*b).to_owned()).collect::<Vec<_>>(),
    )?;

    // For each base: (highest number known taken, lowest known free). The base alone counts
    // as number 1.
    let mut bounds: HashMap<&str, (u64, Option<u64>)> = distinct
        .iter()
        .filter(|b| plain.contains(**b) || wanted[**b] > 1)
        .map(|b| (*b, (1, None)))
        .collect();
    loop {
        let probes: Vec<(&str, u64)> = bounds
            .iter()
            .filter_map(|(base, (lo, hi))| match hi {
                None => Some((*base, lo.saturating_mul(2))),
                Some(hi) if hi - lo > 1 => Some((*base, lo + (hi - lo) / 2)),
                Some(_) => None,
            })
            .collect();
        if probes.is_empty() {
            break;
        }
        let names: Vec<String> = probes.iter().map(|(b, n)| numbered(b, *n)).collect();
        let found = taken(conn, &names)?;
        for ((base, n), name) in probes.iter().zip(&names) {
            if let Some((lo, hi)) = bounds.get_mut(base) {
                if found.contains(name) {
                    *lo = *n;
                } else {
                    *hi = Some(*n);
                }
            }
        }
    }

    // Hand out the slugs, then check them all; move clashes past the last number handed out.
    let mut next: HashMap<&str, u64> = bounds
        .iter()
        .map(|(base, (lo, hi))| (*base, hi.unwrap_or(lo + 1)))
        .collect();
    let mut base_free: HashSet<&str> = distinct
        .iter()
        .copied()
        .filter(|b| !plain.contains(*b))
        .collect();
    // Slugs handed out in this batch: `atelier` numbered 2 and a title `Atelier 2` must not
    // both become `atelier-2`.
    let mut used: HashSet<String> = HashSet::new();
    let mut take = |base: &'a str| -> String {
        if base_free.remove(base) && used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let n = next.entry(base).or_insert(2);
        loop {
            let slug = numbered(base, *n);
            *n += 1;
            if used.insert(slug.clone()) {
                return slug;
            }
        }
    };
    let mut slugs: Vec<String> = bases.iter().map(|b| take(b)).collect();
    let mut to_check: Vec<usize> = (0..slugs.len()).collect();
    while !to_check.is_empty() {
        let names: Vec<String> = to_check.iter().map(|i| slugs[*i].clone()).collect();
        let found = taken(conn, &names)?;
        to_check.retain(|i| found.contains(&slugs[*i]));
        for i in &to_check {
            slugs[*i] = take(bases[*i]);
        }
    }
    Ok(slugs)
}
