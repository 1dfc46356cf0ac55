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
