//! A support group's moderators' page: join requests, members, invitations and the group's details.

use super::*;
use crate::ui::{Panel, When};

/// `/g/:slug/manage`: join requests with their answers, members, invitations. Group moderators and admins.
#[component]
pub fn GroupManagePage() -> impl IntoView {
    let params = use_params_map();
    let decide = ServerAction::<DecideJoinRequest>::new();
    let remove = ServerAction::<RemoveGroupMember>::new();
    let invite = ServerAction::<InviteToGroup>::new();
    let moderator = ServerAction::<SetGroupModerator>::new();
    let update = ServerAction::<UpdateGroup>::new();
    let update_err = action_error(update);
    let echo = echo_resource(
        crate::groups::api::UPDATE_GROUP,
        update_err.get_untracked().is_some(),
    );
    let changed = [
        successes(decide),
        successes(remove),
        successes(invite),
        successes(moderator),
        successes(update),
    ];
    let admin = crate::ui::resource(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                changed.map(|m| m.get()),
            )
        },
        |(slug, _)| get_group_admin(slug),
    );
    let action_err = crate::ui::first_error([
        action_error(decide),
        action_error(remove),
        action_error(moderator),
    ]);
    let invite_err = action_error(invite);
    let invite_echo = echo_resource(
        crate::groups::api::INVITE_TO_GROUP,
        invite_err.get_untracked().is_some(),
    );
    view! {
        {crate::ui::loaded(admin, move |a| async move {
            let slug = a.slug.clone();
            let row_err = move || action_err.get().and_then(|e| e.field_message("handle"));
            let members_view = a.members.iter().map(|m| view! {
                {member_row(slug.clone(), m.clone(), moderator, remove)}
            }).collect_view();
            let requests_view = a.requests.iter().map(|r| view! {
                {request_row(slug.clone(), r.clone(), a.question.clone(), decide)}
            }).collect_view();
            let no_requests = a.requests.is_empty();
            let echo = echo.await;
            let invited = echoed(&invite_echo.await, "handle");
            let kept = |name: &str, current: &str| echoed(&echo, name).unwrap_or_else(|| current.to_string());
            let details = view! {
                {group_details_form(slug.clone(), a.kind.label(), kept("name", &a.name), kept("description", &a.description), kept("question", &a.question), update)}
            };
            view! {
                <Title text=format!("Manage {}", a.name)/>
                <p class="crumbs"><a href=format!("/g/{slug}")>{a.name.clone()}</a></p>
                <h1>"Manage the group"</h1>
                <FormAlert error=action_err/>
                {move || row_err().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
                {join_requests(requests_view, no_requests)}
                {invite_member(slug.clone(), invited, invite)}
                {details}
                {member_list(members_view)}
            }
        })}
    }
}

/// The group's members, each with the moderator's forms.
fn member_list(members: impl IntoView + 'static) -> impl IntoView {
    view! {
        <Panel id="mem-h" title="Members">
            <ul class="plain-list member-list">
                {members}
            </ul>
        </Panel>
    }
}

/// The join requests waiting, or a line saying there are none.
fn join_requests(requests: impl IntoView + 'static, none: bool) -> impl IntoView {
    view! {
        <Panel id="req-h" title="Join requests">
            {if none {
                view! { <p class="muted">"No requests waiting."</p> }.into_any()
            } else {
                view! { <ul class="plain-list request-list">{requests}</ul> }.into_any()
            }}
        </Panel>
    }
}

/// Invite a member by handle (the only way into a hidden group).
fn invite_member(
    slug: String,
    // The handle typed when inviting failed.
    invited: Option<String>,
    invite: ServerAction<InviteToGroup>,
) -> impl IntoView {
    let invite_err = action_error(invite);
    view! {
        <Panel id="inv-h" title="Invite a member">
            <p class="muted">"Invited members join with one click. This is the only way into a hidden group."</p>
            <ActionForm action=invite attr:novalidate=true attr:class="stack">
                <input type="hidden" name="slug" value=slug/>
                <Field label="Member's handle" name="handle" value=invited error=field_error(invite_err, "handle")/>
                <button type="submit" class="button primary">"Invite"</button>
            </ActionForm>
        </Panel>
    }
}

