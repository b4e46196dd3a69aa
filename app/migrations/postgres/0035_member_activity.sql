-- Members active per day and searches that found nothing (issue 11 item 6). A logged-in member
-- who opened a page is one row of `member_days` for that day, kept 30 days so that the rolling
-- week and month can be counted; once a day is over its three totals go to `traffic_members`
-- and rows older than 30 days are deleted. `search_misses` keeps the words of searches that
-- found nothing (never who searched), per day.
CREATE TABLE member_days (
    day BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (day, user_id)
);

CREATE TABLE traffic_members (
    day BIGINT PRIMARY KEY,
    dau BIGINT NOT NULL,
    wau BIGINT NOT NULL,
    mau BIGINT NOT NULL,
    demo BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE search_misses (
    day BIGINT NOT NULL,
    query TEXT NOT NULL,
    searches BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, query)
);
