-- The member's account lifecycle (issue 13): withdrawing the health-data consent, deleting the
-- account after a 7-day grace period, and the nameless row an erased account leaves behind.
-- The consent history records both events; a withdrawn consent makes the account read-only.
ALTER TABLE consents ADD COLUMN action TEXT NOT NULL DEFAULT 'given' CHECK (action IN ('given', 'withdrawn'));
ALTER TABLE users ADD COLUMN consent_withdrawn_at INTEGER;
-- Set by "Delete my account": the erasure job runs after this moment unless the member logs in.
ALTER TABLE users ADD COLUMN erase_after INTEGER;
-- 1: the member chose to leave their posts' words in place under "[deleted member]".
ALTER TABLE users ADD COLUMN erase_keep_words INTEGER NOT NULL DEFAULT 0;
-- Set when the account was erased: the row keeps only its id (threads and the audit log point to it).
ALTER TABLE users ADD COLUMN erased_at INTEGER;
CREATE INDEX users_erase_due_idx ON users(erase_after) WHERE erase_after IS NOT NULL;

-- "Download my data": built in the background, kept for 7 days, downloaded only by its member
-- (logged in). The zip lives in the database so every app process can serve it.
CREATE TABLE data_exports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'building', 'ready', 'failed')),
    requested_at INTEGER NOT NULL,
    claimed_at INTEGER,
    ready_at INTEGER,
    expires_at INTEGER,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    data BLOB
);
CREATE INDEX data_exports_user_idx ON data_exports(user_id, id);
CREATE INDEX data_exports_open_idx ON data_exports(status, id) WHERE status IN ('pending', 'building');

-- Where members write about their data (shown on /about and /privacy); empty until an admin sets it.
ALTER TABLE operator_profile ADD COLUMN privacy_contact TEXT NOT NULL DEFAULT '';
