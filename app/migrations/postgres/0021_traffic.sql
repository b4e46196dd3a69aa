-- First-party traffic figures, counted by the server in memory and added here in batches: page
-- views per day, kind of page and community (0: none), views per public page address, referring
-- sites (domain only), and today's visitors as hashes under today's salt, which become one number
-- per day (traffic_days) once the day is over and are then deleted.
CREATE TABLE traffic_pages (
    day BIGINT NOT NULL,
    kind TEXT NOT NULL,
    community_id BIGINT NOT NULL,
    views BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, kind, community_id)
);

CREATE TABLE traffic_paths (
    day BIGINT NOT NULL,
    path TEXT NOT NULL,
    views BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, path)
);

CREATE TABLE traffic_referrers (
    day BIGINT NOT NULL,
    domain TEXT NOT NULL,
    visits BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, domain)
);

CREATE TABLE traffic_visitors (
    day BIGINT NOT NULL,
    visitor TEXT NOT NULL,
    PRIMARY KEY (day, visitor)
);

CREATE TABLE traffic_days (
    day BIGINT PRIMARY KEY,
    visitors BIGINT NOT NULL,
    demo BIGINT NOT NULL DEFAULT 0
);
