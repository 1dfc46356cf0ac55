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
    /// A form-level message key for a post that failed as a whole (e.g. `storage_full`).
    pub notice: Option<String>,
    /// The names of the files that came with the refused submission (to be chosen again).
    #[serde(default)]
    pub dropped_files: String,
    /// The idempotency key of this form (`intake::REQUEST_KEY_FIELD`): sent twice, it is one
    /// report.
    #[serde(default)]
    pub request_key: String,
}

/// What a reporter receives after submitting: shown once, with the tracking code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmitReceipt {
    pub reference: String,
    pub tracking_code: TrackingCode,
    pub status: ReportStatus,
    pub due_at: Option<DateTime<Utc>>,
    /// This answer was given before, to the same idempotency key (no new report was made).
    #[serde(default)]
    pub replayed: bool,
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
    /// The messages between the reporter and the staff (never internal notes).
    pub thread: Vec<ThreadMessage>,
    /// What the reporter can do now (`answer_hold`, `add_information`, `confirm`, `dispute`).
    pub actions: Vec<crate::domain::lifecycle::CommandKind>,
    /// What the reporter wrote (their own text: the tracking code is theirs).
    #[serde(default)]
    pub description: String,
    /// The reporter's rating (1–5), once they confirmed.
    #[serde(default)]
    pub rating: Option<i32>,
}

/// Who wrote a message, as the reader may see it: a role or an agency's name, never a person's
/// name (the reporter is "the reporter" even to the staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum MessageAuthor {
    Reporter,
    Agency { name: String },
    Verifier,
    System,
}

/// A file on a message: opened through `/lampiran/{id}` (signed in) or
/// `/lacak/{code}/lampiran/{id}` (the reporter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    /// The file was deleted when its retention period ended (the record stays).
    #[serde(default)]
    pub erased: bool,
}

/// One message of a report's thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMessage {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub author: MessageAuthor,
    /// The step the message came with (a question, a follow-up, an answer, a dispute…).
    pub event: Option<EventKind>,
    /// Staff only (a reason for returning or delegating).
    pub internal: bool,
    pub body: String,
    pub attachments: Vec<AttachmentRef>,
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

    /// The rule of every public view: named only when the reporter explicitly chose to show
    /// their name (`name_public`), never when anonymous.
    pub fn public(anonymous: bool, name_public: bool, name: Option<String>) -> Self {
        match (anonymous, name_public) {
            (true, _) => ReporterShown::Anonymous,
            (false, false) => ReporterShown::NoName,
            (false, true) => Self::of(false, name),
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
    /// The staff stage's own countdown: `None` while the report waits for its reporter (that
    /// clock is the reporter's, not the staff's) or is closed.
    pub time_left: Option<TimeLeft>,
    /// 0 normal, 1 high, 2 urgent.
    pub priority: i32,
    /// The staff member the report is assigned to (display name).
    #[serde(default)]
    pub assignee: Option<String>,
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
    /// The reporter chose to show their name on the public report.
    #[serde(default)]
    pub name_public: bool,
    pub reporter: ReporterShown,
    pub timeline: Vec<TimelineEntry>,
    /// Every message, internal notes included.
    pub thread: Vec<ThreadMessage>,
    /// 0 normal, 1 high, 2 urgent (set by verifiers).
    pub priority: i32,
    /// The report this one duplicates (it was merged into it).
    pub duplicate_of: Option<String>,
    /// The co-agencies of a joint case (the lead is `row.agency`).
    pub co_agencies: Vec<AgencyRef>,
    /// Whether this actor may set priority, raise privacy and mark duplicates (verifiers).
    pub can_triage: bool,
    /// Whether this actor may add co-agencies (verifiers, the lead agency's administrators).
    pub can_add_co_agency: bool,
    /// The lead agency's administrators may ask the verifiers for a co-agency.
    #[serde(default)]
    pub can_request_co_agency: bool,
    /// Whether this actor may reveal the reporter's identity (an audited action).
    pub can_reveal: bool,
    /// The lifecycle commands this actor may try now (names as in the API).
    pub commands: Vec<crate::domain::lifecycle::CommandKind>,
}

/// A reporter's identity, returned only by the audited reveal and only to verifiers and system
/// administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedIdentity {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The email or phone of the account that submitted or claimed the report.
    pub account: Option<String>,
}

