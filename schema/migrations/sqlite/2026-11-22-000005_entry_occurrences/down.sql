DROP TABLE entry_occurrences;
