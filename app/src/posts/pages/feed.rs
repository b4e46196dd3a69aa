//! Feeds: the community, home and public feed with its sorts and paging, and the pinned posts.

use super::*;

/// A feed with its sort tabs and "Load more" (appends with JavaScript, a link to the next page without).
#[component]
pub fn Feed(
    scope: FeedScope,
    /// The page the feed is on (its links keep the visitor there).
    base: String,
    #[prop(default = true)] show_community: bool,
    /// Shown when the feed has no posts at all.
    empty: &'static str,
    /// Shown instead when the member's own feed (`FeedScope::Front` for a member) is empty.
    #[prop(optional)]
    empty_home: Option<&'static str>,
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
    let page = feed_page(scope_param.clone(), sort, window, after);
    let more = More::new(base.clone(), scope_param, (sort, window, after));
    view! {
        {sort_tabs(base.clone(), sort, window)}
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let more = more.clone();
                let hide = hide.clone();
                Suspend::new(async move {
                    let page = page.await.map(|mut p| {
                        p.items.retain(|p| !hide.contains(&p.id));
                        p
                    });
                    match page {
                        Ok(p) if p.items.is_empty() => view! {
                            <p class="muted empty">
                                {if after.get_untracked().is_some() {
                                    "No more posts."
                                } else if p.home {
                                    empty_home.unwrap_or(empty)
                                } else {
                                    empty
                                }}
                            </p>
                        }.into_any(),
                        Ok(p) => view! {
                            {feed_list(p, more.clone(), hide.clone(), show_community)}
                        }.into_any(),
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

/// A page of a feed: its first three posts, the sponsored slot, the rest, the posts "Load more"
/// appended (none listed twice), and "Load more".
fn feed_list(
    p: FeedPage,
    more: More,
    // Posts the page already shows above the feed.
    hide: std::sync::Arc<Vec<i64>>,
    show_community: bool,
) -> impl IntoView {
    let extra = more.extra;
    let first_next = p.next.clone();
    let mut items = p.items;
    let rest = items.split_off(items.len().min(3));
    let slot = p
        .sponsored
        .map(|s| view! { <SponsoredCard s=s in_list=true/> });
    view! {
        <ul class="post-list" aria-live="polite">
            {items.into_iter().map(|p| view! { <PostCard p=p show_community=show_community/> }).collect_view()}
            {slot}
            {rest.into_iter().map(|p| view! { <PostCard p=p show_community=show_community/> }).collect_view()}
            {move || extra.get().into_iter().filter(|p| !hide.contains(&p.id)).map(|p| view! { <PostCard p=p show_community=show_community/> }).collect_view()}
        </ul>
        {load_more(more, first_next)}
    }
}

/// The feed's address with a sort, a time window (for Top) and a cursor.
fn feed_link(base: &str, sort: FeedSort, window: &str, after: Option<&str>) -> String {
    let mut href = format!("{base}?sort={}", sort.as_str());
    if sort == FeedSort::Top {
        href.push_str(&format!("&t={window}"));
    }
    if let Some(a) = after {
        href.push_str(&format!("&after={a}"));
    }
    href
}

/// The sort tabs, and the time-window tabs under Top.
fn sort_tabs(base: String, sort: Memo<FeedSort>, window: Memo<String>) -> impl IntoView {
    move || {
        let current = sort.get();
        let w = window.get();
        view! {
            <nav class="tabs" aria-label="Sort posts">
                {SORTS.iter().map(|(s, _, label)| {
                    let href = feed_link(&base, *s, &w, None);
                    view! { <a href=href aria-current=(current == *s).then_some("page")>{*label}</a> }
                }).collect_view()}
            </nav>
            {(current == FeedSort::Top).then(|| view! {
                <nav class="tabs tabs-small" aria-label="Time window">
                    {WINDOWS.iter().map(|(k, label, _)| {
                        let href = feed_link(&base, FeedSort::Top, k, None);
                        view! { <a href=href aria-current=(w == *k).then_some("page")>{*label}</a> }
                    }).collect_view()}
                </nav>
            })}
        }
    }
}

/// What "Load more" needs: the feed it pages through and where the posts it loads go.
#[derive(Clone)]
struct More {
    base: String,
    scope: String,
    sort: Memo<FeedSort>,
    window: Memo<String>,
    extra: RwSignal<Vec<PostSummary>>,
    extra_next: RwSignal<Option<Option<String>>>,
}

/// A feed's page for the address's sort, window and cursor. A log-in or log-out reloads it:
/// what it shows depends on who reads it.
fn feed_page(
    scope: String,
    sort: Memo<FeedSort>,
    window: Memo<String>,
    after: Memo<Option<String>>,
) -> crate::ui::Res<Result<FeedPage, AppError>> {
    let session = use_context::<crate::session::Session>();
    crate::ui::resource(
        move || {
            let who = session.map(|s| s.changes());
            (scope.clone(), sort.get(), window.get(), after.get(), who)
        },
        |(scope, sort, window, after, _)| {
            get_feed(scope, sort.as_str().into(), Some(window), after)
        },
    )
}

impl More {
    /// No posts appended yet; whatever was appended goes when the sort, window or cursor change.
    fn new(
        base: String,
        scope: String,
        (sort, window, after): (Memo<FeedSort>, Memo<String>, Memo<Option<String>>),
    ) -> Self {
        let extra = RwSignal::new(Vec::<PostSummary>::new());
        let extra_next = RwSignal::new(None::<Option<String>>);
        Effect::watch(
            move || (sort.get(), window.get(), after.get()),
            move |_, _, _| {
                extra.set(Vec::new());
                extra_next.set(None);
            },
            false,
        );
        More {
            base,
            scope,
            sort,
            window,
            extra,
            extra_next,
        }
    }
}

/// "Load more": a link to the next page (without JavaScript), or the next posts appended below.
fn load_more(more: More, first_next: Option<String>) -> impl IntoView {
    let loading = RwSignal::new(false);
    let load_failed = RwSignal::new(false);
    let More {
        base,
        scope,
        sort,
        window,
        extra,
        extra_next,
    } = more;
    let load = move |cursor: String| {
        loading.set(true);
        load_failed.set(false);
        let scope = scope.clone();
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
        <p class="feed-more">
            {move || {
                let next = extra_next.get().unwrap_or_else(|| first_next.clone());
                let base = base.clone();
                let load = load.clone();
                next.map(move |cursor| {
                    let href = feed_link(&base, sort.get_untracked(), &window.get_untracked(), Some(&cursor));
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
    }
}

/// "Pinned by the team": what a community's moderators pinned, above its feed.
pub fn pinned_posts(community: String) -> impl IntoView {
    let pinned = crate::ui::resource(move || community.clone(), get_pinned);
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
