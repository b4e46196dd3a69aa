-- A search's candidates checked against the visibility rule from a narrow copy of the columns
-- it reads (issue 15; see the SQLite migration of the same number). PostgreSQL reads it as an
-- index-only scan once autovacuum has marked the table's pages all-visible.
CREATE INDEX posts_visible_idx ON posts(
    id, deleted_at, held_at, removed_at, visibility, group_id, community_id, author_id, kind,
    answer_count
);
