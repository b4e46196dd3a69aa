-- Direct messages: one conversation per pair of members with per-side unread counts and read
-- markers, blocks, reports to moderators, and the "only from contacts" setting.
ALTER TABLE users ADD COLUMN unread_messages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN dm_contacts_only INTEGER NOT NULL DEFAULT 0;

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    -- user_a < user_b, so a pair has one conversation.
    user_a INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_b INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unread_a INTEGER NOT NULL DEFAULT 0,
    unread_b INTEGER NOT NULL DEFAULT 0,
    -- The last message each side has read.
    read_a INTEGER NOT NULL DEFAULT 0,
    read_b INTEGER NOT NULL DEFAULT 0,
    last_message_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT conversations_pair_key UNIQUE (user_a, user_b)
);
CREATE INDEX conversations_a_idx ON conversations(user_a, last_message_at);
CREATE INDEX conversations_b_idx ON conversations(user_b, last_message_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_conversation_idx ON messages(conversation_id, id);

CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);

CREATE TABLE message_reports (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id)
);
CREATE INDEX message_reports_open_idx ON message_reports(resolved_at, id);
