-- The exchange space (issue 12): members who sign up by themselves, categories of threads,
-- every page's and entry's own discussion, posts with their edit history, reports,
-- subscriptions and notifications.

-- Members. `handle` is the @name others mention (unique, lowercase ASCII); the address of a
-- member is confirmed by a single-use link before their first post (team accounts were
-- given theirs by an administrator). `approved_posts` counts the posts an agent approved or
-- that went out freely: below the setting `held_posts`, a member's posts wait for approval.
ALTER TABLE users ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX users_handle ON users (handle);
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;
UPDATE users SET email_confirmed_at = created_at WHERE password_hash <> '';
ALTER TABLE users ADD COLUMN approved_posts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN suspended_until TIMESTAMP;
ALTER TABLE users ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
-- An association or a service of the directory this member speaks for (set by an agent):
-- their posts carry its name and a "verified" mark.
ALTER TABLE users ADD COLUMN organisation_id INTEGER REFERENCES entries (id) ON DELETE SET NULL;
-- 'each' (a message per event), 'daily' (one digest a day) or 'none'.
ALTER TABLE users ADD COLUMN notify_mail TEXT NOT NULL DEFAULT 'each';
ALTER TABLE users ADD COLUMN last_digest_at TIMESTAMP;
-- Secret of the one-click unsubscribe links of this person's messages.
ALTER TABLE users ADD COLUMN mail_key TEXT NOT NULL DEFAULT '';

-- The administrators' settings of the exchange space: one row.
CREATE TABLE exchange_settings (
    id INTEGER PRIMARY KEY NOT NULL,
    -- A new member's first posts wait for an agent's approval: how many.
    held_posts INTEGER NOT NULL,
    -- How long, in minutes, an author may edit their post.
    edit_minutes INTEGER NOT NULL,
    -- A post reported by this many distinct people is hidden until an agent decides.
    report_threshold INTEGER NOT NULL,
    -- Posts per hour allowed to a member still at the first trust level.
    new_member_posts_per_hour INTEGER NOT NULL,
    updated_at TIMESTAMP
);
INSERT INTO exchange_settings (id, held_posts, edit_minutes, report_threshold, new_member_posts_per_hour)
VALUES (1, 2, 60, 3, 5);

CREATE TABLE exchange_categories (
    id SERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    -- Kept up to date with the visible threads and posts, so that the list of categories
    -- costs the same with a million posts.
    thread_count INTEGER NOT NULL DEFAULT 0,
    post_count INTEGER NOT NULL DEFAULT 0,
    last_post_at TIMESTAMP,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO exchange_categories (slug, name, description, position, created_at) VALUES
('questions-services-publics', 'Questions sur les services publics',
 'Carte grise, impôts, CAF, retraite, santé : posez votre question, un agent France Services ou un habitant vous répond.', 1, CURRENT_TIMESTAMP),
('entraide', 'Entraide entre habitants',
 'Covoiturage, prêt de matériel, coups de main : proposez ou demandez de l''aide près de chez vous.', 2, CURRENT_TIMESTAMP),
('annonces-associations', 'Annonces des associations',
 'Les associations du territoire annoncent leurs activités et en discutent avec vous.', 3, CURRENT_TIMESTAMP);

-- A thread lives in a category, in a wiki page's or a directory entry's own discussion, or
-- in a workshop's practice space: `subject_kind` is 'category', 'page', 'entry' or
-- 'workshop', and `subject_id` the id of that category, page, entry or workshop.
CREATE TABLE exchange_threads (
    id SERIAL PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    -- 'question' (can be marked answered) or 'discussion'.
    kind TEXT NOT NULL,
    -- As its first post: 'pending', 'visible', 'hidden' or 'deleted'.
    state TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    first_post_id INTEGER,
    -- The chosen answer of a question.
    answer_post_id INTEGER,
    -- Visible replies (posts after the first).
    reply_count INTEGER NOT NULL DEFAULT 0,
    last_post_at TIMESTAMP NOT NULL,
    last_poster_name TEXT NOT NULL,
    -- The wiki page an agent made of the answered question.
    wiki_page_id INTEGER REFERENCES pages (id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
-- A category's list: pinned first, then latest activity; and its unanswered filter.
CREATE INDEX exchange_threads_list ON exchange_threads (subject_kind, subject_id, state, pinned, last_post_at, id);
CREATE INDEX exchange_threads_unanswered ON exchange_threads (subject_kind, subject_id, state, reply_count, last_post_at, id);
CREATE INDEX exchange_threads_author ON exchange_threads (author_id, id);

CREATE TABLE exchange_posts (
    id SERIAL PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES exchange_threads (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- The name shown, kept when the account is deleted ("Compte supprimé").
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    plain_text TEXT NOT NULL,
    -- The post this one quotes.
    quote_post_id INTEGER REFERENCES exchange_posts (id) ON DELETE SET NULL,
    -- 'pending' (waits for an agent), 'visible', 'hidden' or 'deleted' (erased).
    state TEXT NOT NULL,
    -- Why it is hidden: 'reports' (until an agent decides), 'moderator', 'suspension'.
    hidden_reason TEXT NOT NULL DEFAULT '',
    -- Reports not yet decided, from distinct people.
    open_reports INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP
);
CREATE INDEX exchange_posts_thread ON exchange_posts (thread_id, id);
CREATE INDEX exchange_posts_author ON exchange_posts (author_id, id);
-- The moderation queue: held posts, and posts with open reports.
CREATE INDEX exchange_posts_state ON exchange_posts (state, id);
CREATE INDEX exchange_posts_reported ON exchange_posts (open_reports, id);

-- Earlier versions of a post, for moderators.
CREATE TABLE exchange_post_revisions (
    id SERIAL PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES exchange_posts (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    edited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (post_id, version)
);

CREATE TABLE exchange_reports (
    id SERIAL PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES exchange_posts (id) ON DELETE CASCADE,
    reporter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- 'spam', 'abuse', 'personal_data', 'off_topic' or 'other'.
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- 'hidden' or 'kept'.
    decision TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX exchange_reports_once ON exchange_reports (post_id, reporter_id);
CREATE INDEX exchange_reports_open ON exchange_reports (decided_at, post_id);

-- Subscriptions: 'thread', 'category', 'page' (a page's discussion) or 'entry'.
CREATE TABLE exchange_subscriptions (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
);
CREATE INDEX exchange_subscriptions_target ON exchange_subscriptions (target_kind, target_id);

-- What a person is told: 'mention', 'reply' (in a followed thread), 'thread' (a new thread
-- where they follow), 'approved' (their held post went out), 'answered' (their question got
-- its answer), 'hidden' (a moderator hid their post), 'suspended'.
CREATE TABLE notifications (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    thread_id INTEGER REFERENCES exchange_threads (id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES exchange_posts (id) ON DELETE CASCADE,
    actor_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    -- When the person was told by e-mail (or decided not to be): NULL waits for the digest.
    mailed_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
CREATE INDEX notifications_unmailed ON notifications (mailed_at, user_id);

-- Messages about the exchange space carry a one-click unsubscribe link, also given to mail
-- programs in the `List-Unsubscribe` header (RFC 8058); empty for other messages.
ALTER TABLE mail_outbox ADD COLUMN unsubscribe_url TEXT NOT NULL DEFAULT '';

-- The moderation queue shows the latest moderation actions.
CREATE INDEX audit_log_action ON audit_log (action, id);
