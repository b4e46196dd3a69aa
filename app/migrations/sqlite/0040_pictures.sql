-- Pictures (issue 19 item 4): members' avatars, clinics' logos and photos, and up to four images
-- per post or reply. Stored re-encoded (never the uploaded bytes) in the database, so every app
-- process serves the same files; the bytes come last so listing reads only the small columns.
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('avatar', 'logo', 'photo', 'post')),
    post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    provider_id INTEGER REFERENCES providers(id) ON DELETE CASCADE,
    alt TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    byte_len INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    bytes BLOB NOT NULL
);
CREATE INDEX images_post_idx ON images(post_id, id) WHERE post_id IS NOT NULL;
CREATE INDEX images_reply_idx ON images(reply_id) WHERE reply_id IS NOT NULL;
CREATE INDEX images_provider_idx ON images(provider_id, id) WHERE provider_id IS NOT NULL;
CREATE INDEX images_owner_idx ON images(owner_id, id);
ALTER TABLE users ADD COLUMN avatar_id INTEGER;
ALTER TABLE providers ADD COLUMN logo_id INTEGER;
