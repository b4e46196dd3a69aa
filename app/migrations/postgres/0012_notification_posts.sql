-- Notifications name the post they are about, so that deleting a post deletes what was said of it
-- (its title lives in the notification's text and would otherwise reach the digest).
ALTER TABLE notifications ADD COLUMN post_id BIGINT;
UPDATE notifications SET post_id = CAST(substring(link from '^/p/([0-9]+)') AS BIGINT) WHERE link LIKE '/p/%';
CREATE INDEX notifications_post_idx ON notifications(post_id) WHERE post_id IS NOT NULL;
