//! The HTML shell, the router and route table, and the header and footer.

use crate::analytics::pages::CountNavigations;
use crate::announcements::pages::AnnouncementBanners;
use crate::notifications::pages::{HeaderCounts, Unread};
use crate::routes::*;
use crate::session::Session;
use crate::ui::NotFound;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    content_security_policy();
    // A page served as islands loads the islands' wasm instead of the app's
    // (`crate::routes::islands_page`).
    let islands = crate::routes::islands_response();
    let mut options = options;
    if islands {
        options.output_name = crate::routes::ISLANDS_OUTPUT.into();
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // The public address, for the canonical and Open Graph links the browser renders
                // too (`seo::pages::site_url`).
                <meta name="hc-site" content=crate::seo::pages::site_url()/>
                <link rel="stylesheet" href=format!("/{}/healthcommunity.css", options.site_pkg_dir)/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Allows only this site's own scripts plus the inline scripts Leptos marks with this response's
/// nonce (hydration and serialized resources); no inline styles, no framing, forms post here only.
fn content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The document title for a page title. leptos_meta writes the server-rendered `<title>` without
/// escaping, so on the server the text is escaped here (a post title is member input: without this,
/// `</title><script>` in a title would become markup). In the browser it sets `document.title`,
/// which takes plain text.
fn title_text(page: String) -> String {
    let full = if page.is_empty() {
        "HealthCommunity".to_string()
    } else {
        format!("{page} · HealthCommunity")
    };
    #[cfg(feature = "ssr")]
    let full = full
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    full
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=title_text/>
        <Meta name="referrer" content="same-origin"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Router>
            <Frame/>
        </Router>
    }
}

/// Everything inside the router: session, header, routes, footer. The routes must not sit inside
/// a `Suspense`/`Transition`, or the server cannot discover them.
#[component]
fn Frame() -> impl IntoView {
    Session::provide();
    provide_context(Unread::new());
    // The client-only build marks the page once it runs (effects run only in the browser); the
    // hydrating build marks it when hydration is complete (`frontend::hydrate`).
    Effect::new(|| {
        #[cfg(feature = "csr")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <CountNavigations/>
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header/>
        <AnnouncementBanners/>
        <main id="main" class="wrap" tabindex="-1">
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=HomeRoute() ssr=SsrMode::Async/>
                <Route path=path!("/signup") view=SignupRoute() ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginRoute() ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view=LoginCodeRoute() ssr=SsrMode::Async/>
                <Route path=path!("/forgot") view=ForgotPasswordRoute() ssr=SsrMode::Async/>
                <Route path=path!("/reset/:token") view=ResetPasswordRoute() ssr=SsrMode::Async/>
                <Route path=path!("/verify/:token") view=VerifyEmailRoute() ssr=SsrMode::Async/>
                <Route path=path!("/settings") view=SettingsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle") view=ProfileRoute() ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=AdminRoute() ssr=SsrMode::Async/>
                <Route path=path!("/admin/operator") view=OperatorRoute() ssr=SsrMode::Async/>
                <Route path=path!("/admin/analytics") view=AnalyticsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/admin/synonyms") view=SynonymsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/sponsor") view=SponsorRoute() ssr=SsrMode::Async/>
                <Route path=path!("/mod") view=ModQueueRoute() ssr=SsrMode::Async/>
                <Route path=path!("/mod/words") view=WatchedWordsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/about") view=AboutRoute() ssr=SsrMode::Async/>
                <Route path=path!("/about/sponsored") view=WhySponsoredRoute() ssr=SsrMode::Async/>
                <Route path=path!("/privacy") view=PrivacyRoute() ssr=SsrMode::Async/>
                <Route path=path!("/goodbye") view=GoodbyeRoute() ssr=SsrMode::Async/>
                <Route path=path!("/c") view=CommunitiesRoute() ssr=SsrMode::Async/>
                <Route path=path!("/c/:slug") view=CommunityRoute() ssr=SsrMode::Async/>
                <Route path=path!("/c/:slug/edit") view=CommunityFormRoute() ssr=SsrMode::Async/>
                <Route path=path!("/communities/new") view=CommunityFormRoute() ssr=SsrMode::Async/>
                <Route path=path!("/c/:slug/new") view=NewPostRoute() ssr=SsrMode::Async/>
                <Route path=path!("/p/:id") view=PostRoute() ssr=SsrMode::Async/>
                <Route path=path!("/p/:id/history") view=PostHistoryRoute() ssr=SsrMode::Async/>
                <Route path=path!("/c/:slug/groups/new") view=NewGroupRoute() ssr=SsrMode::Async/>
                <Route path=path!("/g/:slug") view=GroupRoute() ssr=SsrMode::Async/>
                <Route path=path!("/g/:slug/manage") view=GroupManageRoute() ssr=SsrMode::Async/>
                <Route path=path!("/g/:slug/new") view=NewGroupPostRoute() ssr=SsrMode::Async/>
                <Route path=path!("/search") view=SearchRoute() ssr=SsrMode::Async/>
                <Route path=path!("/library") view=LibraryRoute() ssr=SsrMode::Async/>
                <Route path=path!("/library/new") view=ArticleEditorRoute() ssr=SsrMode::Async/>
                <Route path=path!("/library/desk") view=DeskRoute() ssr=SsrMode::Async/>
                <Route path=path!("/library/:slug") view=ArticleRoute() ssr=SsrMode::Async/>
                <Route path=path!("/library/:slug/edit") view=ArticleEditorRoute() ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view=NotificationsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/saved") view=SavedItemsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/following") view=FollowingRoute() ssr=SsrMode::Async/>
                <Route path=path!("/welcome") view=WelcomeRoute() ssr=SsrMode::Async/>
                <Route path=path!("/invite") view=InviteRoute() ssr=SsrMode::Async/>
                <Route path=path!("/join/:code") view=JoinRoute() ssr=SsrMode::Async/>
                <Route path=path!("/messages") view=MessagesRoute() ssr=SsrMode::Async/>
                <Route path=path!("/messages/reports") view=MessageReportsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/messages/:handle") view=MessageThreadRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory") view=DirectoryRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory/new") view=NewClinicRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory/list") view=ListingRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory/reports") view=ProviderReportsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory/:slug") view=ProviderRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory/:slug/edit") view=ProviderEditRoute() ssr=SsrMode::Async/>
                <Route path=path!("/directory/:slug/inbox") view=InboxRoute() ssr=SsrMode::Async/>
                <Route path=path!("/requests") view=MyRequestsRoute() ssr=SsrMode::Async/>
                <Route path=path!("/requests/:id") view=RequestRoute() ssr=SsrMode::Async/>
                <Route path=path!("/mail/stop/:token") view=MailStopRoute() ssr=SsrMode::Async/>
            </Routes>
        </main>
        <Footer/>
    }
}

