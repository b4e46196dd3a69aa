-- The directory: clinics and clinicians as providers, clinic staff and the change log, ratings with
-- their history, one-time review codes, reports and disputes, and patients' contact requests.
CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('clinic', 'clinician')),
    slug TEXT NOT NULL CONSTRAINT providers_slug_key UNIQUE,
    user_id INTEGER CONSTRAINT providers_user_key UNIQUE REFERENCES users(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    city_key TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    -- Space-separated keys with a space at each end, so ' neurology ' matches one whole key.
    specialties TEXT NOT NULL DEFAULT ' ',
    languages TEXT NOT NULL DEFAULT ' ',
    opening_hours TEXT NOT NULL DEFAULT '',
    accepting INTEGER NOT NULL DEFAULT 1,
    colour TEXT NOT NULL DEFAULT 'teal',
    licence_number TEXT NOT NULL DEFAULT '',
    -- Rating aggregates over visible reviews, recomputed in the transaction that changes a review.
    rating_count INTEGER NOT NULL DEFAULT 0,
    rating_avg_x100 INTEGER NOT NULL DEFAULT 0,
    stars_1 INTEGER NOT NULL DEFAULT 0,
    stars_2 INTEGER NOT NULL DEFAULT 0,
    stars_3 INTEGER NOT NULL DEFAULT 0,
    stars_4 INTEGER NOT NULL DEFAULT 0,
    stars_5 INTEGER NOT NULL DEFAULT 0,
    explains_avg_x100 INTEGER,
    listens_avg_x100 INTEGER,
    premises_avg_x100 INTEGER,
    wait_avg_minutes INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- Bounding-box prefilter for place searches, and the "best rated" order without a place.
CREATE INDEX providers_geo_idx ON providers(lat, lon);
CREATE INDEX providers_rating_idx ON providers(rating_avg_x100, rating_count, id);
CREATE INDEX providers_city_idx ON providers(city_key);
CREATE INDEX providers_postal_idx ON providers(postal_code);

CREATE TABLE provider_staff (
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
    added_by INTEGER REFERENCES users(id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (provider_id, user_id)
);
CREATE INDEX provider_staff_user_idx ON provider_staff(user_id);

CREATE TABLE provider_clinicians (
    clinic_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    clinician_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    PRIMARY KEY (clinic_id, clinician_id)
);
CREATE INDEX provider_clinicians_clinician_idx ON provider_clinicians(clinician_id);

CREATE TABLE provider_conditions (
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, community_id)
);
CREATE INDEX provider_conditions_community_idx ON provider_conditions(community_id, provider_id);

CREATE TABLE provider_changes (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id),
    summary TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX provider_changes_provider_idx ON provider_changes(provider_id, id);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    explains INTEGER CHECK (explains BETWEEN 1 AND 5),
    listens INTEGER CHECK (listens BETWEEN 1 AND 5),
    premises INTEGER CHECK (premises BETWEEN 1 AND 5),
    wait_minutes INTEGER CHECK (wait_minutes >= 0),
    body TEXT NOT NULL DEFAULT '',
    treatment TEXT NOT NULL DEFAULT '',
    verified_visit INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    reply_body TEXT,
    reply_by INTEGER REFERENCES users(id),
    reply_at INTEGER,
    dispute_note TEXT,
    disputed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT reviews_author_key UNIQUE (provider_id, author_id)
);
CREATE INDEX reviews_provider_idx ON reviews(provider_id, updated_at, id);

CREATE TABLE review_versions (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    stars INTEGER NOT NULL,
    explains INTEGER,
    listens INTEGER,
    premises INTEGER,
    wait_minutes INTEGER,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX review_versions_review_idx ON review_versions(review_id, id);

CREATE TABLE review_codes (
    code_hash TEXT PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by INTEGER REFERENCES users(id)
);

CREATE TABLE review_reports (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('report', 'dispute')),
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id),
    outcome TEXT
);
CREATE INDEX review_reports_open_idx ON review_reports(resolved_at, id);

CREATE TABLE contact_requests (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    preferred_times TEXT NOT NULL DEFAULT '',
    contact_via TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answered', 'closed')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX contact_requests_provider_idx ON contact_requests(provider_id, updated_at, id);
CREATE INDEX contact_requests_member_idx ON contact_requests(member_id, updated_at, id);

CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES contact_requests(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX contact_messages_request_idx ON contact_messages(request_id, id);
