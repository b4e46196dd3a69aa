//! Safety UI: the helplines panel, the watch that shows it while a member writes (and as the no-JavaScript confirmation step), and the moderation queue at `/mod`.

use super::api::{
    get_mod_queue, DismissReport, ReportProfile, ResolveProfileReport, ReviewFlag, SanctionMember,
};
use super::crisis::{countries, helplines_for, Helpline};
use super::types::{since, FlagItem, FlagKind, REMOVAL_REASONS, REPORT_REASONS, SANCTIONS};
use crate::error::AppError;
use crate::posts::api::{RemoveContent, ReportContent, RestoreContent, RetagPost};
use crate::ui::{action_error, field_error, ErrorView, FieldMessage};
use leptos::prelude::*;
use leptos_meta::Title;

/// The helplines, calmly: who to call or text, when, and the emergency numbers; the member's
/// own country first when they have chosen one (Settings), the others folded away.
#[component]
pub fn CrisisPanel(#[prop(into)] heading: String, #[prop(into)] lead: String) -> impl IntoView {
    let label = heading.clone();
    let session = use_context::<crate::session::Session>();
    // Logged in (`Some`), and their country if they chose one.
    let country = move || {
        session
            .and_then(|s| s.me())
            .map(|u| Some(u.country).filter(|c| !c.is_empty()))
    };
    view! {
        <section class="crisis-panel" aria-label=label data-testid="crisis-panel">
            <h2>{heading}</h2>
            <p>{lead}</p>
            <Transition fallback=|| view! { <HelplineList country=None/> }>
                {move || {
                    let c = country();
                    let unset = c.as_ref().is_some_and(Option::is_none);
                    view! {
                        <HelplineList country=c.flatten()/>
                        {unset.then(|| view! {
                            <p class="small"><a href="/settings#f-country">"Choose your country in Settings"</a>" to see its helplines first."</p>
                        })}
                    }
                }}
            </Transition>
        </section>
    }
}

#[component]
fn HelplineList(country: Option<String>) -> impl IntoView {
    let (mine, others) = helplines_for(country.as_deref());
    let item = |h: &'static Helpline| {
        view! {
            <li data-country=h.country.clone()>
                <a href=h.link.clone() rel="external noopener" target="_blank">{h.name.clone()}</a>
                <span class="helpline-contact">{h.contact.clone()}</span>
                <span class="hint">{h.hours.clone()}</span>
            </li>
        }
    };
    let emergency = match country.as_deref().and_then(super::crisis::country) {
        Some(c) => format!("In immediate danger? Call {} now.", c.emergency),
        None => {
            let numbers: Vec<String> = countries()
                .iter()
                .map(|c| format!("{} in {}", c.emergency, c.name))
                .collect();
            format!(
                "In immediate danger? Call {}, or your local emergency number.",
                numbers.join(", ")
            )
        }
    };
    view! {
        <ul class="helplines">{mine.into_iter().map(item).collect_view()}</ul>
        <p class="small">{emergency}</p>
        {(!others.is_empty()).then(|| view! {
            <details class="other-helplines">
                <summary>"Helplines in other countries"</summary>
                <ul class="helplines">{others.into_iter().map(item).collect_view()}</ul>
            </details>
        })}
    }
}

