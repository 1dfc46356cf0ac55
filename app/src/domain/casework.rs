//! The inputs of what staff do on one report: lifecycle commands, verifier triage (priority,
//! privacy, duplicates), joint cases, the public version and the audited identity reveal.
//! Each is one typed input (`crate::act::Act`); its service is in `server::casework` (or
//! `server::transparency` for the public version), its form on the staff report page.

use super::form::{flag, ids, opt_num};
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
        if *out == EventKind::ReturnedNotOurs {
            return Some("/staf?dikembalikan=1".to_string());
        }
        // The report again, saying what was recorded (without JavaScript; once hydrated the
        // page reads its data again in place and says it itself).
        Some(format!(
            "/staf/laporan/{}?tercatat={}#tindakan",
            self.report,
            out.as_str()
        ))
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
        Some(format!("/lacak/{}?terkirim=1#tindakan", self.code.trim()))
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
        Some(format!("/laporan-saya/{}?terkirim=1#tindakan", self.report))
    }
}

/// Staff change several reports chosen on the work list at once: assign them to a member of
/// the hands holding them (or release them), and/or set their priority (verifiers). All or
/// none; each change audited.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpdateReports {
    /// The reports (ids); the form's checkboxes are `reports[]`.
    #[serde(default, deserialize_with = "ids")]
    pub reports: Vec<i64>,
    /// Empty: leave the assignment; `lepas`: assigned to nobody; an account id: assign to it.
    #[serde(default)]
    pub assign: String,
    /// Empty: leave the priority; 0 normal, 1 high, 2 urgent (verifiers).
    #[serde(default, deserialize_with = "opt_num")]
    pub priority: Option<i32>,
    /// `teruskan`: dispatch every report to `agency` (verifiers; the assignment and priority
    /// are then left alone); empty or `ubah`: change the assignment and/or priority.
    #[serde(default)]
    pub action: String,
    /// Where `teruskan` sends the reports.
    #[serde(default, deserialize_with = "opt_num")]
    pub agency: Option<i32>,
}

/// Reports changed in one action, at most.
pub const MAX_BULK: usize = 100;

/// What `UpdateReports::assign` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assign {
    Keep,
    Release,
    To(i64),
}

impl UpdateReports {
    /// Whether this dispatches the reports (`teruskan`).
    pub fn dispatches(&self) -> bool {
        self.action.trim() == "teruskan"
    }

    pub fn assign(&self) -> Result<Assign, crate::domain::AppError> {
        use crate::domain::{AppError, Field, FieldError};
        match self.assign.trim() {
            "" => Ok(Assign::Keep),
            "lepas" => Ok(Assign::Release),
            id => id
                .parse()
                .map(Assign::To)
                .map_err(|_| AppError::field(Field::Assignee, FieldError::Invalid)),
        }
    }
}

impl Act for UpdateReports {
    /// How many reports changed.
    type Output = usize;
    const KEY: &'static str = "update_reports";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        use crate::domain::{AppError, Field, FieldError};
        let mut errors = crate::domain::FieldErrors::new();
        match self.reports.len() {
            0 => {
                errors.insert(Field::Reports, FieldError::Required);
            }
            n if n > MAX_BULK => {
                errors.insert(Field::Reports, FieldError::TooLong { max: MAX_BULK });
            }
            _ => {}
        }
        match (self.action.trim(), self.assign()) {
            ("teruskan", _) => {
                if self.agency.is_none() {
                    errors.insert(Field::Agency, FieldError::Required);
                }
            }
            ("" | "ubah", Err(_)) => {
                errors.insert(Field::Assignee, FieldError::Invalid);
            }
            ("" | "ubah", Ok(Assign::Keep)) if self.priority.is_none() => {
                errors.insert(Field::Command, FieldError::Required);
            }
            ("" | "ubah", Ok(_)) => {}
            _ => {
                errors.insert(Field::Command, FieldError::Invalid);
            }
        }
        if self.priority.is_some_and(|p| !(0..=2).contains(&p)) {
            errors.insert(Field::Command, FieldError::Invalid);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// A staff member saves the work list's current filters and order under a name (one click to
/// come back to them). Saving a name again replaces its filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveView {
    #[serde(default)]
    pub name: String,
    /// The work list's query (`status=…&urut=…`; the page cursor is left out).
    #[serde(default)]
    pub query: String,
}

/// Saved views one person may keep.
pub const MAX_VIEWS: usize = 20;

/// The work-list parameters a saved view keeps.
const VIEW_KEYS: [&str; 13] = [
    "tampil",
    "tugas",
    "status",
    "jenis",
    "wilayah",
    "q",
    "ukuran",
    "bulan",
    "urut",
    "terlambat",
    "kategori",
    "umur",
    "instansi",
];

/// A work list's query as a saved view keeps it: only its known parameters (never the page
/// cursor), values as the address carries them; `None` when nothing is left or a value holds
/// more than an address's safe characters.
pub fn view_query(raw: &str) -> Option<String> {
    let safe = |v: &str| {
        v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "%._~+-".contains(c))
    };
    let mut kept = Vec::new();
    for pair in raw.trim().trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=')?;
        if v.is_empty() || !VIEW_KEYS.contains(&k) {
            continue;
        }
        if !safe(v) {
            return None;
        }
        kept.push(format!("{k}={v}"));
    }
    (!kept.is_empty()).then(|| kept.join("&"))
}

