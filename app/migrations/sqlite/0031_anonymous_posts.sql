-- Anonymous posts in support groups (issue 12 item 8): the post shows "a member" to everyone
-- but its author and the group's moderators (and the place's moderators in the moderation
-- queue); the author still edits and deletes it.
ALTER TABLE posts ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
