-- A community's best-rated providers (its sidebar) read from one index (issue 15): each
-- condition row keeps a copy of its provider's rating, written by the provider's rating update
-- and by the conditions' insert. Joining every provider of a condition to sort them read 1,400
-- providers per community page at 20,000 providers.
ALTER TABLE provider_conditions
    ADD COLUMN rating_avg_x100 BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN rating_count BIGINT NOT NULL DEFAULT 0;
UPDATE provider_conditions pc SET rating_avg_x100 = p.rating_avg_x100, rating_count = p.rating_count
    FROM providers p WHERE p.id = pc.provider_id;
CREATE INDEX provider_conditions_rating_idx
    ON provider_conditions(community_id, rating_avg_x100, rating_count, provider_id);
