-- The operator's half, part one: who runs the site (one row, shown on /about) and the advertisers
-- it allows. Only an approved advertiser may ever be shown; a removed one stays for the records.
CREATE TABLE operator_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    about TEXT NOT NULL,
    ad_policy_md TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE advertisers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    website TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pharma', 'device', 'clinic', 'nonprofit', 'other')),
    contact_email TEXT NOT NULL,
    disclosure TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'suspended', 'removed')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX advertisers_status_idx ON advertisers(status, name);

-- Kinds of advertiser a community refuses (e.g. no pharma in the MS community).
CREATE TABLE community_ad_bars (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('pharma', 'device', 'clinic', 'nonprofit', 'other')),
    PRIMARY KEY (community_id, kind)
);
