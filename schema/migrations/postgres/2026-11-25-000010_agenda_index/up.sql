-- The agenda reads each day on its own, in start order and then by entry (stable pages), a
-- few rows at a time: this index gives that order, and ends_at to leave out occurrences
-- already over, without reading the table.
CREATE INDEX entry_occurrences_start ON entry_occurrences (starts_at, entry_id, ends_at);
-- Occurrences of twelve hours or more (fairs, exhibitions) are also shown on the days they
-- run after their first: this partial index finds those still running at a moment without
-- reading every earlier occurrence. The agenda's query repeats this exact condition
-- (lieu-store, directory/agenda.rs), which is what lets PostgreSQL use the index.
CREATE INDEX entry_occurrences_long ON entry_occurrences (ends_at, starts_at, entry_id)
    WHERE ends_at - starts_at >= interval '12 hours';
