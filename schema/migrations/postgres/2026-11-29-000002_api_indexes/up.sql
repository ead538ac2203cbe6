-- The JSON API lists published entries by (updated_at, id), after a cursor, optionally of one
-- kind: each page is a range scan of one of these indexes, the last as cheap as the first.
CREATE INDEX entries_status_updated ON entries (status, updated_at, id);
CREATE INDEX entries_kind_status_updated ON entries (kind, status, updated_at, id);
