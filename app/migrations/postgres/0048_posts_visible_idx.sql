-- The SQLite migration of this number adds `posts_visible_idx`, a narrow copy of the columns the
-- visibility rule reads, for a search's candidates (issue 15). PostgreSQL does not get it: its
-- planner walked that index whole, backwards, for a community's No answers yet (the index holds
-- the feed's filter columns, none first), 3.4 → 52 ms at a million posts, and its search checks
-- the thousand candidates at 1.15 × the 10k time without it.
SELECT 1;
