//! `seed --scale` on both backends: the counts kept in columns are true at the end, the indexes it set aside are back (an interrupted run's too), a second run writes nothing, a database with real members is refused without --force, and the generated shapes are what the benchmark relies on.

use crate::common::TestApp;
use healthcommunity::scale::{run, ScaleArgs};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The definitions of the database's indexes, triggers and foreign keys, sorted.
async fn schema(app: &TestApp) -> Vec<String> {
    let sql = if matches!(app.db.backend, app::db::Backend::Postgres) {
        "SELECT indexdef::text AS d FROM pg_indexes WHERE schemaname = current_schema() \
         UNION ALL SELECT conrelid::regclass::text || ' ' || conname::text || ' ' || pg_get_constraintdef(oid) \
         FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace \
         ORDER BY 1"
    } else {
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY 1"
    };
    sqlx::query_scalar::<_, String>(sql)
        .fetch_all(&app.db.pool)
        .await
        .expect("schema")
}

/// The directory's aggregates are its reviews' (as `directory::repo::ratings` keeps them), and every provider treats a condition.
const DIRECTORY_WRONG: [&str; 4] = [
    "SELECT CAST(COUNT(*) AS BIGINT) FROM providers p WHERE p.rating_count <> \
     (SELECT COUNT(*) FROM reviews r WHERE r.provider_id = p.id AND r.hidden = 0)",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM providers p WHERE p.stars_5 <> \
     (SELECT COUNT(*) FROM reviews r WHERE r.provider_id = p.id AND r.stars = 5)",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM providers p WHERE p.rating_count > 0 AND p.rating_avg_x100 <> \
     (SELECT (CAST(SUM(r.stars) AS BIGINT) * 100 + COUNT(*) / 2) / COUNT(*) FROM reviews r WHERE r.provider_id = p.id)",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM providers p WHERE NOT EXISTS \
     (SELECT 1 FROM provider_conditions c WHERE c.provider_id = p.id)",
];

