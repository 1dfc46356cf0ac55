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
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 8] = [
        ReportStatus::AwaitingVerification,
        ReportStatus::OnHold,
        ReportStatus::Archived,
        ReportStatus::Dispatched,
        ReportStatus::InProcess,
        ReportStatus::AwaitingReporter,
        ReportStatus::Resolved,
        ReportStatus::ClosedUnconfirmed,
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
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The stage a citizen sees for this status.
    pub fn stage(self) -> CitizenStage {
        match self {
            ReportStatus::AwaitingVerification | ReportStatus::OnHold => CitizenStage::Verification,
            ReportStatus::Dispatched | ReportStatus::InProcess => CitizenStage::FollowUp,
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

/// What happened to a report, as recorded in its timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The reporter sent the report.
    Submitted,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "submitted" => Some(EventKind::Submitted),
            _ => None,
        }
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
    fn new_reports_are_in_verification() {
        assert_eq!(
            ReportStatus::AwaitingVerification.stage(),
            CitizenStage::Verification
        );
    }
}