/// Wraps a form's fields: when the title or text matches the crisis list (while typing, with
/// JavaScript; after the first press, without), shows the helplines above the button and marks
/// the form so the next press posts. It never blocks.
#[component]
pub fn CrisisWatch(
    #[prop(into)] error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let texts = StoredValue::new(Vec::<(String, String)>::new());
    let (live, set_live) = signal(false);
    let shown = move || live.get() || error.get() == Some(AppError::SafetyCheck);
    let on_input = move |ev: leptos::ev::Event| {
        let Some(name) = event_target::<web_sys::Element>(&ev).get_attribute("name") else {
            return;
        };
        if name != "title" && name != "body" {
            return;
        }
        let value = event_target_value(&ev);
        texts.update_value(|t| {
            t.retain(|(n, _)| *n != name);
            t.push((name, value));
        });
        set_live
            .set(texts.with_value(|t| t.iter().any(|(_, v)| super::crisis::matches(v).is_some())));
    };
    view! {
        <div class="crisis-watch stack" on:input=on_input>
            {children()}
            <div aria-live="polite">
                {move || shown().then(|| view! {
                    <input type="hidden" name="crisis_ack" value="seen"/>
                    <CrisisPanel heading="You are not alone"
                        lead="If you are thinking about ending your life or hurting yourself, please reach out now: these lines are free and confidential, and someone will listen. What you wrote is still here; post it when you are ready, and our moderators will see it too."/>
                })}
            </div>
        </div>
    }
}

/// `/mod`: what waits for a moderator in the places the member moderates, the longest wait first.
#[component]
pub fn ModQueuePage() -> impl IntoView {
    let review = ServerAction::<ReviewFlag>::new();
    let dismiss = ServerAction::<DismissReport>::new();
    let remove = ServerAction::<RemoveContent>::new();
    let resolve_profile = ServerAction::<ResolveProfileReport>::new();
    let queue = Resource::new(
        move || {
            (
                review.version().get(),
                dismiss.version().get(),
                remove.version().get(),
                resolve_profile.version().get(),
            )
        },
        |_| get_mod_queue(),
    );
    view! {
        <Title text="Moderation queue"/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = match queue.await {
                    Ok(q) => q,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let now = q.now;
                let reports = q.reports.clone();
                let profiles = q.profiles.clone();
                let can_sanction = q.can_sanction;
                let (risk, rest): (Vec<FlagItem>, Vec<FlagItem>) =
                    q.flags.into_iter().partition(|f| f.kind == FlagKind::Crisis);
                let (approval, watched): (Vec<FlagItem>, Vec<FlagItem>) =
                    rest.into_iter().partition(|f| f.kind.awaits_approval());
                view! {
                    <section class="panel">
                        <h1>"Moderation queue"</h1>
                        <p class="small"><a href="/mod/words">"Watched words"</a>" · what is blocked, held, flagged or replaced when members write."</p>
                        <h2>"At risk"</h2>
                        <p class="lead">"Posts and replies whose words suggest that their author may be thinking of ending their life or harming themselves. Each is kept out of feeds, search and anonymous views until one of you has looked at it. The author was shown the helplines."</p>
                        {risk.is_empty().then(|| view! { <p class="alert alert-ok" role="status">"Nothing at risk is waiting."</p> })}
                        <ol class="flag-list">
                            {risk.into_iter().map(|f| view! { <FlagCard f=f now=now review=review/> }).collect_view()}
                        </ol>
                    </section>
                    <section class="panel" aria-labelledby="approval-h">
                        <h2 id="approval-h">"Waiting for approval"</h2>
                        <p class="lead">"New members' first posts in communities that hold them, and what used a watched word set to “hold”. Nobody but the author and you can see them until one of you approves."</p>
                        {approval.is_empty().then(|| view! { <p class="alert alert-ok" role="status">"Nothing waits for approval."</p> })}
                        <ol class="flag-list">
                            {approval.into_iter().map(|f| view! { <FlagCard f=f now=now review=review/> }).collect_view()}
                        </ol>
                    </section>
                    {(!watched.is_empty()).then(|| view! {
                        <section class="panel" aria-labelledby="watched-h">
                            <h2 id="watched-h">"Flagged by a watched word"</h2>
                            <p class="lead">"Published, and worth a look."</p>
                            <ol class="flag-list">
                                {watched.into_iter().map(|f| view! { <FlagCard f=f now=now review=review/> }).collect_view()}
                            </ol>
                        </section>
                    })}
                    <ReportList reports=reports now=now dismiss=dismiss remove=remove can_sanction=can_sanction/>
                    {can_sanction.then(|| view! { <ProfileReportList reports=profiles now=now resolve=resolve_profile/> })}
                    {can_sanction.then(|| view! { <SanctionPanel/> })}
                }.into_any()
            })}
        </Transition>
    }
}

