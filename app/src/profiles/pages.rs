//! The public profile page and the member's settings page.

use super::api::{
    get_my_settings, get_profile, ChangePasswordAction, RequestVerification, UpdateProfile,
};
use super::types::{MySettings, TEXT_SIZES, THEMES};
use crate::auth::api::{ChangeEmail, ChangePassword, ResendVerification};
use crate::auth::pages::SpecialtySelect;
use crate::auth::types::{specialty_title, ClinicianStatus, MemberKind, BIO_MAX};
use crate::pictures::pages::{Avatar, PictureUpload, RemovePictureButton};
use crate::posts::pages::profile_activity;
use crate::privacy::pages::your_data_panel;
use crate::session::Session;
use crate::ui::{
    action_error, echoed, field_error, format_date, Field, FieldMessage, FormAlert, Panel, Saved,
};
use crate::ui::{echo_resource, with_echo};
use crate::ui::{loaded, Checkbox};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let session = expect_context::<crate::session::Session>();
    let profile = crate::ui::resource(
        move || params.read().get("handle").unwrap_or_default(),
        get_profile,
    );
    // After a report without JavaScript: the redirect's `?reported=1`.
    let reported =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("reported").is_some());
    view! {
        {crate::ui::loaded(profile, move |p| async move {
            let title = format!("@{}", p.handle);
            let handle = p.handle.clone();
            let heading = if p.display_name.is_empty() {
                title.clone()
            } else {
                p.display_name.clone()
            };
            let handle_line = (!p.display_name.is_empty()).then(|| title.clone());
            view! {
                <Title text=title.clone()/>
                <article class="panel profile">
                    <header class="profile-head">
                        <Avatar handle=p.handle.clone() avatar=p.avatar size=64/>
                        <div>
                            <h1>{heading}</h1>
                            {handle_line.map(|h| view! { <p class="muted">{h}</p> })}
                            <p class="badges">
                                {p.role_label.clone().map(|l| {
                                    view! {
                                        <span class="badge" class:badge-verified=p.verified_clinician>
                                            {p.verified_clinician.then_some("✓ ")}
                                            {l}
                                        </span>
                                    }
                                })}
                                {p.is_moderator.then(|| view! { <span class="badge badge-staff">"Moderator"</span> })}
                                {p.is_admin.then(|| view! { <span class="badge badge-staff">"Admin"</span> })}
                            </p>
                            <p class="muted">"Joined " {format_date(p.joined_at)}</p>
                        </div>
                        {move || {
                            let handle = handle.clone();
                            session.me().map(|u| if u.handle == handle {
                                view! {
                                    <p class="cta">
                                        <a class="button" href="/settings">"Edit your profile"</a>
                                        <a class="button" href="/invite">"Invite friends"</a>
                                    </p>
                                }.into_any()
                            } else {
                                view! { <a class="button" href=format!("/messages/{handle}")>"Send a message"</a> }.into_any()
                            })
                        }}
                    </header>
                    {(!p.bio.is_empty()).then(|| view! { <p class="bio">{p.bio.clone()}</p> })}
                    {reported.then(|| view! {
                        <p class="alert alert-ok" role="status">"Thank you: the moderators will look at it. You will hear when they have."</p>
                    })}
                    {
                        let handle = p.handle.clone();
                        move || session.me().filter(|u| u.handle != handle).map(|_| view! {
                            <crate::safety::pages::ProfileReportForm handle=handle.clone()/>
                        })
                    }
                    {profile_activity(p.handle.clone())}
                </article>
            }
                .into_any()
        })}
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdateProfile>::new();
    expect_context::<Session>().refresh_after(update);
    let password = ServerAction::<ChangePassword>::new();
    let verification = ServerAction::<RequestVerification>::new();
    let change_email = ServerAction::<ChangeEmail>::new();
    let resend = ServerAction::<ResendVerification>::new();
    let update_ok = crate::ui::successes(update);
    let verification_ok = crate::ui::successes(verification);
    let change_email_ok = crate::ui::successes(change_email);
    let settings = crate::ui::resource(
        move || {
            (
                update_ok.get(),
                verification_ok.get(),
                change_email_ok.get(),
            )
        },
        |_| get_my_settings(),
    );
    let email_echo = echo_resource(
        crate::auth::api::CHANGE_EMAIL,
        action_error(change_email).get_untracked().is_some(),
    );
    let profile_echo = echo_resource(
        crate::profiles::api::UPDATE_PROFILE,
        action_error(update).get_untracked().is_some(),
    );
    view! {
        <Title text="Settings"/>
        {loaded(settings, move |s| async move {
            let echo = profile_echo.await;
            let email_echo = email_echo.await;
            view! {
                <h1>"Settings"</h1>
                <div class="settings-grid">
                    <ProfileForm s=s.clone() echo=echo action=update/>
                    {picture_panel(s.handle.clone(), s.avatar)}
                    {password_form(password)}
                    <crate::auth::two_step_pages::TwoStepPanel/>
                    {(s.kind == MemberKind::Clinician).then(|| view! { {verification_form(s.clone(), verification)} })}
                    {account_panel(s.clone(), email_echo, change_email, resend)}
                    {your_data_panel()}
                </div>
            }
        })}
    }
}

