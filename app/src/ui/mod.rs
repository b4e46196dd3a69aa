//! Shared presentational pieces: form fields with inline errors, alerts, dates, the 404 and error views.

mod copy;
mod forms;
mod resource;
pub use copy::CopyButton;
pub use forms::{
    echo_resource, with_echo, Checkbox, CommunityIcon, EchoKey, MarkdownField, RadioGroup,
};
pub use resource::{resource, JsonBytes, Res};

use crate::error::AppError;
use leptos::prelude::*;

/// The whole number in a page address's parameter `key` (a path parameter or the query; read
/// tracked): a thread's id, a list's `before` cursor. `None` when it is missing or not a number.
pub fn number_in(map: Memo<leptos_router::params::ParamsMap>, key: &str) -> Option<i64> {
    map.read().get(key).and_then(|v| v.parse::<i64>().ok())
}

/// The error of the last submission of a server action, as a signal.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The first of several actions' errors (a page whose forms share one alert).
pub fn first_error<const N: usize>(
    errors: [Signal<Option<AppError>>; N],
) -> Signal<Option<AppError>> {
    Signal::derive(move || errors.iter().find_map(|e| e.get()))
}

/// Changes each time the action succeeds (not when it fails, so a failed form keeps its text).
pub fn successes<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&usize>| {
        let version = action.version().get();
        if action.value().with(|r| matches!(r, Some(Ok(_)))) {
            version
        } else {
            prev.copied().unwrap_or(0)
        }
    })
}

/// Runs `then` after each later success of an action (counted by `successes`): a form that
/// stays in place empties its box.
pub fn after_each_success(sent: Memo<usize>, then: impl Fn() + 'static) {
    Effect::new(move |prev: Option<usize>| {
        let n = sent.get();
        if prev.is_some_and(|p| p != n) {
            then();
        }
        n
    });
}

/// A text box emptied after each successful send, for a form re-used in place (a message, a
/// request's answer): the sent words stand in the thread above, not again in the box.
pub fn emptied_after(sent: Memo<usize>) -> NodeRef<leptos::html::Textarea> {
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    after_each_success(sent, move || {
        if let Some(t) = body_ref.get() {
            t.set_value("");
        }
    });
    body_ref
}

/// The message for one field from an error signal.
pub fn field_error(err: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || err.get().and_then(|e| e.field_message(field)))
}

/// Looks up a field in what a failed no-JavaScript post left behind.
pub fn echoed(echo: &[(String, String)], name: &str) -> Option<String> {
    echo.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// A field's `aria-describedby`: its hint (when it has one) and its error (while there is one).
pub(crate) fn described_by(
    has_hint: bool,
    hint_id: &str,
    err_id: &str,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let (hint_id, err_id) = (hint_id.to_string(), err_id.to_string());
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(err_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A labelled input with its hint and its error right below it, linked for screen readers.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = None, into)] value: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.is_some(), &hint_id, &err_id, error);
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            <FieldMessage id=err_id error=error/>
        </div>
    }
}

/// A labelled text area with its hint and its error right below it, linked for screen readers
/// (`f-<name>`, `f-<name>-hint`, `f-<name>-error`); `value` is what the form shows (the saved
/// text, or what a failed post typed).
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(into)] value: String,
    rows: u32,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.is_some(), &hint_id, &err_id, error);
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <textarea id=id name=name rows=rows aria-describedby=described
                aria-invalid=move || error.get().is_some().then_some("true")>{textarea_text(value)}</textarea>
            <FieldMessage id=err_id error=error/>
        </div>
    }
}

/// A labelled choice from a list: `(value, label)` pairs, `current` selected (the first when
/// none matches), with its error below, linked for screen readers.
#[component]
pub fn Select(
    label: &'static str,
    name: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] current: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let described = described_by(false, "", &err_id, error);
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=described
                aria-invalid=move || error.get().is_some().then_some("true")>
                {option_list(choices, current)}
            </select>
            <FieldMessage id=err_id error=error/>
        </div>
    }
}

