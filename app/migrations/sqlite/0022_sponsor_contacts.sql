-- An advertiser's contact: the member who may read the advertiser's own report on /sponsor.
ALTER TABLE advertisers ADD COLUMN contact_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX advertisers_contact_idx ON advertisers(contact_user_id) WHERE contact_user_id IS NOT NULL;
