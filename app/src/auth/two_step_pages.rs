//! Two-step sign-in's views: the login's second step (`/login/code`) and its panel in Settings.

use super::two_step_api::{
    get_two_step, login_waiting, CancelTwoStep, ConfirmTwoStep, LoginCode, NewRecoveryCodes,
    RecoveryCodesSaved, StartTwoStep, TurnOffTwoStep,
};
use super::types::{TwoStep, TwoStepSetup};
use crate::error::AppError;
use crate::session::Session;
use crate::ui::{action_error, field_error, format_date, loaded, Field, FieldMessage, FormAlert};
use leptos::prelude::*;
use leptos_meta::Title;

/// The six-digit code's input (`name` "code"): digits on a phone's keyboard, filled in from an
/// SMS-less one-time code where the browser offers it.
fn code_field(error: Signal<Option<String>>, hint: &'static str) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for="f-code">"Code"</label>
            <p class="hint" id="f-code-hint">{hint}</p>
            <input id="f-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                class="code-input" maxlength="20" spellcheck="false"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby="f-code-hint f-code-error"/>
            <FieldMessage id="f-code-error".into() error=error/>
        </div>
    }
}

/// `/login/code`: the code after a correct password, for a member with two-step sign-in on.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = ServerAction::<LoginCode>::new();
    expect_context::<Session>().refresh_after(action);
    let err = action_error(action);
    let waiting = crate::ui::resource(|| (), |_| login_waiting());
    view! {
        <Title text="Two-step sign-in"/>
        <section class="panel narrow">
            <h1>"Two-step sign-in"</h1>
            {loaded(waiting, move |handle| async move {
                match handle {
                    Some(handle) => view! {
                        <p class="lead">{format!("Logging in as @{handle}.")}</p>
                        <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Two-step sign-in">
                            <FormAlert error=err/>
                            {code_field(field_error(err, "code"), "From your authenticator app, or a recovery code.")}
                            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Log in"</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <p>"This sign-in has timed out. Log in again."</p>
                        <p><a class="button primary" href="/login">"Log in"</a></p>
                    }.into_any(),
                }
            })}
        </section>
    }
}

/// Settings → "Two-step sign-in": set it up (QR code and key, then a first code), the
/// recovery codes, new codes, and turning it off.
#[component]
pub fn TwoStepPanel() -> impl IntoView {
    let a = Actions {
        start: ServerAction::new(),
        confirm: ServerAction::new(),
        cancel: ServerAction::new(),
        codes: ServerAction::new(),
        saved: ServerAction::new(),
        off: ServerAction::new(),
    };
    let done = (
        crate::ui::successes(a.start),
        crate::ui::successes(a.confirm),
        crate::ui::successes(a.cancel),
        crate::ui::successes(a.codes),
        crate::ui::successes(a.saved),
        crate::ui::successes(a.off),
    );
    let state = crate::ui::resource(
        move || {
            (
                done.0.get(),
                done.1.get(),
                done.2.get(),
                done.3.get(),
                done.4.get(),
                done.5.get(),
            )
        },
        |_| get_two_step(),
    );
    view! {
        <section class="panel" aria-labelledby="two-step-h" id="two-step">
            <h2 id="two-step-h">"Two-step sign-in"</h2>
            {loaded(state, move |t| async move { two_step_body(t, a) })}
        </section>
    }
}

/// The panel's forms.
#[derive(Clone, Copy)]
struct Actions {
    start: ServerAction<StartTwoStep>,
    confirm: ServerAction<ConfirmTwoStep>,
    cancel: ServerAction<CancelTwoStep>,
    codes: ServerAction<NewRecoveryCodes>,
    saved: ServerAction<RecoveryCodesSaved>,
    off: ServerAction<TurnOffTwoStep>,
}

