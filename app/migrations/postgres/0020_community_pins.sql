-- Posts the team pinned to the top of a community ("Pinned by the team"); groups have their own.
CREATE INDEX posts_community_pinned_idx ON posts(community_id, pinned_at) WHERE pinned_at IS NOT NULL AND group_id IS NULL;
