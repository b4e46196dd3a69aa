-- Saved posts and replies (issue 19 item 1): a member's private bookmarks with an optional note.
-- Listing them re-applies the posts' visibility rule, so a bookmark never shows what its member
-- may no longer read.
CREATE TABLE saved_items (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    -- A reply of the post, or NULL for the post itself.
    reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_items_key ON saved_items(user_id, post_id, COALESCE(reply_id, 0));
CREATE INDEX saved_items_user_idx ON saved_items(user_id, id);
