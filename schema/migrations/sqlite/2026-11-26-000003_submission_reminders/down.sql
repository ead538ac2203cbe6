DROP INDEX submissions_decided;
DROP INDEX submissions_entry;
DROP INDEX submissions_title_lower;
DROP INDEX submissions_sender_phone;
ALTER TABLE submissions DROP COLUMN reminded_at;
