-- E-mail when it matters (issue 19 item 2): per kind of notification a member chooses an e-mail
-- at once (`mail_now`, answers to their questions and direct messages by default), the daily
-- digest (neither list) or none (`mail_never`). `mail_throttle` keeps one e-mail per 15 minutes
-- per thread (or conversation) and member: what comes in between waits and goes as one.
ALTER TABLE users ADD COLUMN mail_now TEXT NOT NULL DEFAULT 'answer message';
ALTER TABLE users ADD COLUMN mail_never TEXT NOT NULL DEFAULT '';

CREATE TABLE mail_throttle (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    last_sent_at INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    pending_kind TEXT NOT NULL DEFAULT '',
    pending_text TEXT NOT NULL DEFAULT '',
    pending_link TEXT NOT NULL DEFAULT '',
    pending_actor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX mail_throttle_due_idx ON mail_throttle(last_sent_at) WHERE pending > 0;

-- E-mails at once go through the outbox (kind 'notice'). SQLite cannot change a CHECK in place:
-- the table is rebuilt as in 0023, with the same columns, constraint names and indexes.
ALTER TABLE outbox RENAME TO outbox_old;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- The member it is for (digests, account mails), or none (an invitation to an address).
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'invite', 'account', 'safety', 'request', 'notice')),
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