/// Closes the account menu once one of its links or buttons is used (a link followed in the
/// page would otherwise leave it open over the next page).
fn close_menu(ev: leptos::ev::MouseEvent) {
    let target = event_target::<web_sys::Element>(&ev);
    if let Ok(Some(menu)) = target.closest("details") {
        let _ = menu.remove_attribute("open");
    }
}

#[component]
fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    let theme = move || {
        session
            .me()
            .map(|u| u.theme)
            .unwrap_or_else(|| "system".into())
    };
    let text = move || {
        session
            .me()
            .map(|u| u.text_size)
            .unwrap_or_else(|| "normal".into())
    };
    view! {
        <header class="site-header">
            <div class="wrap header-inner">
                <a href="/" class="brand">
                    <svg class="logo" viewBox="0 0 24 24" aria-hidden="true" width="28" height="28">
                        <path d="M12 21s-7.5-4.6-9.6-9.3C1 8.3 3 4.5 6.7 4.5c2.1 0 3.6 1.2 4.3 2.5h2c.7-1.3 2.2-2.5 4.3-2.5 3.7 0 5.7 3.8 4.3 7.2C19.5 16.4 12 21 12 21z" fill="currentColor"/>
                    </svg>
                    "HealthCommunity"
                </a>
                <Transition fallback=|| ()>
                    // The member's display preferences; the style sheet applies them with `:has()`,
                    // so they work without JavaScript.
                    <span id="prefs" hidden data-theme=theme data-text=text></span>
                    <nav aria-label="Main">
                        <ul class="nav-list">
                            <li><A href="/" exact=true>"Home"</A></li>
                            <li><A href="/c">"Communities"</A></li>
                            <li><A href="/library">"Library"</A></li>
                            <li><A href="/directory">"Find care"</A></li>
                        </ul>
                    </nav>
                    <form class="header-search" method="get" action="/search" role="search">
                        <label for="header-q" class="visually-hidden">"Search"</label>
                        <input id="header-q" type="search" name="q" placeholder="Search"/>
                    </form>
                    <div class="account">{account(session)}</div>
                </Transition>
            </div>
            <Transition fallback=|| ()>
                {account_banners(session)}
            </Transition>
        </header>
    }
}

