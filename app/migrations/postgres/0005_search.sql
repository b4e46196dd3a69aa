-- Full-text search. PostgreSQL: generated tsvector columns (title weighted A, the rest B) with GIN
-- indexes, so every write updates the index in its own transaction. Same ranking intent as the
-- SQLite FTS5 tables: title matches first.
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body_md), 'B')
) STORED;
CREATE INDEX posts_search_idx ON posts USING GIN (search);

ALTER TABLE article_versions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', summary), 'B')
    || setweight(to_tsvector('english', body_md), 'B')
) STORED;
CREATE INDEX article_versions_search_idx ON article_versions USING GIN (search);
