-- The site's policy that staff roles (admin, moderator, editor) work only while the member has
-- two-step sign-in on: one row, off until an admin who uses two-step sign-in turns it on.
CREATE TABLE site_policies (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    staff_two_step BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO site_policies (id) VALUES (1);
