-- The member's country, for the helplines the crisis safeguard shows first (issue 12 item 7):
-- an ISO code from app/data/helplines.txt, or '' (every helpline). Set from the browser's
-- language at sign-up when it names a listed country; changed in Settings.
ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT '';
