DROP INDEX audit_log_target;
