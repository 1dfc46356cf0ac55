//! What the server sends to each audience. These types are the whole of what a view can show:
//! none of them has a field for the reporter's identity, so no page or API built on them can
//! leak it (reporter contact lives in `ReporterContact`, which is not `Serialize`).

use super::calendar::TimeLeft;
use super::error::FieldErrors;
use super::report::{ReportForm, ReportKind};
use super::status::{CitizenStage, EventKind, ReportStatus};
use super::tracking::TrackingCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A category as offered on the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub id: i32,
    pub name_id: String,
    pub name_en: String,
}

/// A province or regency/city as offered on the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOption {
    pub code: String,
    pub name: String,
    /// The province code, for a regency/city.
    pub parent: Option<String>,
}

/// Everything the report form needs to render, including a refused submission to show again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportFormPage {
    pub categories: Vec<CategoryOption>,
    pub provinces: Vec<RegionOption>,
    pub regencies: Vec<RegionOption>,
    /// A submission the server refused (no-JavaScript path): what was typed and why it failed.
    pub refused: Option<(ReportForm, FieldErrors)>,
}

/// What a reporter receives after submitting: shown once, with the tracking code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmitReceipt {
    pub reference: String,
    pub tracking_code: TrackingCode,
    pub status: ReportStatus,
    pub due_at: Option<DateTime<Utc>>,
}

/// One entry of a report's public timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub event: EventKind,
    pub status: ReportStatus,
}

/// The reporter's view of a report, reached with the tracking code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    pub reference: String,
    pub kind: ReportKind,
    pub title: String,
    pub status: ReportStatus,
    pub stage: CitizenStage,
    pub category: Option<CategoryOption>,
    pub region_name: Option<String>,
    pub incident_date: Option<NaiveDate>,
    pub anonymous: bool,
    pub confidential: bool,
    pub created_at: DateTime<Utc>,
    /// The current stage's deadline, if the stage has one.
    pub due_at: Option<DateTime<Utc>>,
    /// The deadline's time zone (minutes east of UTC), for showing local dates.
    pub utc_offset_minutes: i32,
    pub time_left: Option<TimeLeft>,
    pub timeline: Vec<TimelineEntry>,
}

/// How the reporter appears in a staff view. For an anonymous report there is nothing to carry:
/// the name is not even read from the database for these views.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shown", rename_all = "snake_case")]
pub enum ReporterShown {
    Anonymous,
    /// The reporter chose to be named; only the name is shown, never contact details.
    Named {
        name: String,
    },
    /// Not anonymous, but left no name.
    NoName,
}

impl ReporterShown {
    /// The one rule for every audience's view: anonymous reporters are never named.
    pub fn of(anonymous: bool, name: Option<String>) -> Self {
        match (anonymous, name) {
            (true, _) => ReporterShown::Anonymous,
            (false, Some(name)) if !name.trim().is_empty() => ReporterShown::Named { name },
            (false, _) => ReporterShown::NoName,
        }
    }
}

/// An agency, as shown to staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRef {
    pub id: i32,
    pub code: String,
    pub name: String,
}

/// One line of a staff work list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffReportRow {
    pub id: i64,
    pub reference: String,
    pub kind: ReportKind,
    pub title: String,
    pub status: ReportStatus,
    pub agency: Option<AgencyRef>,
    pub confidential: bool,
    pub created_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub utc_offset_minutes: i32,
    pub time_left: Option<TimeLeft>,
}

/// A report as staff see it. No field can hold contact details; the reporter's name appears
/// only when the reporter chose to be named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffReportView {
    pub row: StaffReportRow,
    pub description: String,
    pub category: Option<CategoryOption>,
    pub region_name: Option<String>,
    pub incident_date: Option<NaiveDate>,
    pub anonymous: bool,
    pub reporter: ReporterShown,
    pub timeline: Vec<TimelineEntry>,
    /// Whether this actor may reveal the reporter's identity (an audited action).
    pub can_reveal: bool,
    /// The lifecycle commands this actor may try now (names as in the API).
    pub commands: Vec<String>,
}

/// A reporter's identity, returned only by the audited reveal and only to verifiers and system
/// administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedIdentity {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The account that submitted or claimed the report.
    pub account_email: Option<String>,
}

/// The signed-in account, as shown to itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: super::access::AccountRole,
    pub agency: Option<AgencyRef>,
    pub totp_enabled: bool,
}
