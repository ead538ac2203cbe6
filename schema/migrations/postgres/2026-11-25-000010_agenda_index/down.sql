DROP INDEX entry_occurrences_long;
DROP INDEX entry_occurrences_start;
