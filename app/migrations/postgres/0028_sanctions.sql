-- Sanctions (issue 12 item 4): a suspended member reads, exports and deletes their data but writes
-- nothing until `suspended_until` (far in the future for "until an admin lifts it"). The reason is
-- shown to them; warnings are notifications and audit entries.
ALTER TABLE users ADD COLUMN suspended_until BIGINT;
ALTER TABLE users ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
