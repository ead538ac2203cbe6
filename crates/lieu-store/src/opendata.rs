//! Open data exports (issue 13): the published, unexpired entries read in keyset batches and
//! written as data·inclusion, HSDS and CSV files, each file written beside its final place and
//! renamed over it, so that a reader never sees half a file.
//!
//! The mapping to each standard is `lieu_core::opendata`'s; this module reads and writes.

use crate::error::StoreResult;
use crate::models::communes;
use crate::models::entries::Entry;
use crate::schema::{entries as e, entry_tags as t};
use crate::{DbConn, Store, StoreError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::entry::Status;
use lieu_core::opendata::{
    CommuneRef, DataFile, FILES, Format, METADATA_FILE, Producer, PublicEntry, data_inclusion,
    hsds, table,
};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Entries read in one query: enough to keep the round trips few, small enough that 100,000
/// entries never sit in memory at once.
pub const BATCH: i64 = 500;

type Boxed<'a> = e::BoxedQuery<'a, crate::conn::MultiBackend>;

/// Published entries still current at `now`: offers not expired, events not over.
fn exportable(now: NaiveDateTime) -> Boxed<'static> {
    e::table
        .filter(e::status.eq(Status::Published.as_str()))
        .filter(e::expires_at.is_null().or(e::expires_at.gt(now)))
        .filter(e::ends_at.is_null().or(e::ends_at.gt(now)))
        .into_boxed()
}

/// How many entries an export at `now` holds.
pub fn exportable_count(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<i64> {
    Ok(exportable(now).count().get_result(conn)?)
}

/// The next batch of exportable entries after the entry `after` (by id), with their
/// categories and communes.
pub fn exportable_batch(
    conn: &mut DbConn,
    communes: &HashMap<String, CommuneRef>,
    after: i32,
    limit: i64,
    now: NaiveDateTime,
) -> StoreResult<Vec<PublicEntry>> {
    let rows: Vec<Entry> = exportable(now)
        .filter(e::id.gt(after))
        .order(e::id.asc())
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let tags: Vec<(i32, String)> = t::table
        .filter(t::entry_id.eq_any(&ids))
        .filter(t::facet.eq("category"))
        .order((t::entry_id.asc(), t::value.asc()))
        .select((t::entry_id, t::value))
        .load(conn)?;
    let mut categories: HashMap<i32, Vec<String>> = HashMap::new();
    for (id, value) in tags {
        categories.entry(id).or_default().push(value);
    }
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            // A row whose details no longer parse (edited by hand) is left out.
            let details = row.details()?;
            Some(PublicEntry {
                id: row.id,
                kind: row.kind(),
                commune: communes
                    .get(&row.commune_insee)
                    .cloned()
                    .unwrap_or(CommuneRef {
                        insee: row.commune_insee.clone(),
                        ..CommuneRef::default()
                    }),
                categories: categories.remove(&row.id).unwrap_or_default(),
                slug: row.slug,
                title: row.title,
                summary: row.summary,
                details,
                updated_at: row.updated_at,
            })
        })
        .collect())
}

/// The territory's communes by INSEE code.
pub fn communes_by_code(conn: &mut DbConn) -> StoreResult<HashMap<String, CommuneRef>> {
    Ok(communes::all(conn)?
        .into_iter()
        .map(|c| {
            (
                c.insee.clone(),
                CommuneRef {
                    insee: c.insee,
                    name: c.name,
                    postcode: c.postcode,
                },
            )
        })
        .collect())
}

/// What the exports depend on, as one string: when it changes, the files are written again.
/// The number of entries exported moves when one expires; the latest revision moves with every
/// creation, edit, archive and restore (timestamps would not: two changes may share a second).
pub fn content_state(
    conn: &mut DbConn,
    producer: &Producer,
    now: NaiveDateTime,
) -> StoreResult<String> {
    use crate::schema::entry_revisions as r;
    let count = exportable_count(conn, now)?;
    let last_revision: Option<i32> = r::table.select(diesel::dsl::max(r::id)).first(conn)?;
    let communes: i64 = crate::schema::communes::table.count().get_result(conn)?;
    Ok(format!(
        "{count}/{}/{communes}/{}/{}/{}/{}",
        last_revision.unwrap_or(0),
        producer.base_url,
        producer.source,
        producer.licence,
        producer.licence_url,
    ))
}

/// What an export wrote.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub producteur: String,
    pub source: String,
    pub licence: String,
    pub licence_url: String,
    /// UTC, RFC 3339.
    pub genere_le: String,
    /// [`content_state`] when the files were written.
    pub etat: String,
    pub fichiers: Vec<FileSummary>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileSummary {
    /// `format/name`, also its address under `/donnees/`.
    pub chemin: String,
    pub enregistrements: u64,
    pub octets: u64,
}

