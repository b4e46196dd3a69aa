-- The landing's Top with a short window (issue 15): a visitor's listed public posts by date,
-- with their votes, so the window is read from this index alone and sorted by votes; the page's
-- rows are then fetched by id. (Through the id range of posts_created_idx it read every post of
-- the window from the table: a week is a hundredth of the posts, and grows with the site.) The
-- filter's columns close the key so that the index covers the query.
CREATE INDEX posts_public_window_idx
    ON posts(created_at, vote_count, id, visibility, group_id, deleted_at, held_at, removed_at)
    WHERE visibility = 'public' AND group_id IS NULL AND deleted_at IS NULL
      AND held_at IS NULL AND removed_at IS NULL;
