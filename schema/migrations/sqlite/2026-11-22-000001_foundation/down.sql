DROP TABLE audit_log;
DROP TABLE content_imports;
DROP TABLE page_aliases;
DROP TABLE page_links;
DROP TABLE revisions;
DROP TABLE pages;
DROP TABLE sessions;
DROP TABLE users;