/// One member on the moderators' page, with what may be done to them (made moderator, removed,
/// banned, the ban lifted); moderators are listed without actions.
fn member_row(
    slug: String,
    m: GroupMember,
    moderator: ServerAction<SetGroupModerator>,
    remove: ServerAction<RemoveGroupMember>,
) -> impl IntoView {
    let (s1, s2, s3) = (slug.clone(), slug.clone(), slug.clone());
    let (h1, h2, h3, h) = (
        m.handle.clone(),
        m.handle.clone(),
        m.handle.clone(),
        m.handle.clone(),
    );
    let state = match m.status {
        MemberStatus::Invited => " · invited",
        MemberStatus::Banned => " · removed, may not rejoin",
        _ if m.is_moderator => " · moderator",
        _ => "",
    };
    let active = m.status == MemberStatus::Active;
    let banned = m.status == MemberStatus::Banned;
    view! {
        <li>
            <a href=format!("/u/{h}")>"@"{h.clone()}</a>
            <span class="small muted">{state}</span>
            {(!m.is_moderator).then(move || view! {
                <span class="row-actions">
                    {active.then(move || view! {
                        <ActionForm action=moderator attr:class="inline-form">
                            <input type="hidden" name="slug" value=s3/>
                            <input type="hidden" name="handle" value=h3/>
                            <input type="hidden" name="on" value="true"/>
                            <button type="submit" class="link-button">"Make moderator"</button>
                        </ActionForm>
                    })}
                    {if banned {
                        remove_button(remove, (s1, h1), false, "Lift the ban", "link-button").into_any()
                    } else {
                        // One tap on a phone must not put someone out of their support
                        // group: the two ways out are behind "Remove…", with what each means.
                        view! {
                            <details class="review-tools remove-tools">
                                <summary>"Remove…"</summary>
                                <p class="small muted">
                                    "@"{h2.clone()}" will no longer read or write in the group. After "
                                    "“Remove” they may ask to join again; after “Remove and ban” they may not."
                                </p>
                                <div class="form-actions">
                                    {remove_button(remove, (s1, h1), false, "Remove", "button danger")}
                                    {remove_button(remove, (s2, h2.clone()), true, "Remove and ban", "button danger")}
                                </div>
                            </details>
                        }.into_any()
                    }}
                </span>
            })}
        </li>
    }
}

/// One way a member leaves the group at a moderator's hand (`ban`: may not rejoin), or a ban
/// lifted (`ban` false on a banned member), as a button.
fn remove_button(
    remove: ServerAction<RemoveGroupMember>,
    (slug, handle): (String, String),
    ban: bool,
    label: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=remove attr:class="inline-form">
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="handle" value=handle/>
            <input type="hidden" name="ban" value=ban.to_string()/>
            <button type="submit" class=class>{label}</button>
        </ActionForm>
    }
}

/// A join request with the member's answer to the screening question: approve or decline.
fn request_row(
    slug: String,
    r: JoinRequest,
    question: String,
    decide: ServerAction<DecideJoinRequest>,
) -> impl IntoView {
    let (s1, s2) = (slug.clone(), slug.clone());
    let (h1, h2) = (r.handle.clone(), r.handle.clone());
    view! {
        <li class="request">
            <p><a href=format!("/u/{}", r.handle)>"@"{r.handle.clone()}</a>
                <span class="small muted">" · asked " <When ms=r.created_at/></span></p>
            {(!question.is_empty()).then(|| view! { <p class="small muted">{question.clone()}</p> })}
            <blockquote>{if r.answer.is_empty() { "(no answer)".to_string() } else { r.answer.clone() }}</blockquote>
            <div class="row-actions">
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="slug" value=s1/>
                    <input type="hidden" name="handle" value=h1.clone()/>
                    <input type="hidden" name="approve" value="true"/>
                    <button type="submit" class="button primary">"Approve @"{h1}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="slug" value=s2/>
                    <input type="hidden" name="handle" value=h2/>
                    <input type="hidden" name="approve" value="false"/>
                    <button type="submit" class="button">"Decline"</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// The group's name, description and screening question (its kind stays as it was started).
fn group_details_form(
    slug: String,
    kind_label: &'static str,
    name: String,
    description: String,
    question: String,
    update: ServerAction<UpdateGroup>,
) -> impl IntoView {
    let update_err = action_error(update);
    view! {
        <Panel id="details-h" title="Group details">
            <p class="muted">{kind_label} ". The kind of a group stays as it was started: its members joined on those terms."</p>
            <ActionForm action=update attr:novalidate=true attr:class="stack">
                <input type="hidden" name="slug" value=slug/>
                <Field label="Name" name="name" value=name error=field_error(update_err, "name")/>
                <div class="field" class:has-error=move || field_error(update_err, "description").get().is_some()>
                    <label for="f-description">"Who is it for?"</label>
                    <textarea id="f-description" name="description" rows=3 aria-describedby="f-description-error"
                        aria-invalid=move || field_error(update_err, "description").get().is_some().then_some("true")>{crate::ui::textarea_text(description)}</textarea>
                    <FieldMessage id="f-description-error".into() error=field_error(update_err, "description")/>
                </div>
                <Field label="Screening question (optional)" name="question" value=question
                    error=field_error(update_err, "question")/>
                <Saved action=update message="Saved."/>
                <button type="submit" class="button primary">"Save details"</button>
            </ActionForm>
        </Panel>
    }
}
