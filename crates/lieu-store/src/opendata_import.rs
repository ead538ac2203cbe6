//! Open data imports (issue 13): records of data·inclusion, HSDS or lieu's own tables become
//! entries through the same functions as the agents' form (revisions, audit log, search
//! outbox), each remembered by its source and identifier so that importing again updates it
//! instead of adding it twice.
//!
//! Reading the files is the caller's (the binary streams them); mapping a record to an entry
//! form is `lieu_core::opendata`'s. Here: one record checked against the territory, then
//! created, updated, or found unchanged.

use crate::directory::{self, EntrySave};
use crate::error::StoreResult;
use crate::models::entries::{self, Entry};
use crate::wiki::Author;
use crate::{DbConn, StoreError};
use chrono::{NaiveDate, NaiveDateTime};
use lieu_core::Invalid;
use lieu_core::entry::{EntryForm, Kind};
use lieu_core::opendata::reasons;
pub use lieu_core::opendata::reasons::IMPORTED;

/// A record to import.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub kind: Kind,
    pub source: String,
    pub source_id: String,
    /// The producer's date of last change.
    pub updated_on: Option<NaiveDate>,
    pub form: EntryForm,
    /// Fields of the entry form the format does not carry (data·inclusion has no categories):
    /// an update keeps the entry's own values of these.
    pub keep: &'static [&'static str],
}

/// Fields data·inclusion does not carry.
pub const NOT_IN_DATA_INCLUSION: &[&str] = &["categories", "accessibility"];
/// Fields HSDS (as lieu maps it) does not carry.
pub const NOT_IN_HSDS: &[&str] = &["categories", "accessibility", "contact_name"];

/// `incoming` with the fields in `keep` taken from `current`.
fn merged(current: &EntryForm, incoming: &EntryForm, keep: &[&str]) -> EntryForm {
    use serde_json::Value;
    let (Ok(Value::Object(mut cur)), Ok(Value::Object(inc))) = (
        serde_json::to_value(current),
        serde_json::to_value(incoming),
    ) else {
        return incoming.clone();
    };
    for (k, v) in inc {
        if !keep.contains(&k.as_str()) {
            cur.insert(k, v);
        }
    }
    serde_json::from_value(Value::Object(cur)).unwrap_or_else(|_| incoming.clone())
}

/// Why a record is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The entry form's rules (codes, which the caller puts in words).
    Invalid(Invalid),
    /// Already put in words by the mapping.
    Reasons(Vec<String>),
}

/// What became of a record (or would become, in a dry run).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created(String),
    Updated(String),
    Unchanged(String),
    Refused(Refusal),
}

/// Longest identifier kept from a source.
pub const SOURCE_ID_MAX: usize = 200;

