-- The directory: communes and categories of the territory, entries of five kinds with the
-- columns the lists filter and sort on, their tags (multi-valued filters) and revisions.
CREATE TABLE communes (
    insee TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    postcode TEXT NOT NULL
);

CREATE TABLE categories (
    id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (kind, slug)
);

CREATE TABLE entries (
    id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    commune_insee TEXT NOT NULL REFERENCES communes (insee),
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    expires_at TIMESTAMP,
    amount_eur INTEGER,
    details_json TEXT NOT NULL,
    revision_number INTEGER NOT NULL,
    verified_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX entries_kind_status_title ON entries (kind, status, title);
CREATE INDEX entries_kind_commune ON entries (kind, commune_insee);
CREATE INDEX entries_kind_starts ON entries (kind, starts_at);
CREATE INDEX entries_kind_expires ON entries (kind, expires_at);
CREATE INDEX entries_kind_created ON entries (kind, created_at);
CREATE INDEX entries_verified ON entries (verified_at);

CREATE TABLE entry_tags (
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (entry_id, facet, value)
);
CREATE INDEX entry_tags_facet_value ON entry_tags (facet, value, entry_id);

CREATE TABLE entry_revisions (
    id SERIAL PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    snapshot_json TEXT NOT NULL,
    summary TEXT NOT NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (entry_id, number)
);
