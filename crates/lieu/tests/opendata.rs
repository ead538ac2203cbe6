//! Open data from the command line (issue 13), as a person runs it (the real binary, databases
//! on disk): every record `lieu export` writes for the demo directory and for a generated one
//! validates against the data·inclusion v1 schemas (`schema/data-inclusion-v1`) and the HSDS 3
//! schemas (`tests/schemas/hsds-3`); the demo directory exported, imported into an empty site
//! and exported again gives the same entries; importing twice changes nothing; `--dry-run`
//! writes nothing; refused records are reported with their reasons and hostile files do not
//! crash the import; the spreadsheet variant of the tables quotes what must be.
//!
//! SQLite always; PostgreSQL too when `LIEU_TEST_DATABASE_URL` is set (databases of their own
//! are created for the test and dropped after).

mod common;
use common::{lieu, psql, succeeded};
use diesel::prelude::*;
use lieu_store::Store;
use lieu_store::schema::{entries as e, entry_revisions as r, entry_tags as t};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A database for one part of a test: a SQLite file, or a PostgreSQL database dropped after.
struct Db {
    url: String,
    admin: Option<(String, String)>,
}

impl Db {
    fn new(backend: &Backend, dir: &Path, name: &str) -> Db {
        match backend {
            Backend::Sqlite => Db {
                url: format!("sqlite://{}", dir.join(format!("{name}.sqlite3")).display()),
                admin: None,
            },
            Backend::Postgres(admin) => {
                let db = format!("lieu_opendata_{name}_{:016x}", rand::random::<u64>());
                psql(admin, &format!("CREATE DATABASE \"{db}\""));
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Db {
                    url: format!("{base}/{db}"),
                    admin: Some((admin.clone(), db)),
                }
            }
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, db)) = &self.admin {
            let _ = Command::new("psql")
                .args([
                    "-q",
                    admin,
                    "-c",
                    &format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"),
                ])
                .status();
        }
    }
}

enum Backend {
    Sqlite,
    Postgres(String),
}

/// Validators of the records of each exported JSON file, by its path under the export folder.
fn validators() -> Vec<(&'static str, jsonschema::Validator)> {
    let read = |p: PathBuf| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(&p).expect("schema")).expect("JSON schema")
    };
    let di = repo().join("schema/data-inclusion-v1");
    let build = |schema: &serde_json::Value, registry: Option<&jsonschema::Registry>| {
        let mut options = jsonschema::options().should_validate_formats(true);
        if let Some(r) = registry {
            options = options.with_registry(r);
        }
        options.build(schema).expect("a valid schema")
    };
    let mut out = vec![
        (
            "data-inclusion/structures.json",
            build(&read(di.join("structure.json")), None),
        ),
        (
            "data-inclusion/services.json",
            build(&read(di.join("service.json")), None),
        ),
    ];
    // HSDS tables refer to each other by file name (`phone.json`): all of them are registered
    // under one base address.
    const BASE: &str = "https://hsds.invalid/schema/";
    let hsds = repo().join("tests/schemas/hsds-3");
    let mut registry = jsonschema::Registry::new();
    for entry in std::fs::read_dir(&hsds).expect("hsds schemas") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "json") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_owned();
            registry = registry
                .add(format!("{BASE}{name}"), read(path))
                .expect("register an HSDS schema");
        }
    }
    let registry = Box::leak(Box::new(registry.prepare().expect("HSDS registry")));
    for (file, table) in [
        ("hsds/organizations.json", "organization"),
        ("hsds/services.json", "service"),
        ("hsds/locations.json", "location"),
        ("hsds/schedules.json", "schedule"),
    ] {
        let schema = serde_json::json!({ "$ref": format!("{BASE}{table}.json") });
        out.push((file, build(&schema, Some(registry))));
    }
    out
}

