//! `seed --scale`: a large, realistic, deterministic database written straight from the schema, for the benchmark and the plan tests.
//!
//! Shapes: a Zipf vocabulary of 6,000 words (health words at the top, so search sees realistic
//! match sets), heavy-tailed activity per member (Zipf authors) and per thread (Pareto reply and
//! vote counts), members in 1–5 communities, some in support groups, nested replies, direct
//! messages and notifications. Rows go in as multi-row INSERTs inside large transactions, with
//! explicit ids, so both backends get the same bytes for the same seed; counts kept in columns
//! (`reply_count`, `member_count`, `unread_notifications`…) are true at the end.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use app::db::{Backend, Db};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::time::Instant;

mod words;
mod writer;

pub use words::vocabulary;
use words::{heavy, sentence, Zipf};
use writer::{Batch, Writer, V};

/// Every scale account's address ends so: it marks them, so a second run sees them and stops.
pub const SCALE_DOMAIN: &str = "@scale.invalid";
/// The password of every scale account (the benchmark logs in with it).
pub const SCALE_PASSWORD: &str = "scale-password";

#[derive(Debug, Args, Clone)]
pub struct ScaleArgs {
    /// Members to create.
    #[arg(long, default_value_t = 100_000)]
    pub members: u64,
    /// Topic communities.
    #[arg(long, default_value_t = 20)]
    pub communities: u64,
    /// Posts (questions and discussions).
    #[arg(long, default_value_t = 1_000_000)]
    pub posts: u64,
    /// Replies (answers and nested comments), spread over the posts with a heavy tail.
    #[arg(long, default_value_t = 5_000_000)]
    pub replies: u64,
    /// Helpful votes on posts.
    #[arg(long, default_value_t = 2_000_000)]
    pub votes: u64,
    /// Support groups (spread over the communities).
    #[arg(long, default_value_t = 100)]
    pub groups: u64,
    /// Direct-message conversations.
    #[arg(long, default_value_t = 50_000)]
    pub conversations: u64,
    /// Direct messages in them.
    #[arg(long, default_value_t = 500_000)]
    pub messages: u64,
    /// Notifications (replies to members' posts).
    #[arg(long, default_value_t = 1_000_000)]
    pub notifications: u64,
    /// Days of history the content spreads over, ending now.
    #[arg(long, default_value_t = 730)]
    pub days: u64,
    /// The random seed: the same seed and flags write the same rows.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Run even though the database has members that are not scale accounts.
    #[arg(long)]
    pub force: bool,
    /// No progress bar (for tests and logs).
    #[arg(long)]
    pub quiet: bool,
}

impl ScaleArgs {
    /// A small shape for tests: `posts` posts and everything else in proportion.
    pub fn small(posts: u64) -> ScaleArgs {
        ScaleArgs {
            members: (posts / 10).max(50),
            communities: 20,
            posts,
            replies: posts * 5,
            votes: posts * 2,
            groups: 40,
            conversations: (posts / 20).max(10),
            messages: posts / 2,
            notifications: posts,
            days: 730,
            seed: 42,
            force: false,
            quiet: true,
        }
    }
}

/// What a run wrote.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub rows: u64,
    pub seconds: f64,
    pub members: u64,
    pub posts: u64,
    pub replies: u64,
}

async fn count(db: &Db, sql: &str) -> Result<i64, String> {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| format!("{sql}: {e}"))
}

async fn next_id(db: &Db, table: &str) -> Result<i64, String> {
    Ok(count(db, &format!("SELECT COALESCE(MAX(id), 0) FROM {table}")).await? + 1)
}

