-- Mail (issue 9). A message to send is a row here, written in the same transaction as what it
-- tells (a submission received, a decision): it is never lost to a crash, and a failing mail
-- server delays it, never the request. The sender of each process takes the rows that are due,
-- delivers them and records the outcome; a failure is tried again later, each time waiting
-- longer. Sent messages are deleted after a while (they hold the addresses of the people told).
CREATE TABLE mail_outbox (
    id SERIAL PRIMARY KEY,
    -- What the message is: 'received', 'new_submission', 'changes_requested', ... ('test' for
    -- the admins' check of the settings).
    template TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- 'waiting' (to send at next_attempt_at), 'sending' (taken by a sender until
    -- next_attempt_at), 'sent', 'failed' (given up: an agent can try again).
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);