/// Validates every record of every JSON file in `dir`; returns the records seen per file.
fn validate_export(
    dir: &Path,
    validators: &[(&'static str, jsonschema::Validator)],
) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for (file, validator) in validators {
        let text = std::fs::read_to_string(dir.join(file)).expect("exported file");
        let records: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
        for record in &records {
            let errors: Vec<String> = validator
                .iter_errors(record)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{file}: {errors:?}\n{record:#}");
        }
        counts.insert(*file, records.len());
    }
    counts
}

/// Every entry as comparable text: (kind, slug) → (status, title, summary, commune,
/// categories, details as JSON).
type Entries = BTreeMap<
    (String, String),
    (
        String,
        String,
        String,
        String,
        Vec<String>,
        serde_json::Value,
    ),
>;

/// An entry's row: (id, kind, slug, status, title, summary, commune, details).
type EntryRow = (i32, String, String, String, String, String, String, String);

fn entries_of(url: &str) -> Entries {
    let store = Store::open(url, 1).expect("store");
    store
        .read(|c| {
            let rows: Vec<EntryRow> = e::table
                .select((
                    e::id,
                    e::kind,
                    e::slug,
                    e::status,
                    e::title,
                    e::summary,
                    e::commune_insee,
                    e::details_json,
                ))
                .load(c)?;
            let mut out = Entries::new();
            for (id, kind, slug, status, title, summary, commune, details) in rows {
                let categories: Vec<String> = t::table
                    .filter(t::entry_id.eq(id))
                    .filter(t::facet.eq("category"))
                    .order(t::value.asc())
                    .select(t::value)
                    .load(c)?;
                let details: serde_json::Value = serde_json::from_str(&details).expect("details");
                out.insert(
                    (kind, slug),
                    (status, title, summary, commune, categories, details),
                );
            }
            Ok(out)
        })
        .expect("read entries")
}

fn revisions(url: &str) -> i64 {
    let store = Store::open(url, 1).expect("store");
    store
        .read(|c| Ok(r::table.count().get_result(c)?))
        .expect("count")
}

/// A content folder with only the territory (communes and categories): an empty site.
fn territory_only(dir: &Path) -> String {
    let only = dir.join("territoire");
    std::fs::create_dir_all(&only).expect("folder");
    std::fs::copy(
        repo().join("wiki-content/territory.toml"),
        only.join("territory.toml"),
    )
    .expect("copy");
    only.to_str().expect("utf-8").to_owned()
}

fn every_exported_record_validates_against_data_inclusion_and_hsds(backend: &Backend) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let validators = validators();
    let content = repo().join("wiki-content");
    let demo = Db::new(backend, dir.path(), "demo");
    succeeded(
        lieu(
            dir.path(),
            &demo.url,
            &["import", content.to_str().expect("utf-8")],
        ),
        "import",
    );
    let out = succeeded(
        lieu(dir.path(), &demo.url, &["export", "--output", "demo"]),
        "export",
    );
    assert!(out.contains("Licence Ouverte 2.0"), "{out}");
    let counts = validate_export(&dir.path().join("demo"), &validators);
    assert_eq!(counts["data-inclusion/services.json"], 23, "{counts:?}");
    assert_eq!(
        counts["data-inclusion/structures.json"],
        23 + 18,
        "services and associations"
    );
    assert!(counts["hsds/schedules.json"] > 0);

    let generated = Db::new(backend, dir.path(), "gen");
    succeeded(
        lieu(
            dir.path(),
            &generated.url,
            &["import", &territory_only(dir.path())],
        ),
        "territory",
    );
    succeeded(
        lieu(
            dir.path(),
            &generated.url,
            &["generate", "--entries", "400", "--seed", "5"],
        ),
        "generate",
    );
    succeeded(
        lieu(dir.path(), &generated.url, &["export", "--output", "gen"]),
        "export",
    );
    let counts = validate_export(&dir.path().join("gen"), &validators);
    assert!(counts["data-inclusion/services.json"] > 20, "{counts:?}");

    // The metadata states the licence; no file names a submitter.
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("demo/metadonnees.json")).expect("metadata"),
    )
    .expect("JSON");
    assert_eq!(meta["licence"], "Licence Ouverte 2.0");
}

