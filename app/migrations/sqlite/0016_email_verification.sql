-- E-mail verification and password reset. `users.email` is the address an account holds (unique,
-- proved by a link, or by the account's age: accounts from before this migration keep theirs);
-- until then a new account holds a placeholder that is no address, and the address it asked for
-- waits in `pending_email`. Two people can ask for one address; only its mailbox can prove it.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
ALTER TABLE users ADD COLUMN pending_email TEXT;
UPDATE users SET email_verified_at = created_at;
CREATE INDEX users_pending_email_idx ON users(pending_email) WHERE pending_email IS NOT NULL;

-- The secrets of verification and password-reset links: only their SHA-256 is kept, each is
-- used once, and the hourly sweep drops them a day after they expire.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    address TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_tokens_user_idx ON email_tokens(user_id, purpose);
CREATE INDEX email_tokens_expires_idx ON email_tokens(expires_at);

-- Account mails (verification, reset, "someone signed up with your address", "your password was
-- changed") go through the outbox too. SQLite cannot change a CHECK in place: the table is
-- rebuilt with the same columns, constraint names and indexes.
ALTER TABLE outbox RENAME TO outbox_old;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- The member it is for (digests, account mails), or none (an invitation to an address).
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'invite', 'account')),
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
