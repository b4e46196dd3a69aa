//! The scale generator's posts, in time order, each with its replies (heavy-tailed, some nested), its votes (distinct members) and the notifications of its replies.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use super::*;

/// What the posts leave for the later steps: who writes (the messages draw their senders the
/// same way), the counts kept in columns, and how many replies were written.
pub(super) struct Posted {
    pub(super) authors: Vec<usize>,
    pub(super) zipf_members: Zipf,
    pub(super) post_count: Vec<i64>,
    pub(super) group_posts: Vec<i64>,
    pub(super) unread: Vec<i64>,
    pub(super) replies_left: u64,
}

/// The four tables a post writes to, and what runs across posts: the next ids, what is left to
/// write, the members' unread notifications.
struct Stream {
    posts: Batch,
    replies: Batch,
    votes: Batch,
    notes: Batch,
    reply_id: i64,
    notification_id: i64,
    replies_left: u64,
    votes_left: u64,
    notes_left: u64,
    /// The current post's replies (id, depth), for nesting.
    thread: Vec<(i64, i64)>,
    voters: HashSet<usize>,
    unread: Vec<i64>,
}

/// Who replies and how often they are told.
struct Draws<'a> {
    repliers: &'a [usize],
    zipf_members: &'a Zipf,
    clinician: &'a [bool],
    note_share: f64,
    /// Replies and votes a post has on average.
    reply_mean: f64,
    vote_mean: f64,
}

impl<'a> Draws<'a> {
    /// The draws for the sizes asked for: replies, votes and notifications per post.
    fn new(
        a: &ScaleArgs,
        repliers: &'a [usize],
        zipf_members: &'a Zipf,
        clinician: &'a [bool],
    ) -> Self {
        let n_posts = a.posts.max(1) as f64;
        Draws {
            repliers,
            zipf_members,
            clinician,
            note_share: if a.replies == 0 {
                0.0
            } else {
                (a.notifications as f64 / a.replies as f64).min(1.0)
            },
            reply_mean: a.replies as f64 / n_posts,
            vote_mean: a.votes as f64 / n_posts,
        }
    }
}

/// A post's facts its replies and votes need.
struct Post {
    id: i64,
    author: usize,
    question: bool,
    created: i64,
}

/// What a post's replies made of it.
struct Answered {
    answers: i64,
    accepted: Option<i64>,
    clinician_answered: bool,
    /// When the last reply came (the post's last activity).
    last: i64,
}

/// Writes the posts with their replies, votes and notifications.
pub(super) async fn write(
    cx: &mut Cx,
    world: &World<'_>,
    people: &People,
) -> Result<Posted, String> {
    let World {
        db,
        a,
        values,
        now,
        start,
        n_members,
        ..
    } = *world;
    let mut authors: Vec<usize> = (0..n_members).collect();
    authors.shuffle(&mut cx.rng);
    let mut repliers: Vec<usize> = (0..n_members).collect();
    repliers.shuffle(&mut cx.rng);
    let zipf_members = Zipf::new(n_members, 0.9);
    let first_post = next_id(db, "posts").await?;
    let mut s = Stream::new(db, a, values, n_members).await?;
    let mut post_count = vec![0i64; people.n_comm];
    let mut group_posts = vec![0i64; people.n_groups];
    let n_posts = a.posts.max(1) as i64;
    let draws = Draws::new(a, &repliers, &zipf_members, &people.clinician);
    let span = now - start;
    let rare = rare_words(a.posts);
    for i in 0..a.posts as i64 {
        let id = first_post + i;
        let author = authors[zipf_members.sample(&mut cx.rng)];
        let joined = &people.joined[author];
        let c = joined[cx.rng.gen_range(0..joined.len())] as usize;
        let group = people.group_of[author]
            .filter(|g| g % people.n_comm == c && cx.rng.gen_range(0..3) == 0);
        let question = cx.rng.gen_range(0..10) < 6;
        let created = start + i * span / n_posts + cx.rng.gen_range(0..(span / n_posts).max(1));
        let (title, body) = texts(cx, &rare, question);
        let post = Post {
            id,
            author,
            question,
            created,
        };
        let last_post = i == a.posts as i64 - 1;
        let (k, v, answered) = s.respond(cx, world, &draws, &post, last_post).await?;
        match group {
            Some(g) => group_posts[g] += 1,
            None => post_count[c] += 1,
        }
        // Support groups' posts and 15 % of the rest are for members only.
        let members_only = group.is_some() || cx.rng.gen_range(0..100) < 15;
        let visibility = if members_only { "members" } else { "public" };
        let texts = (title, body);
        let row = post_row(
            world,
            people,
            &post,
            (c, group),
            visibility,
            texts,
            (k, v, &answered),
        );
        cx.w.push(&mut s.posts, row).await?;
        // Posts go in before their replies, votes and notifications (foreign keys).
        if s.full() {
            s.flush(cx).await?;
        }
    }
    s.flush(cx).await?;
    Ok(Posted {
        authors,
        zipf_members,
        post_count,
        group_posts,
        unread: s.unread,
        replies_left: s.replies_left,
    })
}