fn the_demo_directory_exported_and_imported_again_gives_the_same_entries(backend: &Backend) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let content = repo().join("wiki-content");
    let demo = Db::new(backend, dir.path(), "a");
    succeeded(
        lieu(
            dir.path(),
            &demo.url,
            &["import", content.to_str().expect("utf-8")],
        ),
        "import",
    );
    succeeded(
        lieu(dir.path(), &demo.url, &["export", "--output", "out"]),
        "export",
    );
    let original = entries_of(&demo.url);
    assert_eq!(original.len(), 83);

    let copy = Db::new(backend, dir.path(), "b");
    succeeded(
        lieu(
            dir.path(),
            &copy.url,
            &["import", &territory_only(dir.path())],
        ),
        "territory",
    );
    // A dry run writes nothing.
    let dry = succeeded(
        lieu(
            dir.path(),
            &copy.url,
            &[
                "import",
                "--format",
                "csv",
                "--dry-run",
                "out/csv/services.csv",
            ],
        ),
        "dry run",
    );
    assert!(
        dry.contains("Simulation") && dry.contains("23 fiche(s) créée(s)"),
        "{dry}"
    );
    assert!(
        entries_of(&copy.url).is_empty(),
        "the dry run wrote nothing"
    );
    // Half of the kinds from the spreadsheet variant, half from the plain one.
    for file in [
        "services-excel",
        "associations",
        "emplois-excel",
        "logements",
        "evenements-excel",
    ] {
        let path = format!("out/csv/{file}.csv");
        let report = succeeded(
            lieu(dir.path(), &copy.url, &["import", "--format", "csv", &path]),
            &path,
        );
        assert!(
            report.contains("0 enregistrement(s) refusé(s)"),
            "{path}: {report}"
        );
    }
    assert_eq!(entries_of(&copy.url), original, "the same entries");

    // Importing again changes nothing: no new revision.
    let before = revisions(&copy.url);
    for file in [
        "services",
        "associations",
        "emplois",
        "logements",
        "evenements",
    ] {
        let path = format!("out/csv/{file}-excel.csv");
        let report = succeeded(
            lieu(dir.path(), &copy.url, &["import", "--format", "csv", &path]),
            &path,
        );
        assert!(
            report.contains("0 fiche(s) créée(s)") && report.contains("0 fiche(s) mise(s) à jour"),
            "{report}"
        );
    }
    assert_eq!(revisions(&copy.url), before, "idempotent");

    // data·inclusion and HSDS carry the services (not their categories nor, for HSDS, the
    // contact's name): imported into an empty site, they give the same services otherwise.
    for (name, format, folder) in [
        ("c", "data-inclusion", "out/data-inclusion"),
        ("d", "hsds", "out/hsds"),
    ] {
        let other = Db::new(backend, dir.path(), name);
        succeeded(
            lieu(
                dir.path(),
                &other.url,
                &["import", &territory_only(dir.path())],
            ),
            "territory",
        );
        let report = succeeded(
            lieu(
                dir.path(),
                &other.url,
                &["import", "--format", format, folder],
            ),
            format,
        );
        assert!(
            report.contains("23 fiche(s) créée(s)"),
            "{format}: {report}"
        );
        let again = succeeded(
            lieu(
                dir.path(),
                &other.url,
                &["import", "--format", format, folder],
            ),
            format,
        );
        assert!(
            again.contains("23 fiche(s) inchangée(s)"),
            "{format}: {again}"
        );
        let imported = entries_of(&other.url);
        for ((kind, slug), (_, title, summary, commune, _, details)) in
            original.iter().filter(|((k, _), _)| k == "service")
        {
            let (_, t2, s2, c2, _, d2) = imported
                .get(&(kind.clone(), slug.clone()))
                .unwrap_or_else(|| panic!("{format}: {slug}"));
            assert_eq!((title, summary, commune), (t2, s2, c2), "{format}: {slug}");
            for field in [
                "organisation",
                "description",
                "themes",
                "publics",
                "fees",
                "fees_details",
                "reception",
                "address",
                "opening_hours",
                "help_modes",
            ] {
                let same = details[field] == d2[field]
                    // HSDS schedules give the same hours, maybe grouped otherwise.
                    || (field == "opening_hours" && format == "hsds" && !d2[field].is_null());
                assert!(
                    same,
                    "{format}: {slug}: {field}: {} ≠ {}",
                    details[field], d2[field]
                );
            }
            let (c1, c2) = (&details["contact"], &d2["contact"]);
            assert_eq!(
                (&c1["phone"], &c1["email"]),
                (&c2["phone"], &c2["email"]),
                "{format}: {slug}"
            );
        }
    }
}

