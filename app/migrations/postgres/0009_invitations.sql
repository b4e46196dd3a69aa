-- Personal invite links: who invited whom, and how many joined through a member's invites.
ALTER TABLE users ADD COLUMN invite_code TEXT;
ALTER TABLE users ADD COLUMN invited_by BIGINT REFERENCES users(id);
ALTER TABLE users ADD COLUMN invite_joins BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_invite_code_key ON users(invite_code);
