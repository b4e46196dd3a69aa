-- Sponsored placements: an approved advertiser's campaigns and the operator's own house promotions
-- (no advertiser), the communities they target, and what is counted of them: impressions and
-- clicks per day, community and placement; the slots shown per day (the inventory); and, for a
-- frequency cap, how often one visitor saw a campaign today, under a hash whose salt lives one day.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    advertiser_id INTEGER REFERENCES advertisers(id) ON DELETE CASCADE,
    headline TEXT NOT NULL,
    body TEXT NOT NULL,
    cta TEXT NOT NULL,
    url TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER,
    in_feed INTEGER NOT NULL DEFAULT 0,
    in_sidebar INTEGER NOT NULL DEFAULT 0,
    in_directory INTEGER NOT NULL DEFAULT 0,
    all_communities INTEGER NOT NULL DEFAULT 1,
    total_cap INTEGER,
    daily_cap INTEGER,
    visitor_daily_cap INTEGER,
    cpm_cents INTEGER,
    flat_fee_cents INTEGER,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX campaigns_live_idx ON campaigns(status, starts_at);
CREATE INDEX campaigns_advertiser_idx ON campaigns(advertiser_id);

CREATE TABLE campaign_communities (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, community_id)
);
CREATE INDEX campaign_communities_community_idx ON campaign_communities(community_id);

-- day: days since 1970-01-01 (UTC); community_id 0: a page of no community (home, directory).
CREATE TABLE ad_stats (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    placement TEXT NOT NULL,
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, community_id, placement)
);
CREATE INDEX ad_stats_day_idx ON ad_stats(day);

-- Every sponsored slot rendered for a person: filled by a campaign, by a house promotion, or empty.
CREATE TABLE ad_slots (
    day INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    placement TEXT NOT NULL,
    paid INTEGER NOT NULL DEFAULT 0,
    house INTEGER NOT NULL DEFAULT 0,
    empty INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, community_id, placement)
);

-- Only for campaigns with a per-visitor cap, and only for the day: older rows are deleted with
-- the salt that made their hashes.
CREATE TABLE ad_seen (
    day INTEGER NOT NULL,
    visitor TEXT NOT NULL,
    campaign_id INTEGER NOT NULL,
    shown INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, visitor, campaign_id)
);

CREATE TABLE daily_salts (
    day INTEGER PRIMARY KEY,
    salt TEXT NOT NULL
);
