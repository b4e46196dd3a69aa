//! Writing a post: the new-post page and form, with similar questions while the title is typed.

use super::*;

/// `/c/:slug/new`: ask a question or start a discussion.
#[component]
pub fn NewPostPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let query = use_query_map();
    let action = ServerAction::<CreatePost>::new();
    let join = ServerAction::<JoinCommunity>::new();
    let err = action_error(action);
    let echo = echo_resource(
        crate::posts::api::CREATE_POST,
        err.get_untracked().is_some(),
    );
    let join_ok = crate::ui::successes(join);
    let community = crate::ui::resource(
        move || (params.read().get("slug").unwrap_or_default(), join_ok.get()),
        |(slug, _)| get_community(slug),
    );
    view! {
        {crate::ui::loaded(community, move |d| async move {
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
    let place = community.clone();
    view! {
        <ActionForm action=action attr:novalidate=true attr:class="stack">
            <FormAlert error=err/>
            <input type="hidden" name="community" value=community/>
            {group.map(|g| view! { <input type="hidden" name="group" value=g/> })}
            <RadioGroup legend="What would you like to do?" name="kind" options=KIND_CHOICES
                selected=kind error=field_error(err, "kind")/>
            <CrisisWatch error=err>
                {title_field(place.clone(), echoed(&echo, "title"), err)}
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
                    <Checkbox name="anonymous" value="on" checked=anonymous error=field_error(err, "anonymous")
                        hint="Others see “a member” instead of your name, here and everywhere the post is listed. The group's moderators can still see that it is you, for everyone's safety. You can still edit and delete it.">
                        "Post anonymously"
                    </Checkbox>
                })}
            </CrisisWatch>
            <p class="cta">
                <button type="submit" class="button primary">"Post"</button>
                <button type="submit" name="step" value="check" class="button">"Check for similar questions"</button>
            </p>
        </ActionForm>
    }
}

/// The post's title, with the questions like it listed under it as it is typed (or on the check
/// step without JavaScript).
fn title_field(
    community: String,
    // The title as typed, when the form comes back.
    title: Option<String>,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    // Similar questions for the title so far: from the echo on the check step without
    // JavaScript, and half a second after the writer stops typing with it.
    let typed = RwSignal::new(title.clone().unwrap_or_default());
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let place = community;
    let similar = crate::ui::resource(
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
        <div on:input=on_input>
        <Field label="Title" name="title" value=title
            hint="One sentence, e.g. “Does fatigue get better after a relapse?”"
            error=field_error(err, "title")/>
        </div>
        {move || field_error(err, "check").get().map(|m| view! { <p class="alert alert-info" role="status">{m}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = similar.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! { {similar_list(list)} })
            })}
        </Suspense>
    }
}

/// "Already asked": questions like the one being written, each opening in a new tab so that the
/// draft stays.
pub(super) fn similar_list(list: Vec<PostSummary>) -> impl IntoView {
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
