//! Library pages: the list, an article, the editor with its live readability score, and the writers' desk.

use super::api::{
    get_article, get_desk, get_draft, list_articles, PublishArticle, SaveArticle, SendBackArticle,
    SubmitArticle,
};
use super::readability::{score, TARGET_GRADE};
use super::types::*;
use crate::communities::api::list_communities;
use crate::error::AppError;
use crate::saved::pages::save_button;
use crate::saved::types::RefKind;
use crate::session::Session;
use crate::sponsored::pages::SponsoredSlot;
use crate::sponsored::types::Placement;
use crate::ui::echo_resource;
use crate::ui::loaded;
use crate::ui::Checkbox;
use crate::ui::{
    action_error, echoed, field_error, format_date, ErrorView, Field, FieldMessage, FormAlert,
    Panel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/library`: published articles, optionally of one community (`?c=`).
#[component]
pub fn LibraryPage() -> impl IntoView {
    let query = use_query_map();
    let session = expect_context::<Session>();
    let community = Memo::new(move |_| query.read().get("c"));
    let articles = crate::ui::resource(move || community.get(), list_articles);
    let communities = crate::ui::resource(|| (), |_| list_communities());
    view! {
        <Title text="Health library"/>
        <crate::seo::pages::PageMeta title="Health library"
            description="Plain-language articles on living with a long-term condition, each reviewed by a clinician, with the date of its last review."
            path="/library"/>
        <div class="section-head">
            <h1>"Health library"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let writer = session.user.await.ok().flatten().is_some_and(|u| {
                        u.is_editor || u.is_admin
                            || (u.kind == crate::auth::types::MemberKind::Clinician
                                && u.clinician_status == crate::auth::types::ClinicianStatus::Verified)
                    });
                    writer.then(|| view! {
                        <p class="cta">
                            <a class="button primary" href="/library/new">"Write an article"</a>
                            <a class="button" href="/library/desk">"Library desk"</a>
                        </p>
                    })
                })}
            </Transition>
        </div>
        <p class="lead">"Plain-language articles, written for people living with a condition and checked by a clinician."</p>
        {loaded(articles, move |list| async move {
            let communities = communities.await.unwrap_or_default();
            let current = community.get_untracked();
            view! {
                <nav class="tabs" aria-label="Communities">
                    <a href="/library" aria-current=current.is_none().then_some("page")>"All"</a>
                    {communities.into_iter().map(|c| {
                        let on = current.as_deref() == Some(c.slug.as_str());
                        view! { <a href=format!("/library?c={}", c.slug) aria-current=on.then_some("page")>{c.name}</a> }
                    }).collect_view()}
                </nav>
                {if list.is_empty() {
                    view! { <p class="muted empty">"No articles here yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="article-list">
                            {list.into_iter().map(|a| view! {
                                <li class="card article-card">
                                    <p class="post-kicker small"><a href=format!("/c/{}", a.community_slug)>{a.community_name.clone()}</a></p>
                                    <h2><a href=format!("/library/{}", a.slug)>{a.title.clone()}</a></h2>
                                    <p>{a.summary.clone()}</p>
                                    <p class="small muted">"Reviewed by @" {a.reviewer.clone()} " · updated " {format_date(a.updated_at)}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {match current {
                    Some(c) => view! { <SponsoredSlot placement=Placement::Sidebar community=c/> }.into_any(),
                    None => view! { <SponsoredSlot placement=Placement::Sidebar/> }.into_any(),
                }}
            }.into_any()
        })}
    }
}

/// `/library/:slug`: a published article.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let article = crate::ui::resource(
        move || params.read().get("slug").unwrap_or_default(),
        get_article,
    );
    view! {
        {crate::ui::loaded(article, move |a| async move { view! { <ArticleView a=a/> } })}
    }
}

#[component]
fn ArticleView(a: ArticleView) -> impl IntoView {
    let overdue = a.stamp.overdue;
    let seo_meta = {
        use crate::seo::jsonld;
        let base = crate::seo::pages::site_url();
        let ld = vec![
            jsonld::medical_web_page(&base, &a),
            jsonld::breadcrumbs(
                &base,
                &[
                    ("Health library".to_string(), "/library".to_string()),
                    (a.community_name.clone(), format!("/c/{}", a.community_slug)),
                    (a.title.clone(), format!("/library/{}", a.slug)),
                ],
            ),
        ];
        view! {
            <crate::seo::pages::PageMeta title=a.title.clone() description=a.summary.clone()
                path=format!("/library/{}", a.slug) kind="article" json_ld=ld/>
        }
    };
    view! {
        <Title text=a.title.clone()/>
        {seo_meta}
        <p class="crumbs"><a href="/library">"Health library"</a> " · " <a href=format!("/c/{}", a.community_slug)>{a.community_name.clone()}</a></p>
        <article class="article" aria-labelledby="article-title">
            <header class="panel article-head">
                <h1 id="article-title">{a.title.clone()}</h1>
                <p class="lead">{a.summary.clone()}</p>
                <p class="review-stamp">
                    <span class="badge badge-verified">"✓ Medically reviewed"</span>
                    " by " <a href=format!("/u/{}", a.stamp.reviewer)>"@"{a.stamp.reviewer.clone()}</a>
                    ", " {a.stamp.reviewer_title.clone()} ", on " {format_date(a.stamp.reviewed_at)} "."
                </p>
                <p class="small muted">
                    "Updated on " {format_date(a.stamp.reviewed_at)}
                    {(a.version > 1).then(|| format!(" (version {})", a.version))}
                    " · first published " {format_date(a.first_published_at)}
                    " · next review due " {format_date(a.stamp.next_review_at)}
                    " · written by @" {a.author.clone()}
                    {overdue.then(|| view! { " · " <strong class="state-overdue">"review overdue"</strong> })}
                </p>
                // A `div`, not a `p`: a form inside a `p` closes it in the HTML parser, and hydration then
                // finds another page than the server rendered.
                {a.saved.map(|saved| view! { <div class="save-row">{save_button(RefKind::Article, a.slug.clone(), saved)}</div> })}
                {a.can_edit.then(|| view! { <p><a href=format!("/library/{}/edit", a.slug)>"Edit this article"</a></p> })}
            </header>
            {article_grid(&a)}
        </article>
    }
}

/// The article's contents: its headings as links.
fn toc_list(a: &ArticleView) -> impl IntoView {
    view! {
        <ol>
            {a.toc.iter().map(|t| view! {
                <li class=format!("toc-{}", t.level)><a href=format!("#{}", t.id)>{t.text.clone()}</a></li>
            }).collect_view()}
        </ol>
    }
}

/// The body, key facts and sources, with the side column (contents, related questions, versions).
fn article_grid(a: &ArticleView) -> AnyView {
    view! {
            <div class="article-grid">
                <div class="article-main">
                    {(!a.key_facts.is_empty()).then(|| view! {
                        <section class="panel key-facts" aria-labelledby="facts-h">
                            <h2 id="facts-h">"Key facts"</h2>
                            <ul>{a.key_facts.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
                        </section>
                    })}
                    // On a phone the side column comes after the whole article: the contents
                    // stand here instead, folded (CSS shows one of the two).
                    {(!a.toc.is_empty()).then(|| view! {
                        <details class="panel toc toc-inline">
                            <summary>"On this page"</summary>
                            <nav aria-label="On this page">{toc_list(a)}</nav>
                        </details>
                    })}
                    <div class="panel user-html article-body" inner_html=a.body_html.clone()></div>
                    {(!a.sources.is_empty()).then(|| view! {
                        <section class="panel" aria-labelledby="sources-h">
                            <h2 id="sources-h">"Sources"</h2>
                            <ol class="sources">
                                {a.sources.iter().map(|s| view! {
                                    <li><a href=s.url.clone() rel="nofollow noopener">{s.title.clone()}</a> " (" {s.year} ")"</li>
                                }).collect_view()}
                            </ol>
                        </section>
                    })}
                </div>
                <div class="article-side">
                    {(!a.toc.is_empty()).then(|| view! {
                        <nav class="panel toc toc-side" aria-labelledby="toc-h">
                            <h2 id="toc-h">"On this page"</h2>
                            {toc_list(a)}
                        </nav>
                    })}
                    <section class="panel" aria-labelledby="related-h">
                        <h2 id="related-h">"Questions about this"</h2>
                        {if a.related.is_empty() {
                            view! { <p class="muted">"No related questions yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain-list related">
                                    {a.related.iter().map(|q| view! {
                                        <li>
                                            <a href=format!("/p/{}", q.id)>{q.title.clone()}</a>
                                            <span class="small muted">
                                                " · " {q.answer_count} {if q.answer_count == 1 { " answer" } else { " answers" }}
                                                {q.accepted.then_some(" · ✓ accepted")}
                                            </span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <p><a href=format!("/c/{}/new?kind=question", a.community_slug)>"Ask a question"</a></p>
                    </section>
                    <SponsoredSlot placement=Placement::Sidebar community=a.community_slug.clone()/>
                    {(a.versions.len() > 1).then(|| view! {
                        <section class="panel" aria-labelledby="versions-h">
                            <h2 id="versions-h">"Version history"</h2>
                            <ul class="plain-list small">
                                {a.versions.iter().map(|(n, at)| view! { <li>"Version " {*n} ", " {format_date(*at)}</li> }).collect_view()}
                            </ul>
                        </section>
                    })}
                </div>
            </div>
    }
    .into_any()
}

/// The live readability panel for the editor.
#[component]
fn ReadabilityPanel(result: Memo<crate::library::readability::Readability>) -> impl IntoView {
    view! {
        <section class="panel readability" aria-labelledby="readability-h">
            <h2 id="readability-h">"Readability"</h2>
            <p class="grade" class:grade-ok=move || result.with(|r| r.meets_target())
                class:grade-empty=move || result.with(|r| r.words == 0)
                aria-live="polite" aria-atomic="true" id="readability-grade">
                {move || result.with(|r| if r.words == 0 { "Start writing to see the grade.".to_string() } else { r.summary() })}
            </p>
            <p class="small muted">
                "Target: grade " {TARGET_GRADE} " or lower (short sentences, everyday words). "
                {move || result.with(|r| format!("{} words in {} sentences.", r.words, r.sentences))}
            </p>
            {move || result.with(|r| (!r.hints.is_empty()).then(|| view! {
                <h3>"Hard to read"</h3>
                <ul class="hints">
                    {r.hints.iter().take(8).map(|h| view! {
                        <li>
                            <q>{h.sentence.clone()}</q>
                            <span class="small muted">
                                {format!(" — {} words", h.words)}
                                {(!h.long_words.is_empty()).then(|| format!("; long words: {}", h.long_words.join(", ")))}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            }))}
        </section>
    }
}

/// The grade on a phone, where the panel stands after the whole form: a line that follows the
/// writer down the form (sticky at the foot of the screen) and leads to the panel's hints. A
/// wide screen has the panel beside the form and shows no bar.
fn grade_bar(result: Memo<crate::library::readability::Readability>) -> impl IntoView {
    view! {
        <p class="grade-bar small" class:grade-ok=move || result.with(|r| r.meets_target())
            class:grade-empty=move || result.with(|r| r.words == 0)>
            <strong>{move || result.with(|r| if r.words == 0 { "No grade yet".to_string() } else { format!("Grade {:.1}", r.grade.clamp(0.0, 18.0)) })}</strong>
            {format!(" · target {TARGET_GRADE} or lower · ")}
            <a href="#readability-h">"Hints"</a>
        </p>
    }
}

/// `/library/new` and `/library/:slug/edit`.
#[component]
pub fn ArticleEditorPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveArticle>::new();
    let submit = ServerAction::<SubmitArticle>::new();
    let publish = ServerAction::<PublishArticle>::new();
    let send_back = ServerAction::<SendBackArticle>::new();
    let err = action_error(save);
    let echo = echo_resource(
        crate::library::api::SAVE_ARTICLE,
        err.get_untracked().is_some(),
    );
    let submit_echo = echo_resource(
        crate::library::api::SUBMIT_ARTICLE,
        action_error(submit).get_untracked().is_some(),
    );
    let back_echo = echo_resource(
        crate::library::api::SEND_BACK_ARTICLE,
        action_error(send_back).get_untracked().is_some(),
    );
    let submit_ok = crate::ui::successes(submit);
    let send_back_ok = crate::ui::successes(send_back);
    // Only successes reload the draft: a failed form keeps what was typed.
    let draft = draft_resource(move || {
        (
            params.read().get("slug"),
            submit_ok.get() + send_back_ok.get(),
        )
    });
    let communities = crate::ui::resource(|| (), |_| list_communities());
    view! {
        {crate::ui::loaded(draft, move |d| async move {
            let echo = echo.await;
            let typed_reviewer = echoed(&submit_echo.await, "reviewer");
            let typed_note = echoed(&back_echo.await, "note");
            let communities = communities.await.unwrap_or_default();
            let v = |k: &str, from: &dyn Fn(&Draft) -> String| echoed(&echo, k).or_else(|| d.as_ref().map(from)).unwrap_or_default();
            let title = v("title", &|d| d.title.clone());
            let summary = RwSignal::new(v("summary", &|d| d.summary.clone()));
            let body = RwSignal::new(v("body", &|d| d.body.clone()));
            let facts = RwSignal::new(v("key_facts", &|d| d.key_facts.clone()));
            let sources = v("sources", &|d| d.sources.clone());
            let tags = v("tags", &|d| d.tags.clone());
            let community = v("community", &|d| d.community_slug.clone());
            let result = Memo::new(move |_| score(&readable_text(&summary.get(), &body.get(), &facts.get())));
            let heading = if d.is_some() { "Edit article" } else { "New article" };
            let current = d.as_ref().map(|d| d.slug.clone()).unwrap_or_default();
            view! {
                <Title text=heading/>
                <p class="crumbs"><a href="/library/desk">"Library desk"</a></p>
                <h1>{heading}</h1>
                {d.clone().map(|d| view! { {workflow_panel(d, submit, publish, send_back, typed_reviewer.clone(), typed_note.clone())} })}
                <div class="editor-grid">
                    <section class="panel">
                        <ActionForm action=save attr:novalidate=true attr:class="stack">
                            <FormAlert error=err/>
                            <input type="hidden" name="current" value=current/>
                            {community_field(communities, &community, err)}
                            <Field label="Title" name="title" value=title hint="A question readers ask, e.g. “What is a relapse in MS?”" error=field_error(err, "title")/>
                            {live_text_area("summary", "Summary", "2", summary, err, None)}
                            {live_text_area("body", "Article", "18", body, err,
                                Some("Markdown: ## for section headings (they make the table of contents), - for lists, [text](https://…) for links."))}
                            {grade_bar(result)}
                            {live_text_area("key_facts", "Key facts (one per line)", "4", facts, err, None)}
                            <crate::ui::TextArea label="Sources (one per line: Title | https://address | year)" name="sources" rows=4 value=sources
                                error=field_error(err, "sources")/>
                            <Field label="Tags" name="tags" value=tags hint="Up to five, separated by commas, e.g. relapse, newly diagnosed: questions with the same tags are linked." error=field_error(err, "tags")/>
                            <button type="submit" class="button primary">"Save draft"</button>
                        </ActionForm>
                    </section>
                    <ReadabilityPanel result=result/>
                </div>
            }
        })}
    }
}

/// The draft at the address's slug (none for a new article), read again when `key` changes.
fn draft_resource(
    key: impl Fn() -> (Option<String>, usize) + Send + Sync + 'static,
) -> crate::ui::Res<Result<Option<Draft>, AppError>> {
    crate::ui::resource(key, |(slug, _)| async move {
        match slug {
            Some(slug) => get_draft(slug).await.map(Some),
            None => Ok(None),
        }
    })
}

/// The article's community, chosen from a list.
fn community_field(
    communities: Vec<crate::communities::types::CommunitySummary>,
    chosen: &str,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="f-community">"Community"</label>
            <select id="f-community" name="community">
                <option value="" selected=chosen.is_empty()>"Choose…"</option>
                {communities.into_iter().map(|c| {
                    let on = c.slug == chosen;
                    view! { <option value=c.slug.clone() selected=on>{c.name}</option> }
                }).collect_view()}
            </select>
            <FieldMessage id="f-community-error".into() error=field_error(err, "community")/>
        </div>
    }
}

/// A textarea of the article whose text the readability panel follows as it is typed.
fn live_text_area(
    name: &'static str,
    label: &'static str,
    rows: &'static str,
    text: RwSignal<String>,
    err: Signal<Option<crate::error::AppError>>,
    hint: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <textarea id=id name=name rows=rows aria-describedby=described
                on:input=move |ev| text.set(event_target_value(&ev))>{crate::ui::textarea_text(text.get_untracked())}</textarea>
            <FieldMessage id=error_id error=field_error(err, name)/>
        </div>
    }
}

/// Status, the review request and (for the named reviewer) publish or send back.
fn workflow_panel(
    d: Draft,
    submit: ServerAction<SubmitArticle>,
    publish: ServerAction<PublishArticle>,
    send_back: ServerAction<SendBackArticle>,
    // What a failed plain (no-JavaScript) post had in its fields.
    typed_reviewer: Option<String>,
    typed_note: Option<String>,
) -> impl IntoView {
    let submit_err = action_error(submit);
    let publish_err = action_error(publish);
    let back_err = action_error(send_back);
    let slug = d.slug.clone();
    view! {
        <section class="panel workflow" aria-labelledby="workflow-h">
            <h2 id="workflow-h">"Status: " {d.status.label()}</h2>
            <p class="small muted">
                "Written by @" {d.author.clone()}
                {d.reviewer.clone().map(|r| format!(" · reviewer @{r}"))}
                {format!(" · saved at grade {:.1}", d.grade)}
                {d.has_published_version.then_some(" · readers see the last published version until the next one is published")}
            </p>
            {(!d.review_note.is_empty()).then(|| view! {
                <p class="alert alert-info"><strong>"Reviewer's note: "</strong>{d.review_note.clone()}</p>
            })}
            {(d.status == ArticleStatus::Draft).then(|| {
                let slug = slug.clone();
                let reviewer = typed_reviewer.clone().or_else(|| d.reviewer.clone());
                view! {
                    <ActionForm action=submit attr:novalidate=true attr:class="inline-fields">
                        <FormAlert error=submit_err/>
                        <input type="hidden" name="slug" value=slug/>
                        <Field label="Ask a verified clinician to review it (their handle)" name="reviewer"
                            value=reviewer error=field_error(submit_err, "reviewer")/>
                        <button type="submit" class="button primary">"Submit for review"</button>
                    </ActionForm>
                }
            })}
            {(d.status == ArticleStatus::Review && !d.can_publish).then(|| {
                let reviewer = d.reviewer.clone().unwrap_or_default();
                view! { <p>"Waiting for @" {reviewer} " to review it. Saving a change takes it back to a draft, to be sent for review again: the reviewer's stamp covers only the text they read."</p> }
            })}
            {d.can_publish.then(|| {
                let (s1, s2) = (slug.clone(), slug.clone());
                let grade = d.grade;
                view! {
                    <div class="review-actions">
                        <ActionForm action=publish attr:class="stack">
                            <FormAlert error=publish_err/>
                            <input type="hidden" name="slug" value=s1/>
                            {(grade > TARGET_GRADE).then(|| view! {
                                <Checkbox name="override_grade" id="override" error=field_error(publish_err, "override")>
                                    {format!("It reads at grade {grade:.1}, above the target. Publish it anyway: the medical terms cannot be simpler.")}
                                </Checkbox>
                            })}
                            <button type="submit" class="button primary">"Publish as medically reviewed"</button>
                        </ActionForm>
                        <ActionForm action=send_back attr:novalidate=true attr:class="stack">
                            <FormAlert error=back_err/>
                            <input type="hidden" name="slug" value=s2/>
                            <Field label="Or send it back with a note" name="note" value=typed_note.clone() error=field_error(back_err, "note")/>
                            <button type="submit" class="button">"Send back to the author"</button>
                        </ActionForm>
                    </div>
                }
            })}
        </section>
    }
}

/// `/library/desk`: the writer's and reviewer's lists.
#[component]
pub fn DeskPage() -> impl IntoView {
    let desk = crate::ui::resource(|| (), |_| get_desk());
    let list = |items: Vec<DraftSummary>, empty: &'static str| {
        if items.is_empty() {
            return view! { <p class="muted">{empty}</p> }.into_any();
        }
        view! {
            <ul class="plain-list desk-list">
                {items.into_iter().map(|a| view! {
                    <li>
                        <a href=format!("/library/{}/edit", a.slug)>{a.title.clone()}</a>
                        <span class="small muted">" · " {a.status.label()} " · saved " {format_date(a.updated_at)}
                            {a.next_review_at.map(|t| format!(" · review due {}", format_date(t)))}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Title text="Library desk"/>
        <h1>"Library desk"</h1>
        <p><a class="button primary" href="/library/new">"Write an article"</a></p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(d) => view! {
                        <Panel id="review-h" title="Waiting for your review">
                            {list(d.to_review, "Nothing waits for you.")}
                        </Panel>
                        <Panel id="mine-h" title="Your articles">
                            {list(d.mine, "You have not written an article yet.")}
                        </Panel>
                        <Panel id="overdue-h" title="Overdue for review">
                            {list(d.overdue, "No published article is overdue.")}
                        </Panel>
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p class="alert alert-info">"The library desk is for editors and verified clinicians."</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
