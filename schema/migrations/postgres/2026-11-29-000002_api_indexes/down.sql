DROP INDEX entries_kind_status_updated;
DROP INDEX entries_status_updated;