/// The signed-in account, as shown to itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: String,
    pub role: super::access::AccountRole,
    pub agency: Option<AgencyRef>,
    pub totp_enabled: bool,
}

/// An account as listed for administrators (no secrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: String,
    pub role: super::access::AccountRole,
    pub agency_id: Option<i32>,
    pub active: bool,
    pub totp_enabled: bool,
}

/// An agency in the tree, with its depth for indented display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyNode {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i32>,
    pub region_code: Option<String>,
    pub utc_offset_minutes: Option<i32>,
    pub head_name: Option<String>,
    pub head_email: Option<String>,
    pub active: bool,
    pub depth: u32,
}

impl AgencyNode {
    /// The agency as a choice in a list of the tree: its name indented by its depth (`· `).
    /// The one place the tree is formatted for choosing.
    pub fn choice(&self) -> AgencyRef {
        AgencyRef {
            id: self.id,
            code: self.code.clone(),
            name: format!("{}{}", "· ".repeat(self.depth as usize), self.name),
        }
    }
}

/// One row of a CSV import, as understood, with its problems.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub errors: Vec<(super::error::Field, super::error::FieldError)>,
}

/// What an import did, or would do (dry run).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    /// A problem with the file itself (not CSV, missing columns): a message key.
    pub file_error: Option<String>,
    pub applied: bool,
}

impl ImportPreview {
    pub fn error_count(&self) -> usize {
        self.rows.iter().filter(|r| !r.errors.is_empty()).count()
            + usize::from(self.file_error.is_some())
    }
}

/// Who is signed in, for the page header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub role: super::access::AccountRole,
    /// Unread in-app notifications (the bell).
    pub unread: u64,
}

/// One in-app notification: what happened to which report, and where to open it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub report_id: i64,
    pub reference: String,
    pub title: String,
    pub event: EventKind,
    pub at: DateTime<Utc>,
    pub read: bool,
    pub href: String,
    /// The report's time zone, for showing the time.
    pub utc_offset_minutes: i32,
}

/// The header and the sign-in pages: who is signed in and how far sign-in got.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageContext {
    pub viewer: Option<Viewer>,
    pub stage: Option<super::access::Stage>,
}

/// A staff report page: the report, where it can be sent, and a reveal just made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffReportPage {
    pub view: StaffReportView,
    /// Active agencies a verifier may dispatch to.
    pub agencies: Vec<AgencyRef>,
    /// Units of the actor's subtree a report may be delegated to.
    pub units: Vec<AgencyRef>,
    pub revealed: Option<RevealedIdentity>,
    /// Dispatch suggestion and similar earlier reports (when the report awaits dispatch).
    pub help: Option<DispatchHelp>,
    /// The public version, for those who moderate it (verifiers).
    pub public: Option<PublicDraft>,
    /// The templates this person may use (agency staff).
    pub templates: Vec<TemplateView>,
    /// A template's text filled for this report (`?templat=`), to start a reply from.
    pub template_text: Option<String>,
    /// The next report that needs this person (id, title): the one after this in the work
    /// list's default view and order, else that list's first (this one left out).
    #[serde(default)]
    pub next: Option<(i64, String)>,
    /// The one before this in that list, when there is one.
    #[serde(default)]
    pub previous: Option<(i64, String)>,
}

