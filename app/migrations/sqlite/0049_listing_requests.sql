-- A clinic's member asks the site's team to list it in the directory: the team lists it (the
-- clinic is created with the asker as its owner, `provider_id`) or declines with a reason, and
-- the asker is told either way. The asker's rows go with their account.
CREATE TABLE listing_requests (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    website TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    outcome TEXT CHECK (outcome IN ('listed', 'declined')),
    reason TEXT NOT NULL DEFAULT '',
    provider_id INTEGER REFERENCES providers(id) ON DELETE SET NULL
);
CREATE INDEX listing_requests_open_idx ON listing_requests(id) WHERE decided_at IS NULL;
CREATE INDEX listing_requests_user_idx ON listing_requests(user_id, id);
