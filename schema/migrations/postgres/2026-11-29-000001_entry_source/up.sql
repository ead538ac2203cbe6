-- Where an imported entry comes from (issue 13): the producer (`source`, e.g. a
-- data·inclusion source or a name given to `lieu import --source`), the record's identifier
-- there, and the date the producer last changed it. Entries typed in lieu have none. Importing
-- again finds the entry by (source, source_id), so that an import is idempotent.
ALTER TABLE entries ADD COLUMN source TEXT;
ALTER TABLE entries ADD COLUMN source_id TEXT;
ALTER TABLE entries ADD COLUMN source_updated_at TIMESTAMP;
CREATE UNIQUE INDEX entries_source_id ON entries (source, source_id);
