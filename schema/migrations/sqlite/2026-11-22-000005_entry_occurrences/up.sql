-- One row per occurrence of an event, so that a weekly event is listed on the days it happens
-- and not on every day between its first and last occurrence.
CREATE TABLE entry_occurrences (
    entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    PRIMARY KEY (entry_id, starts_at)
);
CREATE INDEX entry_occurrences_period ON entry_occurrences (starts_at, ends_at, entry_id);
-- Existing events: their first-to-last span, as before; saving an event again writes its
-- exact occurrences.
INSERT INTO entry_occurrences (entry_id, starts_at, ends_at)
    SELECT id, starts_at, ends_at FROM entries
    WHERE kind = 'event' AND starts_at IS NOT NULL AND ends_at IS NOT NULL;
