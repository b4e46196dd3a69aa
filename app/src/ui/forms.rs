//! Form widgets that several features share: the no-JavaScript echo loader, the Markdown textarea, radio groups, and the community icon.

use super::FieldMessage;
use crate::auth::api::form_echo;
use leptos::prelude::*;

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

/// The textarea for Markdown with its hint and error.
#[component]
pub fn MarkdownField(
    label: String,
    name: &'static str,
    id: String,
    value: String,
    rows: u32,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = format!("{hint_id} {err_id}");
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=hint_id>"You can use **bold**, *italic*, lists and links. Please don't share anyone's personal details."</p>
            <textarea id=id name=name rows=rows aria-describedby=described
                aria-invalid=move || error.get().is_some().then_some("true")>{crate::ui::textarea_text(value)}</textarea>
            <FieldMessage id=err_id error=error/>
        </div>
    }
}

/// A labelled group of radio buttons: (value, label, hint) each; the first is the fallback choice.
#[component]
pub fn RadioGroup(
    legend: &'static str,
    name: &'static str,
    options: &'static [(&'static str, &'static str, &'static str)],
    selected: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let selected = if options.iter().any(|(v, ..)| *v == selected) {
        selected
    } else {
        options
            .first()
            .map(|(v, ..)| v.to_string())
            .unwrap_or_default()
    };
    view! {
        <fieldset class="field">
            <legend>{legend}</legend>
            <div class="choices">
                {options.iter().map(|(value, label, hint)| view! {
                    <label class="choice">
                        <input type="radio" name=name value=*value checked=selected == *value/>
                        <span>{*label}<span class="hint">{*hint}</span></span>
                    </label>
                }).collect_view()}
            </div>
            <FieldMessage id=format!("f-{name}-error") error=error/>
        </fieldset>
    }
}

/// The round coloured initial that stands for a community.
#[component]
pub fn CommunityIcon(name: String, colour: String) -> impl IntoView {
    let initial = name
        .chars()
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    view! { <span class=format!("community-icon colour-{colour}") aria-hidden="true">{initial}</span> }
}
