-- The six-monthly check (issue 9): the sender of an approved submission is asked, through
-- their private link, whether their entry is still right. When they were last asked, so that
-- they are asked again only once the delay has passed; NULL: never.
ALTER TABLE submissions ADD COLUMN reminded_at TIMESTAMP;
-- The search for possible duplicates looks up the sender's phone as it looks up their email,
-- and the title whatever its case: without these, each look-up reads every submission.
CREATE INDEX submissions_sender_phone ON submissions (sender_phone);
CREATE INDEX submissions_title_lower ON submissions (lower(title));
-- The reminders due start from the published entries and find their approved submissions.
CREATE INDEX submissions_entry ON submissions (entry_id);
-- The purge looks for refused and withdrawn submissions by the date of their decision.
CREATE INDEX submissions_decided ON submissions (status, decided_at);