/// A post's row: where it is (community, group), who may read it, its texts, its counts of
/// replies and votes, and what its replies made of it.
fn post_row(
    world: &World<'_>,
    people: &People,
    post: &Post,
    (c, group): (usize, Option<usize>),
    visibility: &str,
    (title, body): (String, String),
    (k, v, answered): (u64, u64, &Answered),
) -> Vec<V> {
    let question = post.question;
    let excerpt: String = body.chars().take(160).collect();
    vec![
        V::I(post.id),
        V::I(people.first_community + c as i64),
        group
            .map(|g| V::I(people.first_group + g as i64))
            .unwrap_or(V::N),
        V::I(world.first_user + post.author as i64),
        V::S(if question { "question" } else { "discussion" }.into()),
        V::S(visibility.into()),
        V::S(title),
        V::S(body.clone()),
        V::S(format!("<p>{body}</p>")),
        V::S(excerpt),
        V::I(k as i64),
        V::I(if question { answered.answers } else { 0 }),
        V::I(v as i64),
        answered.accepted.map(V::I).unwrap_or(V::N),
        V::I(i64::from(question && answered.clinician_answered)),
        V::I(post.created),
        V::I(answered.last.max(post.created)),
    ]
}

/// A post's title (a question ends in "?") and body (three in ten end with a rare word).
fn texts(cx: &mut Cx, rare: &[String], question: bool) -> (String, String) {
    let mut title = sentence(&mut cx.rng, &cx.words, &cx.zipf_words, 4, 9);
    if let Some(f) = title.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    if question {
        title.push('?');
    }
    let mut body = sentence(&mut cx.rng, &cx.words, &cx.zipf_words, 15, 60);
    if cx.rng.gen_range(0..10) < 3 {
        body.push(' ');
        body.push_str(&rare[cx.rng.gen_range(0..rare.len())]);
    }
    (title, body)
}

