//! The moderation forms under posts and replies: report (also a profile), remove, retag, and the note a removed item leaves.

use super::*;

/// "Report" under a post or reply: why (one of the reasons) and, optionally, a word to the moderators.
#[component]
pub fn ReportForm(
    action: ServerAction<ReportContent>,
    post_id: i64,
    reply_id: Option<i64>,
) -> impl IntoView {
    let key = match reply_id {
        Some(r) => format!("r{r}"),
        None => format!("p{post_id}"),
    };
    let legend = if reply_id.is_some() {
        "What is wrong with this reply?"
    } else {
        "What is wrong with this post?"
    };
    let err = crate::ui::action_error(action);
    view! {
        <ActionForm action=action>
            <input type="hidden" name="post_id" value=post_id/>
            {reply_id.map(|r| view! { <input type="hidden" name="reply_id" value=r/> })}
            {crate::ui::with_echo(crate::posts::api::REPORT, err.get_untracked().is_some(), move |echo| {
                view! { <ReportFields echo=echo err=err key=key.clone() legend=legend/> }
            })}
        </ActionForm>
    }
}

/// "Report this profile" on a member's page (its name and "about me"), for the site's moderators.
#[component]
pub fn ProfileReportForm(handle: String) -> impl IntoView {
    let action = ServerAction::<ReportProfile>::new();
    let done = move || matches!(action.value().get(), Some(Ok(_)));
    let err = crate::ui::action_error(action);
    view! {
        {move || done().then(|| view! {
            <p class="alert alert-ok" role="status">"Thank you: the moderators will look at it. You will hear when they have."</p>
        })}
        <ActionForm action=action>
            <input type="hidden" name="handle" value=handle.clone()/>
            {crate::ui::with_echo(crate::safety::api::REPORT_PROFILE, err.get_untracked().is_some(), move |echo| {
                view! { <ReportFields echo=echo err=err key=format!("u-{handle}") legend="What is wrong with this profile?"/> }
            })}
        </ActionForm>
    }
}

/// The reasons, the optional note and the send button of a report form, in a "Report" disclosure
/// (open, with what was typed, when a no-JavaScript post of this very form failed: the `echo`'s
/// `item` is `key`).
#[component]
fn ReportFields(
    echo: Vec<(String, String)>,
    err: Signal<Option<crate::error::AppError>>,
    key: String,
    legend: &'static str,
) -> impl IntoView {
    use crate::ui::{echoed, field_error, FieldMessage, FormAlert};
    let summary = if key.starts_with("u-") {
        "Report this profile"
    } else {
        "Report"
    };
    {
        let mine = echoed(&echo, "item").as_deref() == Some(key.as_str());
        let reason = echoed(&echo, "reason").filter(|_| mine).unwrap_or_default();
        let note = echoed(&echo, "note").filter(|_| mine).unwrap_or_default();
        let note_id = format!("report-note-{key}");
        view! {
            <details class="review-tools report-tools" open=mine>
                <summary>{summary}</summary>
                <div class="stack">
                {mine.then(|| view! { <FormAlert error=err/> })}
                <fieldset class="field">
                    <legend>{legend}</legend>
                    <div class="choices">
                        {REPORT_REASONS.iter().map(|(code, label)| view! {
                            <label class="choice">
                                <input type="radio" name="reason" value=*code required=true checked=reason == *code/>
                                <span>{*label}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    {mine.then(|| view! { <FieldMessage id=format!("report-reason-{key}-error") error=field_error(err, "reason")/> })}
                </fieldset>
                <label for=note_id.clone()>"Anything the moderators should know (optional)"</label>
                <textarea id=note_id.clone() name="note" rows="2" maxlength="500">{crate::ui::textarea_text(note)}</textarea>
                {mine.then(|| view! { <FieldMessage id=format!("{note_id}-error") error=field_error(err, "note")/> })}
                <p class="hint">"Only the moderators see your report. The member is not told who sent it."</p>
                <button type="submit" class="button">"Send report"</button>
                </div>
            </details>
        }
    }
}

/// "Remove…" for a moderator: a reason from the list and an optional word to the author.
#[component]
pub fn RemoveForm(
    action: ServerAction<RemoveContent>,
    post_id: i64,
    reply_id: Option<i64>,
) -> impl IntoView {
    let key = match reply_id {
        Some(r) => format!("r{r}"),
        None => format!("p{post_id}"),
    };
    let (reason_id, note_id) = (format!("remove-reason-{key}"), format!("remove-note-{key}"));
    view! {
        <details class="review-tools remove-tools">
            <summary>{if reply_id.is_some() { "Remove reply…" } else { "Remove post…" }}</summary>
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="post_id" value=post_id/>
                {reply_id.map(|r| view! { <input type="hidden" name="reply_id" value=r/> })}
                <label for=reason_id.clone()>"Why (the author is told)"</label>
                <select id=reason_id name="reason">
                    {REMOVAL_REASONS.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                </select>
                <label for=note_id.clone()>"A word to the author (optional)"</label>
                <input id=note_id name="note" maxlength="300"/>
                <button type="submit" class="button danger">"Remove"</button>
            </ActionForm>
        </details>
    }
}

/// "Edit tags…" for a moderator: the post's tags, changed in place (each form has its own
/// action, so an error shows on its own item and keeps what was typed).
#[component]
pub(super) fn RetagForm(post_id: i64, tags: String) -> impl IntoView {
    let action = ServerAction::<RetagPost>::new();
    let err = action_error(action);
    let id = format!("retag-{post_id}");
    let error_id = format!("{id}-error");
    let shown = tags.split_whitespace().collect::<Vec<_>>().join(", ");
    view! {
        <details class="review-tools retag-tools">
            <summary>"Edit tags…"</summary>
            <ActionForm action=action attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="post_id" value=post_id/>
                <label for=id.clone()>"Tags (comma-separated)"</label>
                <input id=id name="tags" value=shown aria-describedby=error_id.clone()/>
                <FieldMessage id=error_id error=field_error(err, "tags")/>
                <button type="submit" class="button">"Save tags"</button>
                {move || action.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="small" role="status">"Tags saved."</p> })}
            </ActionForm>
        </details>
    }
}

/// For the author and the moderators of something a moderator removed: why, and (moderators) "Restore".
#[component]
pub fn RemovedNote(
    action: ServerAction<RestoreContent>,
    post_id: i64,
    reply_id: Option<i64>,
    reason: String,
    can_restore: bool,
) -> impl IntoView {
    view! {
        <div class="alert alert-warn removed-note" role="note">
            <p>
                <strong>"Removed by a moderator."</strong>
                " Why: " {reason} ". Only its author and the moderators can read it."
            </p>
            {can_restore.then(|| view! {
                <ActionForm action=action attr:class="inline-form">
                    <input type="hidden" name="post_id" value=post_id/>
                    {reply_id.map(|r| view! { <input type="hidden" name="reply_id" value=r/> })}
                    <button type="submit" class="button">"Restore"</button>
                </ActionForm>
            })}
        </div>
    }
}
