-- Following (issue 19 item 1): a member follows a thread (automatically its author and those who
-- reply; `muted` = 1 silences the thread instead), a community or a tag. New replies and posts
-- become one grouped notification per thread, community or tag ("5 new replies in …"):
-- `grouping` names what a notification gathers and `grouped` how many things it stands for.
CREATE TABLE follows (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    tag TEXT,
    muted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX follows_thread_key ON follows(user_id, post_id);
CREATE UNIQUE INDEX follows_community_key ON follows(user_id, community_id);
CREATE UNIQUE INDEX follows_tag_key ON follows(user_id, tag);
CREATE INDEX follows_post_idx ON follows(post_id) WHERE post_id IS NOT NULL;
CREATE INDEX follows_community_idx ON follows(community_id) WHERE community_id IS NOT NULL;
CREATE INDEX follows_tag_idx ON follows(tag) WHERE tag IS NOT NULL;
CREATE INDEX follows_user_idx ON follows(user_id, id);

ALTER TABLE notifications ADD COLUMN grouping TEXT;
ALTER TABLE notifications ADD COLUMN grouped INTEGER NOT NULL DEFAULT 1;
CREATE INDEX notifications_grouping_idx ON notifications(user_id, grouping) WHERE grouping IS NOT NULL AND read_at IS NULL;
