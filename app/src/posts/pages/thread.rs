//! The post page: the post, its edit history, votes, and the actions a thread shares.

use super::*;

/// The actions a thread page runs; the page reloads its data after any of them succeeds.
#[derive(Clone, Copy)]
pub struct ThreadActions {
    pub vote: ServerAction<Vote>,
    pub accept: ServerAction<AcceptAnswer>,
    pub reply: ServerAction<CreateReply>,
    pub edit_reply: ServerAction<EditReply>,
    pub delete_reply: ServerAction<DeleteReply>,
    pub edit_post: ServerAction<EditPost>,
    pub delete_post: ServerAction<DeletePost>,
    pub join: ServerAction<JoinCommunity>,
    pub pin: ServerAction<PinPost>,
    pub report: ServerAction<ReportContent>,
    pub remove: ServerAction<RemoveContent>,
    pub restore: ServerAction<RestoreContent>,
    pub save: ServerAction<ToggleSaved>,
    pub follow: ServerAction<FollowThread>,
}

/// `/p/:id`: a question with its answers or a discussion with its threaded comments.
#[component]
pub fn PostPage() -> impl IntoView {
    let params = use_params_map();
    let a = ThreadActions {
        vote: ServerAction::new(),
        accept: ServerAction::new(),
        reply: ServerAction::new(),
        edit_reply: ServerAction::new(),
        delete_reply: ServerAction::new(),
        edit_post: ServerAction::new(),
        delete_post: ServerAction::new(),
        join: ServerAction::new(),
        pin: ServerAction::new(),
        report: ServerAction::new(),
        remove: ServerAction::new(),
        restore: ServerAction::new(),
        save: ServerAction::new(),
        follow: ServerAction::new(),
    };
    let changed = [
        successes(a.vote),
        successes(a.accept),
        successes(a.reply),
        successes(a.edit_reply),
        successes(a.delete_reply),
        successes(a.edit_post),
        successes(a.delete_post),
        successes(a.join),
        successes(a.pin),
        successes(a.report),
        successes(a.remove),
        successes(a.restore),
        successes(a.save),
        successes(a.follow),
    ];
    let page = crate::ui::resource(
        move || (crate::ui::number_in(params, "id"), changed.map(|m| m.get())),
        |(id, _)| async move {
            match id {
                Some(id) => get_post(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { {post_view(p, a)} }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/p/<id>/history`: when the post was edited; its earlier versions for its author and the
/// moderators.
#[component]
pub fn PostHistoryPage() -> impl IntoView {
    let params = use_params_map();
    let history = crate::ui::resource(
        move || crate::ui::number_in(params, "id"),
        |id| async move {
            match id {
                Some(id) => get_post_history(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => view! { {history_view(h)} }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

pub(super) fn history_view(h: PostHistory) -> impl IntoView {
    let count = h.versions.len();
    let summary = match (h.edited_at, count) {
        (None, _) => "This post has not been edited.".to_string(),
        (Some(_), 0) => "Edited; its earlier versions are no longer kept.".to_string(),
        (Some(_), n) => format!(
            "Edited {}: the latest change on {}.",
            match n {
                1 => "once".to_string(),
                2 => "twice".to_string(),
                n => format!("{n} times"),
            },
            h.edited_at.map(format_date).unwrap_or_default()
        ),
    };
    view! {
        <Title text=format!("Edit history: {}", h.title)/>
        <Meta name="robots" content="noindex"/>
        <section class="panel history">
            <p class="small"><a href=format!("/p/{}", h.id)>"← Back to the post"</a></p>
            <h1>"Edit history"</h1>
            <p class="lead">"“" {h.title.clone()} "”, posted " {format_date(h.created_at)} ". " {summary}</p>
            {(!h.full && count > 0).then(|| view! {
                <p class="small muted">"Only its author and the moderators can read the earlier versions."</p>
            })}
            <ol class="history-list">
                {h.versions.into_iter().map(|v| {
                    let when = format!("Written {}, replaced {}", format_date(v.written_at), format_date(v.replaced_at));
                    if h.full {
                        view! {
                            <li class="card">
                                <p class="small muted">{when}</p>
                                <h2 class="history-title">{v.title}</h2>
                                <div class="prose" inner_html=v.body_html></div>
                                {(!v.tags.is_empty()).then(|| view! { <p class="small">"Tags: " {v.tags.join(", ")}</p> })}
                            </li>
                        }.into_any()
                    } else {
                        view! { <li><p class="small">{when}</p></li> }.into_any()
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

pub(super) fn post_view(p: PostPage, a: ThreadActions) -> impl IntoView {
    let query = use_query_map();
    let post = p.post.clone();
    let id = post.id;
    let can_write = p.is_member == Some(true) && !p.deleted;
    let question = post.kind == PostKind::Question;
    let in_group = post.group.is_some();
    let editing_post = move || query.read().get("edit").as_deref() == Some("post");
    let action_err = a.first_error();
    let title = post.title.clone();
    let seo_meta = post_meta(&p);
    let heading = if question {
        plural(post.answer_count, "answer", "answers")
    } else {
        plural(post.reply_count, "comment", "comments")
    };
    let body = {
        let p = p.clone();
        move || post_body(&p, a, editing_post())
    };
    view! {
        <Title text=title.clone()/>
        {(post.visibility == Visibility::Members).then(|| view! { <Meta name="robots" content="noindex"/> })}
        {seo_meta}
        <p class="crumbs">
            <a href=format!("/c/{}", post.community_slug)>{post.community_name.clone()}</a>
            {post.group.clone().map(|(slug, name)| view! { " › " <a href=format!("/g/{slug}")>{name}</a> })}
        </p>
        {p.helplines.then(|| view! {
            <CrisisPanel heading="You are not alone"
                lead="Something you wrote here suggests you may be going through a very hard time. If you are thinking about ending your life or hurting yourself, please talk to someone now: these lines are free and confidential, and someone will listen. Our moderators will look in too."/>
        })}
        <article class="panel post" aria-labelledby="post-title">
            <p class="post-kicker small">
                <span class=format!("kind kind-{}", post.kind.as_str())>{kind_label(post.kind)}</span>
                {(post.visibility == Visibility::Members).then(|| view! {
                    " " <span class="badge badge-lock">{if p.closed_group { "Group members only" } else { "Members only" }}</span>
                })}
            </p>
            <h1 id="post-title">{title}</h1>
            {post_byline(p.clone())}
            <FormAlert error=action_err/>
            // After a report: the redirect's `?reported=1` (no JavaScript) or the action's answer.
            {move || (query.read().get("reported").is_some() || matches!(a.report.value().get(), Some(Ok(_)))).then(|| view! {
                <p class="alert alert-ok" role="status">"Thank you: the moderators will look at it. You will hear when they have."</p>
            })}
            {p.removed_reason.clone().map(|why| view! {
                <RemovedNote action=a.restore post_id=id reply_id=None reason=why can_restore=p.can_moderate/>
            })}
            {body}
            {(!p.locked && !p.deleted).then(|| view! { <PictureRow pictures=p.pictures.clone() removable=p.mine/> })}
            {(p.mine && !p.deleted && !editing_post()).then(|| view! {
                <AddPicture target="post" id=id.to_string() count=p.pictures.len() limit=PER_POST as usize/>
            })}
            {(!post.tags.is_empty()).then(|| view! {
                <ul class="tags" aria-label="Tags">
                    {post.tags.iter().map(|t| view! { <li class="tag"><a href=search_link(t)>{t.clone()}</a></li> }).collect_view()}
                </ul>
            })}
            {(!p.locked && !p.deleted).then(|| view! { {post_footer(p.clone(), a, can_write)} })}
        </article>
        {related_articles(p.related_articles.clone())}
        {(!in_group && !p.held).then(|| view! { <SponsoredSlot placement=Placement::Sidebar post=id/> })}
        {(!p.locked).then(|| view! {
            <section class="thread-section" aria-labelledby="replies-h">
                <h2 id="replies-h">{heading}</h2>
                <Thread p=p.clone() a=a can_write=can_write/>
                {compose(p.clone(), a, can_write)}
            </section>
        })}
    }
}

impl ThreadActions {
    /// The error of the first action that failed, shown above the post.
    fn first_error(self) -> Signal<Option<AppError>> {
        crate::ui::first_error([
            action_error(self.vote),
            action_error(self.accept),
            action_error(self.delete_reply),
            action_error(self.delete_post),
            action_error(self.pin),
            action_error(self.report),
            action_error(self.remove),
            action_error(self.restore),
        ])
    }
}

/// The post's text, or what stands in for it: the teaser of a members-only post, a deleted or
/// removed post's note, the author's edit form.
fn post_body(p: &PostPage, a: ThreadActions, editing: bool) -> AnyView {
    if p.locked {
        view! { {locked_post(p.clone(), a.join)} }.into_any()
    } else if p.deleted {
        view! { <p class="muted">"[deleted] The author or a moderator removed this post. The replies stay so the conversation still makes sense."</p> }.into_any()
    } else if p.removed && p.removed_reason.is_none() {
        view! { <p class="muted">"[removed by a moderator] The replies stay so the conversation still makes sense."</p> }.into_any()
    } else if editing && p.mine {
        view! { {edit_post_form(p.clone(), a)} }.into_any()
    } else {
        view! { <div class="user-html" inner_html=p.body_html.clone().unwrap_or_default()></div> }
            .into_any()
    }
}

/// Who wrote the post and when, its edits, whether it was posted anonymously, and whether it
/// waits for a moderator's approval.
fn post_byline(p: PostPage) -> impl IntoView {
    let post = &p.post;
    let id = post.id;
    view! {
        <p class="post-meta muted">
            {post.author.is_some().then_some("By ")}
            {post.author.clone().map(|au| view! { <AuthorLink author=Some(au)/> " · " })}
            <When ms=post.created_at/>
            {p.edited_at.filter(|_| !p.deleted).map(|t| view! {
                " · " <a href=format!("/p/{id}/history") title="Earlier versions">"edited " <When ms=t/></a>
            })}
            {(p.anonymous && p.mine).then(|| view! { " · " <span class="badge">"You posted this anonymously: others see “a member”"</span> })}
        </p>
        {p.awaiting_approval.then(|| if p.mine {
            view! {
                <p class="alert alert-warn" role="status" data-testid="awaiting-approval">
                    "Waiting for a moderator: only you and the moderators can see this until a moderator approves it. You will be told when they have."
                </p>
            }.into_any()
        } else {
            view! {
                <p class="alert alert-warn" role="status" data-testid="awaiting-approval">
                    "This waits for a moderator's approval: nobody else can see it yet. " <a href="/mod">"Approve or reject it in the moderation queue"</a>
                </p>
            }.into_any()
        })}
    }
}

/// Library articles on the post's subject.
fn related_articles(links: Vec<ArticleLink>) -> impl IntoView {
    (!links.is_empty()).then(|| view! {
        <section class="panel library-links" aria-labelledby="library-h">
            <h2 id="library-h">"From the health library"</h2>
            <ul class="plain-list">
                {links.iter().map(|l| view! { <li><ArticlePreview link=l.clone()/></li> }).collect_view()}
            </ul>
        </section>
    })
}

/// Search engines and link previews: only for what anyone may read (a members-only or closed
/// group's post, or one not shown in full, says nothing of itself here).
fn post_meta(p: &PostPage) -> Option<impl IntoView> {
    let post = &p.post;
    let id = post.id;
    let public_post = post.visibility == Visibility::Public
        && !p.locked
        && !p.closed_group
        && !p.deleted
        && !p.removed
        && !p.held
        && !p.awaiting_approval;
    public_post.then(|| {
        use crate::seo::jsonld;
        let base = crate::seo::pages::site_url();
        let text = jsonld::plain_text(p.body_html.as_deref().unwrap_or_default(), 400);
        let description = if text.is_empty() {
            post.title.clone()
        } else {
            jsonld::first_sentence(&text)
        };
        let mut ld = vec![jsonld::breadcrumbs(
            &base,
            &[
                ("HealthCommunity".to_string(), "/".to_string()),
                (
                    post.community_name.clone(),
                    format!("/c/{}", post.community_slug),
                ),
                (post.title.clone(), format!("/p/{id}")),
            ],
        )];
        ld.extend(jsonld::qa_page(&base, p));
        view! {
            <crate::seo::pages::PageMeta title=post.title.clone() description=description
                path=format!("/p/{id}") kind="article" json_ld=ld/>
        }
    })
}

/// What an outsider sees of a members-only post: the teaser and how to join.
fn locked_post(p: PostPage, join: ServerAction<JoinCommunity>) -> impl IntoView {
    let id = p.post.id;
    let slug = p.post.community_slug.clone();
    let name = p.post.community_name.clone();
    let join = match p.is_member {
        None => view! {
            <a class="button primary" href=format!("/signup?next=/p/{id}")>"Sign up to read"</a>
            <a class="button" href=format!("/login?next=/p/{id}")>"Log in to read"</a>
        }
        .into_any(),
        Some(_) => view! {
            <ActionForm action=join attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button primary">"Join " {name.clone()}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <p class="excerpt">{p.post.excerpt.clone()}</p>
        <div class="alert alert-info locked" role="note">
            <p>
                <strong>"This post is for members of " {p.post.community_name.clone()} "."</strong>
                " Join the community to read all of it and its replies."
            </p>
            {join}
        </div>
    }
}

/// Under a post: its vote, and what the reader may do with it (edit, save, follow, pin,
/// remove, report).
fn post_footer(p: PostPage, a: ThreadActions, can_write: bool) -> impl IntoView {
    let post = p.post.clone();
    let id = post.id;
    let in_group = post.group.is_some();
    let logged_in = p.is_member.is_some();
    let votes = VoteButton(VoteButtonProps {
        action: a.vote,
        target: "post",
        id,
        count: post.vote_count,
        voted: p.voted,
        enabled: can_write && !p.mine,
    });
    view! {
        <footer class="reply-actions">
            {votes}
            {p.mine.then(|| view! { <a href=format!("/p/{id}?edit=post")>"Edit"</a> })}
            {logged_in.then(|| view! { <SaveButton action=a.save post_id=id reply_id=None saved=p.saved.post/> })}
            {logged_in.then(|| view! { {follow_thread_control(a.follow, id, p.follow)} })}
            {p.can_pin.then(|| view! {
                <ActionForm action=a.pin attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="pinned" value=(!post.pinned).to_string()/>
                    <button type="submit" class="link-button">
                        {match (post.pinned, in_group) {
                            (true, _) => "Unpin",
                            (false, true) => "Pin to the group",
                            (false, false) => "Pin to the community",
                        }}
                    </button>
                </ActionForm>
            })}
            {(p.can_moderate && !p.mine && !p.removed).then(|| view! {
                <RemoveForm action=a.remove post_id=id reply_id=None/>
            })}
            {(logged_in && !p.mine && !p.removed).then(|| view! {
                <ReportForm action=a.report post_id=id reply_id=None/>
            })}
        </footer>
    }
}

#[component]
pub(super) fn VoteButton(
    action: ServerAction<Vote>,
    target: &'static str,
    id: i64,
    count: i64,
    voted: bool,
    enabled: bool,
) -> impl IntoView {
    if enabled {
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="target" value=target/>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="vote" aria-pressed=if voted { "true" } else { "false" }>
                    "▲ Helpful · " {count}
                </button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <span class="vote-count">"▲ " {plural(count, "helpful vote", "helpful votes")}</span> }.into_any()
    }
}
