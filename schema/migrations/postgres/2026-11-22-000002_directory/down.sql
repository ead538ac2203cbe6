DROP TABLE entry_revisions;
DROP TABLE entry_tags;
DROP TABLE entries;
DROP TABLE categories;
DROP TABLE communes;
