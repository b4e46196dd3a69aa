-- Conditions at sign-up (issue 19 item 3): a member joins a community for themselves or for
-- someone they care for; the second is said on their membership.
ALTER TABLE community_members ADD COLUMN caring INTEGER NOT NULL DEFAULT 0;