fn refused_records_are_reported_with_their_reasons(backend: &Backend) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = Db::new(backend, dir.path(), "r");
    succeeded(
        lieu(
            dir.path(),
            &site.url,
            &["import", &territory_only(dir.path())],
        ),
        "territory",
    );
    let ok = serde_json::json!({
        "source": "test", "id": "test--ok", "structure_id": "s1", "nom": "Aide aux démarches",
        "description": "Un accompagnement pour vos démarches en ligne.", "date_maj": "2026-01-15",
        "code_insee": "79901", "thematiques": ["numerique--acceder-a-des-services-en-ligne"],
        "publics": ["tous-publics"], "frais": "gratuit", "telephone": "+33199001234"
    });
    let with = |changes: serde_json::Value| {
        let mut record = ok.clone();
        for (k, v) in changes.as_object().expect("object") {
            record[k] = v.clone();
        }
        record
    };
    let services = serde_json::json!([
        ok,
        with(
            serde_json::json!({"id": "test--vocab", "thematiques": ["jardinage"], "frais": "presque"})
        ),
        with(serde_json::json!({"id": "test--paris", "code_insee": "75056"})),
        with(serde_json::json!({"id": "test--date", "date_maj": "31/02/2026"})),
        with(serde_json::json!({"id": "test--type", "nom": 42})),
        with(serde_json::json!({"id": "test--long", "nom": "x".repeat(100_000)})),
        17,
        with(serde_json::json!({"id": "test--ok"})),
    ]);
    let folder = dir.path().join("di");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join("services.json"), services.to_string()).expect("write");
    std::fs::write(
        folder.join("structures.json"),
        r#"[{"source":"test","id":"s1","nom":"Mairie","date_maj":"2026-01-01"}]"#,
    )
    .expect("write");
    let report = succeeded(
        lieu(
            dir.path(),
            &site.url,
            &["import", "--format", "data-inclusion", "di"],
        ),
        "import",
    );
    assert!(report.contains("1 fiche(s) créée(s)"), "{report}");
    assert!(report.contains("7 enregistrement(s) refusé(s)"), "{report}");
    for needle in [
        "test--vocab",
        "jardinage",
        "presque",
        "test--paris",
        "commune « 75056 »",
        "test--date",
        "date_maj",
        "test--type",
        "test--long",
        "déjà présent plus haut",
    ] {
        assert!(report.contains(needle), "{needle} in {report}");
    }
    let entries = entries_of(&site.url);
    assert_eq!(entries.len(), 1);
    let (_, (_, _, _, _, _, details)) = entries.iter().next().expect("one");
    assert_eq!(details["organisation"], "Mairie", "the structure's name");

    // Not JSON, or not an array: an error that says so, not a crash.
    std::fs::write(folder.join("services.json"), "{\"a\": [1, 2").expect("write");
    let broken = lieu(
        dir.path(),
        &site.url,
        &["import", "--format", "data-inclusion", "di"],
    );
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stderr).contains("JSON array"));
    // A CSV whose rows are short, with an unknown type, a bad date and an unknown commune.
    std::fs::write(
        dir.path().join("t.csv"),
        "identifiant,type,titre,commune_insee,resume,date_maj\n\
         a,vélo,X,79901,Y,2026-01-01\n\
         b,service,Titre,00000,Résumé,2026-01-01\n\
         c,service,Titre,79901,Résumé,hier\n\
         d,service\n",
    )
    .expect("write");
    let report = succeeded(
        lieu(
            dir.path(),
            &site.url,
            &["import", "--format", "csv", "t.csv"],
        ),
        "csv",
    );
    assert!(report.contains("4 enregistrement(s) refusé(s)"), "{report}");
    assert!(
        report.contains("vélo") && report.contains("00000") && report.contains("hier"),
        "{report}"
    );
}

fn the_spreadsheet_variant_has_a_bom_semicolons_and_quotes_what_it_must(backend: &Backend) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let demo = Db::new(backend, dir.path(), "x");
    let content = repo().join("wiki-content");
    succeeded(
        lieu(
            dir.path(),
            &demo.url,
            &["import", content.to_str().expect("utf-8")],
        ),
        "import",
    );
    succeeded(
        lieu(
            dir.path(),
            &demo.url,
            &["export", "--format", "csv", "--output", "out"],
        ),
        "export",
    );
    let excel = std::fs::read(dir.path().join("out/csv/services-excel.csv")).expect("excel");
    let plain = std::fs::read(dir.path().join("out/csv/services.csv")).expect("plain");
    assert!(excel.starts_with("\u{feff}identifiant;type;titre;".as_bytes()));
    assert!(plain.starts_with(b"identifiant,type,titre,"));
    let text = String::from_utf8(excel.clone()).expect("UTF-8");
    // A field with a semicolon is quoted; newlines stay inside their quoted field.
    assert!(text.contains("\"Tu-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30; Sa 09:00-12:00\""));
    let rows = |bytes: &[u8], delimiter: u8| -> Vec<Vec<String>> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(bytes)
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
            .collect()
    };
    let (excel_rows, plain_rows) = (rows(&excel, b';'), rows(&plain, b','));
    assert_eq!(excel_rows.len(), 23);
    assert_eq!(excel_rows, plain_rows, "both variants hold the same cells");
    assert!(
        plain_rows
            .iter()
            .any(|r| r.iter().any(|c| c.contains('\n')))
    );
}

fn postgres() -> Backend {
    Backend::Postgres(std::env::var("LIEU_TEST_DATABASE_URL").expect("LIEU_TEST_DATABASE_URL"))
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(&super::Backend::Sqlite) } )*
        }
        mod postgres {
            $(
                #[test]
                #[cfg_attr(
                    not(lieu_postgres_tests),
                    ignore = "set LIEU_TEST_DATABASE_URL at build time to run the PostgreSQL tests"
                )]
                fn $name() { super::$name(&super::postgres()) }
            )*
        }
    };
}

on_both!(
    every_exported_record_validates_against_data_inclusion_and_hsds,
    the_demo_directory_exported_and_imported_again_gives_the_same_entries,
    refused_records_are_reported_with_their_reasons,
    the_spreadsheet_variant_has_a_bom_semicolons_and_quotes_what_it_must,
);
