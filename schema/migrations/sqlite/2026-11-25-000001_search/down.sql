DROP TABLE search_misses;
DROP TABLE synonyms;
DROP TABLE index_outbox;
