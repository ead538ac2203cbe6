-- The agenda reads each day on its own, in start order and then by entry (stable pages), a
-- few rows at a time: this index gives that order, and ends_at to leave out occurrences
-- already over, without reading the table.
CREATE INDEX entry_occurrences_start ON entry_occurrences (starts_at, entry_id, ends_at);
-- Occurrences that run across a midnight (times are stored in UTC: every event of more than a
-- day, fairs and exhibitions, and a night out past 1 or 2 a.m. in Paris) are also shown on
-- the days they go on after their first: this partial index finds those still running at a
-- moment without reading every earlier occurrence. The agenda's query states this exact
-- condition (lieu-store, directory/agenda.rs), which is what lets the planner use the index;
-- it holds no constant, so that the query needs no literal and its statement is cached.
CREATE INDEX entry_occurrences_overnight ON entry_occurrences (ends_at, starts_at, entry_id)
    WHERE date(ends_at) <> date(starts_at);