async fn seeds_a_consistent_database(app: TestApp) {
    let before = schema(&app).await;
    // A member who signed up for real: the generator refuses to write beside them.
    app.signup("real_member", "correct-horse-1").await.ok();
    let shape = ScaleArgs::small(600);
    let refused = run(&app.db, &shape).await;
    assert!(
        refused.as_ref().is_err_and(|e| e.contains("--force")),
        "{:?}",
        refused.map(|w| w.rows)
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await,
        0
    );

    let mut shape = ScaleArgs::small(600);
    shape.force = true;
    let written = run(&app.db, &shape).await.expect("seed --scale");
    assert!(written.rows > 600 * 8, "{written:?}");
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await,
        600
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM replies").await,
        3000
    );
    // Every index and trigger it set aside while writing is back, and nothing is left aside.
    assert_eq!(schema(&app).await, before);
    let aside_left = if matches!(app.db.backend, app::db::Backend::Postgres) {
        "SELECT CAST(COUNT(*) AS BIGINT) FROM information_schema.tables WHERE table_name = 'scale_set_aside'"
    } else {
        "SELECT CAST(COUNT(*) AS BIGINT) FROM sqlite_master WHERE name = 'scale_set_aside'"
    };
    assert_eq!(count(&app, aside_left).await, 0);
    if !matches!(app.db.backend, app::db::Backend::Postgres) {
        // It writes with foreign keys off: every reference must still hold. (PostgreSQL checks
        // them when it makes its foreign keys again.)
        assert_eq!(
            count(
                &app,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM pragma_foreign_key_check"
            )
            .await,
            0
        );
        // The full-text index, rebuilt in one pass, holds exactly the posts (this fails with an
        // error when the index and its content disagree).
        sqlx::query("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
            .execute(&app.db.pool)
            .await
            .expect("posts_fts matches the posts");
        assert!(
            count(
                &app,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM posts_fts WHERE posts_fts MATCH 'the'"
            )
            .await
                > 100
        );
    }
    // The counts kept in columns agree with the rows.
    let wrong = [
        "SELECT CAST(COUNT(*) AS BIGINT) FROM posts p WHERE p.reply_count <> \
         (SELECT COUNT(*) FROM replies r WHERE r.post_id = p.id)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM posts p WHERE p.vote_count <> \
         (SELECT COUNT(*) FROM post_votes v WHERE v.post_id = p.id)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM posts p WHERE p.kind = 'question' AND p.answer_count <> \
         (SELECT COUNT(*) FROM replies r WHERE r.post_id = p.id AND r.parent_id IS NULL)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM communities c WHERE c.member_count <> \
         (SELECT COUNT(*) FROM community_members m WHERE m.community_id = c.id)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM communities c WHERE c.post_count <> \
         (SELECT COUNT(*) FROM posts p WHERE p.community_id = c.id AND p.group_id IS NULL)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM support_groups g WHERE g.member_count <> \
         (SELECT COUNT(*) FROM support_group_members m WHERE m.group_id = g.id AND m.status = 'active')",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users u WHERE u.unread_notifications <> \
         (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users u WHERE u.unread_messages <> \
         (SELECT COALESCE(SUM(CASE WHEN c.user_a = u.id THEN c.unread_a ELSE c.unread_b END), 0) \
          FROM conversations c WHERE c.user_a = u.id OR c.user_b = u.id)",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM posts p WHERE p.clinician_answered <> CASE WHEN \
         p.kind = 'question' AND EXISTS (SELECT 1 FROM replies r JOIN users u ON u.id = r.author_id \
         WHERE r.post_id = p.id AND r.parent_id IS NULL AND u.kind = 'clinician' \
         AND u.clinician_status = 'verified') THEN 1 ELSE 0 END",
        // A reply's parent is in the same thread, one level up.
        "SELECT CAST(COUNT(*) AS BIGINT) FROM replies r JOIN replies pr ON pr.id = r.parent_id \
         WHERE pr.post_id <> r.post_id OR r.depth <> pr.depth + 1",
        // A group post's author is an active member of the group.
        "SELECT CAST(COUNT(*) AS BIGINT) FROM posts p WHERE p.group_id IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM support_group_members m WHERE m.group_id = p.group_id AND m.user_id = p.author_id AND m.status = 'active')",
    ];
    for sql in wrong.iter().chain(&DIRECTORY_WRONG) {
        assert_eq!(count(&app, sql).await, 0, "{sql}");
    }
    // The shapes: members in one to five communities, nested replies, a heavy tail of replies.
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT user_id FROM community_members \
             GROUP BY user_id HAVING COUNT(*) > 5) AS x"
        )
        .await,
        0
    );
    assert!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM replies WHERE depth > 0"
        )
        .await
            > 100
    );
    assert!(count(&app, "SELECT CAST(MAX(reply_count) AS BIGINT) FROM posts").await >= 25);
    assert!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE group_id IS NOT NULL"
        )
        .await
            > 0
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM providers").await,
        shape.providers as i64
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM reviews").await,
        shape.reviews as i64
    );
    // The benchmark's place search finds the largest city's providers (no gazetteer loaded:
    // the providers' own cities).
    let city = healthcommunity::scale::CITIES[0].0;
    let (status, html) = app.get(&format!("/directory?place={city}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("/directory/scale-provider-"),
        "{city}'s providers are listed"
    );
    // The three ways of listing the best-rated providers holding a word agree: from the list
    // of matches, and down the rating index keeping those in the list or asking about each
    // (taken when the search's count stopped at its cap, by how densely the word matches).
    let the = vec![vec![vec!["the".to_string()]]];
    let way = |count, density| app::directory::repo::ProviderMatches {
        count,
        cap: 100,
        density,
    };
    let mut ways = Vec::new();
    for matches in [way(5, 0.0), way(100, 0.1), way(100, 0.9)] {
        ways.push(
            app::directory::repo::matching(&app.db, &the, matches, 5, 0, false)
                .await
                .expect("listed"),
        );
    }
    assert!(!ways[0].is_empty());
    assert_eq!(ways[0], ways[1]);
    assert_eq!(ways[0], ways[2]);
    // A scale member logs in with the documented password (the benchmark does).
    let login = app
        .login(
            &app.client,
            "scale1",
            healthcommunity::scale::SCALE_PASSWORD,
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.body);

    // A run that stopped while its indexes were aside: the next run makes them again first
    // (the note and the drop as `set_aside` leaves them).
    for sql in [
        "CREATE TABLE scale_set_aside (n BIGINT NOT NULL, kind TEXT NOT NULL, sql TEXT NOT NULL)",
        "INSERT INTO scale_set_aside (n, kind, sql) VALUES (0, 'index', 'CREATE INDEX posts_author_idx ON posts(author_id, id)')",
        "DROP INDEX posts_author_idx",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.expect(sql);
    }
    assert_ne!(schema(&app).await, before);

    // Again: nothing is written, and what was aside is back.
    let again = run(&app.db, &shape).await.expect("second run");
    assert_eq!(again.rows, 0);
    assert_eq!(schema(&app).await, before);
    assert_eq!(count(&app, aside_left).await, 0);
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await,
        600
    );

    // A database seeded before the generator wrote the directory gets it on the next run, and
    // only it; the run after that writes nothing.
    for sql in [
        "DELETE FROM reviews",
        "DELETE FROM provider_conditions",
        "DELETE FROM providers",
    ] {
        sqlx::query(sql).execute(&app.db.pool).await.expect(sql);
    }
    let topped = run(&app.db, &shape).await.expect("directory top-up");
    assert_eq!(
        topped.rows,
        shape.reviews
            + shape.providers
            + count(
                &app,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM provider_conditions"
            )
            .await as u64
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM providers").await,
        shape.providers as i64
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await,
        600
    );
    for sql in DIRECTORY_WRONG {
        assert_eq!(count(&app, sql).await, 0, "after the top-up: {sql}");
    }
    // A provider added after it gets the next id (PostgreSQL's sequence was moved past them).
    sqlx::query(
        "INSERT INTO providers (kind, slug, name, created_at, updated_at) \
         VALUES ('clinic', 'added-later', 'Added later', 0, 0)",
    )
    .execute(&app.db.pool)
    .await
    .expect("a provider added after the seed");
    assert_eq!(run(&app.db, &shape).await.expect("third run").rows, 0);
}

both_backends!(seeds_a_consistent_database);
