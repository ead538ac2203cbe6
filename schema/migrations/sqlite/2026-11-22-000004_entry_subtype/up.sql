-- The single-valued kind of an offer (contract type of a job, type of a housing offer) as a
-- real column: the lists filter on it, and a tag lookup cost a scan of every matching tag.
ALTER TABLE entries ADD COLUMN subtype TEXT;
UPDATE entries SET subtype = (
    SELECT value FROM entry_tags
    WHERE entry_tags.entry_id = entries.id AND facet IN ('contract', 'housing_type')
    LIMIT 1
);
DELETE FROM entry_tags WHERE facet IN ('contract', 'housing_type');
CREATE INDEX entries_kind_status_subtype ON entries (kind, status, subtype, expires_at);
