-- Accounts, sessions, consent records, clinician verification, the admin audit log and rate-limit buckets.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL CONSTRAINT users_handle_key UNIQUE,
    email TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    password_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'caregiver', 'clinician')),
    clinician_status TEXT NOT NULL DEFAULT 'none' CHECK (clinician_status IN ('none', 'pending', 'verified', 'rejected')),
    specialty TEXT,
    is_moderator INTEGER NOT NULL DEFAULT 0,
    is_admin INTEGER NOT NULL DEFAULT 0,
    bio TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT 'system',
    text_size TEXT NOT NULL DEFAULT 'normal',
    show_role INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions(user_id);
CREATE INDEX sessions_expires_idx ON sessions(expires_at);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    text_version TEXT NOT NULL,
    given_at INTEGER NOT NULL
);
CREATE INDEX consents_user_idx ON consents(user_id);

CREATE TABLE clinician_verifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    licence_number TEXT NOT NULL,
    specialty TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    reason TEXT,
    submitted_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by INTEGER REFERENCES users(id)
);
CREATE INDEX clinician_verifications_status_idx ON clinician_verifications(status, id);
CREATE INDEX clinician_verifications_user_idx ON clinician_verifications(user_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    target_user_id INTEGER REFERENCES users(id),
    detail TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log(created_at, id);

CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL
);

-- The admin page lists the moderators and admins; a partial index keeps that off a users scan.
CREATE INDEX users_staff_idx ON users(id) WHERE is_moderator = 1 OR is_admin = 1;
