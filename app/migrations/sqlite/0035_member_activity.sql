-- Members active per day and searches that found nothing (issue 11 item 6). A logged-in member
-- who opened a page is one row of `member_days` for that day, kept 30 days so that the rolling
-- week and month can be counted; once a day is over its three totals go to `traffic_members`
-- and rows older than 30 days are deleted. `search_misses` keeps the words of searches that
-- found nothing (never who searched), per day.
CREATE TABLE member_days (
    day INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (day, user_id)
);

CREATE TABLE traffic_members (
    day INTEGER PRIMARY KEY,
    dau INTEGER NOT NULL,
    wau INTEGER NOT NULL,
    mau INTEGER NOT NULL,
    demo INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE search_misses (
    day INTEGER NOT NULL,
    query TEXT NOT NULL,
    searches INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, query)
);
