-- Support groups inside a community: open, private (join requests with a screening question) or
-- hidden (invitation only). Group posts are posts with a group_id; private and hidden group content
-- is readable by the group's active members only. Counts live in columns.
CREATE TABLE support_groups (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    slug TEXT NOT NULL CONSTRAINT support_groups_slug_key UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('open', 'private', 'hidden')),
    question TEXT NOT NULL DEFAULT '',
    member_count INTEGER NOT NULL DEFAULT 0,
    post_count INTEGER NOT NULL DEFAULT 0,
    pending_count INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX support_groups_community_idx ON support_groups(community_id, name);

-- status: pending (asked to join), invited (a moderator invited them), active, banned.
CREATE TABLE support_group_members (
    group_id INTEGER NOT NULL REFERENCES support_groups(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'invited', 'active', 'banned')),
    is_moderator INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX support_group_members_user_idx ON support_group_members(user_id, group_id);
CREATE INDEX support_group_members_pending_idx ON support_group_members(group_id, created_at)
    WHERE status = 'pending';

ALTER TABLE posts ADD COLUMN group_id INTEGER REFERENCES support_groups(id) ON DELETE CASCADE;
ALTER TABLE posts ADD COLUMN pinned_at INTEGER;
-- A group's feed reads its own indexes in order, like a community's.
CREATE INDEX posts_group_idx ON posts(group_id, id) WHERE group_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX posts_group_active_idx ON posts(group_id, last_activity_at, id) WHERE group_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX posts_group_top_idx ON posts(group_id, vote_count, id) WHERE group_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX posts_group_pinned_idx ON posts(group_id, pinned_at) WHERE pinned_at IS NOT NULL;

-- Notifications about private group content go when the member leaves the group.
ALTER TABLE notifications ADD COLUMN group_id INTEGER REFERENCES support_groups(id) ON DELETE CASCADE;
CREATE INDEX notifications_group_idx ON notifications(group_id, user_id) WHERE group_id IS NOT NULL;
