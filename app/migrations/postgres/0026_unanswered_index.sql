-- "No answers yet" lists questions with no answer at all (the "No accepted answer" tab keeps the
-- *_open_idx indexes): partial indexes in id order, so that the tab reads only such questions
-- and stops at a page, however many answered ones a community has.
CREATE INDEX posts_community_unanswered_idx ON posts(community_id, id)
    WHERE kind = 'question' AND answer_count = 0 AND deleted_at IS NULL;
CREATE INDEX posts_public_unanswered_idx ON posts(id)
    WHERE visibility = 'public' AND kind = 'question' AND answer_count = 0 AND deleted_at IS NULL;
