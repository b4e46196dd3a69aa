//! The sign-up, log-in, "forgot password", password-reset and address-confirmation pages: plain forms that work before (or without) the wasm.

use super::api::{get_email_link, ForgotPassword, Login, ResetPassword, Signup, VerifyEmail};
use super::types::{CONSENT_VERSION, SPECIALTIES};
use crate::session::Session;
use crate::ui::Checkbox;
use crate::ui::{action_error, echo_resource, echoed, field_error, Field, FieldMessage, FormAlert};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    // Through an invite link: `/signup?invite=<code>&c=<community>`.
    let query = use_query_map();
    expect_context::<Session>().refresh_after(action);
    let err = action_error(action);
    let echo = echo_resource(crate::auth::api::SIGNUP, err.get_untracked().is_some());
    // "Join" on a community's page leads here with `?c=<community>`: say which, so the
    // visitor knows the account lands them in it.
    let joining = crate::ui::resource(
        move || {
            query
                .read()
                .get("c")
                .filter(|_| query.read().get("invite").is_none())
        },
        |slug| async move {
            match slug.filter(|s| !s.is_empty()) {
                Some(slug) => crate::communities::api::get_community(slug)
                    .await
                    .ok()
                    .map(|d| d.summary.name),
                None => None,
            }
        },
    );
    view! {
        <Title text="Sign up"/>
        <section class="panel narrow">
            <h1>"Join HealthCommunity"</h1>
            <p class="lead">
                "Meet people who live with the same condition, ask questions and hear from verified clinicians. "
                "You choose a pseudonym; your e-mail address is never shown."
            </p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let echo = echo.await;
                    let joining = joining.await.map(|name| view! {
                        <p class="alert alert-info">"Your account will be a member of " <strong>{name}</strong> " from the start."</p>
                    });
                    let v = |name: &str| echoed(&echo, name);
                    let (handle, email, licence) = (v("handle"), v("email"), v("licence_number"));
                    let kind = v("kind").unwrap_or_else(|| "patient".into());
                    let specialty = v("specialty").unwrap_or_default();
                    let consent = v("consent").as_deref() == Some("yes");
                    let digest = v("digest").as_deref() == Some("yes");
                    let invite = v("invite").or_else(|| query.read_untracked().get("invite")).unwrap_or_default();
                    let invited_to = v("community").or_else(|| query.read_untracked().get("c")).unwrap_or_default();
                    let next = v("next").or_else(|| query.read_untracked().get("next")).unwrap_or_default();
                    view! {
                        {joining}
                        <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Sign up">
                            <FormAlert error=err/>
                            <input type="hidden" name="invite" value=invite/>
                            <input type="hidden" name="community" value=invited_to/>
                            <input type="hidden" name="next" value=next/>
                            {account_fields(handle, email, err)}
                            {joining_as(kind, err)}
                            {clinician_fields(licence, specialty, err)}
                            <Checkbox name="consent" checked=consent error=field_error(err, "consent")>
                                "I agree that HealthCommunity stores and processes the health information I choose to share, as described in the "
                                <a href="/privacy">"privacy notice"</a>
                                " (version " {CONSENT_VERSION} ")."
                            </Checkbox>
                            <Checkbox name="digest" checked=digest>
                                "E-mail me a daily digest of my notifications and new answers in my communities (optional; every digest has a one-click link to stop it)."
                            </Checkbox>
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                "Create my account"
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p>"Already a member? " <a href="/login">"Log in"</a></p>
        </section>
    }
}

/// The new account's handle, e-mail address and password.
fn account_fields(
    handle: Option<String>,
    email: Option<String>,
    err: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Field
            label="Handle (your public name)"
            name="handle"
            value=handle
            autocomplete="username"
            hint="3–30 letters, digits or _. You need not use your real name."
            error=field_error(err, "handle")
        />
        <Field
            label="E-mail address"
            name="email"
            kind="email"
            value=email
            autocomplete="email"
            hint="Never shown to other members."
            error=field_error(err, "email")
        />
        <Field
            label="Password"
            name="password"
            kind="password"
            autocomplete="new-password"
            hint="At least 10 characters. A short sentence is easy to remember."
            error=field_error(err, "password")
        />
    }
}

/// Who the new member is joining as: a patient, a caregiver or a clinician.
fn joining_as(kind: String, err: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"I am joining as"</legend>
            <div class="choices">
                <KindChoice value="patient" label="A patient" current=kind.clone()/>
                <KindChoice value="caregiver" label="A caregiver or family member" current=kind.clone()/>
                <KindChoice value="clinician" label="A clinician" current=kind.clone()/>
            </div>
            <FieldMessage id="f-kind-error".into() error=field_error(err, "kind")/>
        </fieldset>
    }
}

/// A clinician's licence number and specialty, checked by an admin before the verified badge.
fn clinician_fields(
    licence: Option<String>,
    specialty: String,
    err: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <fieldset class="field clinician-fields">
            <legend>"Clinicians only"</legend>
            <p class="hint">
                "An admin checks your registration before your answers carry a verified badge."
            </p>
            <Field
                label="Licence or registration number"
                name="licence_number"
                value=licence
                autocomplete="off"
                error=field_error(err, "licence_number")
            />
            <SpecialtySelect current=specialty error=field_error(err, "specialty")/>
        </fieldset>
    }
}

