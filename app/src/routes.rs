//! Every page as a route loaded when first used: built with `cargo leptos build --split`, each
//! page's code leaves the first-load wasm for a chunk of its own (or one shared with the pages
//! that use the same code), which the server names in a header of the page it renders, so a
//! first visit downloads the app's frame and that page only.

use crate::admin::pages::AdminPage;
use crate::analytics::pages::AnalyticsPage;
use crate::auth::pages::{
    ForgotPasswordPage, LoginPage, ResetPasswordPage, SignupPage, VerifyEmailPage,
};
use crate::communities::pages::{CommunitiesPage, CommunityFormPage, CommunityPage};
use crate::directory::pages::{
    DirectoryPage, InboxPage, ListingPage, MyRequestsPage, NewClinicPage, ProviderEditPage,
    ProviderPage, ReportsPage, RequestPage,
};
use crate::follows::pages::FollowingPage;
use crate::groups::pages::{GroupManagePage, GroupPage, NewGroupPage, NewGroupPostPage};
use crate::invitations::pages::{InvitePage, JoinPage};
use crate::library::pages::{ArticleEditorPage, ArticlePage, DeskPage, LibraryPage};
use crate::mail::pages::MailStopPage;
use crate::messages::pages::{MessageReportsPage, MessagesPage, ThreadPage};
use crate::notifications::pages::NotificationsPage;
use crate::operator::pages::{AboutPage, OperatorPage};
use crate::pages::{HomePage, PrivacyPage};
use crate::posts::pages::{NewPostPage, PostHistoryPage, PostPage};
use crate::privacy::pages::GoodbyePage;
use crate::profiles::pages::{ProfilePage, SettingsPage};
use crate::safety::pages::{ModQueuePage, WatchedWordsPage};
use crate::saved::pages::SavedItemsPage;
use crate::search::pages::SearchPage;
use crate::sponsor::pages::SponsorPage;
use crate::sponsored::pages::WhySponsoredPage;
use crate::welcome::pages::WelcomePage;
use leptos::prelude::*;
use leptos_router::ChooseView;
use std::{future::Future, pin::Pin};

/// A page's view for the router, loaded with its chunk when first chosen. One type for every
/// route: Leptos's `Lazy<T>` is generic over the page, so the router's code that chooses,
/// preloads, clones and erases a view was written once per page (52 times, ~56 KB of the main
/// wasm before `wasm-opt`); here it is written once and each page adds two function pointers.
#[derive(Clone, Copy)]
pub struct Page {
    view: fn() -> Pin<Box<dyn Future<Output = AnyView>>>,
    preload: fn() -> Pin<Box<dyn Future<Output = ()>>>,
}

impl ChooseView for Page {
    fn choose(self) -> impl Future<Output = AnyView> {
        (self.view)()
    }

    fn preload(&self) -> impl Future<Output = ()> {
        (self.preload)()
    }
}

/// The name of the islands pages' wasm and JS (`frontend`'s `islands` feature, `make build`).
pub const ISLANDS_OUTPUT: &str = "islands";

/// Pages served as islands (issue 16): rendered by the server like every page, but the browser
/// loads only the wasm of their `#[island]`s (a few tens of KB) instead of the app and the
/// page's chunks, and hydrates those alone; their links load the next page as a document. For
/// now the library's articles (`/library/<slug>`, whose only control is the member's Save
/// button) and the directory's search (`/directory`: a GET form, a map drawn on the server,
/// and "Near me"). Decided from the path, because the document's head, written before the
/// router runs, names the wasm (and the route's view then names no chunks).
pub fn islands_page(path: &str) -> bool {
    path == "/directory"
        || path.strip_prefix("/library/").is_some_and(|slug| {
            !slug.is_empty() && !slug.contains('/') && slug != "new" && slug != "desk"
        })
}

/// Where the islands pages' wasm starts (`frontend`'s `islands` feature): Leptos set up for
/// islands. That the entry calls into this crate matters too: a crate nothing calls is not
/// linked, and the `#[island]`s' exports, which the island script calls, would be missing.
#[cfg(feature = "islands")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
}

/// Pages served as islands to a visitor — a request without a session cookie: the landing
/// page, a community's feed, a thread and a provider's page, where search engines and shared
/// links bring a first visit. What a visitor can do there works as a document (links, GET
/// searches, forms that post: what the no-JavaScript journeys pin). A member gets the app,
/// whose wasm the browser keeps (hashed names, cached for a year) and whose controls answer in
/// place: a reply, a vote, joining, "Load more".
pub fn visitor_islands_page(path: &str) -> bool {
    let one_segment = |prefix: &str| {
        path.strip_prefix(prefix)
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
    };
    path == "/"
        || one_segment("/c/").is_some()
        || one_segment("/p/").is_some()
        || one_segment("/directory/")
            .is_some_and(|slug| !matches!(slug, "new" | "list" | "reports"))
}

/// On the server, whether the page being rendered is served as islands: an islands page, or a
/// visitor's islands page and no session cookie; in the browser, false (the islands' wasm
/// renders no page, and the app's routes whole pages).
pub fn islands_response() -> bool {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        let path = parts.uri.path();
        return islands_page(path)
            || (visitor_islands_page(path)
                && crate::state::cookie(&parts, crate::auth::session::COOKIE)
                    .is_none_or(|token| token.is_empty()));
    }
    false
}

