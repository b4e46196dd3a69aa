//! `/saved`: the member's saved posts, replies, articles and providers, newest first, each with its private note and "Remove"; the Save button of an article or a provider page.

use super::api::{get_saved, SaveNote, ToggleSaved, ToggleSavedPage};
use super::types::{RefKind, SavedItem, SavedRef, NOTE_MAX};
use crate::posts::pages::PostCard;
use crate::ui::{action_error, field_error, successes, FieldMessage, When};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn SavedItemsPage() -> impl IntoView {
    let query = use_query_map();
    let remove = ServerAction::<ToggleSaved>::new();
    let remove_page = ServerAction::<ToggleSavedPage>::new();
    let removed = successes(remove);
    let removed_page = successes(remove_page);
    let page = crate::ui::resource(
        move || {
            (
                crate::ui::number_in(query, "before"),
                removed.get() + removed_page.get(),
            )
        },
        |(before, _)| get_saved(before),
    );
    view! {
        <Title text="Saved"/>
        <Meta name="robots" content="noindex"/>
        <section class="panel saved-page">
            <h1>"Saved"</h1>
            <p class="lead">"Posts, replies, library articles and clinics you saved for later, newest first. Only you see this list and your notes."</p>
            {crate::ui::loaded(page, move |p| async move {
                let refs = p.refs.clone();
                view! {
                    {(!refs.is_empty()).then(|| view! { {saved_refs(refs, remove_page)} })}
                    {(!p.refs.is_empty()).then(|| view! { <h2 id="saved-posts-h">"Posts and replies"</h2> })}
                    {if p.items.is_empty() && p.refs.is_empty() {
                        view! { <p class="muted">"Nothing saved yet. “Save” under a post or a reply, on a library article or on a clinic's page keeps it here."</p> }.into_any()
                    } else if p.items.is_empty() {
                        view! { <p class="muted">"No posts or replies saved."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="saved-list">
                                {p.items.into_iter().map(|i| view! { {saved_card(i, remove)} }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    {p.next.map(|n| view! { <p class="feed-more"><a class="button" href=format!("/saved?before={n}")>"Older saved items"</a></p> })}
                }
            })}
        </section>
    }
}

/// One saved post or reply: the post as feeds show it, the reply's words, the note and "Remove".
fn saved_card(item: SavedItem, remove: ServerAction<ToggleSaved>) -> impl IntoView {
    let (post_id, reply_id) = (item.post.id, item.reply_id);
    view! {
        <li class="saved-item">
            <p class="small muted">
                {if reply_id.is_some() { "A reply you saved " } else { "Saved " }}
                <When ms=item.saved_at/>
            </p>
            <ul class="post-list"><PostCard p=item.post.clone()/></ul>
            {reply_id.map(|r| if item.reply_excerpt.is_empty() {
                view! { <p class="muted small">"This reply is no longer shown."</p> }.into_any()
            } else {
                view! {
                    <blockquote class="saved-reply">
                        {item.reply_excerpt.clone()}
                        " " <a href=format!("/p/{post_id}#r{r}")>"Open the reply"</a>
                    </blockquote>
                }.into_any()
            })}
            <NoteForm id=item.id note=item.note.clone() page=false/>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="post_id" value=post_id/>
                {reply_id.map(|r| view! { <input type="hidden" name="reply_id" value=r/> })}
                <button type="submit" class="link-button small">"Remove from saved"</button>
            </ActionForm>
        </li>
    }
}

/// The Save button of an article or a provider page: on a page served as islands
/// (`crate::routes::islands_page`) the island [`SaveIsland`], elsewhere the component itself.
pub fn save_button(kind: RefKind, slug: String, saved: bool) -> AnyView {
    #[cfg(feature = "ssr")]
    if crate::routes::islands_response() {
        return view! { <SaveIsland kind=kind slug=slug saved=saved/> }.into_any();
    }
    view! { <SavePageButton kind=kind slug=slug saved=saved/> }.into_any()
}

/// The Save button as an island: the server writes it with its props, and the islands' wasm —
/// the only browser build it is compiled into (`--features islands`) — hydrates it, so the
/// app's wasm carries no island and no second reader of JSON for its props.
#[cfg(any(feature = "ssr", feature = "islands"))]
#[island]
pub fn SaveIsland(kind: RefKind, slug: String, saved: bool) -> impl IntoView {
    view! { <SavePageButton kind=kind slug=slug saved=saved/> }
}

/// "Save" on an article or a provider page (a plain form without JavaScript; with it, the
/// button follows the answer without reloading the page).
#[component]
pub fn SavePageButton(kind: RefKind, slug: String, saved: bool) -> impl IntoView {
    let action = ServerAction::<ToggleSavedPage>::new();
    let now = Signal::derive(move || match action.value().get() {
        Some(Ok(v)) => v,
        _ => saved,
    });
    let what = match kind {
        RefKind::Article => "article",
        RefKind::Provider => "page",
    };
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="kind" value=kind.as_str()/>
            <input type="hidden" name="slug" value=slug/>
            <button type="submit" class="button"
                aria-label=move || if now.get() { format!("Remove this {what} from your saved items") } else { format!("Save this {what} for later") }
                aria-pressed=move || now.get().to_string()>
                {move || if now.get() { "Saved ✓" } else { "Save" }}
            </button>
        </ActionForm>
    }
}

/// The saved articles and providers on `/saved`.
fn saved_refs(refs: Vec<SavedRef>, remove: ServerAction<ToggleSavedPage>) -> impl IntoView {
    view! {
        <h2 id="saved-pages-h">"Articles and clinics"</h2>
        <ol class="saved-list" aria-labelledby="saved-pages-h">
            {refs.into_iter().map(|r| view! { {saved_ref_card(r, remove)} }).collect_view()}
        </ol>
    }
}

fn saved_ref_card(r: SavedRef, remove: ServerAction<ToggleSavedPage>) -> impl IntoView {
    let slug = r.link.rsplit('/').next().unwrap_or_default().to_string();
    view! {
        <li class="saved-item">
            <p class="small muted">
                {match r.kind { RefKind::Article => "A library article, saved ", RefKind::Provider => "A clinic or doctor, saved " }}
                <When ms=r.saved_at/>
            </p>
            <h3 class="saved-ref-title"><a href=r.link.clone()>{r.title.clone()}</a></h3>
            {(!r.detail.is_empty()).then(|| view! { <p class="muted">{r.detail.clone()}</p> })}
            <NoteForm id=r.id note=r.note.clone() page=true/>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="kind" value=r.kind.as_str()/>
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="link-button small">"Remove from saved"</button>
            </ActionForm>
        </li>
    }
}

/// The private note of a saved item (`page`: an article or a provider), folded when empty.
#[component]
fn NoteForm(id: i64, note: String, page: bool) -> impl IntoView {
    let action = ServerAction::<SaveNote>::new();
    let err = action_error(action);
    let saved = successes(action);
    let note_id = format!("{}-{id}", if page { "page-note" } else { "note" });
    let error_id = format!("{note_id}-error");
    let has_note = !note.is_empty();
    view! {
        <details class="saved-note" open=has_note>
            <summary>{if !has_note { "Add a private note" } else { "Your note" }}</summary>
            <ActionForm action=action attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="id" value=id/>
                {page.then(|| view! { <input type="hidden" name="kind" value="page"/> })}
                <label for=note_id.clone() class="visually-hidden">"Your private note"</label>
                <textarea id=note_id name="note" rows="2" maxlength=NOTE_MAX.to_string()
                    aria-describedby=error_id.clone()>{crate::ui::textarea_text(note)}</textarea>
                <FieldMessage id=error_id error=field_error(err, "note")/>
                <div class="form-actions">
                    <button type="submit" class="button">"Save note"</button>
                    {move || (saved.get() > 0 && err.get().is_none()).then(|| view! { <span class="small" role="status">"Saved."</span> })}
                </div>
            </ActionForm>
        </details>
    }
}
