//! The search page (`/search?q=…`): tabs, filters, highlighted snippets; a plain GET form, so it works without JavaScript. And the admins' synonym list (`/admin/synonyms`).

use super::api::{search, synonyms, SaveSynonyms};
use super::types::*;
use crate::communities::api::list_communities;
use crate::directory::pages::ProviderCardView;
use crate::posts::pages::PostCard;
use crate::ui::loaded;
use crate::ui::{
    action_error, choices, echo_resource, echoed, field_error, format_datetime, textarea_text,
    FieldMessage, FilterSelect, FormAlert, Highlighted, Saved,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A tab's count: "1000+" past the posts' cap, "n+" when a count in it stopped at its cap.
fn count_label(n: i64, capped: bool) -> String {
    if n >= COUNT_CAP {
        format!("{COUNT_CAP}+")
    } else if capped {
        format!("{n}+")
    } else {
        n.to_string()
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let results = crate::ui::resource(
        move || {
            (
                get("q"),
                get("tab"),
                get("community"),
                get("kind"),
                get("answered"),
                get("page"),
            )
        },
        |(q, tab, community, kind, answered, page)| async move {
            if q.trim().is_empty() {
                return Ok(None);
            }
            search(
                q,
                Some(tab),
                Some(community),
                Some(kind),
                Some(answered),
                page.parse().ok(),
            )
            .await
            .map(Some)
        },
    );
    let communities = crate::ui::resource(|| (), |_| list_communities());
    view! {
        <Title text="Search"/>
        <h1>"Search"</h1>
        {loaded(results, move |results| async move {
            let communities = communities.await.unwrap_or_default();
            let asked = Asked {
                q: get("q"),
                tab: Tab::parse(&get("tab")),
                community: get("community"),
                kind: get("kind"),
                answered: get("answered"),
            };
            view! {
                {search_form(asked.clone(), communities)}
                {search_answer(results, asked)}
            }.into_any()
        })}
    }
}

/// What the searcher asked: the words, the tab and the filters.
#[derive(Clone)]
struct Asked {
    q: String,
    tab: Tab,
    community: String,
    kind: String,
    answered: String,
}

impl Asked {
    /// The address of the same search on another tab or page.
    fn link(&self, tab: Tab, page: usize) -> String {
        let enc = |s: &str| {
            s.replace('%', "%25")
                .replace('&', "%26")
                .replace('#', "%23")
                .replace('+', "%2B")
                .replace(' ', "+")
        };
        let mut href = format!("/search?q={}&tab={}", enc(&self.q), tab.as_str());
        for (k, v) in [
            ("community", &self.community),
            ("kind", &self.kind),
            ("answered", &self.answered),
        ] {
            if !v.is_empty() {
                href.push_str(&format!("&{k}={}", enc(v)));
            }
        }
        if page > 1 {
            href.push_str(&format!("&page={page}"));
        }
        href
    }
}

/// The search box and its filters (community, kind, answered): a plain GET form.
fn search_form(
    asked: Asked,
    communities: Vec<crate::communities::types::CommunitySummary>,
) -> impl IntoView {
    let used = !(asked.community.is_empty() && asked.kind.is_empty() && asked.answered.is_empty());
    view! {
        <form class="panel search-form" method="get" action="/search" role="search">
            <div class="search-row">
                <label for="search-q" class="visually-hidden">"Search for"</label>
                <input id="search-q" type="search" name="q" value=asked.q.clone() placeholder="e.g. relapse, fatigue, HbA1c"/>
                <input type="hidden" name="tab" value=asked.tab.as_str()/>
                <button type="submit" class="button primary">"Search"</button>
            </div>
            // Most searches use no filter: on a phone the three would stand a screen's third
            // above the results. Folded, open when one is used (as the directory's).
            <details class="more-filters" open=used>
            <summary>"Filter by community, kind or answers"</summary>
            <div class="search-filters">
                <FilterSelect id="search-community" label="Community" name="community" any="All communities"
                    choices=communities.into_iter().map(|c| (c.slug, c.name)).collect() current=asked.community.clone()/>
                <FilterSelect id="search-kind" label="Kind" name="kind" any="Questions and discussions"
                    choices=choices(&[("question", "Questions"), ("discussion", "Discussions")]) current=asked.kind.clone()/>
                <FilterSelect id="search-answered" label="Answers" name="answered" any="Any"
                    choices=choices(&[("yes", "Answered"), ("no", "Not answered yet")]) current=asked.answered.clone()/>
            </div>
            </details>
        </form>
    }
}

/// The answer to a search: a prompt before one, a message, or the tabs with their counts and the
/// results by kind, with paging.
fn search_answer(results: Option<SearchResults>, asked: Asked) -> impl IntoView {
    match results {
        None => view! { <p class="muted">"Search questions, discussions, library articles, doctors and clinics."</p> }.into_any(),
        Some(r) if r.message.is_some() => view! {
            <p class="alert alert-info" role="status">{r.message.clone()}</p>
        }.into_any(),
        Some(r) => {
            let total = r.post_count + r.article_count + r.provider_count;
            view! {
                {result_tabs(&r, &asked, total)}
                {r.corrected_from.clone().map(|from| view! {
                    <p class="alert alert-info" role="status">
                        "No results for “" {from} "”. Showing results for “" <strong>{r.words.join(" ")}</strong> "”."
                    </p>
                })}
                {(total == 0 && r.places.is_empty()).then(|| {
                    // Asking is one click away: in the community searched, else choose one.
                    let ask = if asked.community.is_empty() {
                        "/c".to_string()
                    } else {
                        format!("/c/{}/new", asked.community)
                    };
                    view! {
                        <p class="muted empty" role="status">"Nothing found. Try other words, or "
                            <a href=ask>"ask the community"</a>"."</p>
                    }
                })}
                {place_list(&r)}
                {article_list(&r)}
                {(!r.providers.is_empty()).then(|| view! {
                    <section aria-labelledby="providers-h">
                        <h2 id="providers-h">"Doctors and clinics"</h2>
                        <ul class="provider-list">
                            {r.providers.clone().into_iter().map(|p| view! { <ProviderCardView p=p/> }).collect_view()}
                        </ul>
                    </section>
                })}
                {(!r.posts.is_empty()).then(|| view! {
                    <section aria-labelledby="posts-h">
                        <h2 id="posts-h">"Questions and discussions"</h2>
                        <ul class="post-list search-posts">
                            {r.posts.clone().into_iter().map(|h| view! {
                                <PostCard p=h.post.clone() snippet=h.snippet.clone()/>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <p class="feed-more">
                    {(r.page > 1).then(|| view! { <a class="button" href=asked.link(asked.tab, r.page - 1)>"Previous page"</a> })}
                    {r.has_more.then(|| view! { <a class="button" href=asked.link(asked.tab, r.page + 1)>"Next page"</a> })}
                </p>
            }.into_any()
        }
    }
}

/// The result types as tabs, each with its count.
fn result_tabs(r: &SearchResults, asked: &Asked, total: i64) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Result types">
            {TABS.iter().map(|(t, _, label)| {
                let providers_capped = r.provider_count >= PROVIDER_COUNT_CAP;
                let (n, capped) = match t { Tab::All => (total, providers_capped), Tab::Articles => (r.article_count, false), Tab::Posts => (r.post_count, false), Tab::Providers => (r.provider_count, providers_capped) };
                view! {
                    <a href=asked.link(*t, 1) aria-current=(asked.tab == *t).then_some("page")>
                        {*label} " (" {count_label(n, capped)} ")"
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

/// The communities and support groups found.
fn place_list(r: &SearchResults) -> impl IntoView {
    view! {
        {(!r.places.is_empty()).then(|| view! {
            <section aria-labelledby="places-h">
                <h2 id="places-h">"Communities and groups"</h2>
                <ul class="plain-list search-places">
                    {r.places.clone().into_iter().map(|p| view! {
                        <li class="card">
                            <p class="post-kicker small">{p.kind.clone()}</p>
                            <h3 class="post-title"><a href=p.href.clone()>{p.name.clone()}</a></h3>
                            <p class="small">{crate::seo::jsonld::clip(&p.description, 200)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The library articles found, with their highlighted snippets.
fn article_list(r: &SearchResults) -> impl IntoView {
    view! {
        {(!r.articles.is_empty()).then(|| view! {
            <section aria-labelledby="articles-h">
                <h2 id="articles-h">"Library articles"</h2>
                <ul class="plain-list search-articles">
                    {r.articles.clone().into_iter().map(|a| view! {
                        <li class="card">
                            <p class="post-kicker small">"Health library · " {a.community_name.clone()}</p>
                            <h3 class="post-title"><a href=format!("/library/{}", a.slug)>{a.title.clone()}</a></h3>
                            <Highlighted segments=a.snippet.clone()/>
                            <p class="small muted">"✓ Medically reviewed by @" {a.reviewer.clone()}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// Admins edit the words search treats as the same (`ms | multiple sclerosis`), or restore the
/// built-in list. A bad line comes back as an error that names it, with the text kept.
#[component]
pub fn SynonymsPage() -> impl IntoView {
    let save = ServerAction::<SaveSynonyms>::new();
    let err = action_error(save);
    let save_ok = crate::ui::successes(save);
    let list = crate::ui::resource(move || save_ok.get(), |_| synonyms());
    let echo = echo_resource(
        crate::search::api::SAVE_SYNONYMS,
        err.get_untracked().is_some(),
    );
    view! {
        <Title text="Search synonyms"/>
        {loaded(list, move |list| async move {
            let echo = echo.await;
            let body = echoed(&echo, "body").unwrap_or_else(|| list.body.clone());
            let state = match list.updated_at {
                Some(at) => format!("Edited on {}.", format_datetime(at)),
                None => "The built-in list is in force.".to_string(),
            };
            view! {
                <section class="panel">
                    <p><a href="/admin">"← Admin"</a></p>
                    <h1>"Search synonyms"</h1>
                    <p class="lead">"Words and phrases search treats as the same: a search for one finds the others, in questions, discussions, articles and the directory."</p>
                    <p class="muted">{state}</p>
                    <ActionForm action=save attr:class="stack" attr:novalidate=true>
                        <FormAlert error=err/>
                        <div class="field">
                            <label for="syn-body">"Groups, one a line"</label>
                            <p class="hint" id="syn-body-hint">"Alternatives separated by “|”, e.g. “ms | multiple sclerosis”; letters and digits only. Lines starting with # are notes."</p>
                            <textarea id="syn-body" name="body" rows="20" spellcheck="false"
                                aria-describedby="syn-body-hint syn-body-error">{textarea_text(body)}</textarea>
                            <FieldMessage id="syn-body-error".into() error=field_error(err, "body")/>
                        </div>
                        <p><button type="submit" class="button primary">"Save synonyms"</button></p>
                    </ActionForm>
                    <Saved action=save message="Saved. Searches use this list now."/>
                    {list.updated_at.is_some().then(|| view! {
                        <ActionForm action=save>
                            <input type="hidden" name="body" value=""/>
                            <input type="hidden" name="restore" value="yes"/>
                            <button type="submit" class="button">"Restore the built-in list"</button>
                        </ActionForm>
                    })}
                </section>
            }.into_any()
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_count_says_when_it_stopped_at_its_cap() {
        assert_eq!(count_label(7, false), "7");
        assert_eq!(count_label(PROVIDER_COUNT_CAP, true), "100+");
        // "All" adds the posts' count to the providers' capped one.
        assert_eq!(count_label(5 + PROVIDER_COUNT_CAP, true), "105+");
        assert_eq!(count_label(COUNT_CAP + PROVIDER_COUNT_CAP, true), "1000+");
        assert_eq!(count_label(COUNT_CAP, false), "1000+");
    }
}
