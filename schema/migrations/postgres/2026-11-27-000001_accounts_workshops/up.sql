-- Accounts for the team and workshops for trainers (issue 10).

-- A practice account stops working at the end of its workshop's day; a deleted account keeps
-- its row (edits and decisions still point at it) under a neutral name, without its address.
ALTER TABLE users ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMP;

-- Single-use links sent by e-mail: an invitation (choose a name and a password) or a password
-- reset. Only the SHA-256 of the link's token is stored.
CREATE TABLE account_tokens (
    token_digest TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'invitation' or 'reset'.
    purpose TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- A person's own recent edits, newest first, on their account page.
CREATE INDEX revisions_author ON revisions (author_id, id);
CREATE INDEX entry_revisions_author ON entry_revisions (author_id, id);

-- Watch: an e-mail when a page or an entry someone follows changes, at most one a day per
-- watch. `seen_until` is the moment up to which changes were told (or the watch began).
CREATE TABLE watches (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'page' or 'entry'.
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    seen_until TIMESTAMP NOT NULL,
    last_mail_at TIMESTAMP,
    PRIMARY KEY (user_id, target_kind, target_id)
);
CREATE INDEX watches_target ON watches (target_kind, target_id);
CREATE INDEX watches_due ON watches (last_mail_at);

-- Workshops: a trainer's session on a given day, with its practice accounts (one seat per
-- participant) and its sandbox: practice pages, practice submissions and a practice mailbox
-- that nothing outside the workshop reads.
CREATE TABLE workshops (
    id SERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    day DATE NOT NULL,
    participants INTEGER NOT NULL,
    trainer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- JSON list of the starting pages (paths under wiki-content/ateliers), in the day's order.
    plan_json TEXT NOT NULL,
    -- The end of the day, in UTC: when the practice accounts stop working.
    ends_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    reset_at TIMESTAMP
);
CREATE INDEX workshops_day ON workshops (day, id);
CREATE INDEX workshops_trainer ON workshops (trainer_id, day);

CREATE TABLE workshop_seats (
    workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    -- Printed on the login card: a practice account reaches only its sandbox and only for a
    -- day, so its password is kept to print again, and wiped once the workshop is over.
    card_password TEXT NOT NULL,
    PRIMARY KEY (workshop_id, number)
);

CREATE TABLE practice_pages (
    id SERIAL PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    revision_number INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_by_name TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (workshop_id, slug)
);

CREATE TABLE practice_submissions (
    id SERIAL PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    fields_json TEXT NOT NULL,
    title TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_email TEXT NOT NULL,
    -- As lieu_core::submission: 'waiting', 'changes_requested', 'approved', 'rejected'.
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    decision_message TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX practice_submissions_queue ON practice_submissions (workshop_id, status, id);

CREATE TABLE practice_mail (
    id SERIAL PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX practice_mail_workshop ON practice_mail (workshop_id, id);
