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
    DirectoryPage, InboxPage, MyRequestsPage, NewClinicPage, ProviderEditPage, ProviderPage,
    ReportsPage, RequestPage,
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
#[cfg(not(feature = "csr"))]
use leptos_router::lazy_route;
use leptos_router::LazyRoute;

/// On the server, names the page's chunks (one address for all of them, `server/src/chunks.rs`)
/// in a header the loader reads, so their fetch starts while the main wasm arrives instead of
/// after it.
#[cfg(not(feature = "csr"))]
fn preload_chunks(route: &str) {
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

/// For each `Route => Page`: a [`LazyRoute`] whose view is the page, split into its own chunk.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        #[doc = concat!("The route showing `", stringify!($page), "`, loaded when first used.")]
        pub struct $route;

        #[cfg(not(feature = "csr"))]
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                preload_chunks(stringify!($route));
                $page().into_any()
            }
        }

        // The client-only build (Trunk) is not split: its wasm would import the chunk loader
        // from a module that only the split writes.
        #[cfg(feature = "csr")]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    HomeRoute => HomePage,
    SignupRoute => SignupPage,
    LoginRoute => LoginPage,
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
    ProviderReportsRoute => ReportsPage,
    ProviderRoute => ProviderPage,
    ProviderEditRoute => ProviderEditPage,
    InboxRoute => InboxPage,
    MyRequestsRoute => MyRequestsPage,
    RequestRoute => RequestPage,
    MailStopRoute => MailStopPage,
}
