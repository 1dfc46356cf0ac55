//! Report statuses (what the back office works with) and the five stages a citizen sees
//! (today's LAPOR wording: Tulis Laporan → Proses Verifikasi → Proses Tindak Lanjut →
//! Beri Tanggapan → Selesai).

use serde::{Deserialize, Serialize};

/// Where a report is in its lifecycle. Stored by `as_str` name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    AwaitingVerification,
    OnHold,
    Archived,
    Dispatched,
    InProcess,
    AwaitingReporter,
    Resolved,
    ClosedUnconfirmed,
    /// Disputed twice: the supervisor decides.
    Appealed,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 9] = [
        ReportStatus::AwaitingVerification,
        ReportStatus::OnHold,
        ReportStatus::Archived,
        ReportStatus::Dispatched,
        ReportStatus::InProcess,
        ReportStatus::AwaitingReporter,
        ReportStatus::Resolved,
        ReportStatus::ClosedUnconfirmed,
        ReportStatus::Appealed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::AwaitingVerification => "awaiting_verification",
            ReportStatus::OnHold => "on_hold",
            ReportStatus::Archived => "archived",
            ReportStatus::Dispatched => "dispatched",
            ReportStatus::InProcess => "in_process",
            ReportStatus::AwaitingReporter => "awaiting_reporter",
            ReportStatus::Resolved => "resolved",
            ReportStatus::ClosedUnconfirmed => "closed_unconfirmed",
            ReportStatus::Appealed => "appealed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Closed: only a supervisor's reopen changes it.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            ReportStatus::Archived | ReportStatus::Resolved | ReportStatus::ClosedUnconfirmed
        )
    }

    /// The stage a citizen sees for this status.
    pub fn stage(self) -> CitizenStage {
        match self {
            ReportStatus::AwaitingVerification | ReportStatus::OnHold => CitizenStage::Verification,
            ReportStatus::Dispatched | ReportStatus::InProcess | ReportStatus::Appealed => {
                CitizenStage::FollowUp
            }
            ReportStatus::AwaitingReporter => CitizenStage::Response,
            ReportStatus::Archived | ReportStatus::Resolved | ReportStatus::ClosedUnconfirmed => {
                CitizenStage::Done
            }
        }
    }
}

/// The five stages shown to citizens, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CitizenStage {
    Written,
    Verification,
    FollowUp,
    Response,
    Done,
}

impl CitizenStage {
    pub const ALL: [CitizenStage; 5] = [
        CitizenStage::Written,
        CitizenStage::Verification,
        CitizenStage::FollowUp,
        CitizenStage::Response,
        CitizenStage::Done,
    ];
}

/// What happened to a report, as recorded in its timeline: one kind per lifecycle command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The reporter sent the report.
    Submitted,
    Dispatched,
    PutOnHold,
    Archived,
    HoldAnswered,
    HoldExpired,
    Delegated,
    ReturnedNotOurs,
    FollowedUp,
    InterimReply,
    DeadlineExtended,
    Answered,
    Confirmed,
    InformationAdded,
    Disputed,
    Appealed,
    ReporterReminded,
    ClosedUnconfirmed,
    Reopened,
    AppealUpheld,
    AppealRejected,
    /// The stage's deadline passed: whoever holds the stage is warned (`notify::audiences`).
    MarkedOverdue,
    /// Still overdue: escalated one level up (supervisors, or system administrators for the
    /// verifiers' stages).
    EscalatedToSupervisor,
    /// The stage's deadline is a working day or less away: whoever holds it is warned.
    DueSoon,
    /// The lead agency asks the verifiers to add a co-agency (a notice, not a timeline event).
    CoAgencyRequested,
}

impl EventKind {
    pub const ALL: [EventKind; 25] = [
        EventKind::Submitted,
        EventKind::Dispatched,
        EventKind::PutOnHold,
        EventKind::Archived,
        EventKind::HoldAnswered,
        EventKind::HoldExpired,
        EventKind::Delegated,
        EventKind::ReturnedNotOurs,
        EventKind::FollowedUp,
        EventKind::InterimReply,
        EventKind::DeadlineExtended,
        EventKind::Answered,
        EventKind::Confirmed,
        EventKind::InformationAdded,
        EventKind::Disputed,
        EventKind::Appealed,
        EventKind::ReporterReminded,
        EventKind::ClosedUnconfirmed,
        EventKind::Reopened,
        EventKind::AppealUpheld,
        EventKind::AppealRejected,
        EventKind::MarkedOverdue,
        EventKind::EscalatedToSupervisor,
        EventKind::DueSoon,
        EventKind::CoAgencyRequested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::Dispatched => "dispatched",
            EventKind::PutOnHold => "put_on_hold",
            EventKind::Archived => "archived",
            EventKind::HoldAnswered => "hold_answered",
            EventKind::HoldExpired => "hold_expired",
            EventKind::Delegated => "delegated",
            EventKind::ReturnedNotOurs => "returned_not_ours",
            EventKind::FollowedUp => "followed_up",
            EventKind::InterimReply => "interim_reply",
            EventKind::DeadlineExtended => "deadline_extended",
            EventKind::Answered => "answered",
            EventKind::Confirmed => "confirmed",
            EventKind::InformationAdded => "information_added",
            EventKind::Disputed => "disputed",
            EventKind::Appealed => "appealed",
            EventKind::ReporterReminded => "reporter_reminded",
            EventKind::ClosedUnconfirmed => "closed_unconfirmed",
            EventKind::Reopened => "reopened",
            EventKind::AppealUpheld => "appeal_upheld",
            EventKind::AppealRejected => "appeal_rejected",
            EventKind::MarkedOverdue => "marked_overdue",
            EventKind::EscalatedToSupervisor => "escalated_to_supervisor",
            EventKind::DueSoon => "due_soon",
            EventKind::CoAgencyRequested => "co_agency_requested",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReportStatus::parse("nope"), None);
    }

    #[test]
    fn event_names_round_trip() {
        for e in EventKind::ALL {
            assert_eq!(EventKind::parse(e.as_str()), Some(e));
        }
    }

    #[test]
    fn new_reports_are_in_verification() {
        assert_eq!(
            ReportStatus::AwaitingVerification.stage(),
            CitizenStage::Verification
        );
    }
}