/// One item of the queue's flags, with the actions its kind calls for.
#[component]
fn FlagCard(f: FlagItem, now: i64, review: ServerAction<ReviewFlag>) -> impl IntoView {
    let link = match f.reply_id {
        Some(r) => format!("/p/{}#r{r}", f.post_id),
        None => format!("/p/{}", f.post_id),
    };
    let what = if f.reply_id.is_some() {
        "Reply"
    } else {
        "Post"
    };
    let (badge, matched, yes, no) = match f.kind {
        FlagKind::Crisis => (
            "Self-harm risk",
            Some(format!("Matched: “{}”", f.phrase)),
            "Looked at: list it again",
            "Looked at: keep it out of listings",
        ),
        FlagKind::NewMember => ("New member", None, "Approve", "Do not approve"),
        FlagKind::WatchedHold => (
            "Watched word",
            Some(format!("Watched word: “{}”", f.phrase)),
            "Approve",
            "Do not approve",
        ),
        FlagKind::WatchedFlag => (
            "Watched word",
            Some(format!("Watched word: “{}”", f.phrase)),
            "Looked at: leave it up",
            "Keep it out of listings",
        ),
    };
    let crisis = f.kind == FlagKind::Crisis;
    let author = f.author.clone();
    view! {
        <li class="card flag-item" data-kind=f.kind.as_str()>
            <p class="flag-meta">
                <span class=if crisis { "badge badge-risk" } else { "badge" }>{badge}</span>
                " " {what} " by "
                <a href=format!("/u/{}", f.author)>"@"{f.author.clone()}</a>
                " in " {f.place.clone()} " · waiting " {since(now, f.created_at)}
            </p>
            <h3><a href=link>{f.title.clone()}</a></h3>
            {if f.deleted {
                view! { <p class="muted">"Its author has deleted it since."</p> }.into_any()
            } else {
                view! { <blockquote class="flag-text">{f.text.clone()}</blockquote> }.into_any()
            }}
            {matched.map(|m| view! { <p class="small muted">{m}</p> })}
            {crisis.then(|| view! {
                <p class="small">"Read the thread, then reach out: "
                    <a href=format!("/messages/{author}")>"write to @"{author.clone()}</a>
                    ". If they may be in immediate danger, follow your site's emergency procedure."</p>
            })}
            <div class="flag-actions">
                <ActionForm action=review attr:class="inline-form">
                    <input type="hidden" name="id" value=f.id/>
                    <input type="hidden" name="outcome" value="listed"/>
                    <button type="submit" class="button primary">{yes}</button>
                </ActionForm>
                <ActionForm action=review attr:class="inline-form">
                    <input type="hidden" name="id" value=f.id/>
                    <input type="hidden" name="outcome" value="kept_out"/>
                    <button type="submit" class="button">{no}</button>
                </ActionForm>
                {(f.reply_id.is_none() && !f.deleted).then(|| view! { <RetagForm post_id=f.post_id tags=f.tags.clone()/> })}
            </div>
        </li>
    }
}

