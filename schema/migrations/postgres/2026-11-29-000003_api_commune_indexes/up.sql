-- The JSON API's lists of one commune, of one kind or of all: walked in (updated_at, id) order
-- from the cursor, as the lists without a commune walk 2026-11-29-000002's indexes. A filter
-- on a common tag (a thématique's group, a public) is checked on each entry walked; a rare one
-- leads instead (lieu-store, open_data.rs).
CREATE INDEX entries_kind_status_commune_updated ON entries (kind, status, commune_insee, updated_at, id);
CREATE INDEX entries_status_commune_updated ON entries (status, commune_insee, updated_at, id);
ANALYZE entries;
