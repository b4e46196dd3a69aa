-- The operator's own announcements, site-wide (no community) or for one community, with a
-- schedule; and which members dismissed which (visitors keep theirs in a cookie).
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('info', 'important')),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX announcements_running_idx ON announcements(starts_at, ends_at);

CREATE TABLE announcement_dismissals (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (announcement_id, user_id)
);
