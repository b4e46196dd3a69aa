-- Notifications with an unread counter per member, per-type opt-outs, and the live-delivery channel.
ALTER TABLE users ADD COLUMN unread_notifications INTEGER NOT NULL DEFAULT 0;
-- Space-separated notification kinds the member turned off.
ALTER TABLE users ADD COLUMN notify_off TEXT NOT NULL DEFAULT '';

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    text TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user_idx ON notifications(user_id, id);
CREATE INDEX notifications_unread_idx ON notifications(user_id, id) WHERE read_at IS NULL;
