-- Covering indexes for the public lists: counting the current entries of a kind reads the
-- index alone instead of every row (measured with 10,000 entries: 5 ms -> well under 1 ms).
CREATE INDEX entries_kind_status_expires ON entries (kind, status, expires_at);
CREATE INDEX entries_kind_status_ends ON entries (kind, status, ends_at);
CREATE INDEX entries_kind_status_commune ON entries (kind, status, commune_insee, expires_at);
