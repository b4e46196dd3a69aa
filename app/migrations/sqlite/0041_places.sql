-- The gazetteer (issue 18 item 2): cities of the world (GeoNames, population >= 1,000) and
-- postal-code centroids (UK outward codes, German PLZ), loaded by `healthcommunity import-places`.
-- `name_key` is the folded name (lower case, no accents, single spaces) or the postcode without
-- spaces; a place query reads it by equality, by prefix (partial postcodes) or by first letter
-- (typos).
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    -- The file it came from (a reload replaces that file's rows only).
    source TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('city', 'postcode')),
    country TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    region TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL
);
CREATE INDEX places_key_idx ON places(kind, name_key);
CREATE INDEX places_source_idx ON places(source);
-- How big a place is: the towns around it (a bounding box on latitude, then longitude).
CREATE INDEX places_geo_idx ON places(lat, lon);
-- Which files were loaded, so that `import-places` does nothing when they did not change.
CREATE TABLE place_sources (
    name TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    loaded_at INTEGER NOT NULL
);
