-- The crisis safeguard: a post or reply whose words matched a crisis phrase is held (`held_at`)
-- out of listings and anonymous views until a moderator has looked at it, and flagged in the
-- moderation queue. A flag names the place (community, group) so the queue shows it only to
-- those who moderate that place; closed groups' flags only to the group's own moderators.
ALTER TABLE posts ADD COLUMN held_at INTEGER;
ALTER TABLE replies ADD COLUMN held_at INTEGER;

CREATE TABLE safety_flags (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES support_groups(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    phrase TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    reviewed_at INTEGER,
    reviewed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    outcome TEXT CHECK (outcome IN ('listed', 'kept_out'))
);
-- The queue reads the open flags, oldest first; a thread asks whether its author was flagged.
CREATE INDEX safety_flags_open_idx ON safety_flags(created_at) WHERE reviewed_at IS NULL;
CREATE INDEX safety_flags_post_idx ON safety_flags(post_id, author_id);

-- Moderators' safety alerts go through the outbox (kind 'safety'). SQLite cannot change a CHECK
-- in place: the table is rebuilt as in 0016, with the same columns, constraint names and indexes.
ALTER TABLE outbox RENAME TO outbox_old;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- The member it is for (digests, account mails), or none (an invitation to an address).
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'invite', 'account', 'safety', 'request')),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The secret in the mail's opt-out link.
    token TEXT NOT NULL,
    -- pending → sending → sent (SMTP) or logged (no SMTP); failed after five attempts.
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at INTEGER NOT NULL,
    claimed_at INTEGER,
    sent_at INTEGER,
    CONSTRAINT outbox_token_key UNIQUE (token)
);
INSERT INTO outbox (id, user_id, sender_id, kind, to_addr, subject, body, token, status, attempts, error, created_at, claimed_at, sent_at)
    SELECT id, user_id, sender_id, kind, to_addr, subject, body, token, status, attempts, error, created_at, claimed_at, sent_at FROM outbox_old;
DROP TABLE outbox_old;
CREATE INDEX outbox_status_idx ON outbox(status, id);
CREATE INDEX outbox_invite_idx ON outbox(to_addr, created_at) WHERE kind = 'invite';
CREATE INDEX outbox_sender_idx ON outbox(sender_id, created_at);
CREATE INDEX outbox_kept_idx ON outbox(created_at) WHERE body <> '';
-- Account mails to one address in the last hour (the per-address limit).
CREATE INDEX outbox_account_idx ON outbox(to_addr, created_at) WHERE kind = 'account';