/// What helps a verifier choose where a report goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchHelp {
    /// The agency the most specific routing rule names.
    pub suggestion: Option<AgencyRef>,
    /// Earlier reports of the same category and region, and where they went.
    pub similar: Vec<SimilarReport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarReport {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: ReportStatus,
    pub agency: AgencyRef,
    pub created_at: DateTime<Utc>,
    /// Times it was returned as "not our business" (a hint the route was wrong).
    pub bounces: i32,
}

/// A routing rule as listed for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRuleView {
    pub id: i32,
    pub category: Option<String>,
    pub region: Option<String>,
    pub agency: AgencyRef,
    /// Higher wins: category 3, regency 2, province 1 (added up).
    pub specificity: u8,
}

/// A response template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub id: i32,
    pub agency: String,
    pub title: String,
    pub body: String,
    pub can_edit: bool,
}

/// The routing rules page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingPage {
    pub rules: Vec<RoutingRuleView>,
    pub agencies: Vec<AgencyRef>,
    pub categories: Vec<CategoryOption>,
    pub regions: Vec<(String, String)>,
}

/// The templates page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplatesPage {
    pub templates: Vec<TemplateView>,
    pub can_edit: bool,
}

/// One page of a work list: its rows, how many reports match in all, and the cursor of the
/// next page (keyset: stable while reports come and go).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkList {
    pub rows: Vec<StaffReportRow>,
    pub total: u64,
    pub next: Option<String>,
}

/// Someone a report can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub account: i64,
    pub name: String,
}

/// A work list with its filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffListPage {
    pub list: WorkList,
    /// Reports that need this person now (the default view's count).
    pub needs_me: u64,
    /// Who this person may assign reports to (themselves included); empty: no assigning.
    pub assignees: Vec<Assignee>,
    /// This person's account.
    pub me: i64,
    pub role: super::access::AccountRole,
    /// For the filters.
    pub categories: Vec<CategoryOption>,
    pub provinces: Vec<RegionOption>,
    /// Where ticked reports can be dispatched together (verifiers; empty for others).
    #[serde(default)]
    pub agencies: Vec<AgencyRef>,
    /// This person's saved views of the list.
    #[serde(default)]
    pub views: Vec<SavedView>,
}

/// A saved work-list view: its name and the list's query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    pub query: String,
}

/// Two-factor set-up: the secret to type into an authenticator app, or the recovery codes right
/// after set-up (shown once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolPage {
    pub secret: String,
    pub uri: String,
    /// The URI as a QR code image (`data:` URI).
    pub qr: Option<String>,
    pub recovery_codes: Option<Vec<String>>,
}

/// A day off (or a corrected working day) as listed for system administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub day: NaiveDate,
    /// `holiday`, `cuti_bersama` or `working_day` (a correction).
    pub kind: String,
    pub name: String,
    /// Set by an administrator (rather than built in).
    pub corrected: bool,
}

/// The holiday calendar page (system administrators).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HolidaysPage {
    pub days: Vec<HolidayRow>,
    /// This year and next, and whether each is confirmed complete.
    pub years: Vec<(i32, bool)>,
    /// The date the calendar turns provisional, when within six months.
    pub provisional_from: Option<NaiveDate>,
}

/// The agency administration page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminAgenciesPage {
    pub tree: Vec<AgencyNode>,
    pub import: Option<ImportPreview>,
}

/// The account administration page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUsersPage {
    pub accounts: Vec<AccountRow>,
    /// Agencies the actor may place staff in.
    pub agencies: Vec<AgencyRef>,
    /// A link just created (shown once).
    pub invite_url: Option<String>,
    /// The actor administers the whole system (the other admin pages are theirs too).
    #[serde(default)]
    pub system_admin: bool,
}

/// An invite being accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitePage {
    pub email: String,
    pub role: super::access::AccountRole,
}

/// Who may look at a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Public,
    Agency,
    Verifier,
}

