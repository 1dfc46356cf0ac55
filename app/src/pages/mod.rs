//! One file per route.

mod access;
mod admin;
#[cfg(feature = "ssr")]
pub mod gallery;
mod home;
mod not_found;
pub mod public;
mod report;
mod staff;
mod stats;
mod track;

pub use access::{
    AccountPage, CodePage, EnrolPage, ForgotPasswordPage, InviteAcceptPage, LoginPage,
    RegisterPage, ResetPasswordPage,
};
pub use admin::{
    AdminAgenciesPage, AdminAgencyPage, AdminHolidaysPage, AdminRoutingPage, AdminUsersPage,
};
pub use home::HomePage;
pub use not_found::NotFound;
pub use public::{PublicListPage, PublicReportPage};
pub use report::ReportPage;
pub use staff::{MyReportsPage, NotificationsPage, StaffListPage, StaffReportPage, TemplatesPage};
pub use stats::{OversightPage, StatsPage};
pub use track::{MyReportPage, TrackLookupPage, TrackPage};

use leptos::prelude::*;

/// Sets the HTTP status of the server-rendered response (no-op in the browser).
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(opts), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        opts.set_status(code);
    }
}

/// The opaque message for unexpected failures (the cause is in the server log).
#[component]
pub fn ErrorMessage() -> impl IntoView {
    let t = crate::texts();
    set_status(500);
    view! {
        <div role="alert" class="border-l-4 border-red-700 bg-white p-4">
            <h1 class="text-xl font-bold">{t.error_page_title}</h1>
            <p class="mt-2">{t.error_page_body}</p>
        </div>
    }
}

/// The name of a role in the current language.
pub fn role_text(role: crate::domain::access::AccountRole) -> &'static str {
    use crate::domain::access::AccountRole::*;
    let t = crate::texts();
    match role {
        Citizen => t.tr("Warga", "Citizen"),
        Verifier => t.tr("Verifikator", "Verifier"),
        AgencyAdmin => t.tr("Admin instansi", "Agency administrator"),
        AgencyOfficer => t.tr("Petugas instansi", "Agency officer"),
        Supervisor => t.tr("Pengawas", "Supervisor"),
        SystemAdmin => t.tr("Admin sistem", "System administrator"),
    }
}
