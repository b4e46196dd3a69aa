//! The moderation queue at `/mod`: crisis flags, reports of posts, replies and profiles, and the panel to warn or suspend a member.

use super::*;
use crate::ui::Panel;

/// `/mod`: what waits for a moderator in the places the member moderates, the longest wait first.
#[component]
pub fn ModQueuePage() -> impl IntoView {
    let review = ServerAction::<ReviewFlag>::new();
    let dismiss = ServerAction::<DismissReport>::new();
    let remove = ServerAction::<RemoveContent>::new();
    let resolve_profile = ServerAction::<ResolveProfileReport>::new();
    let review_ok = crate::ui::successes(review);
    let dismiss_ok = crate::ui::successes(dismiss);
    let remove_ok = crate::ui::successes(remove);
    let resolve_profile_ok = crate::ui::successes(resolve_profile);
    let queue = crate::ui::resource(
        move || {
            (
                review_ok.get(),
                dismiss_ok.get(),
                remove_ok.get(),
                resolve_profile_ok.get(),
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
                        // Site moderators and admins also read what members reported in private
                        // messages (the same rule as sanctions).
                        {can_sanction.then(|| view! {
                            <p class="small"><a href="/messages/reports">"Reported messages"</a>" · private messages members reported: you read the reported message only."</p>
                        })}
                        <h2>"At risk"</h2>
                        <p class="lead">"Posts and replies whose words suggest that their author may be thinking of ending their life or harming themselves. Each is kept out of feeds, search and anonymous views until one of you has looked at it. The author was shown the helplines."</p>
                        {risk.is_empty().then(|| view! { <p class="alert alert-ok" role="status">"Nothing at risk is waiting."</p> })}
                        <ol class="flag-list">
                            {risk.into_iter().map(|f| view! { <FlagCard f=f now=now review=review/> }).collect_view()}
                        </ol>
                    </section>
                    <Panel id="approval-h" title="Waiting for approval">
                        <p class="lead">"New members' first posts in communities that hold them, and what used a watched word set to “hold”. Nobody but the author and you can see them until one of you approves."</p>
                        {approval.is_empty().then(|| view! { <p class="alert alert-ok" role="status">"Nothing waits for approval."</p> })}
                        <ol class="flag-list">
                            {approval.into_iter().map(|f| view! { <FlagCard f=f now=now review=review/> }).collect_view()}
                        </ol>
                    </Panel>
                    {(!watched.is_empty()).then(|| view! {
                        <Panel id="watched-h" title="Flagged by a watched word">
                            <p class="lead">"Published, and worth a look."</p>
                            <ol class="flag-list">
                                {watched.into_iter().map(|f| view! { <FlagCard f=f now=now review=review/> }).collect_view()}
                            </ol>
                        </Panel>
                    })}
                    {report_list(reports, now, dismiss, remove, can_sanction)}
                    {can_sanction.then(|| view! { {profile_report_list(profiles, now, resolve_profile)} })}
                    {can_sanction.then(|| view! { {sanction_panel()} })}
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
fn report_list(
    reports: Vec<crate::safety::types::ReportItem>,
    now: i64,
    dismiss: ServerAction<DismissReport>,
    remove: ServerAction<RemoveContent>,
    // Site moderators and admins get "Warn or suspend @author" on each report.
    can_sanction: bool,
) -> impl IntoView {
    view! {
        <Panel id="reports-h" title="Reports">
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
        </Panel>
    }
}

/// The queue's reports on profiles (site moderators and admins): the name and "about me" as
/// they are now, the reason, and dismiss, clear or sanction.
fn profile_report_list(
    reports: Vec<crate::safety::types::ProfileReportItem>,
    now: i64,
    resolve: ServerAction<ResolveProfileReport>,
) -> impl IntoView {
    view! {
        <Panel id="profile-reports-h" title="Reported profiles">
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
        </Panel>
    }
}

/// Site moderators and admins: warn or suspend a member, or (admins) lift a suspension.
pub fn sanction_panel() -> impl IntoView {
    use crate::ui::{
        action_error, echoed, field_error, with_echo, Field, FieldMessage, FormAlert, Saved,
    };
    let action = ServerAction::<SanctionMember>::new();
    let err = action_error(action);
    // "Warn or suspend @author" on a report fills the handle in.
    let named = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("sanction"));
    view! {
        <Panel id="sanction-h" title="Warn or suspend a member">
            <p class="hint">"A suspended member can still read, download and delete their data, but cannot post, reply, vote, rate or send messages. They see your reason and until when. Everything here goes into the audit log."</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Warn or suspend a member">
                <FormAlert error=err/>
                <Saved action=action message="Done. The member has been told."/>
                {with_echo(crate::safety::api::SANCTION, err.get_untracked().is_some(), move |echo| {
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
                        <crate::ui::TextArea label="Reason (the member reads it)" name="reason" rows=3 value=echoed(&echo, "reason").unwrap_or_default()
                            error=field_error(err, "reason")/>
                    }
                })}
                <button type="submit" class="button primary">"Apply"</button>
            </ActionForm>
        </Panel>
    }
}