/// What one audience sees of a report's reporter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceView {
    pub audience: Audience,
    /// Whether this audience sees the report at all.
    pub sees_report: bool,
    pub reporter: ReporterShown,
    /// Whether contact details can be opened (by an audited reveal).
    pub can_reveal_contact: bool,
}

/// The privacy preview shown to the reporter before sending and to the verifier: for each
/// audience, built with `ReporterShown::of`, the rule every view of a report uses.
pub fn privacy_preview(
    anonymous: bool,
    confidential: bool,
    name_public: bool,
    name: Option<String>,
) -> Vec<AudienceView> {
    let shown = ReporterShown::of(anonymous, name.clone());
    vec![
        AudienceView {
            audience: Audience::Public,
            sees_report: !confidential,
            reporter: ReporterShown::public(anonymous, name_public, name),
            can_reveal_contact: false,
        },
        AudienceView {
            audience: Audience::Agency,
            sees_report: true,
            reporter: shown.clone(),
            can_reveal_contact: false,
        },
        AudienceView {
            audience: Audience::Verifier,
            sees_report: true,
            reporter: shown,
            can_reveal_contact: true,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_reporters_are_never_named_to_any_audience() {
        for confidential in [false, true] {
            for name_public in [false, true] {
                for v in privacy_preview(true, confidential, name_public, Some("Siti".into())) {
                    assert_eq!(v.reporter, ReporterShown::Anonymous);
                }
            }
        }
        // The public sees a name only when the reporter ticked "show my name"; the agency sees
        // it either way (the report is not anonymous).
        let unticked = privacy_preview(false, false, false, Some("Siti".into()));
        assert_eq!(unticked[0].reporter, ReporterShown::NoName);
        assert_eq!(
            unticked[1].reporter,
            ReporterShown::Named {
                name: "Siti".into()
            }
        );
        let ticked = privacy_preview(false, false, true, Some("Siti".into()));
        assert_eq!(
            ticked[0].reporter,
            ReporterShown::Named {
                name: "Siti".into()
            }
        );
        let named = privacy_preview(false, true, true, Some("Siti".into()));
        assert!(
            !named[0].sees_report,
            "confidential: the public sees nothing"
        );
        assert_eq!(
            named[1].reporter,
            ReporterShown::Named {
                name: "Siti".into()
            }
        );
        assert_eq!(
            privacy_preview(false, false, true, Some("  ".into()))[0].reporter,
            ReporterShown::NoName
        );
    }
}

/// The agency edit page: the agency, where it may move (not below itself), and a refused post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyEditPage {
    pub agency: AgencyNode,
    /// The parent's code, if any.
    pub parent_code: Option<String>,
    pub parents: Vec<AgencyRef>,
}

/// An integration token as listed to its owner (the token itself is shown only once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// When it stops working.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// `read` or `read_write`.
    #[serde(default)]
    pub scope: String,
}

/// The signed-in person's own account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub me: Me,
    pub tokens: Vec<ApiTokenRow>,
    /// A bearer token just created (shown once).
    pub new_token: Option<String>,
}

/// Text cut into runs; `true` marks a run the search matched (shown highlighted).
pub type Marked = Vec<(String, bool)>;

/// A report in the public list. Built only from the moderated public text; no field can hold the
/// reporter's identity or contact, and confidential reports never reach this type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicReportRow {
    pub reference: String,
    pub kind: ReportKind,
    pub title: Marked,
    pub excerpt: Marked,
    pub status: ReportStatus,
    pub category: Option<CategoryOption>,
    pub region_name: Option<String>,
    /// The agency handling it.
    pub agency: Option<String>,
    pub created_at: DateTime<Utc>,
    pub utc_offset_minutes: i32,
    pub supporters: i32,
}

/// How the public list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicSort {
    #[default]
    Newest,
    Oldest,
    MostSupported,
}

impl PublicSort {
    pub const ALL: [PublicSort; 3] = [
        PublicSort::Newest,
        PublicSort::Oldest,
        PublicSort::MostSupported,
    ];