#[component]
fn ProfileForm(
    s: MySettings,
    echo: Vec<(String, String)>,
    action: ServerAction<UpdateProfile>,
) -> impl IntoView {
    let err = action_error(action);
    let kind = s.kind;
    let bio = echoed(&echo, "bio").unwrap_or(s.bio);
    let display_name = echoed(&echo, "display_name").unwrap_or(s.display_name);
    let theme = echoed(&echo, "theme").unwrap_or(s.theme);
    let size = echoed(&echo, "text_size").unwrap_or(s.text_size);
    let country = echoed(&echo, "country").unwrap_or(s.country);
    let show_role = if echo.is_empty() {
        s.show_role
    } else {
        echoed(&echo, "show_role").is_some_and(|v| !v.is_empty())
    };
    view! {
        <Panel id="profile-h" title="Profile and display">
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormAlert error=err/>
                <Saved action=action message="Saved."/>
                <Field label="Your name (optional)" name="display_name" value=Some(display_name)
                    hint="Any spelling and alphabet (María, Müller, O'Brien, 李明). Shown on your profile above your @handle; leave it empty to stay by handle only."
                    error=field_error(err, "display_name")/>
                <crate::ui::TextArea label="About you" name="bio" rows=4 value=bio hint=format!("Up to {BIO_MAX} characters, shown on your public profile. Share only what you are comfortable with.")
                    error=field_error(err, "bio")/>
                <crate::ui::Select label="Colour theme" name="theme" choices=crate::ui::choices(THEMES) current=theme error=field_error(err, "theme")/>
                <crate::ui::Select label="Text size" name="text_size" choices=crate::ui::choices(TEXT_SIZES) current=size error=field_error(err, "text_size")/>
                <div class="field" class:has-error=move || field_error(err, "country").get().is_some()>
                    <label for="f-country">"Your country, for helplines"</label>
                    <p class="hint" id="f-country-hint">"If you ever write that you are thinking of ending your life, we show you free helplines: your country's first. Not shown to anyone."</p>
                    <select id="f-country" name="country" aria-describedby="f-country-hint f-country-error">
                        <option value="none" selected=country.is_empty() || country == "none">"Not set (show every country's)"</option>
                        {crate::safety::crisis::countries().iter().map(|c| {
                            let name = c.name.trim_start_matches("the ");
                            let mut title = name.chars();
                            let title = title.next().map(|f| f.to_uppercase().chain(title).collect::<String>()).unwrap_or_default();
                            view! { <option value=c.code selected=country == c.code>{title}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="f-country-error".into() error=field_error(err, "country")/>
                </div>
                {(kind != MemberKind::Clinician).then(|| view! {
                    <Checkbox name="show_role" checked=show_role>
                        "Show whether I am a patient or a caregiver on my profile"
                    </Checkbox>
                })}
                <button type="submit" class="button primary">"Save"</button>
            </ActionForm>
        </Panel>
    }
}

/// Handle, address and its state, "send the link again", and the address change.
fn account_panel(
    s: MySettings,
    echo: Vec<(String, String)>,
    change: ServerAction<ChangeEmail>,
    resend: ServerAction<ResendVerification>,
) -> impl IntoView {
    let err = action_error(change);
    let resend_err = action_error(resend);
    let waiting = (!s.email_verified)
        .then(|| s.email.clone())
        .or(s.email_pending.clone());
    let typed = echoed(&echo, "new_email");
    view! {
        <Panel id="account-h" title="Your account">
            <dl class="facts">
                <dt>"Handle"</dt><dd>"@"{s.handle.clone()}</dd>
                <dt>"E-mail (private)"</dt>
                <dd data-testid="email-state">
                    {s.email.clone()}
                    {if s.email_verified {
                        view! { " " <span class="badge badge-verified">"✓ Confirmed"</span> }.into_any()
                    } else {
                        view! { " " <span class="badge">"Not confirmed yet"</span> }.into_any()
                    }}
                </dd>
            </dl>
            {waiting.map(|address| view! {
                <div class="stack">
                    <p>
                        "We sent a link to "<strong>{address}</strong>". Open it to confirm the address. "
                        {if s.email_verified {
                            "Until then we keep writing to your current address."
                        } else {
                            "Until then we send it nothing else: no digest, no notifications."
                        }}
                    </p>
                    <ActionForm action=resend attr:class="inline-form">
                        <FormAlert error=resend_err/>
                        <Saved action=resend message="Sent. The link works for three days."/>
                        <button type="submit" class="button">"Send the link again"</button>
                    </ActionForm>
                </div>
            })}
            <h3>"Change your e-mail address"</h3>
            <ActionForm action=change attr:novalidate=true attr:class="stack" attr:aria-label="Change your e-mail address">
                <FormAlert error=err/>
                <Saved action=change message="Almost done: open the link we sent to the new address."/>
                <Field label="New e-mail address" name="new_email" kind="email" value=typed autocomplete="email"
                    hint="We send a link there; nothing changes until you open it."
                    error=field_error(err, "new_email")/>
                <Field label="Your password" name="password" kind="password" autocomplete="current-password" error=field_error(err, "password")/>
                <button type="submit" class="button">"Change address"</button>
            </ActionForm>
        </Panel>
    }
}

fn password_form(action: ChangePasswordAction) -> impl IntoView {
    let err = action_error(action);
    view! {
        <Panel id="password-h" title="Change password">
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormAlert error=err/>
                <Saved action=action message="Password changed. Your other devices have been logged out."/>
                <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" error=field_error(err, "current_password")/>
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=field_error(err, "new_password")/>
                <button type="submit" class="button primary">"Change password"</button>
            </ActionForm>
        </Panel>
    }
}

fn verification_form(s: MySettings, action: ServerAction<RequestVerification>) -> impl IntoView {
    let err = action_error(action);
    let status = match s.clinician_status {
        ClinicianStatus::Verified => format!(
            "You are verified as {}.",
            s.specialty
                .as_deref()
                .map(specialty_title)
                .unwrap_or_default()
                .to_lowercase()
        ),
        ClinicianStatus::Pending => {
            "Your request is waiting for an admin. You will see the result here.".to_string()
        }
        ClinicianStatus::Rejected => format!(
            "Your last request was not accepted: {}",
            s.rejection_reason.clone().unwrap_or_default()
        ),
        ClinicianStatus::None => {
            "Send your registration details to get the verified badge.".to_string()
        }
    };
    let can_submit = matches!(
        s.clinician_status,
        ClinicianStatus::None | ClinicianStatus::Rejected
    );
    view! {
        <Panel id="verify-h" title="Clinician verification">
            <p>{status}</p>
            {can_submit.then(|| view! {
                <ActionForm action=action attr:novalidate=true attr:class="stack">
                    <FormAlert error=err/>
                    {with_echo(super::api::REQUEST_VERIFICATION, err.get_untracked().is_some(), move |echo| view! {
                        <Field label="Licence or registration number" name="licence_number" value=echoed(&echo, "licence_number") error=field_error(err, "licence_number")/>
                        <SpecialtySelect current=echoed(&echo, "specialty").unwrap_or_default() error=field_error(err, "specialty")/>
                    })}
                    <button type="submit" class="button primary">"Send for verification"</button>
                </ActionForm>
            })}
        </Panel>
    }
}

/// "Your picture": the avatar shown beside everything the member writes (their initials until
/// they upload one), with upload and remove.
fn picture_panel(handle: String, avatar: Option<i64>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="picture-h" id="picture">
            <h2 id="picture-h">"Your picture"</h2>
            <div class="profile-head">
                <Avatar handle=handle avatar=avatar size=64/>
                <p class="hint">
                    {if avatar.is_some() {
                        "Shown beside your name on everything you write. Anyone can see it, so choose a picture you are happy to share."
                    } else {
                        "Until you upload a picture, your initials are shown beside your name. Anyone can see your picture, so choose one you are happy to share."
                    }}
                </p>
            </div>
            <PictureUpload target="avatar" id="me" label="Choose a picture" needs_alt=false
                button=if avatar.is_some() { "Replace picture" } else { "Upload picture" }/>
            {avatar.map(|id| view! { <RemovePictureButton id=id/> })}
        </section>
    }
}
