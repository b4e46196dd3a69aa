-- Search synonyms an admin edited (issue 18 item 1): the whole list as one text, in the format of
-- app/data/synonyms.txt. No row: the built-in list is in force.
CREATE TABLE search_synonyms (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