    /// The value in the URL (`urut=`).
    pub fn as_str(self) -> &'static str {
        match self {
            PublicSort::Newest => "terbaru",
            PublicSort::Oldest => "terlama",
            PublicSort::MostSupported => "dukungan",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The public list's filters as they appear in the URL (`/laporan?q=…&instansi=…`). Kept as typed,
/// so a refused value is shown back; `parse_errors` says what was not understood.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicFilter {
    pub q: String,
    /// An agency's id: the agency and its units.
    pub agency: String,
    pub category: String,
    /// A province (`76`) covers its regencies; a regency (`76.04`) only itself.
    pub region: String,
    pub kind: String,
    pub status: String,
    /// Submitted on or after (YYYY-MM-DD).
    pub from: String,
    /// Submitted on or before (YYYY-MM-DD).
    pub to: String,
    pub sort: String,
    /// The keyset cursor of the next page.
    pub after: String,
    /// A statistic whose reports to list (drill-down, `ukuran=`): see `domain::stats::Measure`.
    pub measure: String,
    /// The statistic's months, `2026-01..2026-11` (`bulan=`).
    pub months: String,
}

impl PublicFilter {
    /// The URL parameter names, in order, paired with the fields.
    pub const PARAMS: [&'static str; 12] = [
        "q", "instansi", "kategori", "wilayah", "jenis", "status", "dari", "sampai", "urut",
        "setelah", "ukuran", "bulan",
    ];

    fn fields_mut(&mut self) -> [&mut String; 12] {
        [
            &mut self.q,
            &mut self.agency,
            &mut self.category,
            &mut self.region,
            &mut self.kind,
            &mut self.status,
            &mut self.from,
            &mut self.to,
            &mut self.sort,
            &mut self.after,
            &mut self.measure,
            &mut self.months,
        ]
    }

    fn fields(&self) -> [&String; 12] {
        [
            &self.q,
            &self.agency,
            &self.category,
            &self.region,
            &self.kind,
            &self.status,
            &self.from,
            &self.to,
            &self.sort,
            &self.after,
            &self.measure,
            &self.months,
        ]
    }

    /// From URL parameters (unknown names ignored; values trimmed, at most 200 characters).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = PublicFilter::default();
        for (k, v) in pairs {
            if let Some(i) = Self::PARAMS.iter().position(|p| *p == k) {
                *f.fields_mut()[i] = v.trim().chars().take(200).collect();
            }
        }
        f
    }

    /// The parameters that are set, as `(name, value)` (the cursor left out when `page` is false).
    pub fn pairs(&self, page: bool) -> Vec<(&'static str, String)> {
        Self::PARAMS
            .iter()
            .zip(self.fields())
            .filter(|(k, v)| !v.is_empty() && (page || **k != "setelah"))
            .map(|(k, v)| (*k, v.clone()))
            .collect()
    }

    pub fn sort(&self) -> PublicSort {
        PublicSort::parse(&self.sort).unwrap_or_default()
    }
}

/// The public list with what its filter form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicListPage {
    pub rows: Vec<PublicReportRow>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
    /// The search stopped at its work budget: ask to refine it (the next page goes on).
    #[serde(default)]
    pub refine: bool,
    pub filter: PublicFilter,
    /// Filter values not understood (shown next to their fields).
    pub errors: FieldErrors,
    pub categories: Vec<CategoryOption>,
    pub provinces: Vec<RegionOption>,
    pub regencies: Vec<RegionOption>,
    pub agencies: Vec<AgencyRef>,
}

/// An agency's answer or follow-up as the public sees it (personal data masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAnswer {
    pub at: DateTime<Utc>,
    pub agency: String,
    pub event: Option<EventKind>,
    pub body: String,
}