/// Imports one record inside the caller's transaction: validated against the territory at
/// `today`, created or updated by `author` at `now`; written only when `dry_run` is false.
pub fn import_record(
    conn: &mut DbConn,
    incoming: &Incoming,
    author: &Author,
    today: NaiveDate,
    now: NaiveDateTime,
    dry_run: bool,
) -> StoreResult<Outcome> {
    if incoming.source.trim().is_empty()
        || incoming.source_id.trim().is_empty()
        || incoming.source.chars().count() > SOURCE_ID_MAX
        || incoming.source_id.chars().count() > SOURCE_ID_MAX
    {
        return Ok(Outcome::Refused(Refusal::Reasons(vec![
            reasons::bad_source(SOURCE_ID_MAX),
        ])));
    }
    let existing = entries::by_source(conn, &incoming.source, &incoming.source_id)?;
    let form = match &existing {
        Some(current) if !incoming.keep.is_empty() => merged(
            &directory::form_of(conn, current)?,
            &incoming.form,
            incoming.keep,
        ),
        _ => incoming.form.clone(),
    };
    let valid = match directory::validate(conn, incoming.kind, &form, today)? {
        Ok(v) => v,
        Err(invalid) => return Ok(Outcome::Refused(Refusal::Invalid(invalid))),
    };
    let updated_at = incoming.updated_on.and_then(|d| d.and_hms_opt(0, 0, 0));
    let Some(current) = existing else {
        if dry_run {
            return Ok(Outcome::Created(valid.slug.clone()));
        }
        let entry = directory::create_entry(conn, &valid, author, IMPORTED, now)?;
        entries::set_source(
            conn,
            entry.id,
            &incoming.source,
            &incoming.source_id,
            updated_at,
        )?;
        return Ok(Outcome::Created(entry.slug));
    };
    if current.kind() != incoming.kind {
        return Ok(Outcome::Refused(Refusal::Reasons(vec![
            reasons::other_kind(&current.slug),
        ])));
    }
    if directory::same_content(conn, &current, &valid)? {
        return Ok(Outcome::Unchanged(current.slug));
    }
    if dry_run {
        return Ok(Outcome::Updated(current.slug));
    }
    match directory::update_entry(
        conn,
        current.id,
        current.revision_number,
        &valid,
        author,
        IMPORTED,
        now,
    )? {
        EntrySave::Saved(entry) => {
            entries::set_source(
                conn,
                entry.id,
                &incoming.source,
                &incoming.source_id,
                updated_at,
            )?;
            Ok(Outcome::Updated(entry.slug))
        }
        EntrySave::Conflict(_) => Err(StoreError::Conflict),
    }
}

/// The entries imported from `source`, for reports and tests.
pub fn from_source(conn: &mut DbConn, source: &str) -> StoreResult<Vec<Entry>> {
    use crate::schema::entries as e;
    use diesel::prelude::*;
    Ok(e::table
        .filter(e::source.eq(source))
        .order(e::id.asc())
        .select(Entry::as_select())
        .load(conn)?)
}

/// A record read from a file: ready to import, or refused already (its identifier as the
/// file gives it, and the reasons).
pub type Read = Result<Incoming, (String, Vec<String>)>;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {0}: {1}")]
    Io(std::path::PathBuf, std::io::Error),
    #[error("{0} is not a readable JSON array: {1}")]
    Json(std::path::PathBuf, serde_json::Error),
    #[error("{0} is not a readable CSV file: {1}")]
    Csv(std::path::PathBuf, csv::Error),
    #[error("{0}")]
    Missing(String),
}

/// Calls `each` with every element of the JSON array in `path`, one at a time: a file of
/// hundreds of megabytes is never held in memory at once, and serde_json's recursion limit
/// keeps a hostile nesting from overflowing the stack.
pub fn stream_json_array(
    path: &std::path::Path,
    each: &mut dyn FnMut(serde_json::Value),
) -> Result<(), ReadError> {
    use serde::de::{Deserializer, SeqAccess, Visitor};
    struct Each<'a>(&'a mut dyn FnMut(serde_json::Value));
    impl<'de> Visitor<'de> for Each<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array of records")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(v) = seq.next_element::<serde_json::Value>()? {
                (self.0)(v);
            }
            Ok(())
        }
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(path.to_owned(), e))?;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(file));
    de.deserialize_seq(Each(each))
        .map_err(|e| ReadError::Json(path.to_owned(), e))?;
    de.end().map_err(|e| ReadError::Json(path.to_owned(), e))
}

/// The identifier a record gives itself, for the report (at most 80 characters).
fn id_of(value: &serde_json::Value) -> String {
    let id = match value.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => reasons::NO_ID.to_owned(),
    };
    id.chars().take(80).collect()
}

/// Why serde refused a record, in French.
fn unreadable(e: &serde_json::Error) -> Vec<String> {
    vec![reasons::malformed(e)]
}

