-- E-mail: every mail goes through the outbox (delivered by SMTP when configured, else written to
-- the log), the daily digest opt-in with the last day it was claimed, and addresses that asked
-- never to be invited again.
ALTER TABLE users ADD COLUMN digest_opt_in INTEGER NOT NULL DEFAULT 0;
-- Days since 1970-01-01 (UTC) of the last digest claimed for this member; a worker claims a day
-- with a conditional UPDATE, so several workers never send the same member two digests a day.
ALTER TABLE users ADD COLUMN digest_day INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_digest_idx ON users(digest_day, id) WHERE digest_opt_in = 1;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- The member it is for (digests), or none (an invitation to an address).
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'invite')),
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
CREATE INDEX outbox_status_idx ON outbox(status, id);
CREATE INDEX outbox_invite_idx ON outbox(to_addr, created_at) WHERE kind = 'invite';
CREATE INDEX outbox_sender_idx ON outbox(sender_id, created_at);
-- Delivered mails whose text is still kept (the hourly sweep blanks it after 30 days).
CREATE INDEX outbox_kept_idx ON outbox(created_at) WHERE body <> '';

CREATE TABLE mail_optouts (
    address TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
