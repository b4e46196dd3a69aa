//! The sign-up and log-in pages. Both are plain forms that work before (or without) the wasm.

use super::api::{form_echo, Login, Signup};
use super::types::{CONSENT_VERSION, SPECIALTIES};
use crate::app::Session;
use crate::ui::{action_error, echoed, field_error, Field, FieldMessage, FormAlert};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Loads what a failed no-JavaScript post of `form` left behind (only when the URL carries its error).
pub fn echo_resource(form: &'static str, had_error: bool) -> Resource<Vec<(String, String)>> {
    Resource::new(
        || (),
        move |_| async move {
            if had_error {
                form_echo(form.to_string()).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    )
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    // Through an invite link: `/signup?invite=<code>&c=<community>`.
    let query = use_query_map();
    expect_context::<Session>().refresh_after(action);
    let err = action_error(action);
    let echo = echo_resource("signup", err.get_untracked().is_some());
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
                    let v = |name: &str| echoed(&echo, name);
                    let (handle, email, licence) = (v("handle"), v("email"), v("licence_number"));
                    let kind = v("kind").unwrap_or_else(|| "patient".into());
                    let specialty = v("specialty").unwrap_or_default();
                    let consent = v("consent").as_deref() == Some("yes");
                    let digest = v("digest").as_deref() == Some("yes");
                    let invite = v("invite").or_else(|| query.read_untracked().get("invite")).unwrap_or_default();
                    let invited_to = v("community").or_else(|| query.read_untracked().get("c")).unwrap_or_default();
                    view! {
                        <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Sign up">
                            <FormAlert error=err/>
                            <input type="hidden" name="invite" value=invite/>
                            <input type="hidden" name="community" value=invited_to/>
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
                            <fieldset class="field">
                                <legend>"I am joining as"</legend>
                                <div class="choices">
                                    <KindChoice value="patient" label="A patient" current=kind.clone()/>
                                    <KindChoice value="caregiver" label="A caregiver or family member" current=kind.clone()/>
                                    <KindChoice value="clinician" label="A clinician" current=kind.clone()/>
                                </div>
                                <FieldMessage id="f-kind-error".into() error=field_error(err, "kind")/>
                            </fieldset>
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
                            <div class="field checkbox" class:has-error=move || field_error(err, "consent").get().is_some()>
                                <input
                                    type="checkbox"
                                    id="f-consent"
                                    name="consent"
                                    value="yes"
                                    checked=consent
                                    aria-describedby="f-consent-error"
                                />
                                <label for="f-consent">
                                    "I agree that HealthCommunity stores and processes the health information I choose to share, as described in the "
                                    <a href="/privacy">"privacy notice"</a>
                                    " (version " {CONSENT_VERSION} ")."
                                </label>
                                <FieldMessage id="f-consent-error".into() error=field_error(err, "consent")/>
                            </div>
                            <div class="field checkbox">
                                <input type="checkbox" id="f-digest" name="digest" value="yes" checked=digest/>
                                <label for="f-digest">
                                    "E-mail me a daily digest of my notifications and new answers in my communities (optional; every digest has a one-click link to stop it)."
                                </label>
                            </div>
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
    let echo = echo_resource("login", err.get_untracked().is_some());
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
            <p>"New here? " <a href="/signup">"Create an account"</a></p>
        </section>
    }
}
