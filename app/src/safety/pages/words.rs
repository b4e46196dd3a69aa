//! `/mod/words`: the watched-word lists of the site and of each community.

use super::*;

/// `/mod/words`: a watched-word list (the site's for admins, a community's for its moderators):
/// what is there and what it does, and a form to add words, one per line.
#[component]
pub fn WatchedWordsPage() -> impl IntoView {
    use crate::safety::api::{get_watched, AddWatched, RemoveWatched};
    use crate::safety::types::{WATCHED_CHARS, WATCHED_MAX, WATCH_ACTIONS};
    use crate::ui::{action_error, echo_resource, echoed, field_error, FieldMessage, FormAlert};
    let add = ServerAction::<AddWatched>::new();
    let remove = ServerAction::<RemoveWatched>::new();
    let err = action_error(add);
    let echo = echo_resource(
        crate::safety::api::ADD_WATCHED,
        err.get_untracked().is_some(),
    );
    // The form is re-used in place after an add: empty the words box once they are listed.
    let phrases_ref = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) {
            if let Some(t) = phrases_ref.get() {
                t.set_value("");
            }
        }
    });
    let query = leptos_router::hooks::use_query_map();
    let add_ok = crate::ui::successes(add);
    let remove_ok = crate::ui::successes(remove);
    let list = crate::ui::resource(
        move || (query.read().get("c"), add_ok.get(), remove_ok.get()),
        |(c, _, _)| get_watched(c),
    );
    view! {
        <Title text="Watched words"/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let l = match list.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let echo = echo.await;
                let community = l.community.clone().unwrap_or_default();
                let typed = echoed(&echo, "phrases").unwrap_or_default();
                let chosen = echoed(&echo, "action").unwrap_or_else(|| "hold".into());
                let count = l.words.len();
                view! {
                    <section class="panel watched-page">
                        <p class="crumbs"><a href="/mod">"Moderation queue"</a></p>
                        <h1>"Watched words: " {l.scope.clone()}</h1>
                        <p class="lead">"When a member writes a post or a reply, its words are checked against the site's list and the community's, whole words only, capitals, accents and punctuation aside. A word ending in * matches every word that starts so."</p>
                        {lists_nav(l.lists.clone(), community.clone())}
                        <h2>"Add words"</h2>
                        <ActionForm action=add attr:novalidate=true attr:class="stack" attr:aria-label="Add watched words">
                            <FormAlert error=err/>
                            <input type="hidden" name="community" value=community.clone()/>
                            <div class="field" class:has-error=move || field_error(err, "phrases").get().is_some()>
                                <label for="f-phrases">"Words or phrases, one per line"</label>
                                <textarea id="f-phrases" name="phrases" rows="4" node_ref=phrases_ref aria-describedby="f-phrases-hint f-phrases-error">{crate::ui::textarea_text(typed)}</textarea>
                                <p class="hint" id="f-phrases-hint">{format!("Up to {WATCHED_CHARS} characters each; a list holds at most {}.", grouped(WATCHED_MAX))}</p>
                                <FieldMessage id="f-phrases-error".into() error=field_error(err, "phrases")/>
                            </div>
                            <fieldset class="field">
                                <legend>"What they do"</legend>
                                <div class="choices">
                                    {WATCH_ACTIONS.iter().map(|(v, label)| view! {
                                        <label class="choice">
                                            <input type="radio" name="action" value=*v checked=chosen == *v/>
                                            <span>{*label}</span>
                                        </label>
                                    }).collect_view()}
                                </div>
                                <FieldMessage id="f-action-error".into() error=field_error(err, "action")/>
                            </fieldset>
                            <button type="submit" class="button primary">"Add to the list"</button>
                        </ActionForm>
                        <h2>{format!("On the list ({} of {})", grouped(count), grouped(WATCHED_MAX))}</h2>
                        {(count == 0).then(|| view! { <p class="muted">"Nothing yet."</p> })}
                        {watched_list(l.words, remove)}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}

/// The other lists a moderator may open (the site's and each community's they moderate).
fn lists_nav(lists: Vec<(String, String)>, community: String) -> impl IntoView {
    use crate::safety::api::words_page;
    (lists.len() > 1).then(|| view! {
                <nav aria-label="Lists" class="small">
                    "Lists: "
                    {lists.iter().map(|(slug, name)| {
                        let current = *slug == community;
                        view! {
                            <a href=words_page(slug) aria-current=current.then_some("page")>{name.clone()}</a>
                            " "
                        }
                    }).collect_view()}
                </nav>
    })
}

/// The words on a list, each with what it does and "Remove".
fn watched_list(
    words: Vec<crate::safety::types::WatchedWord>,
    remove: ServerAction<crate::safety::api::RemoveWatched>,
) -> impl IntoView {
    view! {
        <ul class="plain-list watched-list">
            {words.into_iter().map(|w| view! {
                <li>
                    <span class="watched-phrase">{w.phrase.clone()}</span>
                    " "
                    <span class=format!("badge watch-{}", w.action.as_str())>{w.action.as_str()}</span>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=w.id/>
                        <button type="submit" class="link-button" aria-label=format!("Remove “{}”", w.phrase)>"Remove"</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// 2000 → "2,000".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(2000), "2,000");
        assert_eq!(super::grouped(1234567), "1,234,567");
    }
}