impl Stream {
    async fn new(
        db: &Db,
        a: &ScaleArgs,
        values: usize,
        n_members: usize,
    ) -> Result<Stream, String> {
        Ok(Stream {
            posts: Batch::new(
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
            ),
            replies: Batch::new(
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
            .manual(),
            votes: Batch::new(values, "post_votes", &["post_id", "user_id", "created_at"]).manual(),
            notes: Batch::new(
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
            .manual(),
            reply_id: next_id(db, "replies").await?,
            notification_id: next_id(db, "notifications").await?,
            replies_left: a.replies,
            votes_left: a.votes,
            notes_left: a.notifications,
            thread: Vec::new(),
            voters: HashSet::new(),
            unread: vec![0i64; n_members],
        })
    }

    fn full(&self) -> bool {
        self.posts.full() || self.replies.full() || self.votes.full() || self.notes.full()
    }

    /// Writes what the batches hold, posts first.
    async fn flush(&mut self, cx: &mut Cx) -> Result<(), String> {
        cx.w.flush(&mut self.posts).await?;
        cx.w.flush(&mut self.replies).await?;
        cx.w.flush(&mut self.votes).await?;
        cx.w.flush(&mut self.notes).await
    }

    /// A post's replies and votes: heavy-tailed counts (the last post takes what is left), the
    /// replies later than the post, some nested under earlier ones; the votes by distinct members.
    async fn respond(
        &mut self,
        cx: &mut Cx,
        world: &World<'_>,
        d: &Draws<'_>,
        post: &Post,
        last_post: bool,
    ) -> Result<(u64, u64, Answered), String> {
        // Replies: a heavy-tailed count, later than the post, some nested under earlier ones.
        let mut k = heavy(&mut cx.rng, d.reply_mean, 3_000).min(self.replies_left);
        if last_post {
            k = self.replies_left.min(3_000);
        }
        self.replies_left -= k;
        let answered = self.replies(cx, world, d, post, k).await?;
        // Votes: distinct members, a heavy-tailed count.
        let mut v = heavy(
            &mut cx.rng,
            d.vote_mean,
            (world.n_members as u64 / 2).min(2_000),
        )
        .min(self.votes_left);
        if last_post {
            v = self.votes_left.min(world.n_members as u64 / 2);
        }
        self.votes_left -= v;
        self.votes(cx, world, post, v).await?;
        Ok((k, v, answered))
    }

    /// Writes `k` replies to `p`, a third of them under an earlier one, each telling the post's
    /// author now and then.
    async fn replies(
        &mut self,
        cx: &mut Cx,
        world: &World<'_>,
        d: &Draws<'_>,
        p: &Post,
        k: u64,
    ) -> Result<Answered, String> {
        self.thread.clear();
        let mut out = Answered {
            answers: 0,
            accepted: None,
            clinician_answered: false,
            last: p.created,
        };
        for _ in 0..k {
            let t = (out.last + cx.rng.gen_range(60_000..(2 * 86_400_000))).min(world.now);
            out.last = t;
            let who = d.repliers[d.zipf_members.sample(&mut cx.rng)];
            let (parent, depth) = if !self.thread.is_empty() && cx.rng.gen_range(0..100) < 35 {
                let (pid, pdepth) = self.thread[cx.rng.gen_range(0..self.thread.len())];
                (Some(pid), pdepth + 1)
            } else {
                (None, 0)
            };
            if parent.is_none() {
                out.answers += 1;
                if p.question && out.accepted.is_none() && cx.rng.gen_range(0..4) == 0 {
                    out.accepted = Some(self.reply_id);
                }
                out.clinician_answered |= d.clinician[who];
            }
            let text = sentence(&mut cx.rng, &cx.words, &cx.zipf_words, 6, 35);
            let html = format!("<p>{text}</p>");
            cx.w.push(
                &mut self.replies,
                vec![
                    V::I(self.reply_id),
                    V::I(p.id),
                    parent.map(V::I).unwrap_or(V::N),
                    V::I(depth),
                    V::I(world.first_user + who as i64),
                    V::S(text),
                    V::S(html),
                    V::I(t),
                ],
            )
            .await?;
            if self.notes_left > 0 && who != p.author && cx.rng.gen::<f64>() < d.note_share {
                self.note(cx, world, p, who, parent.is_none(), t).await?;
            }
            self.thread.push((self.reply_id, depth));
            self.reply_id += 1;
        }
        Ok(out)
    }

    /// Tells the author of `p` of a reply by `who` (eight in ten already read).
    async fn note(
        &mut self,
        cx: &mut Cx,
        world: &World<'_>,
        p: &Post,
        who: usize,
        top_level: bool,
        t: i64,
    ) -> Result<(), String> {
        self.notes_left -= 1;
        let read = cx.rng.gen_range(0..10) < 8;
        if !read {
            self.unread[p.author] += 1;
        }
        cx.w.push(
            &mut self.notes,
            vec![
                V::I(self.notification_id),
                V::I(world.first_user + p.author as i64),
                V::S(
                    if p.question && top_level {
                        "answer"
                    } else {
                        "reply"
                    }
                    .into(),
                ),
                V::I(world.first_user + who as i64),
                V::S(format!("@scale{who} replied to your post")),
                V::S(format!("/p/{}", p.id)),
                V::I(t),
                if read { V::I(t) } else { V::N },
                V::I(p.id),
            ],
        )
        .await?;
        self.notification_id += 1;
        Ok(())
    }

    /// Writes `v` votes on `p` by distinct members, within a day of it.
    async fn votes(
        &mut self,
        cx: &mut Cx,
        world: &World<'_>,
        p: &Post,
        v: u64,
    ) -> Result<(), String> {
        self.voters.clear();
        while (self.voters.len() as u64) < v {
            self.voters.insert(cx.rng.gen_range(0..world.n_members));
        }
        let mut sorted: Vec<usize> = self.voters.iter().copied().collect();
        sorted.sort_unstable();
        for u in sorted {
            cx.w.push(
                &mut self.votes,
                vec![
                    V::I(p.id),
                    V::I(world.first_user + u as i64),
                    V::I((p.created + cx.rng.gen_range(0..86_400_000)).min(world.now)),
                ],
            )
            .await?;
        }
        Ok(())
    }
}
