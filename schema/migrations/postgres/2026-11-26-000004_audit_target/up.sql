-- A submission's page shows its history (who sent it back, approved or refused it, when and
-- why) from the audit log: read by target, among every change of the site.
CREATE INDEX audit_log_target ON audit_log (target, id);
