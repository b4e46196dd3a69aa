//! The seed and create-admin commands on both backends: idempotent demo content, admin promotion.

use crate::common::{fresh_database, spawn_on, test_args, Backend};

async fn count(db: &app::db::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn seed_and_admin(backend: Backend) {
    let Some(url) = fresh_database(backend).await else {
        return;
    };
    let app = spawn_on(&url, test_args()).await;
    let state = healthcommunity::app_state(app.db.clone(), &test_args()).unwrap();

    healthcommunity::seed::demo(&state).await.unwrap();
    let users = count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await;
    let audit = count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").await;
    assert_eq!(users, 12);
    let posts = count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await;
    let replies = count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM replies").await;
    assert!(
        posts >= 9 && replies >= 15,
        "{posts} posts, {replies} replies"
    );
    // Every demo community has at least 12 threads of its own (not counting its groups'),
    // spread over the last six weeks, some for members only.
    let since = app::db::now_ms() - 43 * 86_400_000;
    assert_eq!(
        count(
            &app.db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM communities c WHERE (SELECT COUNT(*) FROM posts p \
                 WHERE p.community_id = c.id AND p.group_id IS NULL AND p.created_at >= {since}) >= 12"
            )
        )
        .await,
        3
    );
    assert!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE visibility = 'members' AND group_id IS NULL"
        )
        .await
            >= 6
    );
    assert!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM replies WHERE parent_id IS NOT NULL"
        )
        .await
            >= 12,
        "few nested replies"
    );
    assert!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE accepted_reply_id IS NOT NULL AND clinician_answered = 1"
        )
        .await
            >= 3
    );
    assert!(count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM reply_votes").await > 10);
    // Six reviewed articles, all at or below grade 8 without an override.
    assert_eq!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM article_versions WHERE grade_x10 <= 80 AND readability_override = 0"
        )
        .await,
        6
    );
    // The directory: clinics in three cities, listed clinicians, ratings, a reply, a verified visit.
    let cities = "SELECT CAST(COUNT(DISTINCT city) AS BIGINT) FROM providers WHERE kind = 'clinic'";
    assert_eq!(count(&app.db, cities).await, 3);
    assert_eq!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM providers WHERE kind = 'clinic'"
        )
        .await,
        5
    );
    assert!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM providers WHERE kind = 'clinician'"
        )
        .await
            >= 3
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM reviews WHERE verified_visit = 1"
        )
        .await,
        1
    );
    assert!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM reviews WHERE reply_body IS NOT NULL"
        )
        .await
            >= 1
    );
    let reviews = count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM reviews").await;
    assert!(reviews >= 6);
    // A second run adds nothing.
    healthcommunity::seed::demo(&state).await.unwrap();
    assert_eq!(
        count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM reviews").await,
        reviews
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM article_versions"
        )
        .await,
        6
    );
    assert_eq!(
        count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await,
        posts
    );
    assert_eq!(
        count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM replies").await,
        replies
    );
    assert_eq!(
        count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await,
        users
    );
    // Three demo groups (private, open, hidden) with one request waiting, once.
    assert_eq!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM support_groups"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM support_group_members WHERE status = 'pending'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").await,
        audit
    );

    // The demo accounts log in with the printed password; the verified clinician is verified.
    let c = crate::common::new_client();
    app.login(&c, "dr_okafor", healthcommunity::seed::DEMO_PASSWORD)
        .await
        .ok();
    let me = app.call_as(&c, "current_user", &[]).await.ok();
    assert_eq!(me["clinician_status"], "Verified");
    let pending = count(
        &app.db,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM clinician_verifications WHERE status = 'pending'",
    )
    .await;
    assert_eq!(pending, 1);

    // create-admin promotes an existing member…
    healthcommunity::seed::create_admin(
        &state,
        "maria_ms@demo.healthcommunity.invalid",
        "maria_ms",
    )
    .await
    .unwrap();
    assert_eq!(
        count(
            &app.db,
            "SELECT is_admin FROM users WHERE handle = 'maria_ms'"
        )
        .await,
        1
    );
    // …and creates a new one, refusing bad input.
    assert!(
        healthcommunity::seed::create_admin(&state, "not-an-address", "new_admin")
            .await
            .is_err()
    );
    healthcommunity::seed::create_admin(&state, "ops@example.org", "ops_admin")
        .await
        .unwrap();
    assert_eq!(
        count(
            &app.db,
            "SELECT is_admin FROM users WHERE handle = 'ops_admin'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app.db, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await,
        users + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seed_and_admin_sqlite() {
    seed_and_admin(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seed_and_admin_postgres() {
    seed_and_admin(Backend::Postgres).await;
}