/// Reads data·inclusion services (and their structures) from `path`: a folder holding
/// `services.json` and `structures.json`, or a services file with `structures.json` beside it.
/// Only structures of services in `communes` (or without a commune) are kept in memory: a
/// territory can read the national dataset.
pub fn read_data_inclusion(
    path: &std::path::Path,
    source: Option<&str>,
    communes: &std::collections::HashSet<String>,
    each: &mut dyn FnMut(Read),
) -> Result<(), ReadError> {
    use lieu_core::opendata::data_inclusion::{self, Service, Structure};
    let (services, structures) = if path.is_dir() {
        (path.join("services.json"), path.join("structures.json"))
    } else {
        (path.to_owned(), path.with_file_name("structures.json"))
    };
    if !services.is_file() {
        return Err(ReadError::Missing(format!(
            "no data·inclusion services file: {}",
            services.display()
        )));
    }
    let in_territory = |s: &serde_json::Value| match s.get("code_insee") {
        Some(serde_json::Value::String(c)) => communes.contains(c.trim()),
        _ => true,
    };
    let mut wanted = std::collections::HashSet::new();
    stream_json_array(&services, &mut |v| {
        if in_territory(&v)
            && let Some(serde_json::Value::String(id)) = v.get("structure_id")
        {
            wanted.insert(id.clone());
        }
    })?;
    let mut kept: std::collections::HashMap<String, Structure> = std::collections::HashMap::new();
    if structures.is_file() && !wanted.is_empty() {
        stream_json_array(&structures, &mut |v| {
            if let Some(serde_json::Value::String(id)) = v.get("id")
                && wanted.contains(id)
                && let Ok(s) = serde_json::from_value::<Structure>(v)
            {
                kept.insert(s.id.clone(), s);
            }
        })?;
    }
    stream_json_array(&services, &mut |v| {
        let id = id_of(&v);
        let service: Service = match serde_json::from_value(v) {
            Ok(s) => s,
            Err(e) => return each(Err((id, unreadable(&e)))),
        };
        let structure = kept.get(&service.structure_id);
        each(match data_inclusion::import_service(&service, structure) {
            Ok(imported) => Ok(Incoming {
                kind: Kind::Service,
                source: source.map_or(imported.source, str::to_owned),
                source_id: imported.source_id,
                updated_on: imported.updated_on,
                form: imported.form,
                keep: NOT_IN_DATA_INCLUSION,
            }),
            Err(reasons) => Err((id, reasons)),
        });
    })
}

/// Reads one of lieu's tables (either variant: the delimiter is taken from the header line,
/// a byte order mark is skipped, the apostrophe the spreadsheet variant puts before a cell
/// that looks like a formula is taken off).
pub fn read_table(
    path: &std::path::Path,
    source: Option<&str>,
    default_source: &str,
    each: &mut dyn FnMut(Read),
) -> Result<(), ReadError> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(path.to_owned(), e))?;
    let mut reader = std::io::BufReader::new(file);
    let head = reader
        .fill_buf()
        .map_err(|e| ReadError::Io(path.to_owned(), e))?;
    let bom = head.starts_with("\u{feff}".as_bytes());
    let first_line: Vec<u8> = head.iter().copied().take_while(|b| *b != b'\n').collect();
    let semicolons = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    if bom {
        reader.consume(3);
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(if semicolons > commas { b';' } else { b',' })
        .flexible(true)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| ReadError::Csv(path.to_owned(), e))?
        .clone();
    for (line, record) in csv.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                each(Err((
                    reasons::line(line + 2),
                    vec![reasons::unreadable_line(&e)],
                )));
                continue;
            }
        };
        let cells: Vec<(&str, String)> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| {
                let v = match v.strip_prefix('\'') {
                    Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
                    _ => v,
                };
                (h, v.to_owned())
            })
            .collect();
        let cells: Vec<(&str, &str)> = cells.iter().map(|(h, v)| (*h, v.as_str())).collect();
        let id = cells
            .iter()
            .find(|(h, _)| *h == lieu_core::opendata::table::ID)
            .map(|(_, v)| v.chars().take(80).collect())
            .filter(|v: &String| !v.is_empty())
            .unwrap_or_else(|| reasons::line(line + 2));
        each(match lieu_core::opendata::table::import_row(&cells) {
            Ok(row) => Ok(Incoming {
                kind: row.kind,
                source: source
                    .map(str::to_owned)
                    .or(row.source)
                    .unwrap_or_else(|| default_source.to_owned()),
                source_id: row.source_id,
                updated_on: row.updated_on,
                form: row.form,
                keep: &[],
            }),
            Err(reasons) => Err((id, reasons)),
        });
    }
    Ok(())
}

