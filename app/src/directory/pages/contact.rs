//! Contact requests: the clinic's inbox, a member's requests, one request's thread, and the reports page.

use super::*;
use crate::ui::{loaded, When};

pub(super) fn status_label(s: &str) -> &'static str {
    match s {
        "new" => "New",
        "answered" => "Answered",
        _ => "Closed",
    }
}

/// Requests as cards, newest first; `empty` says what to do when there are none.
#[component]
pub(super) fn RequestList(
    list: Vec<ContactSummary>,
    show_clinic: bool,
    empty: &'static str,
) -> impl IntoView {
    crate::ui::card_list(list, empty, move |r| {
        view! {
            <a href=format!("/requests/{}", r.id)>{if show_clinic { r.provider_name.clone() } else { format!("@{}", r.member) }}</a>
            " "<span class=format!("badge status-{}", r.status)>{status_label(&r.status)}</span>
            <p class="small">{r.reason.chars().take(140).collect::<String>()}</p>
            <p class="muted small"><When ms=r.updated_at time=true/></p>
        }
        .into_any()
    })
}

/// A clinic's contact requests (staff only).
#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_params_map();
    let list = crate::ui::resource(
        move || params.read().get("slug").unwrap_or_default(),
        clinic_inbox,
    );
    view! {
        {crate::ui::loaded(list, move |inbox| async move {
            let slug = params.read_untracked().get("slug").unwrap_or_default();
            view! {
                <Title text=format!("Contact requests · {}", inbox.clinic)/>
                <p class="crumbs"><a href=format!("/directory/{slug}")>{inbox.clinic.clone()}</a></p>
                <h1>"Contact requests"</h1>
                <p class="lead">{format!(
                    "What members asked {} for, newest first. Only the clinic's staff and the member who wrote can read a request.",
                    inbox.clinic
                )}</p>
                <RequestList list=inbox.requests show_clinic=false
                    empty="No requests yet. Members ask for an appointment or a call back from the clinic's page."/>
            }
        })}
    }
}

/// The member's own requests to clinics.
#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let list = crate::ui::resource(|| (), |_| my_requests());
    view! {
        <Title text="Your requests to clinics"/>
        <h1>"Your requests to clinics"</h1>
        <p class="lead">"What you asked clinics for, newest first, with their answers. Only you and the clinic's staff can read a request."</p>
        {crate::ui::loaded(list, move |l| async move { view! {
            <RequestList list=l show_clinic=true
                empty="No requests yet. To ask a clinic for an appointment or a call back, open its page under Find care and use “Send request”."/>
        } })}
    }
}

/// One request's thread, for the member and the clinic's staff.
#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let answer = ServerAction::<AnswerRequest>::new();
    let answered = successes(answer);
    let body_ref = crate::ui::emptied_after(answered);
    let thread = crate::ui::resource(
        move || {
            (
                crate::ui::number_in(params, "id").unwrap_or(0),
                answered.get(),
            )
        },
        |(id, _)| get_request(id),
    );
    let err = action_error(answer);
    let echo = echo_resource(
        super::super::api::ANSWER_REQUEST,
        err.get_untracked().is_some(),
    );
    view! {
        {crate::ui::loaded(thread, move |t| async move {
            let typed = echoed(&echo.await, "body").unwrap_or_default();
            let s = t.summary.clone();
            view! {
                <Title text=format!("Request to {}", s.provider_name)/>
                <p><a href=format!("/directory/{}", s.provider_slug)>{s.provider_name.clone()}</a></p>
                <h1>"Request from @"{s.member.clone()}" "<span class=format!("badge status-{}", s.status)>{status_label(&s.status)}</span></h1>
                <section class="panel">
                    <p class="request-reason">{s.reason.clone()}</p>
                    <dl class="details">
                        <div><dt>"Preferred times"</dt><dd>{if t.preferred_times.is_empty() { "—".to_string() } else { t.preferred_times.clone() }}</dd></div>
                        <div><dt>"Contact by"</dt><dd>{t.contact_via.clone()}</dd></div>
                    </dl>
                </section>
                <ol class="messages">
                    {t.messages.iter().map(|m| view! {
                        <li class="card" class:from-clinic=m.from_clinic>
                            <p class="small muted">{if m.from_clinic { format!("@{} for the clinic", m.author) } else { format!("@{}", m.author) }}" · "<When ms=m.at time=true/></p>
                            <p>{m.body.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
                <section class="panel">
                    <ActionForm action=answer attr:novalidate=true attr:class="stack">
                        <FormAlert error=err/>
                        <input type="hidden" name="id" value=s.id.to_string()/>
                        <div class="field">
                            <label for="f-answer">{if t.viewer_is_staff { "Answer the member" } else { "Write to the clinic" }}</label>
                            <textarea id="f-answer" name="body" rows="3" aria-describedby="f-answer-error" node_ref=body_ref>{crate::ui::textarea_text(typed.clone())}</textarea>
                            <FieldMessage id="f-answer-error".into() error=field_error(err, "body")/>
                        </div>
                        {t.viewer_is_staff.then(|| view! {
                            <Checkbox name="close">"Close the request"</Checkbox>
                        })}
                        <button type="submit" class="button primary">"Send"</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}

/// Reported and disputed reviews, for the admins to keep or hide.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let resolve = ServerAction::<ResolveReport>::new();
    let done = successes(resolve);
    let list = crate::ui::resource(move || done.get(), |_| open_reports());
    view! {
        <Title text="Reported reviews"/>
        <p class="crumbs"><a href="/admin">"← Admin"</a></p>
        <h1>"Reported reviews"</h1>
        <p class="lead">"Reviews members reported and reviews a clinic disputed, oldest first. Keep one or hide it: a hidden review leaves the clinic's average, and the outcome goes to the audit log."</p>
        {loaded(list, move |list| async move {
            crate::ui::card_list(list, "Nothing to review.", move |r| view! {
                <p>
                    <strong>{if r.kind == "dispute" { "Disputed by the provider" } else { "Reported" }}</strong>
                    " by @"{r.reporter.clone()}" — "<a href=format!("/directory/{}#review-{}", r.provider_slug, r.review.id)>{r.provider_name.clone()}</a>
                </p>
                <p class="small">"Reason: "{r.reason.clone()}</p>
                <blockquote>{format!("{} stars by @{}: {}", r.review.stars, r.review.author, r.review.body)}</blockquote>
                {(!r.review.treatment.is_empty()).then(|| view! { <p class="small">"Treatment described: "{r.review.treatment.clone()}</p> })}
                <ActionForm action=resolve attr:class="inline-form">
                    <input type="hidden" name="report" value=r.id.to_string()/>
                    <button type="submit" class="button" name="outcome" value="keep">"Keep the review"</button>
                    " "
                    <button type="submit" class="button danger" name="outcome" value="hide">"Hide the review"</button>
                </ActionForm>
            }.into_any())
        })}
    }
}
