//! A thread's replies: nesting, saving, the reply form, and editing a post or reply in place.

use super::*;

#[component]
pub(super) fn Thread(p: PostPage, a: ThreadActions, can_write: bool) -> impl IntoView {
    let reader = Reader {
        post_id: p.post.id,
        a,
        can_write,
        asker: p.mine && p.post.kind == PostKind::Question && !p.deleted,
        can_moderate: p.can_moderate,
        logged_in: p.is_member.is_some(),
    };
    let cited = p.cited_articles.clone();
    let saved_replies = p.saved.replies.clone();
    if p.replies.is_empty() {
        let text = if p.post.kind == PostKind::Question {
            "No answers yet."
        } else {
            "No comments yet."
        };
        return view! { <p class="muted">{text}</p> }.into_any();
    }
    view! {
        <ol class="thread">
            {p.replies.into_iter().map(|r| {
                let saved = saved_replies.contains(&r.id);
                reply_item(r, reader, saved, &cited)
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// What the reader of a thread may do there, the same for each of its replies.
#[derive(Clone, Copy)]
struct Reader {
    post_id: i64,
    a: ThreadActions,
    can_write: bool,
    /// The reader asked the question (and may accept an answer).
    asker: bool,
    can_moderate: bool,
    logged_in: bool,
}

/// One reply in a thread: its author and dates, its body (or why it is not shown), pictures,
/// cited articles, and what the reader may do with it.
/// `saved`: the reader saved this reply; `cited`: the articles the thread's replies cite.
fn reply_item(r: ReplyView, reader: Reader, saved: bool, cited: &[ArticleLink]) -> impl IntoView {
    let Reader {
        post_id,
        a,
        can_write,
        asker,
        can_moderate,
        logged_in,
    } = reader;
    let query = use_query_map();
    let rid = r.id;
    let editing = move || query.read().get("edit") == Some(rid.to_string());
    // Read once, when the reply is drawn (not a reactive part of the reply).
    let add_picture = untrack(|| {
        r.mine
            && !r.deleted
            && (editing() || crate::pictures::pages::upload_failed("reply", &rid.to_string()))
    });
    let vote = (!r.deleted).then(|| view! {
        <VoteButton action=a.vote target="reply" id=rid count=r.vote_count voted=r.voted enabled=can_write && !r.mine/>
    });
    let accept = (asker && r.is_answer && !r.deleted)
        .then(|| view! { {accept_form(post_id, rid, r.accepted, a.accept)} });
    let remove = (can_moderate && !r.mine && !r.deleted && !r.removed).then(|| {
        view! {
            <RemoveForm action=a.remove post_id=post_id reply_id=Some(rid)/>
        }
    });
    let save = (logged_in && !r.deleted && r.author.is_some()).then(|| {
        view! {
            <SaveButton action=a.save post_id=post_id reply_id=Some(rid) saved=saved/>
        }
    });
    let report = (logged_in && !r.mine && !r.deleted && !r.removed && !r.held).then(|| {
        view! {
            <ReportForm action=a.report post_id=post_id reply_id=Some(rid)/>
        }
    });
    let removed_note = r.removed_reason.clone().map(|why| view! {
        <RemovedNote action=a.restore post_id=post_id reply_id=Some(rid) reason=why can_restore=can_moderate/>
    });
    let who = match r.author.as_ref() {
        Some(au) if au.handle.is_empty() => "a member".to_string(),
        Some(au) => format!("@{}", au.handle),
        None => "[deleted]".to_string(),
    };
    view! {
        <li id=format!("r{rid}") class=format!("reply depth-{}", r.depth) class:accepted=r.accepted class:answer=r.is_answer>
            <article aria-label=format!("{} by {who}", if r.is_answer { "Answer" } else { "Reply" })>
                {reply_head(r.clone())}
                {removed_note}
                {reply_body(r.clone(), post_id, a)}
                <PictureRow pictures=r.pictures.clone() removable=r.mine/>
                // A reply's pictures are added while editing it (or after an upload
                // to it failed): one "Add a picture" per reply would crowd a thread.
                {add_picture.then(|| view! {
                    <AddPicture target="reply" id=rid.to_string() count=r.pictures.len() limit=PER_POST as usize/>
                })}
                {citations(&r.cites, cited)}
                <footer class="reply-actions small">
                    {vote}
                    {(can_write && !r.deleted).then(|| view! {
                        <a href=format!("/p/{post_id}?reply_to={rid}#compose")>"Reply"</a>
                    })}
                    {(r.mine && !r.deleted).then(|| view! {
                        <a href=format!("/p/{post_id}?edit={rid}#r{rid}")>"Edit"</a>
                    })}
                    {accept}
                    {save}
                    {remove}
                    {report}
                </footer>
            </article>
        </li>
    }
}

/// The library articles a reply cites (`cites`, slugs), as previews; nothing when it cites none.
fn citations(cites: &[String], cited: &[ArticleLink]) -> Option<impl IntoView> {
    (!cites.is_empty()).then(|| {
        view! {
            <div class="citations">
                {cites.iter().filter_map(|slug| cited.iter().find(|l| &l.slug == slug).cloned())
                    .map(|l| view! { <ArticlePreview link=l/> }).collect_view()}
            </div>
        }
    })
}

/// "✓ Accept this answer", or "Undo accept" on the accepted one (the asker's).
fn accept_form(
    post_id: i64,
    reply_id: i64,
    undo: bool,
    accept: ServerAction<AcceptAnswer>,
) -> impl IntoView {
    view! {
        <ActionForm action=accept attr:class="inline-form">
            <input type="hidden" name="post_id" value=post_id/>
            {(!undo).then(|| view! { <input type="hidden" name="reply_id" value=reply_id/> })}
            <button type="submit" class=if undo { "link-button" } else { "button small-button" }>
                {if undo { "Undo accept" } else { "✓ Accept this answer" }}
            </button>
        </ActionForm>
    }
}

/// A reply's author, dates, what it answers, and whether it is the accepted answer.
fn reply_head(r: ReplyView) -> impl IntoView {
    view! {
        <header class="reply-head small">
            {r.author.clone().map(|au| view! { <AuthorLink author=Some(au)/> })}
            {r.deleted.then_some("[deleted]")}
            " · " <When ms=r.created_at/>
            {r.edited_at.filter(|_| !r.deleted).map(|t| view! { " · edited " <When ms=t/> })}
            {r.in_reply_to.clone().map(|h| view! { " · " <span class="muted">"in reply to " {h}</span> })}
            {r.accepted.then(|| view! { " " <span class="badge badge-accepted">"✓ Accepted answer"</span> })}
        </header>
    }
}

/// A reply's text, or why it is not shown (deleted, held, removed, awaiting approval), or its
/// edit form while its author edits it.
fn reply_body(r: ReplyView, post_id: i64, a: ThreadActions) -> impl IntoView {
    let query = use_query_map();
    let rid = r.id;
    let editing = move || query.read().get("edit") == Some(rid.to_string());
    move || {
        if r.deleted {
            view! { <p class="muted">"[deleted]"</p> }.into_any()
        } else if r.held {
            view! { <p class="muted">"This reply is waiting for a moderator. Members who are logged in can read it."</p> }.into_any()
        } else if r.removed && r.removed_reason.is_none() {
            view! { <p class="muted">"[removed by a moderator]"</p> }.into_any()
        } else if editing() && r.mine {
            view! { {edit_reply_form(r.clone(), post_id, a)} }.into_any()
        } else if r.awaiting_approval {
            view! {
                <p class="alert alert-warn" role="status">{if r.mine {
                    "Waiting for a moderator: only you and the moderators can see this reply until it is approved."
                } else {
                    "This reply waits for a moderator's approval: nobody else can see it yet."
                }}</p>
                <div class="user-html" inner_html=r.body_html.clone()></div>
            }.into_any()
        } else {
            view! { <div class="user-html" inner_html=r.body_html.clone()></div> }.into_any()
        }
    }
}

/// "Save" / "Saved ✓" for a post or a reply: one button that toggles (a plain form without
/// JavaScript). Saved items are private: listed on `/saved`.
#[component]
pub(super) fn SaveButton(
    action: ServerAction<ToggleSaved>,
    post_id: i64,
    reply_id: Option<i64>,
    saved: bool,
) -> impl IntoView {
    let what = if reply_id.is_some() { "reply" } else { "post" };
    let label = if saved {
        format!("Remove this {what} from your saved items")
    } else {
        format!("Save this {what} for later")
    };
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="post_id" value=post_id/>
            {reply_id.map(|r| view! { <input type="hidden" name="reply_id" value=r/> })}
            <button type="submit" class="link-button" aria-label=label aria-pressed=saved.to_string()>
                {if saved { "Saved ✓" } else { "Save" }}
            </button>
        </ActionForm>
    }
}

/// The form at the end of a thread: an answer, a comment, or a reply to `?reply_to=`.
pub(super) fn compose(p: PostPage, a: ThreadActions, can_write: bool) -> impl IntoView {
    let query = use_query_map();
    let post_id = p.post.id;
    let question = p.post.kind == PostKind::Question;
    if p.deleted {
        return ().into_any();
    }
    if !can_write {
        return compose_invite(&p, a);
    }
    let err = action_error(a.reply);
    let echo = echo_resource(
        crate::posts::api::CREATE_REPLY,
        err.get_untracked().is_some(),
    );
    let replies = p.replies.clone();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let replies = replies.clone();
                Suspend::new(async move {
                    let echo = echo.await;
                    let parent = crate::ui::number_in(query, "reply_to")
                        .and_then(|id| replies.iter().find(|r| r.id == id && !r.deleted).cloned());
                    let label = match (&parent, question) {
                        (Some(_), _) => "Your reply",
                        (None, true) => "Your answer",
                        (None, false) => "Your comment",
                    };
                    let heading = match (&parent, question) {
                        (Some(_), _) => "Reply",
                        (None, true) => "Answer this question",
                        (None, false) => "Add a comment",
                    };
                    let who = parent.as_ref().map(|r| r.author.as_ref().map(|a| format!("@{}", a.handle)).unwrap_or_default());
                    view! {
                        <section class="panel compose" id="compose" aria-labelledby="compose-h">
                            <h2 id="compose-h">{heading}</h2>
                            {who.map(|w| view! {
                                <p class="alert alert-info">"Replying to " {w} ". "
                                    <a href=format!("/p/{post_id}#compose")>"Cancel"</a>
                                </p>
                            })}
                            <ActionForm action=a.reply attr:novalidate=true attr:class="stack">
                                <FormAlert error=err/>
                                <input type="hidden" name="post_id" value=post_id/>
                                {parent.as_ref().map(|r| view! { <input type="hidden" name="parent_id" value=r.id/> })}
                                <CrisisWatch error=err>
                                    <MarkdownField label=label.to_string() name="body" id="f-reply-body".into()
                                        value=echoed(&echo, "body").unwrap_or_default() rows=5 error=field_error(err, "body")/>
                                </CrisisWatch>
                                <button type="submit" class="button primary">
                                    {if parent.is_some() { "Post reply" } else if question { "Post answer" } else { "Post comment" }}
                                </button>
                            </ActionForm>
                        </section>
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// What stands in for the reply form when the reader may not write: log in, or join the group
/// or community.
fn compose_invite(p: &PostPage, a: ThreadActions) -> AnyView {
    let post_id = p.post.id;
    let question = p.post.kind == PostKind::Question;
    match p.is_member {
        None => view! {
            <p class="panel compose-invite">
                <a class="button primary" href=format!("/login?next=/p/{post_id}")>
                    {if question { "Log in to answer" } else { "Log in to comment" }}
                </a>
            </p>
        }
        .into_any(),
        Some(_) if p.post.group.is_some() => {
            let (slug, name) = p.post.group.clone().unwrap_or_default();
            view! {
                <div class="panel compose-invite">
                    <p>"Members of " {name.clone()} " answer, reply and vote here."</p>
                    <a class="button primary" href=format!("/g/{slug}")>"Join " {name}</a>
                </div>
            }
            .into_any()
        }
        Some(_) => {
            let (slug, name) = (p.post.community_slug.clone(), p.post.community_name.clone());
            view! {
                <div class="panel compose-invite">
                    <p>"Join " {name.clone()} " to answer, reply and vote."</p>
                    <ActionForm action=a.join attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug/>
                        <button type="submit" class="button primary">"Join " {name}</button>
                    </ActionForm>
                </div>
            }
            .into_any()
        }
    }
}

pub(super) fn edit_post_form(p: PostPage, a: ThreadActions) -> impl IntoView {
    let err = action_error(a.edit_post);
    let echo = echo_resource(crate::posts::api::EDIT_POST, err.get_untracked().is_some());
    let id = p.post.id;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let p = p.clone();
                Suspend::new(async move {
                    let echo = echo.await;
                    let v = move |k: &str, d: String| echoed(&echo, k).unwrap_or(d);
                    view! {
                        <ActionForm action=a.edit_post attr:novalidate=true attr:class="stack edit-form">
                            <FormAlert error=err/>
                            <input type="hidden" name="id" value=id/>
                            <Field label="Title" name="title" value=v("title", p.post.title.clone()) error=field_error(err, "title")/>
                            <MarkdownField label="Details".into() name="body" id="f-body".into()
                                value=v("body", p.body_md.clone().unwrap_or_default()) rows=10 error=field_error(err, "body")/>
                            <Field label="Tags (optional)" name="tags" value=v("tags", p.post.tags.join(", ")) error=field_error(err, "tags")/>
                            {if p.closed_group {
                                view! { <input type="hidden" name="visibility" value="members"/> }.into_any()
                            } else {
                                view! {
                                    <RadioGroup legend="Who can read it?" name="visibility" options=VISIBILITY_CHOICES
                                        selected=v("visibility", p.post.visibility.as_str().into()) error=field_error(err, "visibility")/>
                                }.into_any()
                            }}
                            <div class="form-actions">
                                <button type="submit" class="button primary">"Save changes"</button>
                                <a href=format!("/p/{id}")>"Cancel"</a>
                            </div>
                        </ActionForm>
                        <ActionForm action=a.delete_post attr:class="danger-zone">
                            <input type="hidden" name="id" value=id/>
                            <p class="hint">"Deleting removes your words for good. Replies stay, shown under “[deleted]”."</p>
                            <button type="submit" class="button danger">"Delete this post"</button>
                        </ActionForm>
                    }
                })
            }}
        </Suspense>
    }
}

pub(super) fn edit_reply_form(r: ReplyView, post_id: i64, a: ThreadActions) -> impl IntoView {
    let err = action_error(a.edit_reply);
    let echo = echo_resource(crate::posts::api::EDIT_REPLY, err.get_untracked().is_some());
    let rid = r.id;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let current = r.body_md.clone().unwrap_or_default();
                Suspend::new(async move {
                    let echo = echo.await;
                    view! {
                        <ActionForm action=a.edit_reply attr:novalidate=true attr:class="stack edit-form">
                            <FormAlert error=err/>
                            <input type="hidden" name="id" value=rid/>
                            <MarkdownField label="Edit your reply".into() name="body" id=format!("f-edit-{rid}")
                                value=echoed(&echo, "body").unwrap_or(current) rows=5 error=field_error(err, "body")/>
                            <div class="form-actions">
                                <button type="submit" class="button primary">"Save"</button>
                                <a href=format!("/p/{post_id}#r{rid}")>"Cancel"</a>
                            </div>
                        </ActionForm>
                        <ActionForm action=a.delete_reply attr:class="danger-zone">
                            <input type="hidden" name="id" value=rid/>
                            <button type="submit" class="button danger">"Delete this reply"</button>
                        </ActionForm>
                    }
                })
            }}
        </Suspense>
    }
}
