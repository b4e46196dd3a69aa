//! `/saved`: the member's saved posts and replies, newest first, each with its private note and "Remove".

use super::api::{get_saved, SaveNote, ToggleSaved};
use super::types::{SavedItem, NOTE_MAX};
use crate::posts::pages::PostCard;
use crate::ui::{action_error, field_error, format_date, successes, ErrorView, FieldMessage};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn SavedItemsPage() -> impl IntoView {
    let query = use_query_map();
    let remove = ServerAction::<ToggleSaved>::new();
    let removed = successes(remove);
    let page = Resource::new(
        move || {
            (
                query
                    .read()
                    .get("before")
                    .and_then(|b| b.parse::<i64>().ok()),
                removed.get(),
            )
        },
        |(before, _)| get_saved(before),
    );
    view! {
        <Title text="Saved"/>
        <Meta name="robots" content="noindex"/>
        <section class="panel saved-page">
            <h1>"Saved"</h1>
            <p class="lead">"Posts and replies you saved for later, newest first. Only you see this list and your notes."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let p = match page.await {
                        Ok(p) => p,
                        Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                    };
                    view! {
                        {if p.items.is_empty() {
                            view! { <p class="muted">"Nothing saved yet. “Save” under a post or a reply keeps it here."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="saved-list">
                                    {p.items.into_iter().map(|i| view! { <SavedCard item=i remove=remove/> }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                        {p.next.map(|n| view! { <p class="feed-more"><a class="button" href=format!("/saved?before={n}")>"Older saved items"</a></p> })}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// One saved post or reply: the post as feeds show it, the reply's words, the note and "Remove".
#[component]
fn SavedCard(item: SavedItem, remove: ServerAction<ToggleSaved>) -> impl IntoView {
    let note = ServerAction::<SaveNote>::new();
    let err = action_error(note);
    let saved_note = successes(note);
    let (post_id, reply_id) = (item.post.id, item.reply_id);
    let note_id = format!("note-{}", item.id);
    let error_id = format!("{note_id}-error");
    let has_note = !item.note.is_empty();
    view! {
        <li class="saved-item">
            <p class="small muted">
                {if reply_id.is_some() { "A reply you saved " } else { "Saved " }}
                {format_date(item.saved_at)}
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
            <details class="saved-note" open=has_note>
                <summary>{if !has_note { "Add a private note" } else { "Your note" }}</summary>
                <ActionForm action=note attr:class="stack" attr:novalidate=true>
                    <input type="hidden" name="id" value=item.id/>
                    <label for=note_id.clone() class="visually-hidden">"Your private note"</label>
                    <textarea id=note_id name="note" rows="2" maxlength=NOTE_MAX.to_string()
                        aria-describedby=error_id.clone()>{crate::ui::textarea_text(item.note.clone())}</textarea>
                    <FieldMessage id=error_id error=field_error(err, "note")/>
                    <div class="form-actions">
                        <button type="submit" class="button">"Save note"</button>
                        {move || (saved_note.get() > 0 && err.get().is_none()).then(|| view! { <span class="small" role="status">"Saved."</span> })}
                    </div>
                </ActionForm>
            </details>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="post_id" value=post_id/>
                {reply_id.map(|r| view! { <input type="hidden" name="reply_id" value=r/> })}
                <button type="submit" class="link-button small">"Remove from saved"</button>
            </ActionForm>
        </li>
    }
}
