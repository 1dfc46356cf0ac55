use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

/// What every request handler and server function can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Where writes commit (grouped on SQLite: `commits`); its pool is `db`.
    pub commits: super::commits::Committer,
    pub leptos_options: LeptosOptions,
    /// Where attachments are kept, and their limits.
    pub files: super::files::Files,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
