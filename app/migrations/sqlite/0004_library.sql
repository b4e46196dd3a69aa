-- The health library: articles by editors or verified clinicians, reviewed by a named clinician and
-- published as numbered versions (every published version is kept). `articles` holds the working
-- copy; readers see the version `published_version_id` points at.
ALTER TABLE users ADD COLUMN is_editor INTEGER NOT NULL DEFAULT 0;

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    slug TEXT NOT NULL CONSTRAINT articles_slug_key UNIQUE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published')),
    reviewer_id INTEGER REFERENCES users(id),
    review_note TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    key_facts TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    grade_x10 INTEGER NOT NULL DEFAULT 0,
    ease_x10 INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    published_version_id INTEGER,
    first_published_at INTEGER,
    next_review_at INTEGER
);
CREATE INDEX articles_published_idx ON articles(community_id, id) WHERE published_version_id IS NOT NULL;
CREATE INDEX articles_author_idx ON articles(author_id, id);
CREATE INDEX articles_review_idx ON articles(reviewer_id, id) WHERE status = 'review';
CREATE INDEX articles_due_idx ON articles(next_review_at) WHERE published_version_id IS NOT NULL;

CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    key_facts TEXT NOT NULL,
    sources TEXT NOT NULL,
    tags TEXT NOT NULL,
    grade_x10 INTEGER NOT NULL,
    ease_x10 INTEGER NOT NULL,
    readability_override INTEGER NOT NULL DEFAULT 0,
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    published_at INTEGER NOT NULL,
    CONSTRAINT article_versions_number_key UNIQUE (article_id, number)
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag_idx ON article_tags(tag, article_id);

-- The admin page lists editors with the other staff.
DROP INDEX users_staff_idx;
CREATE INDEX users_staff_idx ON users(id) WHERE is_moderator = 1 OR is_admin = 1 OR is_editor = 1;
