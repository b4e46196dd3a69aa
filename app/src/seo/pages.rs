//! `PageMeta`: a public page's description, canonical link, Open Graph and Twitter card tags and its JSON-LD, written once per page.

use leptos::prelude::*;
use leptos_meta::{Link, Meta};
use serde_json::Value;

/// The site's public address (`HC_PUBLIC_URL`, no trailing slash). The server knows it from its
/// settings and writes it into the page's `<meta name="hc-site">`, where the browser reads it, so
/// both render the same tags.
pub fn site_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::state::AppState>()
            .map(|s| s.settings.public_url.trim_end_matches('/').to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .query_selector("meta[name='hc-site']")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_default()
    }
}

/// What the site is, for pages that describe the whole site (the home page, lists).
pub const SITE_DESCRIPTION: &str = "A calm, private community for people living with a long-term condition, their carers and clinicians: plain-language health information, questions answered, support groups and a directory of care.";

/// The tags search engines and link previews read, for a page anyone may see at `path`.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    /// The page's own address, from the root (`/p/12`): the canonical link.
    #[prop(into)]
    path: String,
    /// `website`, or `article` for a post or a library article.
    #[prop(default = "website")]
    kind: &'static str,
    #[prop(optional)] json_ld: Vec<Value>,
) -> impl IntoView {
    let url = format!("{}{path}", site_url());
    let description = super::jsonld::clip(&description, 200);
    let script = (!json_ld.is_empty()).then(|| {
        let text = super::jsonld::script_text(&json_ld);
        view! { <script type="application/ld+json" inner_html=text></script> }
    });
    view! {
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:type" content=kind/>
        <Meta property="og:site_name" content="HealthCommunity"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        <Meta name="twitter:card" content="summary"/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
        {script}
    }
}