/// Writes the scale database. Refuses when the database has members other than scale accounts
/// (unless `force`); does nothing when scale accounts are already there (idempotent).
pub async fn run(db: &Db, a: &ScaleArgs) -> Result<Written, String> {
    let existing = count(
        db,
        &format!("SELECT COUNT(*) FROM users WHERE email LIKE '%{SCALE_DOMAIN}'"),
    )
    .await?;
    if existing > 0 {
        if !a.quiet {
            println!("Already seeded at scale ({existing} scale members): nothing to do.");
        }
        return Ok(Written::default());
    }
    let real = count(db, "SELECT COUNT(*) FROM users").await?;
    if real > 0 && !a.force {
        return Err(format!(
            "this database has {real} members that are not scale accounts; \
             seed --scale writes a million posts beside them. Use a new database, or pass --force"
        ));
    }
    if a.members < 2 || a.communities == 0 {
        return Err("--members must be at least 2 and --communities at least 1".into());
    }
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(a.seed);
    let now = app::db::now_ms();
    let start = now - a.days as i64 * 86_400_000;
    let words = vocabulary(6_000);
    let zipf_words = Zipf::new(words.len(), 1.05);

    let total = a.members
        + a.communities
        + a.groups
        + a.posts
        + a.replies
        + a.votes
        + a.conversations
        + a.messages
        + a.notifications
        + a.members * 2;
    let bar = if a.quiet {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>14} [{bar:30}] {human_pos}/{human_len} rows, {per_sec}, ETA {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    // Bound values per INSERT. sqlx looks each SQLite parameter up by name among all of the
    // statement's (`sqlite3_bind_parameter_name`), so a statement's cost grows with the square
    // of its values: 17,000 values a statement spent half the seed there (8,900 rows/s). A few
    // hundred keep that small; PostgreSQL binds by position and takes large statements.
    let values = match db.backend {
        Backend::Sqlite => 400,
        Backend::Postgres => 30_000,
    };
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    if db.backend == Backend::Sqlite {
        // A lost seed is re-run, not recovered: no fsync per commit while it writes.
        sqlx::query("PRAGMA synchronous=OFF")
            .execute(&mut *conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut w = Writer {
        conn,
        rows: 0,
        since_commit: 0,
        bar: bar.clone(),
    };
    w.exec("BEGIN").await?;

    // Members: one password hash for all (argon2 per member would take hours).
    bar.set_message("members");
    let hash = {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt =
            SaltString::encode_b64(&a.seed.to_le_bytes()).map_err(|e| format!("salt: {e}"))?;
        argon2::Argon2::default()
            .hash_password(SCALE_PASSWORD.as_bytes(), &salt)
            .map_err(|e| format!("hash: {e}"))?
            .to_string()
    };
    let first_user = next_id(db, "users").await?;
    let n_members = a.members as usize;
    let mut clinician = vec![false; n_members];
    let mut users = Batch::new(
        values,
        "users",
        &[
            "id",
            "handle",
            "email",
            "password_hash",
            "kind",
            "clinician_status",
            "created_at",
            "password_changed_at",
            "email_verified_at",
            "display_name",
        ],
    );
    for (m, is_clinician) in clinician.iter_mut().enumerate() {
        let id = first_user + m as i64;
        let roll: f64 = rng.gen();
        let kind = if roll < 0.05 {
            *is_clinician = true;
            "clinician"
        } else if roll < 0.2 {
            "caregiver"
        } else {
            "patient"
        };
        let created = start + (m as i64 * (now - start) / (2 * n_members as i64).max(1));
        w.push(
            &mut users,
            vec![
                V::I(id),
                V::S(format!("scale{m}")),
                V::S(format!("scale{m}{SCALE_DOMAIN}")),
                V::S(hash.clone()),
                V::S(kind.into()),
                V::S(if *is_clinician { "verified" } else { "none" }.into()),
                V::I(created),
                V::I(created),
                V::I(created),
                V::S(String::new()),
            ],
        )
        .await?;
    }
    w.flush(&mut users).await?;

    // Communities, and each member's 1–5 of them (popular communities more often).
    bar.set_message("communities");
    let first_community = next_id(db, "communities").await?;
    let n_comm = a.communities as usize;
    let mut communities = Batch::new(
        values,
        "communities",
        &[
            "id",
            "slug",
            "name",
            "description",
            "created_at",
            "updated_at",
        ],
    );
    for c in 0..n_comm {
        w.push(
            &mut communities,
            vec![
                V::I(first_community + c as i64),
                V::S(format!("scale-{c}")),
                V::S(format!("Scale community {c}")),
                V::S(format!("A generated community ({c}) for the benchmark.")),
                V::I(start),
                V::I(start),
            ],
        )
        .await?;
    }
    w.flush(&mut communities).await?;
    let zipf_comm = Zipf::new(n_comm, 0.8);
    let mut joined: Vec<Vec<u16>> = Vec::with_capacity(n_members);
    let mut memberships = Batch::new(
        values,
        "community_members",
        &["community_id", "user_id", "joined_at"],
    );
    let mut member_count = vec![0i64; n_comm];
    for m in 0..n_members {
        let k = match rng.gen_range(0..100) {
            0..=39 => 1,
            40..=64 => 2,
            65..=79 => 3,
            80..=89 => 4,
            _ => 5,
        }
        .min(n_comm);
        let mut mine: Vec<u16> = Vec::with_capacity(k);
        while mine.len() < k {
            let c = zipf_comm.sample(&mut rng) as u16;
            if !mine.contains(&c) {
                mine.push(c);
            }
        }
        for c in &mine {
            member_count[*c as usize] += 1;
            w.push(
                &mut memberships,
                vec![
                    V::I(first_community + *c as i64),
                    V::I(first_user + m as i64),
                    V::I(start),
                ],
            )
            .await?;
        }
        joined.push(mine);
    }
    w.flush(&mut memberships).await?;

    // Support groups: each in a community; one in ten members is in one of their communities'.
    bar.set_message("groups");
    let first_group = next_id(db, "support_groups").await?;
    let n_groups = a.groups as usize;
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); n_comm];
    let mut groups = Batch::new(
        values,
        "support_groups",
        &[
            "id",
            "community_id",
            "slug",
            "name",
            "description",
            "kind",
            "created_at",
        ],
    );
    for g in 0..n_groups {
        let c = g % n_comm;
        groups_of[c].push(g);
        let kind = match g % 20 {
            0 => "hidden",
            1..=5 => "private",
            _ => "open",
        };
        w.push(
            &mut groups,
            vec![
                V::I(first_group + g as i64),
                V::I(first_community + c as i64),
                V::S(format!("scale-group-{g}")),
                V::S(format!("Scale group {g}")),
                V::S("A generated support group.".into()),
                V::S(kind.into()),
                V::I(start),
            ],
        )
        .await?;
    }
    w.flush(&mut groups).await?;
    let mut group_of: Vec<Option<usize>> = vec![None; n_members];
    let mut group_members = vec![0i64; n_groups];
    let mut gm = Batch::new(
        values,
        "support_group_members",
        &["group_id", "user_id", "status", "created_at"],
    );
    for m in 0..n_members {
        if rng.gen_range(0..10) != 0 {
            continue;
        }
        let c = joined[m][rng.gen_range(0..joined[m].len())] as usize;
        if let Some(g) = groups_of[c].choose(&mut rng).copied() {
            group_of[m] = Some(g);
            group_members[g] += 1;
            w.push(
                &mut gm,
                vec![
                    V::I(first_group + g as i64),
                    V::I(first_user + m as i64),
                    V::S("active".into()),
                    V::I(start),
                ],
            )
            .await?;
        }
    }
    w.flush(&mut gm).await?;

    // Posts with their replies, votes and notifications, in time order.
    bar.set_message("posts");
    let mut authors: Vec<usize> = (0..n_members).collect();
    authors.shuffle(&mut rng);
    let mut repliers: Vec<usize> = (0..n_members).collect();
    repliers.shuffle(&mut rng);
    let zipf_members = Zipf::new(n_members, 0.9);
    let first_post = next_id(db, "posts").await?;
    let mut reply_id = next_id(db, "replies").await?;
    let mut notification_id = next_id(db, "notifications").await?;
    let mut posts = Batch::new(
        values,
        "posts",
        &[
            "id",
            "community_id",
            "group_id",
            "author_id",
            "kind",
            "visibility",
            "title",
            "body_md",
            "body_html",
            "excerpt",
            "reply_count",
            "answer_count",
            "vote_count",
            "accepted_reply_id",
            "clinician_answered",
            "created_at",
            "last_activity_at",
        ],
    );
    let mut replies = Batch::new(
        values,
        "replies",
        &[
            "id",
            "post_id",
            "parent_id",
            "depth",
            "author_id",
            "body_md",
            "body_html",
            "created_at",
        ],
    )
    .manual();
    let mut votes =
        Batch::new(values, "post_votes", &["post_id", "user_id", "created_at"]).manual();
    let mut notes = Batch::new(
        values,
        "notifications",
        &[
            "id",
            "user_id",
            "kind",
            "actor_id",
            "text",
            "link",
            "created_at",
            "read_at",
            "post_id",
        ],
    )
    .manual();
    let mut post_count = vec![0i64; n_comm];
    let mut group_posts = vec![0i64; n_groups];
    let mut unread = vec![0i64; n_members];
    let n_posts = a.posts.max(1) as i64;
    let reply_mean = a.replies as f64 / n_posts as f64;
    let vote_mean = a.votes as f64 / n_posts as f64;
    let note_share = if a.replies == 0 {
        0.0
    } else {
        (a.notifications as f64 / a.replies as f64).min(1.0)
    };
    let (mut replies_left, mut votes_left, mut notes_left) = (a.replies, a.votes, a.notifications);
    let span = now - start;
    let mut thread: Vec<(i64, i64)> = Vec::new();
    let mut voters: HashSet<usize> = HashSet::new();
    for i in 0..a.posts as i64 {
        let id = first_post + i;
        let author = authors[zipf_members.sample(&mut rng)];
        let c = joined[author][rng.gen_range(0..joined[author].len())] as usize;
        let group = group_of[author].filter(|g| g % n_comm == c && rng.gen_range(0..3) == 0);
        let question = rng.gen_range(0..10) < 6;
        let created = start + i * span / n_posts + rng.gen_range(0..(span / n_posts).max(1));
        let mut title = sentence(&mut rng, &words, &zipf_words, 4, 9);
        if let Some(f) = title.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        if question {
            title.push('?');
        }
        let body = sentence(&mut rng, &words, &zipf_words, 15, 60);
        let excerpt: String = body.chars().take(160).collect();
        // Replies: a heavy-tailed count, later than the post, some nested under earlier ones.
        let remaining_posts = (a.posts as i64 - i) as u64;
        let mut k = heavy(&mut rng, reply_mean, 3_000).min(replies_left);
        if remaining_posts == 1 {
            k = replies_left.min(3_000);
        }
        replies_left -= k;
        thread.clear();
        let (mut answers, mut accepted, mut clinician_answered) = (0i64, None, false);
        let mut t = created;
        for _ in 0..k {
            t = (t + rng.gen_range(60_000..(2 * 86_400_000))).min(now);
            let who = repliers[zipf_members.sample(&mut rng)];
            let (parent, depth) = if !thread.is_empty() && rng.gen_range(0..100) < 35 {
                let (pid, pdepth) = thread[rng.gen_range(0..thread.len())];
                (Some(pid), pdepth + 1)
            } else {
                (None, 0)
            };
            if parent.is_none() {
                answers += 1;
                if question && accepted.is_none() && rng.gen_range(0..4) == 0 {
                    accepted = Some(reply_id);
                }
                clinician_answered |= clinician[who];
            }
            let text = sentence(&mut rng, &words, &zipf_words, 6, 35);
            let html = format!("<p>{text}</p>");
            w.push(
                &mut replies,
                vec![
                    V::I(reply_id),
                    V::I(id),
                    parent.map(V::I).unwrap_or(V::N),
                    V::I(depth),
                    V::I(first_user + who as i64),
                    V::S(text),
                    V::S(html),
                    V::I(t),
                ],
            )
            .await?;
            if notes_left > 0 && who != author && rng.gen::<f64>() < note_share {
                notes_left -= 1;
                let read = rng.gen_range(0..10) < 8;
                if !read {
                    unread[author] += 1;
                }
                w.push(
                    &mut notes,
                    vec![
                        V::I(notification_id),
                        V::I(first_user + author as i64),
                        V::S(
                            if question && parent.is_none() {
                                "answer"
                            } else {
                                "reply"
                            }
                            .into(),
                        ),
                        V::I(first_user + who as i64),
                        V::S(format!("@scale{who} replied to your post")),
                        V::S(format!("/p/{id}")),
                        V::I(t),
                        if read { V::I(t) } else { V::N },
                        V::I(id),
                    ],
                )
                .await?;
                notification_id += 1;
            }
            thread.push((reply_id, depth));
            reply_id += 1;
        }
        // Votes: distinct members, a heavy-tailed count.
        let mut v = heavy(&mut rng, vote_mean, (n_members as u64 / 2).min(2_000)).min(votes_left);
        if remaining_posts == 1 {
            v = votes_left.min(n_members as u64 / 2);
        }
        votes_left -= v;
        voters.clear();
        while (voters.len() as u64) < v {
            voters.insert(rng.gen_range(0..n_members));
        }
        let mut sorted: Vec<usize> = voters.iter().copied().collect();
        sorted.sort_unstable();
        for u in sorted {
            w.push(
                &mut votes,
                vec![
                    V::I(id),
                    V::I(first_user + u as i64),
                    V::I((created + rng.gen_range(0..86_400_000)).min(now)),
                ],
            )
            .await?;
        }
        match group {
            Some(g) => group_posts[g] += 1,
            None => post_count[c] += 1,
        }
        let visibility = if group.is_some() || rng.gen_range(0..100) < 15 {
            "members"
        } else {
            "public"
        };
        w.push(
            &mut posts,
            vec![
                V::I(id),
                V::I(first_community + c as i64),
                group.map(|g| V::I(first_group + g as i64)).unwrap_or(V::N),
                V::I(first_user + author as i64),
                V::S(if question { "question" } else { "discussion" }.into()),
                V::S(visibility.into()),
                V::S(title),
                V::S(body.clone()),
                V::S(format!("<p>{body}</p>")),
                V::S(excerpt),
                V::I(k as i64),
                V::I(if question { answers } else { 0 }),
                V::I(v as i64),
                accepted.map(V::I).unwrap_or(V::N),
                V::I(i64::from(question && clinician_answered)),
                V::I(created),
                V::I(t.max(created)),
            ],
        )
        .await?;
        // Posts go in before their replies, votes and notifications (foreign keys).
        if posts.full() || replies.full() || votes.full() || notes.full() {
            w.flush(&mut posts).await?;
            w.flush(&mut replies).await?;
            w.flush(&mut votes).await?;
            w.flush(&mut notes).await?;
        }
    }
    w.flush(&mut posts).await?;
    w.flush(&mut replies).await?;
    w.flush(&mut votes).await?;
    w.flush(&mut notes).await?;

    // Direct messages: distinct pairs, heavy-tailed conversation lengths.
    bar.set_message("messages");
    let first_conv = next_id(db, "conversations").await?;
    let mut message_id = next_id(db, "messages").await?;
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut convs = Batch::new(
        values,
        "conversations",
        &[
            "id",
            "user_a",
            "user_b",
            "unread_a",
            "unread_b",
            "last_message_at",
            "created_at",
        ],
    );
    let mut msgs = Batch::new(
        values,
        "messages",
        &[
            "id",
            "conversation_id",
            "sender_id",
            "body",
            "body_html",
            "created_at",
        ],
    )
    .manual();
    let mut unread_messages = vec![0i64; n_members];
    let max_pairs = (n_members as u64 * (n_members as u64 - 1) / 2).min(a.conversations);
    let mut messages_left = a.messages;
    let msg_mean = a.messages as f64 / a.conversations.max(1) as f64;
    for ci in 0..max_pairs {
        let (x, y) = loop {
            let x = authors[zipf_members.sample(&mut rng)];
            let y = rng.gen_range(0..n_members);
            let pair = (x.min(y), x.max(y));
            if x != y && pairs.insert(pair) {
                break pair;
            }
        };
        let id = first_conv + ci as i64;
        let mut k = heavy(&mut rng, msg_mean, 2_000).clamp(1, messages_left.max(1));
        if ci + 1 == max_pairs {
            k = messages_left.max(1);
        }
        messages_left = messages_left.saturating_sub(k);
        let created = start + rng.gen_range(0..span);
        let mut t = created;
        let (mut unread_x, mut unread_y) = (0i64, 0i64);
        let mut rows = Vec::with_capacity(k as usize);
        for j in 0..k {
            t = (t + rng.gen_range(60_000..86_400_000)).min(now);
            let from_x = rng.gen_bool(0.5);
            let text = sentence(&mut rng, &words, &zipf_words, 3, 25);
            // The last few messages of some conversations are unread by their receiver.
            if j + 3 >= k && rng.gen_range(0..5) == 0 {
                if from_x {
                    unread_y += 1;
                } else {
                    unread_x += 1;
                }
            }
            rows.push(vec![
                V::I(message_id),
                V::I(id),
                V::I(first_user + if from_x { x } else { y } as i64),
                V::S(text.clone()),
                V::S(format!("<p>{text}</p>")),
                V::I(t),
            ]);
            message_id += 1;
        }
        unread_messages[x] += unread_x;
        unread_messages[y] += unread_y;
        w.push(
            &mut convs,
            vec![
                V::I(id),
                V::I(first_user + x as i64),
                V::I(first_user + y as i64),
                V::I(unread_x),
                V::I(unread_y),
                V::I(t),
                V::I(created),
            ],
        )
        .await?;
        for r in rows {
            w.push(&mut msgs, r).await?;
        }
        if convs.full() || msgs.full() {
            w.flush(&mut convs).await?;
            w.flush(&mut msgs).await?;
        }
    }
    w.flush(&mut convs).await?;
    w.flush(&mut msgs).await?;

    // The counts kept in columns.
    bar.set_message("counts");
    for (c, n) in member_count.iter().enumerate() {
        sqlx::query("UPDATE communities SET member_count = $1, post_count = $2 WHERE id = $3")
            .bind(*n)
            .bind(post_count[c])
            .bind(first_community + c as i64)
            .execute(&mut *w.conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    for (g, n) in group_members.iter().enumerate() {
        sqlx::query("UPDATE support_groups SET member_count = $1, post_count = $2 WHERE id = $3")
            .bind(*n)
            .bind(group_posts[g])
            .bind(first_group + g as i64)
            .execute(&mut *w.conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    for m in 0..n_members {
        if unread[m] > 0 || unread_messages[m] > 0 {
            sqlx::query(
                "UPDATE users SET unread_notifications = $1, unread_messages = $2 WHERE id = $3",
            )
            .bind(unread[m])
            .bind(unread_messages[m])
            .bind(first_user + m as i64)
            .execute(&mut *w.conn)
            .await
            .map_err(|e| e.to_string())?;
        }
        bar.inc(2);
    }
    w.exec("COMMIT").await?;
    if db.backend == Backend::Postgres {
        // Explicit ids: move the sequences past them.
        for table in [
            "users",
            "communities",
            "support_groups",
            "posts",
            "replies",
            "notifications",
            "conversations",
            "messages",
        ] {
            w.exec(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ))
            .await?;
        }
        // The tables written (a bare ANALYZE also visits catalogs this role may not analyse,
        // and says so once per catalog).
        w.exec(
            "ANALYZE users, communities, community_members, support_groups, support_group_members, \
             posts, replies, post_votes, notifications, conversations, messages",
        )
        .await?;
    } else {
        w.exec("PRAGMA synchronous=NORMAL").await?;
        w.exec("ANALYZE").await?;
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    Ok(Written {
        rows: w.rows,
        seconds,
        members: a.members,
        posts: a.posts,
        replies: a.replies - replies_left,
    })
}
