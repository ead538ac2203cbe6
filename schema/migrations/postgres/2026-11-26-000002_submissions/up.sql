-- The referencing form (issue 9). A submission is what a local actor sends without an
-- account: the proposed entry as the agents' form would hold it, who sent it, and where it
-- stands (lieu_core::submission). It is never a half-published entry: approving it creates or
-- corrects the entry, in the same transaction as its revision, the audit row and the rows of
-- the index and mail outboxes.
CREATE TABLE submissions (
    id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    -- A correction proposes changes to this entry; a new submission has none.
    target_entry_id INTEGER REFERENCES entries (id),
    -- The proposed fields: lieu_core's EntryForm as JSON, validated like the agents' form.
    fields_json TEXT NOT NULL,
    -- Copied from the fields, for the queue and the search for duplicates.
    title TEXT NOT NULL,
    commune_insee TEXT NOT NULL,
    -- The sender (personal data: erased once a refused or withdrawn submission is old enough).
    sender_name TEXT NOT NULL,
    sender_organisation TEXT NOT NULL,
    sender_email TEXT NOT NULL,
    sender_phone TEXT NOT NULL,
    consent_at TIMESTAMP NOT NULL,
    -- 'waiting', 'changes_requested', 'approved', 'rejected', 'withdrawn'.
    status TEXT NOT NULL,
    -- SHA-256 of the sender's private tracking link: the link itself is never stored.
    token_digest TEXT NOT NULL UNIQUE,
    -- Bumped by every change: a decision or a correction names the version it was made on,
    -- so that of two agents deciding at once, the second is told, not obeyed.
    version INTEGER NOT NULL,
    -- The agent's message: the changes asked for, or the words added to a refusal.
    decision_message TEXT NOT NULL,
    reject_reason TEXT,
    decided_by INTEGER REFERENCES users (id),
    decided_at TIMESTAMP,
    -- The entry created or corrected by the approval.
    entry_id INTEGER REFERENCES entries (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sender_erased_at TIMESTAMP
);
CREATE INDEX submissions_queue ON submissions (status, created_at);
CREATE INDEX submissions_kind_queue ON submissions (kind, status, created_at);
CREATE INDEX submissions_commune_queue ON submissions (commune_insee, status, created_at);
CREATE INDEX submissions_sender_email ON submissions (sender_email);
CREATE INDEX submissions_target ON submissions (target_entry_id);