/// Reads HSDS services from the folder `path` (`services.json`, and `organizations.json`,
/// `locations.json`, `schedules.json` beside it): each service with its organization, its
/// first location and its schedules. Only the records the services point to are kept in
/// memory.
pub fn read_hsds(
    path: &std::path::Path,
    source: Option<&str>,
    communes: &std::collections::HashMap<String, lieu_core::opendata::CommuneRef>,
    each: &mut dyn FnMut(Read),
) -> Result<(), ReadError> {
    use serde_json::Value;
    use std::collections::{HashMap, HashSet};
    let dir = if path.is_dir() {
        path.to_owned()
    } else {
        path.parent()
            .map(std::path::Path::to_owned)
            .unwrap_or_default()
    };
    let services = dir.join("services.json");
    if !services.is_file() {
        return Err(ReadError::Missing(format!(
            "no HSDS services file: {}",
            services.display()
        )));
    }
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let (mut orgs, mut locations, mut service_ids) =
        (HashSet::new(), HashSet::new(), HashSet::new());
    stream_json_array(&services, &mut |v| {
        orgs.extend(str_of(&v, "organization_id"));
        service_ids.extend(str_of(&v, "id"));
        for sal in v
            .get("service_at_locations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            locations.extend(str_of(sal, "location_id"));
        }
    })?;
    let keep = |file: &str,
                wanted: &HashSet<String>,
                key: &str|
     -> Result<HashMap<String, Vec<Value>>, ReadError> {
        let mut out: HashMap<String, Vec<Value>> = HashMap::new();
        let path = dir.join(file);
        if path.is_file() {
            stream_json_array(&path, &mut |v| {
                if let Some(k) = str_of(&v, key).filter(|k| wanted.contains(k)) {
                    out.entry(k).or_default().push(v);
                }
            })?;
        }
        Ok(out)
    };
    let orgs = keep("organizations.json", &orgs, "id")?;
    let locations = keep("locations.json", &locations, "id")?;
    let schedules = keep("schedules.json", &service_ids, "service_id")?;
    let communes: Vec<lieu_core::opendata::CommuneRef> = communes.values().cloned().collect();
    stream_json_array(&services, &mut |v| {
        let id = id_of(&v);
        if !v.is_object() || str_of(&v, "id").is_none() || str_of(&v, "name").is_none() {
            return each(Err((id, vec![reasons::HSDS_INCOMPLETE.to_owned()])));
        }
        let org = str_of(&v, "organization_id")
            .and_then(|o| orgs.get(&o))
            .and_then(|l| l.first());
        let location = v
            .get("service_at_locations")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(|sal| str_of(sal, "location_id"))
            .and_then(|l| locations.get(&l))
            .and_then(|l| l.first());
        let own = schedules.get(&id).map(Vec::as_slice).unwrap_or_default();
        let updated_on = str_of(&v, "last_modified")
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
            .filter(|d| lieu_core::entry::in_range(*d));
        each(
            match lieu_core::opendata::hsds::import::service_form(&v, org, location, own, &communes)
            {
                Ok(form) => Ok(Incoming {
                    kind: Kind::Service,
                    source: source.unwrap_or("hsds").to_owned(),
                    source_id: str_of(&v, "id").unwrap_or_default(),
                    updated_on,
                    form,
                    keep: NOT_IN_HSDS,
                }),
                Err(reasons) => Err((id, reasons)),
            },
        );
    })
}
