-- Reports on a member's profile (its name and "about me"), for site moderators and admins: a
-- profile belongs to no community. One open report per reporter and profile; a moderator
-- dismisses it or clears the profile's words (the member and the reporters are told).
CREATE TABLE profile_reports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'harassment', 'misinformation', 'self_harm', 'privacy', 'other')),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    outcome TEXT CHECK (outcome IN ('dismissed', 'cleared'))
);
CREATE INDEX profile_reports_open_idx ON profile_reports(created_at) WHERE resolved_at IS NULL;
CREATE INDEX profile_reports_user_idx ON profile_reports(user_id, reporter_id);
CREATE INDEX profile_reports_reporter_idx ON profile_reports(reporter_id);
