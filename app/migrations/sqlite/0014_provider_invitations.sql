-- Joining a clinic's staff and being listed at a clinic (which publishes a clinician's directory
-- profile with the licence number) are invitations the member accepts, not changes made for them.
CREATE TABLE provider_invitations (
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('staff', 'owner', 'clinician')),
    invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (provider_id, user_id, role)
);
CREATE INDEX provider_invitations_user_idx ON provider_invitations(user_id);
