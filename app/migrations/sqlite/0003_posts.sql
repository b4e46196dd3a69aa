-- Posts (questions and discussions), replies (answers and threaded comments), tags and helpful votes.
-- Counts live in columns, changed in the same transaction as the rows they count. Feed indexes are
-- partial (live posts only) so that every feed reads an index in order and stops at the page size.
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('question', 'discussion')),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    reply_count INTEGER NOT NULL DEFAULT 0,
    answer_count INTEGER NOT NULL DEFAULT 0,
    vote_count INTEGER NOT NULL DEFAULT 0,
    accepted_reply_id INTEGER,
    clinician_answered INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    deleted_at INTEGER,
    last_activity_at INTEGER NOT NULL
);
CREATE INDEX posts_community_new_idx ON posts(community_id, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_community_active_idx ON posts(community_id, last_activity_at, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_community_top_idx ON posts(community_id, vote_count, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_community_open_idx ON posts(community_id, id)
    WHERE kind = 'question' AND accepted_reply_id IS NULL AND deleted_at IS NULL;
CREATE INDEX posts_public_new_idx ON posts(id) WHERE visibility = 'public' AND deleted_at IS NULL;
CREATE INDEX posts_public_active_idx ON posts(last_activity_at, id) WHERE visibility = 'public' AND deleted_at IS NULL;
CREATE INDEX posts_public_top_idx ON posts(vote_count, id) WHERE visibility = 'public' AND deleted_at IS NULL;
CREATE INDEX posts_public_open_idx ON posts(id)
    WHERE visibility = 'public' AND kind = 'question' AND accepted_reply_id IS NULL AND deleted_at IS NULL;
CREATE INDEX posts_author_idx ON posts(author_id, id);

CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag_idx ON post_tags(tag, post_id);

CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    depth INTEGER NOT NULL DEFAULT 0,
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    vote_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    deleted_at INTEGER
);
CREATE INDEX replies_post_idx ON replies(post_id, id);
CREATE INDEX replies_author_idx ON replies(author_id, id);

CREATE TABLE post_votes (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

CREATE TABLE reply_votes (
    reply_id INTEGER NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (reply_id, user_id)
);
-- A thread loads the viewer's votes on all its replies in one indexed read.
CREATE INDEX reply_votes_viewer_idx ON reply_votes(user_id, post_id);
