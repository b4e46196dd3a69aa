-- Full-text search. SQLite: FTS5 tables kept current by triggers, so every write updates the index
-- in its own transaction. Posts are indexed by title (weighted) and body; articles by their
-- published version.
CREATE VIRTUAL TABLE posts_fts USING fts5(
    title, body_md, content='posts', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts(rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body_md ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
    INSERT INTO posts_fts(rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
INSERT INTO posts_fts(posts_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, summary, body, tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_publish AFTER UPDATE OF published_version_id ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = new.id;
    INSERT INTO articles_fts(rowid, title, summary, body)
        SELECT new.id, title, summary, body_md FROM article_versions WHERE id = new.published_version_id;
END;
INSERT INTO articles_fts(rowid, title, summary, body)
    SELECT a.id, v.title, v.summary, v.body_md FROM articles a JOIN article_versions v ON v.id = a.published_version_id;
