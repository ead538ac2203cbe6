DROP INDEX entry_occurrences_overnight;
DROP INDEX entry_occurrences_start;