/// On the server, names the page's chunks (one address for all of them, `server/src/chunks.rs`)
/// in a header the loader reads, so their fetch starts while the main wasm arrives instead of
/// after it.
#[cfg(not(any(feature = "csr", feature = "islands")))]
fn preload_chunks(route: &str) {
    // A page served as islands loads no chunk.
    #[cfg(feature = "ssr")]
    if islands_response() {
        return;
    }
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::state::AppState>() {
        for (name, value) in state
            .settings
            .page_chunks
            .get(&snake_case(route))
            .into_iter()
            .flatten()
        {
            crate::state::add_response_header(name, value);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = route;
}

/// `HomeRoute` → `home_route`, as Leptos names the route's view in the split manifest.
#[cfg(feature = "ssr")]
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// For each `Route => Page`: a function `Route()` giving the router a [`Page`] whose view is
/// that page, split into its own chunk. The split function keeps the name Leptos's
/// `#[lazy_route]` gives it (`__HomeRoute_View`), so the split manifest names it
/// `__home_route_view_<hash>` and the server finds the page's chunks by its route's name
/// (`server/src/chunks.rs`).
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        paste::paste! {
            #[cfg(not(any(feature = "csr", feature = "islands")))]
            #[allow(non_snake_case)]
            #[::leptos::lazy]
            fn [<__ $route _View>]() -> AnyView {
                preload_chunks(stringify!($route));
                $page().into_any()
            }

            // The client-only build (Trunk) is not split: its wasm would import the chunk
            // loader from a module that only the split writes. Nor is the islands pages' wasm,
            // which routes no page: a split function is exported, so all 52 pages (3.7 MB)
            // would stay in it.
            #[cfg(any(feature = "csr", feature = "islands"))]
            #[allow(non_snake_case)]
            async fn [<__ $route _View>]() -> AnyView {
                $page().into_any()
            }

            #[doc = concat!("The route showing `", stringify!($page), "`, loaded when first used.")]
            #[allow(non_snake_case)]
            pub fn $route() -> Page {
                Page {
                    view: || Box::pin([<__ $route _View>]()),
                    #[cfg(all(target_arch = "wasm32", not(any(feature = "csr", feature = "islands"))))]
                    preload: || Box::pin([<__preload___ $route _View>]()),
                    #[cfg(not(all(target_arch = "wasm32", not(any(feature = "csr", feature = "islands")))))]
                    preload: || Box::pin(async {}),
                }
            }
        }
    )*};
}

lazy_pages! {
    HomeRoute => HomePage,
    SignupRoute => SignupPage,
    LoginRoute => LoginPage,
    LoginCodeRoute => crate::auth::two_step_pages::LoginCodePage,
    ForgotPasswordRoute => ForgotPasswordPage,
    ResetPasswordRoute => ResetPasswordPage,
    VerifyEmailRoute => VerifyEmailPage,
    SettingsRoute => SettingsPage,
    ProfileRoute => ProfilePage,
    AdminRoute => AdminPage,
    OperatorRoute => OperatorPage,
    AnalyticsRoute => AnalyticsPage,
    SynonymsRoute => crate::search::pages::SynonymsPage,
    SponsorRoute => SponsorPage,
    ModQueueRoute => ModQueuePage,
    WatchedWordsRoute => WatchedWordsPage,
    AboutRoute => AboutPage,
    WhySponsoredRoute => WhySponsoredPage,
    PrivacyRoute => PrivacyPage,
    GoodbyeRoute => GoodbyePage,
    CommunitiesRoute => CommunitiesPage,
    CommunityRoute => CommunityPage,
    CommunityFormRoute => CommunityFormPage,
    NewPostRoute => NewPostPage,
    PostRoute => PostPage,
    PostHistoryRoute => PostHistoryPage,
    NewGroupRoute => NewGroupPage,
    GroupRoute => GroupPage,
    GroupManageRoute => GroupManagePage,
    NewGroupPostRoute => NewGroupPostPage,
    SearchRoute => SearchPage,
    LibraryRoute => LibraryPage,
    ArticleEditorRoute => ArticleEditorPage,
    DeskRoute => DeskPage,
    ArticleRoute => ArticlePage,
    NotificationsRoute => NotificationsPage,
    SavedItemsRoute => SavedItemsPage,
    FollowingRoute => FollowingPage,
    WelcomeRoute => WelcomePage,
    InviteRoute => InvitePage,
    JoinRoute => JoinPage,
    MessagesRoute => MessagesPage,
    MessageReportsRoute => MessageReportsPage,
    MessageThreadRoute => ThreadPage,
    DirectoryRoute => DirectoryPage,
    NewClinicRoute => NewClinicPage,
    ListingRoute => ListingPage,
    ProviderReportsRoute => ReportsPage,
    ProviderRoute => ProviderPage,
    ProviderEditRoute => ProviderEditPage,
    InboxRoute => InboxPage,
    MyRequestsRoute => MyRequestsPage,
    RequestRoute => RequestPage,
    MailStopRoute => MailStopPage,
}

#[cfg(test)]
mod tests {
    use super::{islands_page, visitor_islands_page};

    #[test]
    fn which_pages_are_served_as_islands() {
        for path in ["/library/what-is-a-relapse-in-ms", "/directory"] {
            assert!(islands_page(path), "{path}");
        }
        for path in [
            "/library",
            "/library/new",
            "/library/desk",
            "/library/a/edit",
            "/directory/list",
            "/",
            "/c/multiple-sclerosis",
        ] {
            assert!(!islands_page(path), "{path}");
        }
        for path in [
            "/",
            "/c/multiple-sclerosis",
            "/p/12",
            "/directory/pennine-neurology",
        ] {
            assert!(visitor_islands_page(path), "{path}");
        }
        for path in [
            "/c",
            "/c/",
            "/c/multiple-sclerosis/new",
            "/c/multiple-sclerosis/edit",
            "/p/12/history",
            "/directory/new",
            "/directory/list",
            "/directory/reports",
            "/directory/pennine-neurology/edit",
            "/about",
            "/login",
        ] {
            assert!(!visitor_islands_page(path), "{path}");
        }
    }
}
