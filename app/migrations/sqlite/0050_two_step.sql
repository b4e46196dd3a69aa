-- Two-step sign-in: after the password, a six-digit code from an authenticator app (RFC 6238)
-- or a one-time recovery code. The secret is set when the member confirms a first code; one
-- waiting for that confirmation is `totp_pending`. `totp_last_step` refuses a code used before.
-- New recovery codes wait in `recovery_codes_fresh` until the member says they saved them; the
-- table keeps only their SHA-256. A login that passed the password and waits for its code is a
-- `login_challenges` row (its cookie's SHA-256), good for ten minutes and five tries.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_on_since INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN recovery_codes_fresh TEXT;
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    next TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_challenges_created_idx ON login_challenges(created_at);
CREATE INDEX login_challenges_user_idx ON login_challenges(user_id);
