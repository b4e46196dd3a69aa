-- Browsers that logged in to an account before (a long-lived cookie, stored hashed): when an
-- account's login attempts are over the limit because someone else is guessing, its owner can
-- still log in from a device it used before.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX known_devices_user_idx ON known_devices(user_id);
