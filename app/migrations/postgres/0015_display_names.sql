-- A display name in any script ("María Müller", "李明"), shown on the member's profile beside the
-- handle, which stays a-z, 0-9 and _ because it is part of web addresses.
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
