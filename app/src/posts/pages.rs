//! Feeds (community, home, public), the post page with its thread, and the new-post form.

use super::api::{
    get_activity, get_feed, get_pinned, get_post, get_post_history, similar_questions,
    AcceptAnswer, CreatePost, CreateReply, DeletePost, DeleteReply, EditPost, EditReply, PinPost,
    RemoveContent, ReportContent, RestoreContent, Vote,
};
use super::types::*;
use crate::communities::api::{get_community, JoinCommunity};
use crate::error::AppError;
use crate::follows::api::FollowThread;
use crate::follows::pages::FollowThreadControl;
use crate::follows::types::search_link;
use crate::pictures::pages::{AddPicture, Avatar, PictureRow};
use crate::pictures::types::PER_POST;
use crate::safety::pages::{CrisisPanel, CrisisWatch, RemoveForm, RemovedNote, ReportForm};
use crate::saved::api::ToggleSaved;
use crate::session::Session;
use crate::sponsored::pages::{SponsoredCard, SponsoredSlot};
use crate::sponsored::types::Placement;
use crate::ui::{
    action_error, echoed, field_error, format_date, successes, ErrorView, Field, FieldMessage,
    FormAlert, Highlighted,
};
use crate::ui::{echo_resource, MarkdownField, RadioGroup};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn kind_label(kind: PostKind) -> &'static str {
    match kind {
        PostKind::Question => "Question",
        PostKind::Discussion => "Discussion",
    }
}

/// "@handle" linking to the profile, with the verified-clinician badge.
#[component]
pub fn AuthorLink(author: Option<Author>) -> impl IntoView {
    match author {
        Some(a) if a.erased => view! { <span class="muted">"[deleted member]"</span> }.into_any(),
        Some(a) if a.anonymous && a.handle.is_empty() => {
            view! { <span class="muted">"a member"</span> }.into_any()
        }
        // The group's moderators: who it is, and that others do not see it.
        Some(a) if a.anonymous => view! {
            <Avatar handle=a.handle.clone() avatar=a.avatar/>
            <a href=format!("/u/{}", a.handle)>"@"{a.handle.clone()}</a>
            " " <span class="badge">"posted anonymously: only moderators see the name"</span>
        }
        .into_any(),
        Some(a) if a.former => view! { <span class="muted">"a former member"</span> }.into_any(),
        Some(a) => view! {
            <Avatar handle=a.handle.clone() avatar=a.avatar/>
            <a href=format!("/u/{}", a.handle)>"@"{a.handle.clone()}</a>
            {a.badge.map(|b| view! { " " <span class="badge badge-verified">"✓ "{b}</span> })}
        }
        .into_any(),
        None => view! { <span class="muted">"a member"</span> }.into_any(),
    }
}

/// A library article as a card: title, summary and its reviewer.
#[component]
pub fn ArticlePreview(link: ArticleLink) -> impl IntoView {
    view! {
        <a class="article-preview" href=format!("/library/{}", link.slug)>
            <span class="small kind">"Health library"</span>
            <strong>{link.title}</strong>
            <span class="small">{link.summary}</span>
            <span class="small muted">"✓ Medically reviewed by @" {link.reviewer}</span>
        </a>
    }
}