#[component]
fn KindChoice(value: &'static str, label: &'static str, current: String) -> impl IntoView {
    let id = format!("f-kind-{value}");
    view! {
        <label class="choice" for=id.clone()>
            <input type="radio" id=id.clone() name="kind" value=value checked=current == value/>
            {label}
        </label>
    }
}

/// The specialty list as a select, with its error.
#[component]
pub fn SpecialtySelect(
    current: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for="f-specialty">"Specialty"</label>
            <select
                id="f-specialty"
                name="specialty"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby="f-specialty-error"
            >
                <option value="" selected=current.is_empty()>"Choose…"</option>
                {SPECIALTIES
                    .iter()
                    .map(|(key, title)| view! { <option value=*key selected=current == *key>{*title}</option> })
                    .collect_view()}
            </select>
            <FieldMessage id="f-specialty-error".into() error=error/>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    expect_context::<Session>().refresh_after(action);
    let err = action_error(action);
    let echo = echo_resource(crate::auth::api::LOGIN, err.get_untracked().is_some());
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    view! {
        <Title text="Log in"/>
        <section class="panel narrow">
            <h1>"Log in"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let identifier = echoed(&echo.await, "identifier");
                    view! {
                        <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Log in">
                            <FormAlert error=err/>
                            <input type="hidden" name="next" value=next/>
                            <Field
                                label="Handle or e-mail address"
                                name="identifier"
                                value=identifier
                                autocomplete="username"
                                error=field_error(err, "identifier")
                            />
                            <Field
                                label="Password"
                                name="password"
                                kind="password"
                                autocomplete="current-password"
                                error=field_error(err, "password")
                            />
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                "Log in"
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p><a href="/forgot">"Forgot your password?"</a></p>
            <p>"New here? " <a href="/signup">"Create an account"</a></p>
        </section>
    }
}

/// "Forgot password?": one address field; the page after it reads the same whoever's it is.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let err = action_error(action);
    let echo = echo_resource(
        crate::auth::api::FORGOT_PASSWORD,
        err.get_untracked().is_some(),
    );
    let query = use_query_map();
    let sent =
        move || query.read().get("sent").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password?"/>
        <section class="panel narrow">
            <h1>"Forgot your password?"</h1>
            <Show when=sent fallback=move || view! {
                <p class="lead">"Enter the e-mail address of your account. We send it a link to choose a new password."</p>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let typed = echoed(&echo.await, "email");
                        view! {
                            <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Forgot your password?">
                                <FormAlert error=err/>
                                <Field label="E-mail address" name="email" kind="email" value=typed autocomplete="email" error=field_error(err, "email")/>
                                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                    "Send me a link"
                                </button>
                            </ActionForm>
                        }
                    })}
                </Suspense>
            }>
                <p class="alert alert-ok" role="status" data-testid="reset-sent">
                    "If an account uses this address, we have sent it a link. It works once, for one hour. "
                    "Nothing arrived? Look in your spam folder, or try the address you signed up with."
                </p>
            </Show>
            <p><a href="/login">"Back to log in"</a></p>
        </section>
    }
}

/// The page of a password-reset link: the new password, once.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<ResetPassword>::new();
    expect_context::<Session>().refresh_after(action);
    let err = action_error(action);
    let link = crate::ui::resource(token, |t| get_email_link(t, "reset".into()));
    view! {
        <Title text="Choose a new password"/>
        <section class="panel narrow">
            <h1>"Choose a new password"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(v) => view! {
                            <p class="lead">"For @"{v.handle}" ("{v.address}"). Every device logged in to this account is logged out."</p>
                            <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Choose a new password">
                                <FormAlert error=err/>
                                <input type="hidden" name="token" value=token/>
                                <Field label="New password" name="new_password" kind="password" autocomplete="new-password"
                                    hint="At least 10 characters." error=field_error(err, "new_password")/>
                                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                    "Save and log in"
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Err(_) => view! {
                            <p class="alert alert-error" role="alert">
                                "This link has expired or was used already. Links work once, for one hour."
                            </p>
                            <p><a class="button primary" href="/forgot">"Ask for a new link"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The page of a verification link: one button confirms the address (no login needed).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<VerifyEmail>::new();
    expect_context::<Session>().refresh_after(action);
    let err = action_error(action);
    let link = crate::ui::resource(
        move || (token(), action.version().get()),
        |(t, _)| get_email_link(t, "verify".into()),
    );
    view! {
        <Title text="Confirm your e-mail address"/>
        <section class="panel narrow">
            <h1>"Confirm your e-mail address"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(v) if v.done => view! {
                            <p class="alert alert-ok" role="status" data-testid="email-confirmed">
                                "Done: "{v.address}" is confirmed for @"{v.handle}"."
                            </p>
                            <p><a class="button primary" href="/">"Go to HealthCommunity"</a></p>
                        }.into_any(),
                        Ok(v) => view! {
                            <p class="lead">"Is "{v.address}" the address of @"{v.handle}"?"</p>
                            <ActionForm action=action attr:class="stack" attr:aria-label="Confirm your e-mail address">
                                <FormAlert error=err/>
                                <input type="hidden" name="token" value=token/>
                                <button type="submit" class="button primary">"Yes, confirm my address"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(_) => view! {
                            <p class="alert alert-error" role="alert">
                                "This link has expired or was used already. Links work for three days; "
                                "Settings sends a new one."
                            </p>
                            <p><a class="button primary" href="/settings">"Open Settings"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
