//! The admin page: verify or reject clinicians, grant and revoke moderator/admin roles, staff's two-step sign-in and a member's lost phone, read the audit log.

use super::api::{
    audit_log, pending_verifications, staff, DecideVerification, ResetTwoStep, SetRole,
    SetStaffTwoStep,
};
use super::types::{AuditEntry, Page, PendingVerification, StaffView};
use crate::auth::types::specialty_title;
use crate::error::AppError;
use crate::privacy::pages::erase_member_panel;
use crate::ui::{
    action_error, echo_resource, echoed, field_error, format_date, format_datetime, with_echo,
    ErrorView, Field, FieldMessage, FormAlert, Panel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPage() -> impl IntoView {
    let decide = ServerAction::<DecideVerification>::new();
    let set_role = ServerAction::<SetRole>::new();
    let query = use_query_map();
    let after = move || crate::ui::number_in(query, "after");
    let decide_ok = crate::ui::successes(decide);
    let pending = crate::ui::resource(
        move || (decide_ok.get(), after()),
        |(_, after)| pending_verifications(after),
    );
    let set_role_ok = crate::ui::successes(set_role);
    let policy = ServerAction::<SetStaffTwoStep>::new();
    let policy_ok = crate::ui::successes(policy);
    let staff_list = crate::ui::resource(move || (set_role_ok.get(), policy_ok.get()), |_| staff());
    let log_before = move || crate::ui::number_in(query, "log_before");
    let log = crate::ui::resource(
        move || {
            (
                decide_ok.get(),
                set_role_ok.get(),
                policy_ok.get(),
                log_before(),
            )
        },
        |(_, _, _, before)| audit_log(before),
    );
    let role_err = action_error(set_role);
    let role_echo = echo_resource(super::api::SET_ROLE, role_err.get_untracked().is_some());
    view! {
        <Title text="Admin"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (pending, staff_list, log) = (pending.await, staff_list.await, log.await);
                let echo = role_echo.await;
                let role = echoed(&echo, "role").unwrap_or_default();
                let (pending, staff_list, log) = match (pending, staff_list, log) {
                    (Ok(p), Ok(s), Ok(l)) => (p, s, l),
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                        return view! { <ErrorView error=e/> }.into_any();
                    }
                };
                view! {
                    <h1>"Admin"</h1>
                    {admin_links()}
                    {verification_queue(pending, decide)}
                    {staff_roles(staff_list, role, echoed(&echo, "handle"), set_role, policy)}
                    {reset_two_step_panel()}
                    {erase_member_panel()}
                    {audit_log_table(log, log_before().is_some())}
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// The admin's other desks: their links (address, name) and what they are for.
const ADMIN_DESKS: &[(&[(&str, &str)], &str)] = &[
    (
        &[("/communities/new", "Create a community")],
        " Edit a community, or appoint its moderators, from its page.",
    ),
    (
        &[("/admin/operator", "The operator and advertisers")],
        " Who runs this site, the advertising policy, who may advertise (shown on /about), campaigns and announcements.",
    ),
    (
        &[("/admin/analytics", "Traffic and advertising figures")],
        " Page views, visitors, community activity, sponsored impressions, clicks, inventory and revenue.",
    ),
    (
        &[("/admin/synonyms", "Search synonyms")],
        " Abbreviations and other words search treats as the same (MS and multiple sclerosis).",
    ),
    (
        &[("/directory/new", "Add a clinic"), ("/directory/reports", "Reported reviews")],
        " Clinics that ask to be listed wait on “Add a clinic”. A clinic's staff manage its profile; its change history shows on its page.",
    ),
    (
        &[("/mod", "Moderation queue"), ("/messages/reports", "Reported messages")],
        " Posts at risk, held or reported, reported profiles, warnings and suspensions; private messages members reported (you read the reported message only).",
    ),
];

/// The admin's other desks, each with what it is for.
fn admin_links() -> impl IntoView {
    ADMIN_DESKS
        .iter()
        .map(|(links, what)| {
            view! {
                <p class="admin-links">
                    {links.iter().map(|(href, name)| view! { <a class="button" href=*href>{*name}</a> }).collect_view()}
                    {*what}
                </p>
            }
        })
        .collect_view()
}

/// Clinicians waiting for verification: verify, or reject with a reason; paged.
fn verification_queue(
    pending: Page<PendingVerification>,
    decide: ServerAction<DecideVerification>,
) -> impl IntoView {
    let decide_err = action_error(decide);
    view! {
        <Panel id="pending-h" title="Clinicians waiting for verification">
            <FormAlert error=Signal::derive(move || decide_err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
            {if pending.items.is_empty() {
                view! { <p class="muted">"Nobody is waiting."</p> }.into_any()
            } else {
                view! {
                    <ul class="queue">
                        {pending.items.into_iter().map(|v| {
                            let reason_field = format!("reason-{}", v.id);
                            let reason_id = format!("f-reason-{}", v.id);
                            let reason_err_id = format!("{reason_id}-error");
                            let reason_error = Signal::derive({
                                let reason_field = reason_field.clone();
                                move || decide_err.get().and_then(|e| e.field_message(&reason_field))
                            });
                            let (h_verify, h_reject) = (v.handle.clone(), v.handle.clone());
                            view! {
                                <li class="queue-item">
                                    <p>
                                        <a href=format!("/u/{}", v.handle.clone())>"@"{v.handle.clone()}</a>
                                        " · " {specialty_title(&v.specialty)}
                                        " · licence " <code>{v.licence_number.clone()}</code>
                                        " · sent " {format_date(v.submitted_at)}
                                    </p>
                                    <div class="queue-actions">
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=v.id/>
                                            <input type="hidden" name="decision" value="verify"/>
                                            <button type="submit" class="button primary">"Verify @"{h_verify}</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="inline-form reject-form" attr:novalidate=true>
                                            <input type="hidden" name="id" value=v.id/>
                                            <input type="hidden" name="decision" value="reject"/>
                                            <label for=reason_id.clone()>"Reason for rejecting @"{h_reject}</label>
                                            <input id=reason_id name="reason" aria-describedby=reason_err_id.clone()/>
                                            <button type="submit" class="button">"Reject"</button>
                                            <FieldMessage id=reason_err_id error=reason_error/>
                                        </ActionForm>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {pending.next.map(|n| view! { <p><a href=format!("/admin?after={n}")>"Next page"</a></p> })}
                }.into_any()
            }}
        </Panel>
    }
}

/// Members with a staff role, and the form that grants or revokes one.
fn staff_roles(
    staff_list: StaffView,
    // The role and handle the form had when it failed.
    role: String,
    handle: Option<String>,
    set_role: ServerAction<SetRole>,
    policy: ServerAction<SetStaffTwoStep>,
) -> impl IntoView {
    let role_err = action_error(set_role);
    let policy_err = action_error(policy);
    let required = staff_list.two_step_required;
    view! {
        <Panel id="roles-h" title="Moderators, admins and editors">
            <div class="table-scroll" tabindex="0">
            <table class="table data-table">
                <caption class="visually-hidden">"Members with a staff role"</caption>
                <thead><tr><th scope="col">"Member"</th><th scope="col">"Roles"</th><th scope="col">"Two-step sign-in"</th></tr></thead>
                <tbody>
                    {staff_list.members.into_iter().map(|m| {
                        let roles = [(m.is_moderator, "moderator"), (m.is_admin, "admin"), (m.is_editor, "editor")]
                            .into_iter()
                            .filter(|(on, _)| *on)
                            .map(|(_, r)| r)
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <tr>
                                <td><a href=format!("/u/{}", m.handle)>"@"{m.handle.clone()}</a></td>
                                <td>{roles}</td>
                                <td>{if m.two_step { "On" } else { "Off" }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <ActionForm action=policy attr:class="stack staff-policy" attr:aria-label="Two-step sign-in for staff">
                <FormAlert error=policy_err/>
                <input type="hidden" name="required" value=if required { "off" } else { "on" }/>
                <p>{if required {
                    "Required: a staff role works only while its member has two-step sign-in on."
                } else {
                    "Not required: a password alone opens a staff account."
                }}</p>
                <FieldMessage id="f-required-error".into() error=field_error(policy_err, "required")/>
                <button type="submit" class="button">{if required { "Stop requiring it" } else { "Require two-step sign-in of staff" }}</button>
            </ActionForm>
            <h3>"Grant or revoke a role"</h3>
            <ActionForm action=set_role attr:novalidate=true attr:class="stack">
                <FormAlert error=role_err/>
                <Field label="Member's handle" name="handle" value=handle error=field_error(role_err, "handle")/>
                <crate::ui::Select label="Role" name="role" current=role error=field_error(role_err, "role")
                    choices=crate::ui::choices(&[("moderator", "Moderator"), ("admin", "Admin"), ("editor", "Editor (health library)")])/>
                <crate::ui::Select label="Change" name="change" current="grant" error=field_error(role_err, "change")
                    choices=crate::ui::choices(&[("grant", "Grant"), ("revoke", "Revoke")])/>
                <button type="submit" class="button primary">"Apply"</button>
            </ActionForm>
        </Panel>
    }
}

/// Turns off the two-step sign-in of a member who lost their phone and recovery codes.
fn reset_two_step_panel() -> impl IntoView {
    let reset = ServerAction::<ResetTwoStep>::new();
    let err = action_error(reset);
    let done = move || {
        reset.value().get().is_some_and(|r| r.is_ok()).then(|| {
            view! { <p class="alert alert-ok" role="status">"Turned off. The member is told by e-mail; the audit log keeps your reason."</p> }
        })
    };
    view! {
        <Panel id="reset-two-step-h" title="A member lost their phone">
            <p class="hint">"Turns off a member's two-step sign-in when they lost both their phone and their recovery codes. Only after you checked that the request is theirs, for example by a reply from the account's e-mail address."</p>
            <ActionForm action=reset attr:novalidate=true attr:class="stack" attr:aria-label="Turn off a member's two-step sign-in">
                <FormAlert error=err/>
                {done}
                {with_echo(super::api::RESET_TWO_STEP, err.get_untracked().is_some(), move |echo| view! {
                    <Field label="Handle of the member who lost their phone" name="reset_handle" value=echoed(&echo, "reset_handle") error=field_error(err, "reset_handle")/>
                    <Field label="How you checked the request" name="reset_reason" value=echoed(&echo, "reset_reason") error=field_error(err, "reset_reason")/>
                })}
                <button type="submit" class="button">"Turn off their two-step sign-in"</button>
            </ActionForm>
        </Panel>
    }
}

/// The admin actions, newest first, 50 to a page (`older`: a page after the first, which links
/// back to the newest).
fn audit_log_table(log: Page<AuditEntry>, older: bool) -> impl IntoView {
    view! {
        <Panel id="log-h" title="Audit log">
            // A table on a wide screen; on a phone each entry stands as a short block (style:
            // `.log-table`), the time and who first, then what, the member and the detail.
            <div class="table-scroll" tabindex="0">
            <table class="table log-table">
                <caption class="visually-hidden">"Latest admin actions, newest first"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Member"</th><th scope="col">"Detail"</th></tr></thead>
                <tbody>
                    {log.items.iter().map(|e| view! {
                        <tr>
                            <td class="when">{format_datetime(e.created_at)}</td>
                            <td class="who">{e.actor.clone().map(|a| format!("@{a}"))}</td>
                            <td class="what">{e.what.clone()}</td>
                            <td class="member">{e.target.clone().map(|t| format!("@{t}"))}</td>
                            <td class="detail">{e.detail.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="feed-more">
                {older.then(|| view! { <a class="button" href="/admin#log-h">"Newest entries"</a> })}
                {log.next.map(|n| view! {
                    <a class="button" href=format!("/admin?log_before={n}#log-h")>"Older entries"</a>
                })}
            </p>
        </Panel>
    }
}
