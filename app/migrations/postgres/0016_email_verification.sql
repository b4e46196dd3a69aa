-- E-mail verification and password reset. `users.email` is the address an account holds (unique,
-- proved by a link, or by the account's age: accounts from before this migration keep theirs);
-- until then a new account holds a placeholder that is no address, and the address it asked for
-- waits in `pending_email`. Two people can ask for one address; only its mailbox can prove it.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN pending_email TEXT;
UPDATE users SET email_verified_at = created_at;
CREATE INDEX users_pending_email_idx ON users(pending_email) WHERE pending_email IS NOT NULL;

-- The secrets of verification and password-reset links: only their SHA-256 is kept, each is
-- used once, and the hourly sweep drops them a day after they expire.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    address TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_tokens_user_idx ON email_tokens(user_id, purpose);
CREATE INDEX email_tokens_expires_idx ON email_tokens(expires_at);

-- Account mails (verification, reset, "someone signed up with your address", "your password was
-- changed") go through the outbox too.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('digest', 'invite', 'account'));
-- Account mails to one address in the last hour (the per-address limit).
CREATE INDEX outbox_account_idx ON outbox(to_addr, created_at) WHERE kind = 'account';
