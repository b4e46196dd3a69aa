//! Who is logged in, as a context every page reads: the current member resource, log out, and refreshing after a form that changes it.

use crate::auth::api::{get_current_user, Logout};
use crate::auth::types::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// Who is logged in. Forms that change it (sign-up, log in, settings) create their own actions
/// inside their route, where the router provides errors that a no-JavaScript post left in the URL,
/// and call [`Session::refresh_after`] so the header follows.
#[derive(Clone, Copy)]
pub struct Session {
    pub logout: ServerAction<Logout>,
    refresh: RwSignal<u64>,
    pub user: crate::ui::Res<Result<Option<CurrentUser>, AppError>>,
}

impl Session {
    /// Provides the session to everything below (the router frame does, once).
    pub(crate) fn provide() -> Self {
        let logout = ServerAction::<Logout>::new();
        let refresh = RwSignal::new(0u64);
        let user = crate::ui::resource(
            move || (refresh.get(), logout.version().get()),
            |_| get_current_user(),
        );
        let session = Self {
            logout,
            refresh,
            user,
        };
        provide_context(session);
        session
    }

    /// Reloads the logged-in member whenever `action` completes.
    pub fn refresh_after<S>(&self, action: ServerAction<S>)
    where
        S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
        S::Error: Send + Sync + 'static,
    {
        let refresh = self.refresh;
        Effect::watch(
            move || action.version().get(),
            move |_, _, _| refresh.update(|n| *n += 1),
            false,
        );
    }

    /// Changes when someone logs in or out here (tracked): what depends on who reads reloads.
    pub fn changes(&self) -> (u64, usize) {
        (self.refresh.get(), self.logout.version().get())
    }

    /// The logged-in member, once loaded.
    pub fn me(&self) -> Option<CurrentUser> {
        self.user.get().and_then(|r| r.ok()).flatten()
    }
}
