-- Moderation: a moderator removes a post or reply with a reason (its author is told why and still
-- reads their words; everyone else sees "[removed by a moderator]"), and restores it; members
-- report posts and replies to the moderators of the place (one open report per member and item).
ALTER TABLE posts ADD COLUMN removed_at INTEGER;
ALTER TABLE posts ADD COLUMN removed_reason TEXT;
ALTER TABLE replies ADD COLUMN removed_at INTEGER;
ALTER TABLE replies ADD COLUMN removed_reason TEXT;

CREATE TABLE content_reports (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    -- 0 for the post itself, else the reply's id (so one index covers "one open report").
    reply_id INTEGER NOT NULL DEFAULT 0,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES support_groups(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'harassment', 'misinformation', 'self_harm', 'privacy', 'other')),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    outcome TEXT CHECK (outcome IN ('dismissed', 'removed'))
);
CREATE INDEX content_reports_open_idx ON content_reports(created_at) WHERE resolved_at IS NULL;
CREATE INDEX content_reports_item_idx ON content_reports(post_id, reply_id, reporter_id);
CREATE INDEX content_reports_author_idx ON content_reports(author_id);
