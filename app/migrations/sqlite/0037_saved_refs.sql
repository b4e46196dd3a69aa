-- Saved library articles and directory providers (issue 19 item 1): like saved posts, a member's
-- private bookmarks with an optional note. An article is listed while it is published.
CREATE TABLE saved_refs (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    provider_id INTEGER REFERENCES providers(id) ON DELETE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_refs_article_key ON saved_refs(user_id, article_id);
CREATE UNIQUE INDEX saved_refs_provider_key ON saved_refs(user_id, provider_id);
CREATE INDEX saved_refs_user_idx ON saved_refs(user_id, id);