/// The header's account links: log in and sign up, or the member's counts and menu.
/// (A function, not a component: in the main module, a component's erased view costs bytes
/// every first visit downloads.)
fn account(session: Session) -> impl IntoView {
    move || match session.me() {
        Some(u) => {
            let profile = format!("/u/{}", u.handle);
            // The member's own links fold into a menu under their handle (a `details`, so it
            // opens without JavaScript): with them all in a row, a moderator's header wrapped at
            // 1280 px.
            let waiting = u.mod_queue.filter(|n| *n > 0);
            view! {
                {waiting.map(|n| view! {
                    <a class="bell" href="/mod" data-testid="mod-queue-link">
                        "Review"
                        " "<span class="count" data-testid="mod-queue">{n}</span>
                        <span class="visually-hidden">" waiting in the moderation queue"</span>
                    </a>
                })}
                <HeaderCounts notifications=u.unread_notifications messages=u.unread_messages/>
                <details class="account-menu">
                    <summary class="me">
                        <span class="visually-hidden">"Logged in as "</span>
                        <crate::pictures::pages::Avatar handle=u.handle.clone() avatar=u.avatar/>
                        "@"{u.handle.clone()}
                    </summary>
                    <ul class="menu" on:click=close_menu>
                        <li><A href=profile>"Your profile"</A></li>
                        <li><A href="/saved">"Saved"</A></li>
                        <li><A href="/following">"Following"</A></li>
                        <li><A href="/settings">"Settings"</A></li>
                        {u.mod_queue.is_some().then(|| view! { <li><A href="/mod">"Moderation"</A></li> })}
                        {u.is_admin.then(|| view! { <li><A href="/admin">"Admin"</A></li> })}
                        {u.is_sponsor.then(|| view! { <li><A href="/sponsor">"Sponsor reports"</A></li> })}
                        <li>
                            <ActionForm action=session.logout attr:class="inline-form">
                                <button type="submit" class="link-button">"Log out"</button>
                            </ActionForm>
                        </li>
                    </ul>
                </details>
            }
            .into_any()
        }
        None => view! {
            <A href="/login">"Log in"</A>
            <a class="button" href="/signup">"Sign up"</a>
        }
        .into_any(),
    }
}

/// What a member must know about their account on every page: an unconfirmed address, a
/// suspension, withdrawn consent.
fn account_banners(session: Session) -> impl IntoView {
    view! {
        {move || session.me().filter(|u| !u.email_verified).map(|_| view! {
            <p class="verify-banner" data-testid="verify-banner">
                "Please confirm your e-mail address: open the link we sent you. "
                <a href="/settings#account-h">"Send it again or change the address"</a>
            </p>
        })}
        {move || session.me().and_then(|u| u.suspended_until.map(|until| (until, u.suspension_reason))).map(|(until, reason)| view! {
            <p class="verify-banner" data-testid="suspension-banner">
                {if until >= crate::safety::types::INDEFINITE {
                    "Your account is suspended until an admin lifts it. ".to_string()
                } else {
                    format!("Your account is suspended until {}. ", crate::ui::format_datetime(until))
                }}
                "You can read, download and delete your data, but not write. The moderators' reason: “"{reason}"”"
            </p>
        })}
        {move || session.me().filter(|u| u.consent_withdrawn).map(|_| view! {
            <p class="verify-banner" data-testid="consent-banner">
                "You withdrew your consent to our use of your health data: your account is read-only and hidden. "
                <a href="/settings#your-data">"Give it again or delete your account"</a>
            </p>
        })}
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p class="disclaimer">
                    <strong>"Medical disclaimer: "</strong>
                    "information here does not replace professional advice. Members share their own experience; "
                    "talk to your doctor or nurse before changing any treatment. In an emergency, call your local emergency number."
                </p>
                <p class="footer-links">
                    <a href="/privacy">"Privacy and your health data"</a>
                    <a href="/about">"Who runs this site, and advertising"</a>
                </p>
            </div>
        </footer>
    }
}
