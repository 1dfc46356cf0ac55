//! The server function of every typed action (`crate::act`), declared once each: the macro
//! derives the function (multipart, so files can come along), the browser's call, and the
//! registry the no-JavaScript adapter dispatches on. Adding an action is one line here.

use crate::act::{Act, ActCall, Acted};
use crate::domain::accounts::*;
use crate::domain::casework::*;
use crate::domain::intake::SubmitReport;
use crate::domain::office::*;
use crate::domain::transparency::ReaderAct;
use crate::domain::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

macro_rules! acts {
    ($($input:ident => $fn:ident as $S:ident, $endpoint:tt;)*) => {
        $(
            #[doc = concat!("The server function of `", stringify!($input), "`.")]
            #[server(name = $S, prefix = "/api/act", endpoint = $endpoint, input = MultipartFormData)]
            pub async fn $fn(data: MultipartData) -> Result<Acted<<$input as Act>::Output>, AppError> {
                crate::server::act::serve_multipart::<$input>(data).await
            }

            impl ActCall for $input {
                #[cfg(feature = "hydrate")]
                fn call(
                    form: web_sys::FormData,
                ) -> impl std::future::Future<Output = Result<Acted<Self::Output>, AppError>> {
                    $fn(form.into())
                }
            }
        )*

        /// Every action, for the no-JavaScript adapter and the tests that enumerate them.
        #[cfg(feature = "ssr")]
        pub fn registry() -> &'static [crate::server::act::Entry] {
            static ENTRIES: &[crate::server::act::Entry] =
                &[$(crate::server::act::Entry::of::<$input>(),)*];
            ENTRIES
        }

        /// The address of every action's server function, by action key.
        pub fn paths() -> Vec<(&'static str, &'static str)> {
            use leptos::server_fn::ServerFn;
            vec![$((<$input as Act>::KEY, <$S as ServerFn>::PATH),)*]
        }
    };
}

acts! {
    SubmitReport => act_submit_report as ActSubmitReport, "submit-report";
    StaffCommand => act_staff_command as ActStaffCommand, "staff-command";
    RevealIdentity => act_reveal_identity as ActRevealIdentity, "reveal-identity";
    SetPriority => act_set_priority as ActSetPriority, "set-priority";
    UpdateReports => act_update_reports as ActUpdateReports, "update-reports";
    SaveView => act_save_view as ActSaveView, "save-view";
    RemoveView => act_remove_view as ActRemoveView, "remove-view";
    RaisePrivacy => act_raise_privacy as ActRaisePrivacy, "raise-privacy";
    MarkDuplicate => act_mark_duplicate as ActMarkDuplicate, "mark-duplicate";
    AddCoAgency => act_add_co_agency as ActAddCoAgency, "add-co-agency";
    RequestCoAgency => act_request_co_agency as ActRequestCoAgency, "request-co-agency";
    SetPublicVersion => act_set_public_version as ActSetPublicVersion, "set-public-version";
    TrackCommand => act_track_command as ActTrackCommand, "track-command";
    OwnReportCommand => act_own_report_command as ActOwnReportCommand, "own-report-command";
    CreateTemplate => act_create_template as ActCreateTemplate, "create-template";
    RetireTemplate => act_retire_template as ActRetireTemplate, "retire-template";
    AddRoutingRule => act_add_routing_rule as ActAddRoutingRule, "add-routing-rule";
    RemoveRoutingRule => act_remove_routing_rule as ActRemoveRoutingRule, "remove-routing-rule";
    SetHoliday => act_set_holiday as ActSetHoliday, "set-holiday";
    RemoveHoliday => act_remove_holiday as ActRemoveHoliday, "remove-holiday";
    ConfirmHolidayYear => act_confirm_holiday_year as ActConfirmHolidayYear, "confirm-holiday-year";
    CreateAgency => act_create_agency as ActCreateAgency, "create-agency";
    UpdateAgency => act_update_agency as ActUpdateAgency, "update-agency";
    SetAgencyActive => act_set_agency_active as ActSetAgencyActive, "set-agency-active";
    ImportAgencies => act_import_agencies as ActImportAgencies, "import-agencies";
    InviteStaff => act_invite_staff as ActInviteStaff, "invite-staff";
    ChangeRole => act_change_role as ActChangeRole, "change-role";
    SetAccountActive => act_set_account_active as ActSetAccountActive, "set-account-active";
    ChangePassword => act_change_password as ActChangePassword, "change-password";
    EraseAccount => act_erase_account as ActEraseAccount, "erase-account";
    RequestPasswordReset => act_request_password_reset as ActRequestPasswordReset, "request-password-reset";
    ResetPassword => act_reset_password as ActResetPassword, "reset-password";
    CreateToken => act_create_token as ActCreateToken, "create-token";
    RevokeToken => act_revoke_token as ActRevokeToken, "revoke-token";
    SignIn => act_sign_in as ActSignIn, "sign-in";
    SignInCode => act_sign_in_code as ActSignInCode, "sign-in-code";
    ConfirmEnrolment => act_confirm_enrolment as ActConfirmEnrolment, "confirm-enrolment";
    SignOut => act_sign_out as ActSignOut, "sign-out";
    Register => act_register as ActRegister, "register";
    AcceptInvite => act_accept_invite as ActAcceptInvite, "accept-invite";
    ClaimReport => act_claim_report as ActClaimReport, "claim-report";
    MarkAllRead => act_mark_all_read as ActMarkAllRead, "mark-all-read";
    ReaderAct => act_reader_action as ActReaderAct, "reader-action";
}
