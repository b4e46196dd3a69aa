-- E-mail when it matters (issue 19 item 2): per kind of notification a member chooses an e-mail
-- at once (`mail_now`, answers to their questions and direct messages by default), the daily
-- digest (neither list) or none (`mail_never`). `mail_throttle` keeps one e-mail per 15 minutes
-- per thread (or conversation) and member: what comes in between waits and goes as one.
ALTER TABLE users ADD COLUMN mail_now TEXT NOT NULL DEFAULT 'answer message';
ALTER TABLE users ADD COLUMN mail_never TEXT NOT NULL DEFAULT '';

CREATE TABLE mail_throttle (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    last_sent_at BIGINT NOT NULL,
    pending BIGINT NOT NULL DEFAULT 0,
    pending_kind TEXT NOT NULL DEFAULT '',
    pending_text TEXT NOT NULL DEFAULT '',
    pending_link TEXT NOT NULL DEFAULT '',
    pending_actor BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX mail_throttle_due_idx ON mail_throttle(last_sent_at) WHERE pending > 0;

-- E-mails at once go through the outbox (kind 'notice').
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('digest', 'invite', 'account', 'safety', 'request', 'notice'));
