-- Top with a time window finds the window's first post through this index (ids grow with
-- creation time), then reads the window as an id range instead of walking the vote index.
CREATE INDEX posts_created_idx ON posts(created_at, id);