/// One filter of a search form (a GET form: no error line): its label, `any` as the empty
/// choice, then `(value, label)` pairs with `current` selected.
#[component]
pub fn FilterSelect(
    id: &'static str,
    label: &'static str,
    name: &'static str,
    any: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] current: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {option_list(choices, current)}
            </select>
        </div>
    }
}

/// A select's options from `(value, label)` pairs, `current` selected.
fn option_list(choices: Vec<(String, String)>, current: String) -> impl IntoView {
    choices
        .into_iter()
        .map(|(value, title)| {
            let on = value == current;
            view! { <option value=value selected=on>{title}</option> }
        })
        .collect_view()
}

/// `(value, label)` pairs for [`Select`] from a fixed list.
pub fn choices(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// The error line under a field (also used by selects, text areas and radio groups).
#[component]
pub fn FieldMessage(id: String, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="field-error" id=id.clone()>{e}</p> })
    }
}

/// A message for the whole form: what went wrong, announced to screen readers.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        // The crisis safeguard's step is a panel of helplines (`CrisisWatch`), and a form's
        // "check" step (field `check`, e.g. similar questions) a notice the form shows: not errors.
        error
            .get()
            .filter(|e| *e != AppError::SafetyCheck && e.field_message("check").is_none())
            .map(|e| {
                view! {
                    <div class="alert alert-error" role="alert">
                        {e.form_message()}
                    </div>
                }
            })
    }
}

/// Shown after a successful save.
#[component]
pub fn Saved<S>(action: ServerAction<S>, message: &'static str) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    move || {
        matches!(action.value().get(), Some(Ok(_))).then(|| {
            view! { <p class="alert alert-ok" role="status">{message}</p> }
        })
    }
}

