DROP INDEX entries_source_id;
ALTER TABLE entries DROP COLUMN source_updated_at;
ALTER TABLE entries DROP COLUMN source_id;
ALTER TABLE entries DROP COLUMN source;
