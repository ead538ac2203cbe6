DROP INDEX entries_kind_status_expires;
DROP INDEX entries_kind_status_ends;
DROP INDEX entries_kind_status_commune;