impl Act for SaveView {
    /// The saved view's id.
    type Output = i64;
    const KEY: &'static str = "save_view";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        use crate::domain::{AppError, Field, FieldError};
        let mut errors = crate::domain::FieldErrors::new();
        match self.name.trim().chars().count() {
            0 => {
                errors.insert(Field::Name, FieldError::Required);
            }
            n if n > 60 => {
                errors.insert(Field::Name, FieldError::TooLong { max: 60 });
            }
            _ => {}
        }
        if self.query.len() > 500 || view_query(&self.query).is_none() {
            errors.insert(Field::Command, FieldError::Invalid);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }

    fn next(&self, _out: &i64) -> Option<String> {
        view_query(&self.query).map(|q| format!("/staf?{q}"))
    }
}

/// Removes one of the person's saved views.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveView {
    #[serde(deserialize_with = "super::form::num")]
    pub view: i64,
}

impl Act for RemoveView {
    type Output = ();
    const KEY: &'static str = "remove_view";
}

/// Filters of a work list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFilter {
    /// Only reports in this status.
    pub status: Option<String>,
    /// Only reports past their deadline.
    #[serde(default)]
    pub overdue: bool,
    /// `complaint`, `aspiration`, `information_request`.
    pub kind: Option<String>,
    pub category: Option<i32>,
    /// A province (`76`) covers its regencies; a regency (`76.04`) only itself.
    pub region: Option<String>,
    /// Words in the reference, title or text.
    pub q: Option<String>,
    /// Only reports submitted at least this many days ago.
    pub older_than_days: Option<u32>,
    /// An agency and its units (the agency holding the report, or for `measure` the case's).
    #[serde(default)]
    pub agency: Option<i32>,
    /// The reports behind a statistic (`domain::stats::Measure`, e.g. `diterima`): the
    /// oversight dashboard's drill-down, within what the actor may see.
    #[serde(default)]
    pub measure: Option<String>,
    /// The statistic's months, `2026-01..2026-11`.
    #[serde(default)]
    pub months: Option<String>,
    /// `perlu`: only what needs this person now (by role, see `needs_me`); otherwise everything
    /// they may see.
    #[serde(default)]
    pub view: Option<String>,
    /// `saya`: assigned to this person; `belum`: assigned to nobody.
    #[serde(default)]
    pub assigned: Option<String>,
    /// `mendesak` (default: priority, then the soonest deadline), `tenggat` (the soonest
    /// deadline), `terbaru` (newest), `terlama` (oldest).
    #[serde(default)]
    pub sort: Option<String>,
    /// The cursor of the page to show (from the previous page's `next`).
    #[serde(default)]
    pub after: Option<String>,
}

impl ListFilter {
    /// Whether any filter narrows the list (the default view applies only without one).
    pub fn narrows(&self) -> bool {
        self.narrows_beyond_tabs()
            || self
                .assigned
                .as_deref()
                .is_some_and(|v| !v.trim().is_empty())
    }

    /// Whether a filter other than the work list's tabs (view, assignment) narrows the list.
    pub fn narrows_beyond_tabs(&self) -> bool {
        let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        set(&self.status)
            || self.overdue
            || set(&self.kind)
            || self.category.is_some()
            || set(&self.region)
            || set(&self.q)
            || self.older_than_days.is_some()
            || self.agency.is_some()
            || set(&self.measure)
    }
}