fn two_step_body(t: TwoStep, a: Actions) -> AnyView {
    let fresh = (!t.fresh_codes.is_empty()).then(|| fresh_codes(t.fresh_codes.clone(), a.saved));
    let main = match (t.on_since, t.setup) {
        (Some(since), _) => is_on(since, t.codes_left, a).into_any(),
        (None, Some(setup)) => setting_up(setup, a).into_any(),
        (None, None) => is_off(a.start).into_any(),
    };
    let paused = t.staff_paused.then(|| view! {
        <p class="alert alert-error">"Your staff role is paused until you turn this on: the site asks it of staff."</p>
    });
    view! { {paused} {fresh} {main} }.into_any()
}

fn is_off(start: ServerAction<StartTwoStep>) -> impl IntoView {
    let err = action_error(start);
    view! {
        <p>"After your password, we ask for a code from an app on your phone, so a stolen password is not enough."</p>
        <ActionForm action=start attr:novalidate=true attr:class="stack" attr:aria-label="Set up two-step sign-in">
            <FormAlert error=err/>
            <Field label="Your password" name="two_step_password" kind="password" autocomplete="current-password" error=field_error(err, "two_step_password")/>
            <button type="submit" class="button primary">"Set up two-step sign-in"</button>
        </ActionForm>
    }
}

fn setting_up(s: TwoStepSetup, a: Actions) -> impl IntoView {
    let err = action_error(a.confirm);
    view! {
        <ol class="two-step-steps">
            <li>"Add an account in an authenticator app on your phone (Aegis, 1Password…)."</li>
            <li>
                "Scan this code, or type the key."
                <div class="qr" role="img" aria-label="QR code of the key" inner_html=s.qr_svg></div>
                <p><code class="secret">{s.secret}</code></p>
            </li>
            <li>
                "Type the code the app shows for "<strong>{s.label}</strong>"."
                <ActionForm action=a.confirm attr:novalidate=true attr:class="stack" attr:aria-label="Turn on two-step sign-in">
                    <FormAlert error=err/>
                    {code_field(field_error(err, "code"), "Six digits; they change every 30 seconds.")}
                    <button type="submit" class="button primary">"Turn on"</button>
                </ActionForm>
            </li>
        </ol>
        <ActionForm action=a.cancel attr:class="inline-form">
            <button type="submit" class="button">"Cancel"</button>
        </ActionForm>
    }
}

fn fresh_codes(codes: Vec<String>, saved: ServerAction<RecoveryCodesSaved>) -> impl IntoView {
    view! {
        <div class="alert alert-ok two-step-fresh" role="status">
            <h3>"Your recovery codes"</h3>
            <p>"Each works once if your phone is lost. Keep them safe: they are not shown again."</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <ActionForm action=saved attr:class="inline-form">
                <button type="submit" class="button primary">"I have saved them"</button>
            </ActionForm>
        </div>
    }
}

fn is_on(since: i64, codes_left: i64, a: Actions) -> impl IntoView {
    let codes_err = action_error(a.codes);
    let off_err = action_error(a.off);
    let opened = |e: Signal<Option<AppError>>| e.get_untracked().is_some();
    view! {
        <p>
            <span class="badge badge-verified">"✓ On"</span>
            " since "{format_date(since)}"."
        </p>
        <p>{codes_left}" recovery codes left."</p>
        <details open=opened(codes_err)>
            <summary>"New recovery codes"</summary>
            <ActionForm action=a.codes attr:novalidate=true attr:class="stack" attr:aria-label="New recovery codes">
                <FormAlert error=codes_err/>
                <Field label="Your password" name="codes_password" kind="password" autocomplete="current-password" error=field_error(codes_err, "codes_password")/>
                <button type="submit" class="button">"Make new codes"</button>
            </ActionForm>
        </details>
        <details open=opened(off_err)>
            <summary>"Turn off two-step sign-in"</summary>
            <ActionForm action=a.off attr:novalidate=true attr:class="stack" attr:aria-label="Turn off two-step sign-in">
                <FormAlert error=off_err/>
                <Field label="Your password" name="off_password" kind="password" autocomplete="current-password" error=field_error(off_err, "off_password")/>
                <button type="submit" class="button">"Turn off"</button>
            </ActionForm>
        </details>
    }
}
