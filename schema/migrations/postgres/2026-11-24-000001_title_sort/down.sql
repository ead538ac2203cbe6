DROP INDEX entries_kind_status_title_sort;
CREATE INDEX entries_kind_status_title ON entries (kind, status, title);
DROP INDEX pages_title_sort;
CREATE INDEX pages_title ON pages (title);
ALTER TABLE entries DROP COLUMN title_sort;
ALTER TABLE pages DROP COLUMN title_sort;
