-- A support group's No answers yet, No accepted answer and short Top window (issue 15), on its
-- feed and as one stream of a member's home feed, each from an index of its own, as a
-- community's are. Through posts_group_idx the first two read every post of the group from the
-- table to find the few that qualify (1.4 ms for a group of 1,000 posts at a million, none when
-- all are answered: 0.01 ms here), and the window read the ids since the window's first post
-- (1.2 ms → 0.01 ms).
CREATE INDEX posts_group_unanswered_idx ON posts(group_id, id)
    WHERE kind = 'question' AND answer_count = 0 AND deleted_at IS NULL AND group_id IS NOT NULL;
CREATE INDEX posts_group_open_idx ON posts(group_id, id)
    WHERE kind = 'question' AND accepted_reply_id IS NULL AND deleted_at IS NULL AND group_id IS NOT NULL;
CREATE INDEX posts_group_window_idx
    ON posts(group_id, created_at, vote_count, id, deleted_at, held_at, removed_at, author_id)
    WHERE group_id IS NOT NULL AND deleted_at IS NULL;
