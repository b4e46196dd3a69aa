-- Notifications name the post they are about, so that deleting a post deletes what was said of it
-- (its title lives in the notification's text and would otherwise reach the digest).
ALTER TABLE notifications ADD COLUMN post_id INTEGER;
UPDATE notifications SET post_id = CAST(substr(link, 4) AS INTEGER) WHERE link LIKE '/p/%';
CREATE INDEX notifications_post_idx ON notifications(post_id) WHERE post_id IS NOT NULL;
