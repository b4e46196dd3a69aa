-- A community's Top with a short window (issue 15), on its feed and as one stream of a member's
-- home feed: the community's live posts by date with their votes and every column the listing
-- rule reads, so the window is read from this index alone and sorted by votes. (By the id range
-- of posts_created_idx it read every post of the window, of every community, from the table:
-- 2.4 ms for the largest community at a million posts, 0.4 ms through this index.)
CREATE INDEX posts_community_window_idx
    ON posts(community_id, created_at, vote_count, id, group_id, deleted_at, held_at, removed_at, author_id)
    WHERE group_id IS NULL AND deleted_at IS NULL;