/// One post in a list: counts, kind, title, excerpt, author and state.
#[component]
pub fn PostCard(
    p: PostSummary,
    #[prop(default = true)] show_community: bool,
    /// Search matches to show instead of the excerpt.
    #[prop(optional)]
    snippet: Option<Vec<(String, bool)>>,
) -> impl IntoView {
    let href = format!("/p/{}", p.id);
    let (count, noun) = match p.kind {
        PostKind::Question => (p.answer_count, ("answer", "answers")),
        PostKind::Discussion => (p.reply_count, ("comment", "comments")),
    };
    let summary = format!(
        "{}, {}",
        plural(count, noun.0, noun.1),
        plural(p.vote_count, "helpful vote", "helpful votes")
    );
    view! {
        <li class="post-card">
            <div class="post-stats" aria-hidden="true">
                <span class="stat" class:stat-accepted=p.accepted class:stat-empty=count == 0>
                    <strong>{count}</strong>
                    {if count == 1 { noun.0 } else { noun.1 }}
                </span>
                <span class="stat"><strong>{p.vote_count}</strong>"helpful"</span>
            </div>
            <div class="post-main">
                <p class="post-kicker small">
                    <span class=format!("kind kind-{}", p.kind.as_str())>{kind_label(p.kind)}</span>
                    {match p.group.clone() {
                        Some((slug, name)) => show_community.then(|| view! {
                            " in " <a href=format!("/g/{slug}")>{name}</a>
                        }).into_any(),
                        None => show_community.then(|| view! {
                            " in " <a href=format!("/c/{}", p.community_slug)>{p.community_name.clone()}</a>
                        }).into_any(),
                    }}
                    {p.pinned.then(|| view! { " " <span class="badge">"Pinned"</span> })}
                    // Inside its own group a group post needs no lock: the whole group is for members.
                    {(p.visibility == Visibility::Members && (show_community || p.group.is_none())).then(|| view! {
                        " " <span class="badge badge-lock">"Members only"</span>
                    })}
                </p>
                <h3 class="post-title"><a href=href>{p.title.clone()}</a></h3>
                {match snippet {
                    Some(s) => view! { <Highlighted segments=s/> }.into_any(),
                    None => (!p.excerpt.is_empty())
                        .then(|| view! { <p class="excerpt">{p.excerpt.clone()}</p> })
                        .into_any(),
                }}
                <p class="post-meta small muted">
                    <span class="visually-hidden">{summary}". "</span>
                    {p.author.is_some().then_some("By ")}
                    {p.author.clone().map(|a| view! { <AuthorLink author=Some(a)/> " · " })}
                    {format_date(p.created_at)}
                    {p.accepted.then(|| view! { " · " <span class="state-accepted">"✓ Accepted answer"</span> })}
                    {p.clinician_answered.then(|| view! { " · " <span class="state-clinician">"Answered by a clinician"</span> })}
                </p>
                {(!p.tags.is_empty()).then(|| view! {
                    <ul class="tags" aria-label="Tags">
                        {p.tags.iter().map(|t| view! { <li class="tag">{t.clone()}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        </li>
    }
}

/// A feed with its sort tabs and "Load more" (appends with JavaScript, a link to the next page without).
#[component]
pub fn Feed(
    scope: FeedScope,
    /// The page the feed is on (its links keep the visitor there).
    base: String,
    #[prop(default = true)] show_community: bool,
    /// Shown when the feed has no posts at all.
    empty: &'static str,
    /// Posts the page already shows above the feed (its pinned list): not listed twice.
    #[prop(optional)]
    hide: Vec<i64>,
) -> impl IntoView {
    let hide = std::sync::Arc::new(hide);
    let query = use_query_map();
    let sort = Memo::new(move |_| FeedSort::parse(&query.read().get("sort").unwrap_or_default()));
    let window = Memo::new(move |_| query.read().get("t").unwrap_or_else(|| "month".into()));
    let after = Memo::new(move |_| query.read().get("after").filter(|a| !a.is_empty()));
    let scope_param = scope.as_param();
    let page = Resource::new(
        {
            let scope_param = scope_param.clone();
            move || (scope_param.clone(), sort.get(), window.get(), after.get())
        },
        |(scope, sort, window, after)| get_feed(scope, sort.as_str().into(), Some(window), after),
    );
    let extra = RwSignal::new(Vec::<PostSummary>::new());
    let extra_next = RwSignal::new(None::<Option<String>>);
    let loading = RwSignal::new(false);
    let load_failed = RwSignal::new(false);
    Effect::watch(
        move || (sort.get(), window.get(), after.get()),
        move |_, _, _| {
            extra.set(Vec::new());
            extra_next.set(None);
        },
        false,
    );
    let link = {
        let base = base.clone();
        move |sort: FeedSort, window: &str, after: Option<&str>| {
            let mut href = format!("{base}?sort={}", sort.as_str());
            if sort == FeedSort::Top {
                href.push_str(&format!("&t={window}"));
            }
            if let Some(a) = after {
                href.push_str(&format!("&after={a}"));
            }
            href
        }
    };
    let tabs = {
        let link = link.clone();
        move || {
            let current = sort.get();
            let w = window.get();
            view! {
                <nav class="tabs" aria-label="Sort posts">
                    {SORTS.iter().map(|(s, _, label)| {
                        let href = link(*s, &w, None);
                        view! { <a href=href aria-current=(current == *s).then_some("page")>{*label}</a> }
                    }).collect_view()}
                </nav>
                {(current == FeedSort::Top).then(|| view! {
                    <nav class="tabs tabs-small" aria-label="Time window">
                        {WINDOWS.iter().map(|(k, label, _)| {
                            let href = link(FeedSort::Top, k, None);
                            view! { <a href=href aria-current=(w == *k).then_some("page")>{*label}</a> }
                        }).collect_view()}
                    </nav>
                })}
            }
        }
    };
    let load = move |cursor: String| {
        loading.set(true);
        load_failed.set(false);
        let scope = scope_param.clone();
        let (s, w) = (sort.get_untracked(), window.get_untracked());
        leptos::task::spawn_local(async move {
            match get_feed(scope, s.as_str().into(), Some(w), Some(cursor)).await {
                Ok(p) => {
                    extra.update(|e| e.extend(p.items));
                    extra_next.set(Some(p.next));
                }
                Err(_) => load_failed.set(true),
            }
            loading.set(false);
        });
    };
    view! {
        {tabs}
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let link = link.clone();
                let load = load.clone();
                let hide = hide.clone();
                Suspend::new(async move {
                    let page = page.await.map(|mut p| {
                        p.items.retain(|p| !hide.contains(&p.id));
                        p
                    });
                    match page {
                        Ok(p) if p.items.is_empty() => view! {
                            <p class="muted empty">
                                {if after.get_untracked().is_some() { "No more posts." } else { empty }}
                            </p>
                        }.into_any(),
                        Ok(p) => {
                            let first_next = p.next.clone();
                            let mut items = p.items;
                            let rest = items.split_off(items.len().min(3));
                            let slot = p.sponsored.map(|s| view! { <SponsoredCard s=s in_list=true/> });
                            view! {
                                <ul class="post-list" aria-live="polite">
                                    {items.into_iter().map(|p| view! { <PostCard p=p show_community=show_community/> }).collect_view()}
                                    {slot}
                                    {rest.into_iter().map(|p| view! { <PostCard p=p show_community=show_community/> }).collect_view()}
                                    {
                                        let hide = hide.clone();
                                        move || extra.get().into_iter().filter(|p| !hide.contains(&p.id)).map(|p| view! { <PostCard p=p show_community=show_community/> }).collect_view()
                                    }
                                </ul>
                                <p class="feed-more">
                                    {move || {
                                        let next = extra_next.get().unwrap_or_else(|| first_next.clone());
                                        let link = link.clone();
                                        let load = load.clone();
                                        next.map(move |cursor| {
                                            let href = link(sort.get_untracked(), &window.get_untracked(), Some(&cursor));
                                            view! {
                                                <a class="button" href=href aria-disabled=move || loading.get().then_some("true")
                                                    on:click=move |ev| {
                                                        ev.prevent_default();
                                                        if !loading.get_untracked() {
                                                            load(cursor.clone());
                                                        }
                                                    }>
                                                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                                                </a>
                                            }
                                        })
                                    }}
                                    {move || load_failed.get().then(|| view! {
                                        <span class="field-error" role="alert">"Could not load more posts. Please try again."</span>
                                    })}
                                </p>
                            }.into_any()
                        }
                        Err(e) => view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })
            }}
        </Transition>
        {
            let base = base.clone();
            move || after.get().is_some().then(|| view! {
                <p><a href=base.clone()>"← Back to the newest posts"</a></p>
            })
        }
    }
}

/// "Pinned by the team": what a community's moderators pinned, above its feed.
#[component]
pub fn PinnedPosts(community: String) -> impl IntoView {
    let pinned = Resource::new(move || community.clone(), get_pinned);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = pinned.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="pinned" aria-labelledby="pinned-h">
                        <h3 id="pinned-h" class="pinned-title">"Pinned by the team"</h3>
                        <ul class="post-list pinned-list">
                            {list.into_iter().map(|p| view! { <PostCard p=p show_community=false/> }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

pub const KIND_CHOICES: &[(&str, &str, &str)] = &[
    (
        "question",
        "Ask a question",
        " — members and clinicians answer; you can accept the answer that helped",
    ),
    (
        "discussion",
        "Start a discussion",
        " — share an experience or a tip and talk it through",
    ),
];

pub const VISIBILITY_CHOICES: &[(&str, &str, &str)] = &[
    (
        "members",
        "Members of this community only",
        " — others see the title and the first lines",
    ),
    (
        "public",
        "Everyone",
        " — also shown to visitors and search engines",
    ),
];

/// `/c/:slug/new`: ask a question or start a discussion.
#[component]
pub fn NewPostPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let query = use_query_map();
    let action = ServerAction::<CreatePost>::new();
    let join = ServerAction::<JoinCommunity>::new();
    let err = action_error(action);
    let echo = echo_resource("create_post", err.get_untracked().is_some());
    let community = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                join.version().get(),
            )
        },
        |(slug, _)| get_community(slug),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let d = match community.await {
                    Ok(d) => d,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let slug = d.summary.slug.clone();
                let name = d.summary.name.clone();
                let user = session.user.await.ok().flatten();
                if user.is_none() {
                    return view! {
                        <Title text="Log in to post"/>
                        <section class="panel narrow">
                            <h1>"Log in to post in " {name}</h1>
                            <p>"Questions and discussions are written by members."</p>
                            <a class="button primary" href=format!("/login?next=/c/{slug}/new")>"Log in"</a>
                        </section>
                    }.into_any();
                }
                if d.is_member != Some(true) {
                    return view! {
                        <Title text="Join to post"/>
                        <section class="panel narrow">
                            <h1>"Join " {name.clone()} " to post"</h1>
                            <p>"Only members of a community post in it."</p>
                            <ActionForm action=join>
                                <input type="hidden" name="slug" value=slug/>
                                <button type="submit" class="button primary">"Join " {name}</button>
                            </ActionForm>
                        </section>
                    }.into_any();
                }
                let echo = echo.await;
                let kind = echoed(&echo, "kind")
                    .or_else(|| query.read_untracked().get("kind"))
                    .unwrap_or_else(|| "question".into());
                view! {
                    <Title text=format!("New post in {name}")/>
                    <section class="panel narrow">
                        <p class="crumbs"><a href=format!("/c/{slug}")>{name.clone()}</a></p>
                        <h1>"New post"</h1>
                        <PostForm action=action echo=echo kind=kind community=slug group=None
                            visibility=Some(VISIBILITY_CHOICES)/>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The fields of a new post; `visibility` None: the place decides who reads it (a closed group).
#[component]
pub fn PostForm(
    action: ServerAction<CreatePost>,
    echo: Vec<(String, String)>,
    kind: String,
    community: String,
    group: Option<String>,
    visibility: Option<&'static [(&'static str, &'static str, &'static str)]>,
) -> impl IntoView {
    let err = action_error(action);
    let chosen = echoed(&echo, "visibility").unwrap_or_else(|| "members".into());
    let in_group = group.is_some();
    let anonymous = echoed(&echo, "anonymous").is_some_and(|v| !v.is_empty());
    // Similar questions for the title so far: from the echo on the check step without
    // JavaScript, and half a second after the writer stops typing with it.
    let typed = RwSignal::new(echoed(&echo, "title").unwrap_or_default());
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let place = community.clone();
    let similar = Resource::new(
        move || typed.get(),
        move |title| {
            let place = place.clone();
            async move {
                if title.split_whitespace().count() < 2 {
                    Ok(Vec::new())
                } else {
                    similar_questions(place, title).await
                }
            }
        },
    );
    let on_input = move |ev: leptos::ev::Event| {
        // Only the title's field is inside the listening element.
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if input.name() != "title" {
            return;
        }
        let value = input.value();
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || typed.set(value),
            std::time::Duration::from_millis(500),
        )
        .ok();
        pending.set_value(handle);
    };
    view! {
        <ActionForm action=action attr:novalidate=true attr:class="stack">
            <FormAlert error=err/>
            <input type="hidden" name="community" value=community/>
            {group.map(|g| view! { <input type="hidden" name="group" value=g/> })}
            <RadioGroup legend="What would you like to do?" name="kind" options=KIND_CHOICES
                selected=kind error=field_error(err, "kind")/>
            <CrisisWatch error=err>
                <div on:input=on_input>
                <Field label="Title" name="title" value=echoed(&echo, "title")
                    hint="One sentence, e.g. “Does fatigue get better after a relapse?”"
                    error=field_error(err, "title")/>
                </div>
                {move || field_error(err, "check").get().map(|m| view! { <p class="alert alert-info" role="status">{m}</p> })}
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = similar.await.unwrap_or_default();
                        (!list.is_empty()).then(|| view! { <SimilarQuestions list/> })
                    })}
                </Suspense>
                <MarkdownField label="Details".into() name="body" id="f-body".into()
                    value=echoed(&echo, "body").unwrap_or_default() rows=8 error=field_error(err, "body")/>
                <Field label="Tags (optional)" name="tags" value=echoed(&echo, "tags")
                    hint="Up to five, separated by commas, e.g. fatigue, newly diagnosed"
                    error=field_error(err, "tags")/>
                {match visibility {
                    Some(options) => view! {
                        <RadioGroup legend="Who can read it?" name="visibility" options=options
                            selected=chosen error=field_error(err, "visibility")/>
                    }.into_any(),
                    None => view! { <input type="hidden" name="visibility" value="members"/> }.into_any(),
                }}
                {in_group.then(|| view! {
                    <div class="field" class:has-error=move || field_error(err, "anonymous").get().is_some()>
                        <label class="choice">
                            <input type="checkbox" name="anonymous" value="on" checked=anonymous aria-describedby="f-anonymous-hint f-anonymous-error"/>
                            <span>"Post anonymously"</span>
                        </label>
                        <p class="hint" id="f-anonymous-hint">"Others see “a member” instead of your name, here and everywhere the post is listed. The group's moderators can still see that it is you, for everyone's safety. You can still edit and delete it."</p>
                        <FieldMessage id="f-anonymous-error".into() error=field_error(err, "anonymous")/>
                    </div>
                })}
            </CrisisWatch>
            <p class="cta">
                <button type="submit" class="button primary">"Post"</button>
                <button type="submit" name="step" value="check" class="button">"Check for similar questions"</button>
            </p>
        </ActionForm>
    }
}

/// "Already asked": questions like the one being written, each opening in a new tab so that the
/// draft stays.
#[component]
fn SimilarQuestions(list: Vec<PostSummary>) -> impl IntoView {
    view! {
        <aside class="similar panel" aria-labelledby="similar-h">
            <h2 id="similar-h">"Already asked — one of these may answer you"</h2>
            <ul>
                {list.into_iter().map(|p| {
                    let answers = match p.answer_count {
                        0 => "no answers yet".to_string(),
                        1 => "1 answer".to_string(),
                        n => format!("{n} answers"),
                    };
                    view! {
                        <li>
                            <a href=format!("/p/{}", p.id) target="_blank" rel="noopener">{p.title}</a>
                            <span class="muted small">{format!(" · {answers}")}{p.accepted.then_some(" · one accepted")}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </aside>
    }
}

/// The actions a thread page runs; the page reloads its data after any of them succeeds.
#[derive(Clone, Copy)]
struct ThreadActions {
    vote: ServerAction<Vote>,
    accept: ServerAction<AcceptAnswer>,
    reply: ServerAction<CreateReply>,
    edit_reply: ServerAction<EditReply>,
    delete_reply: ServerAction<DeleteReply>,
    edit_post: ServerAction<EditPost>,
    delete_post: ServerAction<DeletePost>,
    join: ServerAction<JoinCommunity>,
    pin: ServerAction<PinPost>,
    report: ServerAction<ReportContent>,
    remove: ServerAction<RemoveContent>,
    restore: ServerAction<RestoreContent>,
    save: ServerAction<ToggleSaved>,
    follow: ServerAction<FollowThread>,
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
    let page = Resource::new(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
                changed.map(|m| m.get()),
            )
        },
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
                    Ok(p) => view! { <PostView p=p a=a/> }.into_any(),
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
    let history = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
        },
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
                    Ok(h) => view! { <HistoryView h=h/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HistoryView(h: PostHistory) -> impl IntoView {
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

#[component]
fn PostView(p: PostPage, a: ThreadActions) -> impl IntoView {
    let query = use_query_map();
    let post = p.post.clone();
    let id = post.id;
    let can_write = p.is_member == Some(true) && !p.deleted;
    let question = post.kind == PostKind::Question;
    let in_group = post.group.is_some();
    let editing_post = move || query.read().get("edit").as_deref() == Some("post");
    let action_err = Signal::derive(move || {
        action_error(a.vote)
            .get()
            .or_else(|| action_error(a.accept).get())
            .or_else(|| action_error(a.delete_reply).get())
            .or_else(|| action_error(a.delete_post).get())
            .or_else(|| action_error(a.pin).get())
            .or_else(|| action_error(a.report).get())
            .or_else(|| action_error(a.remove).get())
            .or_else(|| action_error(a.restore).get())
    });
    let logged_in = p.is_member.is_some();
    let title = post.title.clone();
    // Search engines and link previews: only for what anyone may read (a members-only or closed
    // group's post, or one not shown in full, says nothing of itself here).
    let public_post = post.visibility == Visibility::Public
        && !p.locked
        && !p.closed_group
        && !p.deleted
        && !p.removed
        && !p.held
        && !p.awaiting_approval;
    let seo_meta = public_post.then(|| {
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
        ld.extend(jsonld::qa_page(&base, &p));
        view! {
            <crate::seo::pages::PageMeta title=post.title.clone() description=description
                path=format!("/p/{id}") kind="article" json_ld=ld/>
        }
    });
    let heading = if question {
        plural(post.answer_count, "answer", "answers")
    } else {
        plural(post.reply_count, "comment", "comments")
    };
    let body = {
        let p = p.clone();
        move || {
            if p.locked {
                let slug = p.post.community_slug.clone();
                let name = p.post.community_name.clone();
                let join = match p.is_member {
                    None => view! {
                        <a class="button primary" href=format!("/signup?next=/p/{id}")>"Sign up to read"</a>
                        <a class="button" href=format!("/login?next=/p/{id}")>"Log in to read"</a>
                    }.into_any(),
                    Some(_) => view! {
                        <ActionForm action=a.join attr:class="inline-form">
                            <input type="hidden" name="slug" value=slug/>
                            <button type="submit" class="button primary">"Join " {name.clone()}</button>
                        </ActionForm>
                    }.into_any(),
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
                }.into_any()
            } else if p.deleted {
                view! { <p class="muted">"[deleted] The author or a moderator removed this post. The replies stay so the conversation still makes sense."</p> }.into_any()
            } else if p.removed && p.removed_reason.is_none() {
                view! { <p class="muted">"[removed by a moderator] The replies stay so the conversation still makes sense."</p> }.into_any()
            } else if editing_post() && p.mine {
                view! { <EditPostForm p=p.clone() a=a/> }.into_any()
            } else {
                view! { <div class="user-html" inner_html=p.body_html.clone().unwrap_or_default()></div> }.into_any()
            }
        }
    };
    let votes = VoteButton(VoteButtonProps {
        action: a.vote,
        target: "post",
        id,
        count: post.vote_count,
        voted: p.voted,
        enabled: can_write && !p.mine,
    });
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
            <p class="post-meta muted">
                {post.author.is_some().then_some("By ")}
                {post.author.clone().map(|au| view! { <AuthorLink author=Some(au)/> " · " })}
                {format_date(post.created_at)}
                {p.edited_at.filter(|_| !p.deleted).map(|t| view! {
                    " · " <a href=format!("/p/{id}/history") title="Earlier versions">"edited " {format_date(t)}</a>
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
            {(!p.locked && !p.deleted).then(|| view! {
                <footer class="reply-actions">
                    {votes}
                    {p.mine.then(|| view! { <a href=format!("/p/{id}?edit=post")>"Edit"</a> })}
                    {logged_in.then(|| view! { <SaveButton action=a.save post_id=id reply_id=None saved=p.saved.post/> })}
                    {logged_in.then(|| view! { <FollowThreadControl action=a.follow post_id=id state=p.follow/> })}
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
            })}
        </article>
        {(!p.related_articles.is_empty()).then(|| view! {
            <section class="panel library-links" aria-labelledby="library-h">
                <h2 id="library-h">"From the health library"</h2>
                <ul class="plain-list">
                    {p.related_articles.iter().map(|l| view! { <li><ArticlePreview link=l.clone()/></li> }).collect_view()}
                </ul>
            </section>
        })}
        {(!in_group && !p.held).then(|| view! { <SponsoredSlot placement=Placement::Sidebar post=id/> })}
        {(!p.locked).then(|| view! {
            <section class="thread-section" aria-labelledby="replies-h">
                <h2 id="replies-h">{heading}</h2>
                <Thread p=p.clone() a=a can_write=can_write/>
                <Compose p=p.clone() a=a can_write=can_write/>
            </section>
        })}
    }
}

#[component]
fn VoteButton(
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

#[component]
fn Thread(p: PostPage, a: ThreadActions, can_write: bool) -> impl IntoView {
    let query = use_query_map();
    let post_id = p.post.id;
    let asker = p.mine && p.post.kind == PostKind::Question && !p.deleted;
    let can_moderate = p.can_moderate;
    let logged_in = p.is_member.is_some();
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
                let rid = r.id;
                let editing = move || query.read().get("edit") == Some(rid.to_string());
                let body = {
                    let r = r.clone();
                    move || if r.deleted {
                        view! { <p class="muted">"[deleted]"</p> }.into_any()
                    } else if r.held {
                        view! { <p class="muted">"This reply is waiting for a moderator. Members who are logged in can read it."</p> }.into_any()
                    } else if r.removed && r.removed_reason.is_none() {
                        view! { <p class="muted">"[removed by a moderator]"</p> }.into_any()
                    } else if editing() && r.mine {
                        view! { <EditReplyForm r=r.clone() post_id=post_id a=a/> }.into_any()
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
                };
                let vote = (!r.deleted).then(|| view! {
                    <VoteButton action=a.vote target="reply" id=rid count=r.vote_count voted=r.voted enabled=can_write && !r.mine/>
                });
                let accept = (asker && r.is_answer && !r.deleted).then(|| {
                    let undo = r.accepted;
                    view! {
                        <ActionForm action=a.accept attr:class="inline-form">
                            <input type="hidden" name="post_id" value=post_id/>
                            {(!undo).then(|| view! { <input type="hidden" name="reply_id" value=rid/> })}
                            <button type="submit" class=if undo { "link-button" } else { "button small-button" }>
                                {if undo { "Undo accept" } else { "✓ Accept this answer" }}
                            </button>
                        </ActionForm>
                    }
                });
                let remove = (can_moderate && !r.mine && !r.deleted && !r.removed).then(|| view! {
                    <RemoveForm action=a.remove post_id=post_id reply_id=Some(rid)/>
                });
                let save = (logged_in && !r.deleted && r.author.is_some()).then(|| view! {
                    <SaveButton action=a.save post_id=post_id reply_id=Some(rid) saved=saved_replies.contains(&rid)/>
                });
                let report = (logged_in && !r.mine && !r.deleted && !r.removed && !r.held).then(|| view! {
                    <ReportForm action=a.report post_id=post_id reply_id=Some(rid)/>
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
                            <header class="reply-head small">
                                {r.author.clone().map(|au| view! { <AuthorLink author=Some(au)/> })}
                                {r.deleted.then_some("[deleted]")}
                                " · " {format_date(r.created_at)}
                                {r.edited_at.filter(|_| !r.deleted).map(|t| view! { " · edited " {format_date(t)} })}
                                {r.in_reply_to.clone().map(|h| view! { " · " <span class="muted">"in reply to " {h}</span> })}
                                {r.accepted.then(|| view! { " " <span class="badge badge-accepted">"✓ Accepted answer"</span> })}
                            </header>
                            {removed_note}
                            {body}
                            <PictureRow pictures=r.pictures.clone() removable=r.mine/>
                            // A reply's pictures are added while editing it (or after an upload
                            // to it failed): one "Add a picture" per reply would crowd a thread.
                            {(r.mine && !r.deleted && (editing() || crate::pictures::pages::upload_failed("reply", &rid.to_string()))).then(|| view! {
                                <AddPicture target="reply" id=rid.to_string() count=r.pictures.len() limit=PER_POST as usize/>
                            })}
                            {(!r.cites.is_empty()).then(|| view! {
                                <div class="citations">
                                    {r.cites.iter().filter_map(|slug| cited.iter().find(|l| &l.slug == slug).cloned())
                                        .map(|l| view! { <ArticlePreview link=l/> }).collect_view()}
                                </div>
                            })}
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
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// "Save" / "Saved ✓" for a post or a reply: one button that toggles (a plain form without
/// JavaScript). Saved items are private: listed on `/saved`.
#[component]
fn SaveButton(
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
#[component]
fn Compose(p: PostPage, a: ThreadActions, can_write: bool) -> impl IntoView {
    let query = use_query_map();
    let post_id = p.post.id;
    let question = p.post.kind == PostKind::Question;
    if p.deleted {
        return ().into_any();
    }
    if !can_write {
        return match p.is_member {
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
            Some(_) => view! {
                <div class="panel compose-invite">
                    <p>"Join " {p.post.community_name.clone()} " to answer, reply and vote."</p>
                    <ActionForm action=a.join attr:class="inline-form">
                        <input type="hidden" name="slug" value=p.post.community_slug.clone()/>
                        <button type="submit" class="button primary">"Join " {p.post.community_name.clone()}</button>
                    </ActionForm>
                </div>
            }
            .into_any(),
        };
    }
    let err = action_error(a.reply);
    let echo = echo_resource("create_reply", err.get_untracked().is_some());
    let replies = p.replies.clone();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let replies = replies.clone();
                Suspend::new(async move {
                    let echo = echo.await;
                    let parent = query.read().get("reply_to").and_then(|r| r.parse::<i64>().ok())
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

#[component]
fn EditPostForm(p: PostPage, a: ThreadActions) -> impl IntoView {
    let err = action_error(a.edit_post);
    let echo = echo_resource("edit_post", err.get_untracked().is_some());
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

#[component]
fn EditReplyForm(r: ReplyView, post_id: i64, a: ThreadActions) -> impl IntoView {
    let err = action_error(a.edit_reply);
    let echo = echo_resource("edit_reply", err.get_untracked().is_some());
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

/// The posts and answers on a member's profile (what the viewer may read).
#[component]
pub fn ProfileActivity(handle: String) -> impl IntoView {
    let activity = Resource::new(move || handle.clone(), get_activity);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match activity.await {
                    Ok(a) => view! {
                        <section aria-labelledby="posts-h">
                            <h2 id="posts-h">"Questions and discussions (" {a.post_count} ")"</h2>
                            {if a.posts.is_empty() {
                                view! { <p class="muted">"None you can see yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="post-list">
                                        {a.posts.into_iter().map(|p| view! { <PostCard p=p/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="answers-h">
                            <h2 id="answers-h">"Answers (" {a.answer_count} ")"</h2>
                            {if a.answers.is_empty() {
                                view! { <p class="muted">"None you can see yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="answer-list">
                                        {a.answers.into_iter().map(|x| view! {
                                            <li class="answer-item">
                                                <a href=format!("/p/{}#r{}", x.post_id, x.reply_id)>{x.post_title.clone()}</a>
                                                <p class="excerpt">{x.excerpt.clone()}</p>
                                                <p class="small muted">
                                                    {x.community_name.clone()} " · " {format_date(x.created_at)} " · "
                                                    {plural(x.vote_count, "helpful vote", "helpful votes")}
                                                    {x.accepted.then(|| view! { " · " <span class="state-accepted">"✓ Accepted"</span> })}
                                                </p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
