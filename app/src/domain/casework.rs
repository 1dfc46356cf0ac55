//! The inputs of what staff do on one report: lifecycle commands, verifier triage (priority,
//! privacy, duplicates), joint cases, the public version and the audited identity reveal.
//! Each is one typed input (`crate::act::Act`); its service is in `server::casework` (or
//! `server::transparency` for the public version), its form on the staff report page.

use super::form::{flag, opt_num};
use super::lifecycle::CommandInput;
use super::views::RevealedIdentity;
use super::EventKind;
use crate::act::Act;
use serde::{Deserialize, Serialize};

/// A lifecycle command on a report, by staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCommand {
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    #[serde(flatten)]
    pub command: CommandInput,
}

impl Act for StaffCommand {
    type Output = EventKind;
    const KEY: &'static str = "staff_command";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        self.command.check()
    }

    fn next(&self, out: &EventKind) -> Option<String> {
        // Returned as not ours: the report left this agency's hands (and its view).
        (*out == EventKind::ReturnedNotOurs).then(|| "/staf?dikembalikan=1".to_string())
    }
}

/// The reporter's identity, revealed for a stated reason (audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RevealIdentity {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// Why the identity is needed (recorded in the audit log).
    #[serde(default)]
    pub reason: String,
}

impl Act for RevealIdentity {
    type Output = RevealedIdentity;
    const KEY: &'static str = "reveal_identity";
}

/// A verifier sets a report's priority (0 normal, 1 high, 2 urgent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetPriority {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// 0 normal, 1 high, 2 urgent.
    #[serde(default, deserialize_with = "opt_num")]
    pub priority: Option<i32>,
}

impl Act for SetPriority {
    type Output = ();
    const KEY: &'static str = "set_priority";
}

/// A verifier raises a report's privacy (never lowers it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaisePrivacy {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// Hide the reporter from the agency and the public.
    #[serde(default, deserialize_with = "flag")]
    pub anonymous: bool,
    /// Keep the report out of the public list.
    #[serde(default, deserialize_with = "flag")]
    pub confidential: bool,
}

impl Act for RaisePrivacy {
    type Output = ();
    const KEY: &'static str = "raise_privacy";
}

/// A verifier merges a report into the one it duplicates (by reference).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MarkDuplicate {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// The reference of the original report.
    #[serde(default)]
    pub reference: String,
}

impl Act for MarkDuplicate {
    type Output = ();
    const KEY: &'static str = "mark_duplicate";
}

/// Another agency joins a case (verifiers, or the lead agency's administrators).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddCoAgency {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// The agency that joins the case.
    #[serde(default, deserialize_with = "opt_num")]
    pub agency: Option<i32>,
}

impl Act for AddCoAgency {
    type Output = ();
    const KEY: &'static str = "add_co_agency";
}

/// The lead agency's administrator asks the verifiers for a co-agency, with a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestCoAgency {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// The agency asked for.
    #[serde(default, deserialize_with = "opt_num")]
    pub agency: Option<i32>,
    /// Why the other agency is needed (at least 5 characters).
    #[serde(default)]
    pub reason: String,
}

impl Act for RequestCoAgency {
    type Output = ();
    const KEY: &'static str = "request_co_agency";
}

/// The verifier's public version of a report (personal data removed; the agency keeps the
/// original).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetPublicVersion {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    /// The public title (personal data removed).
    #[serde(default)]
    pub title: String,
    /// The public text (personal data removed).
    #[serde(default)]
    pub description: String,
}

impl Act for SetPublicVersion {
    type Output = ();
    const KEY: &'static str = "set_public_version";

    fn next(&self, _: &()) -> Option<String> {
        Some(format!("/staf/laporan/{}?publik=1", self.report))
    }
}

/// The reporter's command with the tracking code as the key (the tracking page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackCommand {
    #[serde(default)]
    pub code: String,
    #[serde(flatten)]
    pub command: CommandInput,
}

impl Act for TrackCommand {
    type Output = EventKind;
    const KEY: &'static str = "track_command";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        self.command.check()
    }

    fn next(&self, _: &EventKind) -> Option<String> {
        Some(format!("/lacak/{}?terkirim=1#percakapan", self.code.trim()))
    }
}

/// The reporter's command on a report in their account (`/laporan-saya/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnReportCommand {
    #[serde(deserialize_with = "super::form::num")]
    pub report: i64,
    #[serde(flatten)]
    pub command: CommandInput,
}

impl Act for OwnReportCommand {
    type Output = EventKind;
    const KEY: &'static str = "own_report_command";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        self.command.check()
    }

    fn next(&self, _: &EventKind) -> Option<String> {
        Some(format!(
            "/laporan-saya/{}?terkirim=1#percakapan",
            self.report
        ))
    }
}
