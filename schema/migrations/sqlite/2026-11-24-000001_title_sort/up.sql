-- Titles sort on a key computed by lieu-core (lowercase, accents folded) rather than on the
-- title itself: SQLite compares bytes ("École" after "Zèbre") and PostgreSQL follows the
-- server's locale, so neither gives the French order alike. Existing rows get their key from
-- the store right after this migration runs (SQL alone cannot fold accents on SQLite).
ALTER TABLE pages ADD COLUMN title_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE entries ADD COLUMN title_sort TEXT NOT NULL DEFAULT '';
DROP INDEX pages_title;
CREATE INDEX pages_title_sort ON pages (title_sort);
DROP INDEX entries_kind_status_title;
CREATE INDEX entries_kind_status_title_sort ON entries (kind, status, title_sort);
