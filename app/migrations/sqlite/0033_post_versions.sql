-- Edit history (issue 19 item 5): each edit of a post keeps the version it replaced. The author
-- and the moderators of the post's place read them; others see that it was edited and when.
CREATE TABLE post_versions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    -- When this version was written (the post's creation or its previous edit).
    written_at INTEGER NOT NULL,
    -- When it was replaced.
    replaced_at INTEGER NOT NULL
);
CREATE INDEX post_versions_post_idx ON post_versions(post_id, id);
