-- Topic communities and their members (with per-community moderators); counts kept as columns.
CREATE TABLE communities (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL CONSTRAINT communities_slug_key UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    rules TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT 'teal',
    member_count INTEGER NOT NULL DEFAULT 0,
    post_count INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- The directory lists by name.
CREATE INDEX communities_name_idx ON communities(name, id);

CREATE TABLE community_members (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_moderator INTEGER NOT NULL DEFAULT 0,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX community_members_user_idx ON community_members(user_id, community_id);
CREATE INDEX community_members_mods_idx ON community_members(community_id) WHERE is_moderator = 1;
