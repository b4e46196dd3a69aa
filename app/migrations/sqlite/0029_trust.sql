-- New-member trust and watched words (issue 12 items 5 and 6). Something "awaiting approval" is
-- read by nobody but its author and the place's moderators until a moderator approves it (it is
-- also `held_at`, so every listing already leaves it out). A community that holds new members'
-- first posts says so; communities made before this change keep posting as they did (those an
-- admin creates from now on start with it on). Watched words: the site's list (no community) and
-- each community's, matched when a post or reply is written.
ALTER TABLE posts ADD COLUMN awaiting_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE replies ADD COLUMN awaiting_approval INTEGER NOT NULL DEFAULT 0;
ALTER TABLE communities ADD COLUMN hold_new_members INTEGER NOT NULL DEFAULT 0;
ALTER TABLE safety_flags ADD COLUMN kind TEXT NOT NULL DEFAULT 'crisis'
    CHECK (kind IN ('crisis', 'new_member', 'watched_hold', 'watched_flag'));

CREATE TABLE watched_words (
    id INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    phrase TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('block', 'hold', 'flag', 'replace')),
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
-- One entry per phrase and list; the site's list is community 0 here.
CREATE UNIQUE INDEX watched_words_key ON watched_words(COALESCE(community_id, 0), phrase);
-- "How many approved posts and replies does this member have here" (new-member trust).
CREATE INDEX posts_author_community_idx ON posts(author_id, community_id);
