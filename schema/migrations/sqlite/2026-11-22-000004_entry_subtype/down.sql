DROP INDEX entries_kind_status_subtype;
ALTER TABLE entries DROP COLUMN subtype;