/// `2026-11-26` from Unix milliseconds (UTC), as ISO 8601 and schema.org write dates.
pub fn iso_date(ms: i64) -> String {
    let (year, month, day) = civil(ms);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `2026-11-26T18:05:00Z` from Unix milliseconds.
pub fn iso_datetime(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_date(ms),
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// (year, month 1–12, day) of Unix milliseconds, UTC (Howard Hinnant's civil-from-days).
fn civil(ms: i64) -> (i64, i64, i64) {
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// "26 November 2026" from Unix milliseconds (UTC).
pub fn format_date(ms: i64) -> String {
    let (year, month, day) = civil(ms);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = MONTHS.get((month - 1) as usize).copied().unwrap_or("");
    format!("{day} {name} {year}")
}

/// A moment as people say it: "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days
/// ago"; `None` from a week back (the date reads better then) or for a time ahead of `now_ms`
/// by more than a minute (a clock that is off).
pub fn relative_time(ms: i64, now_ms: i64) -> Option<String> {
    let ago = now_ms - ms;
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match ago {
        i64::MIN..=-60_001 => None,
        -60_000..=59_999 => Some("just now".to_string()),
        60_000..=3_599_999 => Some(plural(ago / 60_000, "minute")),
        3_600_000..=86_399_999 => Some(plural(ago / 3_600_000, "hour")),
        86_400_000..=172_799_999 => Some("yesterday".to_string()),
        172_800_000..=604_799_999 => Some(plural(ago / 86_400_000, "day")),
        _ => None,
    }
}

/// When something happened, in a `<time>` element: the server writes the date (with `time`, the
/// hour too), which a page without JavaScript and the page cache keep; once the page runs,
/// [`start_relative_times`] says a recent moment as people do ("3 hours ago"), the exact time in
/// the tooltip. A static element and one page-wide pass rather than a signal and an effect per
/// instance: the per-instance version cost every page that shows a time ~4 KB of brotli.
#[component]
pub fn When(ms: i64, #[prop(optional)] time: bool) -> impl IntoView {
    let exact = format_datetime(ms);
    let written = if time { exact.clone() } else { format_date(ms) };
    view! {
        <time datetime=iso_datetime(ms) title=exact data-ms=ms.to_string() data-time=time.then_some("")>
            {written}
        </time>
    }
}

/// In the browser, once the page is hydrated: rewrites every [`When`] on the page as people say
/// it, then again every minute (a page left open moves on) and whenever the page changes (a new
/// route, "Load more", a message that arrives, a list that Leptos rebuilds in place and so
/// writes a `<time>`'s date again). The pass changes only a text that differs, so its own
/// changes end in a pass that changes nothing.
#[cfg(any(feature = "hydrate", feature = "csr"))]
pub fn start_relative_times() {
    use wasm_bindgen::{closure::Closure, JsCast};
    fn refresh() {
        let Ok(list) = document().query_selector_all("time[data-ms]") else {
            return;
        };
        let now = js_sys::Date::now() as i64;
        for i in 0..list.length() {
            let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let Some(ms) = el
                .get_attribute("data-ms")
                .and_then(|v| v.parse::<i64>().ok())
            else {
                continue;
            };
            let said = relative_time(ms, now).unwrap_or_else(|| {
                if el.has_attribute("data-time") {
                    format_datetime(ms)
                } else {
                    format_date(ms)
                }
            });
            if el.text_content().as_deref() != Some(said.as_str()) {
                el.set_text_content(Some(&said));
            }
        }
    }
    refresh();
    set_interval(refresh, std::time::Duration::from_secs(60));
    let changed = Closure::<dyn FnMut()>::new(refresh);
    if let (Ok(observer), Some(body)) = (
        web_sys::MutationObserver::new(changed.as_ref().unchecked_ref()),
        document().body(),
    ) {
        let what = web_sys::MutationObserverInit::new();
        what.set_child_list(true);
        what.set_character_data(true);
        what.set_subtree(true);
        let _ = observer.observe_with_options(&body, &what);
    }
    // The observer lives as long as the page.
    changed.forget();
}

/// Sets the response status while rendering on the server (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        res.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Text with some pieces marked (search matches) in `<mark>`; every piece is escaped text.
#[component]
pub fn Highlighted(segments: Vec<(String, bool)>) -> impl IntoView {
    view! {
        <p class="snippet">
            {segments.into_iter().map(|(text, hit)| if hit {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }).collect_view()}
        </p>
    }
}

/// The 404 page.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <leptos_meta::Title text="Page not found"/>
        <section class="panel narrow">
            <h1>"Page not found"</h1>
            <p>"We could not find that page. It may have moved, or the address may be mistyped."</p>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}

/// One page's "pending / error / content": "Loading…" while `resource` loads, the error page
/// (with its HTTP status: 404, 401…) when it failed, else what `content` makes of the value —
/// an async closure, so it may await more (`move |page| async move { let echo = echo.await; … }`).
/// Shown again when the resource is refetched.
pub fn loaded<T, V, Fut>(
    resource: crate::ui::Res<Result<T, AppError>>,
    content: impl Fn(T) -> Fut + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = V> + Send + 'static,
    V: IntoView + 'static,
{
    let content = std::sync::Arc::new(content);
    pending_view(move || {
        let content = content.clone();
        Box::pin(async move {
            match resource.await {
                Ok(value) => content(value).await.into_any(),
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
            }
        })
    })
}

/// One panel of a page: a `section.panel` named by its `h2` (`id` is the heading's, which the
/// section's `aria-labelledby` points at), then its content.
#[component]
pub fn Panel(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {children()}
        </section>
    }
}

/// A list of cards (`ul.request-list`, one `li.card` an item), or `empty` in a muted line when
/// there is nothing: the queues of requests and reports.
pub fn card_list<T>(items: Vec<T>, empty: &'static str, card: impl Fn(T) -> AnyView) -> AnyView {
    if items.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="request-list">
            {items.into_iter().map(|item| view! { <li class="card">{card(item)}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// What a page's content future becomes: boxed, so [`pending_view`] is compiled once.
type PageFuture = std::pin::Pin<Box<dyn std::future::Future<Output = AnyView> + Send>>;

/// [`loaded`]'s "Loading…" and suspense, compiled once for every page.
fn pending_view(page: impl Fn() -> PageFuture + Send + Sync + 'static) -> AnyView {
    let page: std::sync::Arc<dyn Fn() -> PageFuture + Send + Sync> = std::sync::Arc::new(page);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(page())}
        </Suspense>
    }
    .into_any()
}

/// The page shown when loading failed; "not found" and "log in" get their own wording.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    let (title, body) = match &error {
        AppError::NotFound => ("Page not found", error.to_string()),
        AppError::Unauthenticated => ("Please log in", error.to_string()),
        AppError::Forbidden => ("Not allowed", error.to_string()),
        _ => ("Something went wrong", error.to_string()),
    };
    let login = matches!(error, AppError::Unauthenticated);
    view! {
        <leptos_meta::Title text=title/>
        <section class="panel narrow">
            <h1>{title}</h1>
            <p>{body}</p>
            {login.then(|| view! { <p><a class="button" href="/login">"Log in"</a></p> })}
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}

/// "26 November 2026, 18:05 UTC" from Unix milliseconds.
pub fn format_datetime(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}, {:02}:{:02} UTC",
        format_date(ms),
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// A query-string value: letters, digits and `-_.` as they are, every other byte escaped.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The content of a pre-filled `<textarea>`. Leptos renders a textarea's children without
/// escaping them (tachys treats the element as raw text), so stored text such as
/// `</textarea><meta http-equiv="refresh" …>` would become live markup in the served page. On the
/// server the text is escaped here; in the browser it becomes a text node as it is, so hydration
/// and client-side renders show the same characters.
pub fn textarea_text(text: impl Into<String>) -> String {
    let text = text.into();
    #[cfg(feature = "ssr")]
    {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
        out
    }
    #[cfg(not(feature = "ssr"))]
    text
}

#[cfg(test)]
mod tests {
    use super::{format_date, format_datetime, iso_date, iso_datetime, relative_time};

    #[test]
    fn dates() {
        assert_eq!(format_date(0), "1 January 1970");
        assert_eq!(format_date(1_795_651_200_000), "26 November 2026");
        assert_eq!(format_date(951_782_400_000), "29 February 2000");
        assert_eq!(iso_date(951_782_400_000), "2000-02-29");
        assert_eq!(
            iso_datetime(1_795_651_200_000 + 65_000),
            "2026-11-26T00:01:05Z"
        );
        assert_eq!(
            format_datetime(1_795_651_200_000 + 65_000),
            "26 November 2026, 00:01 UTC"
        );
    }

    #[test]
    fn relative_times() {
        let now = 1_795_651_200_000;
        let min = 60_000;
        let said = |ago: i64| relative_time(now - ago, now);
        assert_eq!(said(0).as_deref(), Some("just now"));
        assert_eq!(said(59_000).as_deref(), Some("just now"));
        assert_eq!(said(-30_000).as_deref(), Some("just now"));
        assert_eq!(said(-2 * min), None);
        assert_eq!(said(min).as_deref(), Some("1 minute ago"));
        assert_eq!(said(59 * min).as_deref(), Some("59 minutes ago"));
        assert_eq!(said(60 * min).as_deref(), Some("1 hour ago"));
        assert_eq!(
            said(23 * 60 * min + 59 * min).as_deref(),
            Some("23 hours ago")
        );
        assert_eq!(said(24 * 60 * min).as_deref(), Some("yesterday"));
        assert_eq!(said(47 * 60 * min).as_deref(), Some("yesterday"));
        assert_eq!(said(48 * 60 * min).as_deref(), Some("2 days ago"));
        assert_eq!(said(6 * 24 * 60 * min).as_deref(), Some("6 days ago"));
        assert_eq!(said(7 * 24 * 60 * min), None);
    }
}