/// The queue's reports: what was reported, by whom and why, and dismiss or remove.
#[component]
fn ReportList(
    reports: Vec<super::types::ReportItem>,
    now: i64,
    dismiss: ServerAction<DismissReport>,
    remove: ServerAction<RemoveContent>,
    /// Site moderators and admins get "Warn or suspend @author" on each report.
    can_sanction: bool,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="reports-h">
            <h2 id="reports-h">"Reports"</h2>
            {reports.is_empty().then(|| view! { <p class="alert alert-ok" role="status">"No report is waiting."</p> })}
            <ol class="flag-list">
                {reports.into_iter().map(|r| {
                    let link = match r.reply_id {
                        Some(id) => format!("/p/{}#r{id}", r.post_id),
                        None => format!("/p/{}", r.post_id),
                    };
                    let what = if r.reply_id.is_some() { "Reply" } else { "Post" };
                    view! {
                        <li class="card flag-item report-item">
                            <p class="flag-meta">
                                <span class="badge">{r.reason.clone()}</span>
                                " " {what} " by "
                                <a href=format!("/u/{}", r.author)>"@"{r.author.clone()}</a>
                                " in " {r.place.clone()} " · reported by @" {r.reporter.clone()}
                                " " {since(now, r.created_at)} " ago"
                            </p>
                            <h3><a href=link>{r.title.clone()}</a></h3>
                            {if r.removed {
                                view! { <p class="muted">"Already removed."</p> }.into_any()
                            } else {
                                view! { <blockquote class="flag-text">{r.text.clone()}</blockquote> }.into_any()
                            }}
                            {(!r.note.is_empty()).then(|| view! { <p class="small">"The reporter adds: " {r.note.clone()}</p> })}
                            {(r.earlier > 0).then(|| view! {
                                <p class="small muted">{format!("Reported {} other time{} before.", r.earlier, if r.earlier == 1 { "" } else { "s" })}</p>
                            })}
                            <div class="flag-actions">
                                <ActionForm action=dismiss attr:class="inline-form">
                                    <input type="hidden" name="id" value=r.id/>
                                    <button type="submit" class="button">"Dismiss: leave it up"</button>
                                </ActionForm>
                                {(!r.removed).then(|| view! { <RemoveForm action=remove post_id=r.post_id reply_id=r.reply_id/> })}
                                {(r.reply_id.is_none() && !r.removed).then(|| view! { <RetagForm post_id=r.post_id tags=r.tags.clone()/> })}
                                {can_sanction.then(|| view! {
                                    <a class="button" href=format!("/mod?sanction={}#sanction-h", r.author)>"Warn or suspend @"{r.author.clone()}</a>
                                })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The queue's reports on profiles (site moderators and admins): the name and "about me" as
/// they are now, the reason, and dismiss, clear or sanction.
#[component]
fn ProfileReportList(
    reports: Vec<super::types::ProfileReportItem>,
    now: i64,
    resolve: ServerAction<ResolveProfileReport>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="profile-reports-h">
            <h2 id="profile-reports-h">"Reported profiles"</h2>
            {reports.is_empty().then(|| view! { <p class="alert alert-ok" role="status">"No profile report is waiting."</p> })}
            <ol class="flag-list">
                {reports.into_iter().map(|r| view! {
                    <li class="card flag-item profile-report-item">
                        <p class="flag-meta">
                            <span class="badge">{r.reason.clone()}</span>
                            " Profile of "
                            <a href=format!("/u/{}", r.handle)>"@"{r.handle.clone()}</a>
                            " · reported by @" {r.reporter.clone()} " " {since(now, r.created_at)} " ago"
                        </p>
                        {(!r.display_name.is_empty()).then(|| view! { <p><strong>"Name: "</strong>{r.display_name.clone()}</p> })}
                        {if r.bio.is_empty() {
                            view! { <p class="muted">"No “about me” now."</p> }.into_any()
                        } else {
                            view! { <blockquote class="flag-text">{r.bio.clone()}</blockquote> }.into_any()
                        }}
                        {(!r.note.is_empty()).then(|| view! { <p class="small">"The reporter adds: " {r.note.clone()}</p> })}
                        {(r.earlier > 0).then(|| view! {
                            <p class="small muted">{format!("Reported {} other time{} before.", r.earlier, if r.earlier == 1 { "" } else { "s" })}</p>
                        })}
                        <div class="flag-actions">
                            <ActionForm action=resolve attr:class="inline-form">
                                <input type="hidden" name="id" value=r.id/>
                                <input type="hidden" name="outcome" value="dismiss"/>
                                <button type="submit" class="button">"Dismiss: leave it as it is"</button>
                            </ActionForm>
                            <ActionForm action=resolve attr:class="inline-form">
                                <input type="hidden" name="id" value=r.id/>
                                <input type="hidden" name="outcome" value="clear"/>
                                <button type="submit" class="button danger">"Clear the name and “about me”"</button>
                            </ActionForm>
                            <a class="button" href=format!("/mod?sanction={}#sanction-h", r.handle)>"Warn or suspend @"{r.handle.clone()}</a>
                        </div>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

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
            {crate::ui::with_echo(super::api::REPORT_PROFILE, err.get_untracked().is_some(), move |echo| {
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
fn RetagForm(post_id: i64, tags: String) -> impl IntoView {
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

/// Site moderators and admins: warn or suspend a member, or (admins) lift a suspension.
#[component]
pub fn SanctionPanel() -> impl IntoView {
    use crate::ui::{
        action_error, echoed, field_error, with_echo, Field, FieldMessage, FormAlert, Saved,
    };
    let action = ServerAction::<SanctionMember>::new();
    let err = action_error(action);
    // "Warn or suspend @author" on a report fills the handle in.
    let named = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("sanction"));
    view! {
        <section class="panel" aria-labelledby="sanction-h">
            <h2 id="sanction-h">"Warn or suspend a member"</h2>
            <p class="hint">"A suspended member can still read, download and delete their data, but cannot post, reply, vote, rate or send messages. They see your reason and until when. Everything here goes into the audit log."</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Warn or suspend a member">
                <FormAlert error=err/>
                <Saved action=action message="Done. The member has been told."/>
                {with_echo(super::api::SANCTION, err.get_untracked().is_some(), move |echo| {
                    let chosen = echoed(&echo, "action").unwrap_or_default();
                    view! {
                        <Field label="Member's handle" name="sanction_handle" value=echoed(&echo, "sanction_handle").or(named.clone()) error=field_error(err, "sanction_handle")/>
                        <div class="field">
                            <label for="f-action">"What to do"</label>
                            <select id="f-action" name="action" aria-describedby="f-action-error">
                                {SANCTIONS.iter().map(|(v, l)| view! { <option value=*v selected=chosen == *v>{*l}</option> }).collect_view()}
                            </select>
                            <FieldMessage id="f-action-error".into() error=field_error(err, "action")/>
                        </div>
                        <div class="field" class:has-error=move || field_error(err, "reason").get().is_some()>
                            <label for="f-reason">"Reason (the member reads it)"</label>
                            <textarea id="f-reason" name="reason" rows="3" aria-describedby="f-reason-error">{crate::ui::textarea_text(echoed(&echo, "reason").unwrap_or_default())}</textarea>
                            <FieldMessage id="f-reason-error".into() error=field_error(err, "reason")/>
                        </div>
                    }
                })}
                <button type="submit" class="button primary">"Apply"</button>
            </ActionForm>
        </section>
    }
}

/// `/mod/words`: a watched-word list (the site's for admins, a community's for its moderators):
/// what is there and what it does, and a form to add words, one per line.
#[component]
pub fn WatchedWordsPage() -> impl IntoView {
    use super::api::{get_watched, words_page, AddWatched, RemoveWatched};
    use super::types::{WATCHED_CHARS, WATCHED_MAX, WATCH_ACTIONS};
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
    let list = Resource::new(
        move || {
            (
                query.read().get("c"),
                add.version().get(),
                remove.version().get(),
            )
        },
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
                        {(l.lists.len() > 1).then(|| view! {
                            <nav aria-label="Lists" class="small">
                                "Lists: "
                                {l.lists.iter().map(|(slug, name)| {
                                    let current = *slug == community;
                                    view! {
                                        <a href=words_page(slug) aria-current=current.then_some("page")>{name.clone()}</a>
                                        " "
                                    }
                                }).collect_view()}
                            </nav>
                        })}
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
                        <ul class="plain-list watched-list">
                            {l.words.into_iter().map(|w| view! {
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
                    </section>
                }.into_any()
            })}
        </Transition>
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