/// What the person reading a public report has done with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicViewer {
    pub signed_in: bool,
    pub supported: bool,
    pub following: bool,
    /// The viewer's support is counted (a verified email, or a staff account).
    #[serde(default)]
    pub support_counts: bool,
}

/// A public report page: the moderated text, the public timeline and the agency's answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicReportView {
    pub reference: String,
    pub kind: ReportKind,
    pub title: String,
    pub text: String,
    pub status: ReportStatus,
    pub stage: CitizenStage,
    pub category: Option<CategoryOption>,
    pub region_name: Option<String>,
    pub agency: Option<String>,
    pub incident_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub utc_offset_minutes: i32,
    /// "Anonim" for anonymous reports (`ReporterShown::of`, the rule of every view).
    pub reporter: ReporterShown,
    pub timeline: Vec<TimelineEntry>,
    pub answers: Vec<PublicAnswer>,
    pub supporters: i32,
    pub viewer: PublicViewer,
}

/// One piece of personal data found in a report's text, as shown to the verifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundPii {
    /// `nik`, `phone`, `email`, `plate`, `name`.
    pub kind: String,
    pub text: String,
}

/// The public version of a report as the verifier moderates it: the current public text (or the
/// automatic proposal), what was found in the original, and what is still in the public text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDraft {
    pub title: String,
    pub text: String,
    pub published: bool,
    /// The report is confidential: it never goes public.
    pub confidential: bool,
    /// Found in the original title and text (all masked in the proposal).
    pub found: Vec<FoundPii>,
    /// Still found in the current public version.
    pub remaining: Vec<FoundPii>,
}

/// The statistics filters as in the URL: `instansi` (an agency id: it and its units), `dari` and
/// `sampai` (months, `YYYY-MM`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsFilter {
    pub agency: String,
    pub from: String,
    pub to: String,
}

impl StatsFilter {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = StatsFilter::default();
        for (k, v) in pairs {
            let v: String = v.trim().chars().take(20).collect();
            match k {
                "instansi" => f.agency = v,
                "dari" => f.from = v,
                "sampai" => f.to = v,
                _ => {}
            }
        }
        f
    }

    /// `instansi=…&dari=…&sampai=…` (the set ones).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("instansi", &self.agency),
            ("dari", &self.from),
            ("sampai", &self.to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }
}

/// One agency's figures (with its units), its index and its rank among its siblings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgencyStats {
    pub agency: AgencyRef,
    pub counts: super::stats::Counts,
    pub index: Option<f64>,
    pub rank: Option<u32>,
}

/// A month's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthStats {
    /// `YYYY-MM`.
    pub month: String,
    pub counts: super::stats::Counts,
}

/// A category or a region with its number of cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCount {
    pub key: String,
    pub label_id: String,
    pub label_en: String,
    pub count: i64,
}

/// A report past its deadline, for the oversight dashboard: who holds it and for how long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: ReportStatus,
    /// The agency holding it (after a delegation, the unit).
    pub agency: String,
    /// The head of that agency, when known.
    pub head: Option<String>,
    pub due_at: DateTime<Utc>,
    pub utc_offset_minutes: i32,
    /// Working days past the deadline.
    pub days_late: i64,
    pub confidential: bool,
}

/// The statistics page (public) or the oversight dashboard (supervisors; confidential included).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsPage {
    /// The filter as understood (defaults filled in).
    pub filter: StatsFilter,
    pub errors: FieldErrors,
    pub selected: Option<AgencyRef>,
    pub counts: super::stats::Counts,
    pub index: Option<f64>,
    /// The agencies one level below the selected one (or the top OPDs), best index first.
    pub ranking: Vec<AgencyStats>,
    pub trend: Vec<MonthStats>,
    pub categories: Vec<LabelCount>,
    pub regions: Vec<LabelCount>,
    /// Agencies to choose from.
    pub agencies: Vec<AgencyRef>,
    pub oversight: bool,
    pub overdue: Vec<OverdueRow>,
}