/// Reads the summary of the last export in `dir`, if there is one.
pub fn read_summary(dir: &Path) -> Option<Summary> {
    let text = std::fs::read_to_string(dir.join(METADATA_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// A JSON array written one record at a time.
struct JsonArray {
    out: BufWriter<File>,
    count: u64,
}

impl JsonArray {
    fn push(&mut self, value: &impl serde::Serialize) -> std::io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, value)?;
        self.count += 1;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<u64> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(self.count)
    }
}

/// A CSV file: RFC 4180 with commas, or the spreadsheet variant (semicolons, a byte order
/// mark) that French spreadsheet software opens with its accents and columns right.
struct Table {
    out: csv::Writer<BufWriter<File>>,
    excel: bool,
    count: u64,
}

/// A cell of the spreadsheet variant: one that starts like a formula gets an apostrophe, so
/// that the spreadsheet shows it rather than computing it (CSV injection). Imports take the
/// apostrophe off again.
fn spreadsheet_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

impl Table {
    fn new(file: File, excel: bool) -> std::io::Result<Table> {
        let mut out = BufWriter::new(file);
        if excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let out = csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_writer(out);
        Ok(Table {
            out,
            excel,
            count: 0,
        })
    }

    fn header<S: AsRef<str>>(&mut self, headers: &[S]) -> std::io::Result<()> {
        self.out
            .write_record(headers.iter().map(|h| h.as_ref()))
            .map_err(std::io::Error::other)
    }

    fn push<S: AsRef<str>>(&mut self, values: &[S]) -> std::io::Result<()> {
        let excel = self.excel;
        self.out
            .write_record(values.iter().map(|v| {
                if excel {
                    spreadsheet_cell(v.as_ref()).into_owned()
                } else {
                    v.as_ref().to_owned()
                }
            }))
            .map_err(std::io::Error::other)?;
        self.count += 1;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<u64> {
        self.out.flush()?;
        Ok(self.count)
    }
}

enum Sink {
    Json(JsonArray),
    Csv(Box<Table>),
}

/// The files being written, by their path under the exports' folder.
struct Sinks {
    tmp: PathBuf,
    sinks: Vec<(&'static DataFile, Sink)>,
}

impl Sinks {
    fn sink(&mut self, format: Format, name: &str) -> Option<&mut Sink> {
        self.sinks
            .iter_mut()
            .find(|(f, _)| f.format == format && f.name == name)
            .map(|(_, s)| s)
    }

    fn json(
        &mut self,
        format: Format,
        name: &str,
        value: &impl serde::Serialize,
    ) -> std::io::Result<()> {
        if let Some(Sink::Json(j)) = self.sink(format, name) {
            j.push(value)?;
        }
        Ok(())
    }
}

/// Writes the files of `formats` for the entries exportable at `now` into `dir`
/// (`dir/data-inclusion/services.json`, ...), and the summary beside them. `progress` is told
/// how many entries were read so far.
pub fn export(
    store: &Store,
    dir: &Path,
    producer: &Producer,
    formats: &[Format],
    now: NaiveDateTime,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, ExportError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |e: std::io::Error| ExportError::Io(path, e)
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let (communes, state) =
        store.read(|c| Ok((communes_by_code(c)?, content_state(c, producer, now)?)))?;
    // A folder of its own for this run: two exports at once never write the same file.
    let tmp = dir.join(format!(".en-cours-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut sinks = Sinks {
        tmp: tmp.clone(),
        sinks: Vec::new(),
    };
    for file in FILES.iter().filter(|f| formats.contains(&f.format)) {
        let folder = tmp.join(file.format.dir());
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        let path = folder.join(file.name);
        let handle = File::create(&path).map_err(io(&path))?;
        let sink = if file.name.ends_with(".json") {
            Sink::Json(JsonArray {
                out: BufWriter::new(handle),
                count: 0,
            })
        } else {
            let mut t = Table::new(handle, file.excel).map_err(io(&path))?;
            let headers: Vec<String> = match (file.format, file.kind) {
                (Format::Csv, Some(kind)) => table::headers(kind)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                (_, _) if file.name == "structures.csv" => {
                    data_inclusion::csv_row(&data_inclusion::Structure::default()).0
                }
                _ => data_inclusion::csv_row(&data_inclusion::Service::default()).0,
            };
            t.header(&headers).map_err(io(&path))?;
            Sink::Csv(Box::new(t))
        };
        sinks.sinks.push((file, sink));
    }
    let wants = |f: Format| formats.contains(&f);
    let mut after = 0;
    let mut read = 0u64;
    loop {
        let batch = store.read(|c| exportable_batch(c, &communes, after, BATCH, now))?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for entry in &batch {
            write_entry(&mut sinks, producer, entry, wants).map_err(io(&sinks.tmp))?;
        }
        read += batch.len() as u64;
        progress(read);
        if (batch.len() as i64) < BATCH {
            break;
        }
    }
    let mut summary = Summary {
        producteur: producer.site_name.clone(),
        source: producer.source.clone(),
        licence: producer.licence.clone(),
        licence_url: producer.licence_url.clone(),
        genere_le: now
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        etat: state,
        fichiers: Vec::new(),
    };
    for (file, sink) in sinks.sinks {
        let from = tmp.join(file.path());
        let count = match sink {
            Sink::Json(j) => j.finish(),
            Sink::Csv(t) => t.finish(),
        }
        .map_err(io(&from))?;
        let to_dir = dir.join(file.format.dir());
        std::fs::create_dir_all(&to_dir).map_err(io(&to_dir))?;
        let to = to_dir.join(file.name);
        std::fs::rename(&from, &to).map_err(io(&to))?;
        let size = std::fs::metadata(&to).map_err(io(&to))?.len();
        summary.fichiers.push(FileSummary {
            chemin: file.path(),
            enregistrements: count,
            octets: size,
        });
    }
    // Files of formats not written this time stay listed as they were.
    if let Some(before) = read_summary(dir) {
        for f in before.fichiers {
            if !summary.fichiers.iter().any(|s| s.chemin == f.chemin)
                && dir.join(&f.chemin).is_file()
            {
                summary.fichiers.push(f);
            }
        }
    }
    summary
        .fichiers
        .sort_by_key(|f| FILES.iter().position(|d| d.path() == f.chemin));
    let meta = tmp.join(METADATA_FILE);
    let json = serde_json::to_vec_pretty(&summary).map_err(|e| io(&meta)(e.into()))?;
    std::fs::write(&meta, json).map_err(io(&meta))?;
    std::fs::rename(&meta, dir.join(METADATA_FILE)).map_err(io(&meta))?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(summary)
}

fn write_entry(
    sinks: &mut Sinks,
    producer: &Producer,
    entry: &PublicEntry,
    wants: impl Fn(Format) -> bool,
) -> std::io::Result<()> {
    if wants(Format::DataInclusion) {
        if let Some(s) = data_inclusion::structure(producer, entry) {
            sinks.json(Format::DataInclusion, "structures.json", &s)?;
            if let Some(Sink::Csv(t)) = sinks.sink(Format::DataInclusion, "structures.csv") {
                t.push(&data_inclusion::csv_row(&s).1)?;
            }
        }
        if let Some(s) = data_inclusion::service(producer, entry) {
            sinks.json(Format::DataInclusion, "services.json", &s)?;
            if let Some(Sink::Csv(t)) = sinks.sink(Format::DataInclusion, "services.csv") {
                t.push(&data_inclusion::csv_row(&s).1)?;
            }
        }
    }
    if wants(Format::Hsds) {
        let records = hsds::records(producer, entry);
        for (name, list) in [
            ("organizations.json", &records.organizations),
            ("services.json", &records.services),
            ("locations.json", &records.locations),
            ("schedules.json", &records.schedules),
        ] {
            for r in list {
                sinks.json(Format::Hsds, name, r)?;
            }
        }
    }
    if wants(Format::Csv) {
        let row = table::row(producer, entry);
        for (file, sink) in &mut sinks.sinks {
            if file.format == Format::Csv
                && file.kind == Some(entry.kind)
                && let Sink::Csv(t) = sink
            {
                t.push(&row)?;
            }
        }
    }
    Ok(())
}

/// Whether the files in `dir` are missing or older than the content.
pub fn is_stale(
    store: &Store,
    dir: &Path,
    producer: &Producer,
    now: NaiveDateTime,
) -> StoreResult<bool> {
    let state = store.read(|c| content_state(c, producer, now))?;
    Ok(match read_summary(dir) {
        None => true,
        Some(s) => s.etat != state || FILES.iter().any(|f| !dir.join(f.path()).is_file()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(excel: bool, cells: &[&str]) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.csv");
        let mut table = Table::new(File::create(&path).expect("create"), excel).expect("table");
        table.header(&["a", "b", "c", "d"]).expect("header");
        table.push(cells).expect("row");
        assert_eq!(table.finish().expect("finish"), 1);
        std::fs::read(&path).expect("read")
    }

    #[test]
    fn the_spreadsheet_variant_quotes_semicolons_quotes_and_newlines_and_defuses_formulas() {
        let cells = ["a;b", "dit \"oui\"", "ligne 1\nligne 2", "=SOMME(A1)"];
        let excel = String::from_utf8(written(true, &cells)).expect("utf-8");
        assert!(excel.starts_with("\u{feff}a;b;c;d\r\n") || excel.starts_with("\u{feff}a;b;c;d\n"));
        assert!(
            excel.contains("\"a;b\";\"dit \"\"oui\"\"\";\"ligne 1\nligne 2\";'=SOMME(A1)"),
            "{excel}"
        );
        let plain = String::from_utf8(written(false, &cells)).expect("utf-8");
        assert!(plain.starts_with("a,b,c,d"));
        assert!(
            plain.contains("a;b,\"dit \"\"oui\"\"\",\"ligne 1\nligne 2\",=SOMME(A1)"),
            "{plain}"
        );
    }
}
