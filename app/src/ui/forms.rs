//! Form widgets that several features share: the no-JavaScript echo loader, the Markdown textarea, radio groups, checkboxes, and the community icon.

use super::FieldMessage;
use crate::auth::api::form_echo;
use leptos::prelude::*;

/// The name under which a form's no-JavaScript echo is kept: a constant next to the form's
/// server function, written by `session::finish_form` and read by its page through
/// [`echo_resource`]. The test `a_form_echo_is_written_and_read_under_one_key` fails when a key is
/// written and never read, or read and never written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoKey(pub &'static str);

/// Loads what a failed no-JavaScript post of `form` left behind (only when the URL carries its error).
pub fn echo_resource(form: EchoKey, had_error: bool) -> crate::ui::Res<Vec<(String, String)>> {
    crate::ui::resource(
        || (),
        move |_| async move {
            if had_error {
                form_echo(form.0.to_string()).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    )
}

/// Renders `view` with what a failed no-JavaScript post of `form` left behind: at once with
/// nothing when the page was not reached from such a post (no request, nothing in the hydration
/// data), else once the echo has loaded. For forms inside lists and panels, where a page-wide
/// [`echo_resource`] would be awkward to hand down.
pub fn with_echo<V>(
    form: EchoKey,
    had_error: bool,
    view: impl Fn(Vec<(String, String)>) -> V + Send + Sync + 'static,
) -> AnyView
where
    V: IntoView + 'static,
{
    if had_error {
        echoed_view(form, std::sync::Arc::new(move |echo| view(echo).into_any()))
    } else {
        view(Vec::new()).into_any()
    }
}

/// A form's view of its echo, type-erased.
type EchoView = std::sync::Arc<dyn Fn(Vec<(String, String)>) -> AnyView + Send + Sync>;

/// [`with_echo`]'s loading, compiled once (not once per form: the browser's wasm stays small).
fn echoed_view(form: EchoKey, view: EchoView) -> AnyView {
    let echo = echo_resource(form, true);
    view! {
        <Suspense>
            {move || {
                let view = view.clone();
                Suspend::new(async move { view(echo.await) })
            }}
        </Suspense>
    }
    .into_any()
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

/// One checkbox with its label beside it (the children: text, links), an optional hint and an
/// optional error below, linked for screen readers: `f-<id>`, `f-<id>-hint`, `f-<id>-error`
/// (`id` is the field's name unless two forms of a page share the name). Sent as `name=value`
/// when ticked, absent when not.
#[component]
pub fn Checkbox(
    name: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(default = "yes")] value: &'static str,
    #[prop(optional)] checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let id = format!("f-{}", id.unwrap_or(name));
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let error = error.unwrap_or_else(|| Signal::stored(None));
    let described = super::described_by(hint.is_some(), &hint_id, &err_id, error);
    view! {
        <div class="field checkbox" class:has-error=move || error.get().is_some()>
            <input
                type="checkbox"
                id=id.clone()
                name=name
                value=value
                checked=checked
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            <label for=id>{children()}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <FieldMessage id=err_id error=error/>
        </div>
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    /// The names that follow `call` (a function name and its parenthesis) in `text`: the
    /// first argument's last path segment.
    fn first_args(text: &str, call: &str) -> Vec<String> {
        text.match_indices(call)
            // Not the helpers' own definitions.
            .filter(|(at, _)| {
                !text
                    .get(..*at)
                    .is_some_and(|before| before.ends_with("fn "))
            })
            .filter_map(|(at, _)| {
                let rest = text.get(at + call.len()..)?.trim_start();
                let arg: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                arg.rsplit("::").next().map(str::to_string)
            })
            .filter(|a| !a.is_empty())
            .collect()
    }

    /// The echo of a failed no-JavaScript post is written under a key (`session::finish_form`)
    /// and read by the form's page under the same key (`echo_resource`, `with_echo`): a key
    /// written and never read means a form that loses what its user typed; one read and never
    /// written, a page waiting for nothing. Keys are `EchoKey` constants, defined once.
    #[test]
    fn a_form_echo_is_written_and_read_under_one_key() {
        let files = crate::source_checks::app_sources();
        assert!(files.len() > 100, "the app's sources were not found");
        let mut defined: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let (mut written, mut read) = (BTreeSet::new(), BTreeSet::new());
        for (path, text) in &files {
            for (at, _) in text.match_indices("pub const ") {
                let rest = text.get(at + "pub const ".len()..).unwrap_or("");
                if let Some((name, tail)) = rest.split_once(':') {
                    if tail.trim_start().starts_with("crate::ui::EchoKey") {
                        defined
                            .entry(name.to_string())
                            .or_default()
                            .push(path.clone());
                    }
                }
            }
            // The helpers themselves pass their parameter on.
            if path.ends_with("ui/forms.rs") || path.ends_with("auth/session.rs") {
                continue;
            }
            written.extend(first_args(text, "finish_form("));
            written.extend(first_args(text, "finish_form_of("));
            read.extend(first_args(text, "echo_resource("));
            read.extend(first_args(text, "with_echo("));
        }
        assert!(defined.len() >= 40, "too few echo keys found: {defined:?}");
        for (name, places) in &defined {
            assert_eq!(
                places.len(),
                1,
                "{name} is defined more than once: {places:?}"
            );
        }
        let keys: BTreeSet<String> = defined.keys().cloned().collect();
        let unknown: Vec<_> = written
            .union(&read)
            .filter(|k| !keys.contains(*k))
            .collect();
        assert!(
            unknown.is_empty(),
            "echo keys that are not EchoKey constants: {unknown:?}"
        );
        let unread: Vec<_> = written.difference(&read).collect();
        assert!(
            unread.is_empty(),
            "forms whose echo no page reads: {unread:?}"
        );
        let unwritten: Vec<_> = read.difference(&written).collect();
        assert!(
            unwritten.is_empty(),
            "pages reading an echo no form writes: {unwritten:?}"
        );
        let unused: Vec<_> = keys.difference(&written).collect();
        assert!(unused.is_empty(), "echo keys never written: {unused:?}");
    }
}
