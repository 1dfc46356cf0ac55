//! The input of submitting a report (`/lapor`): the form as typed, with its files. Its service
//! is `server::intake` (`impl Serve for SubmitReport`), its form the report page.

use super::report::ReportForm;
use super::views::SubmitReceipt;
use crate::act::Act;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A report as submitted from the form: read from the posted fields by the same lookup the
/// browser's own checks use (`ReportForm::from_lookup`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<String, String>")]
pub struct SubmitReport {
    pub form: ReportForm,
}

impl From<BTreeMap<String, String>> for SubmitReport {
    fn from(fields: BTreeMap<String, String>) -> Self {
        SubmitReport {
            form: ReportForm::from_lookup(|name| fields.get(name).cloned()),
        }
    }
}

impl Act for SubmitReport {
    type Output = SubmitReceipt;
    const KEY: &'static str = "submit_report";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        let today = super::calendar::latest_local_date(chrono::Utc::now());
        self.form
            .parse(today)
            .map(drop)
            .map_err(crate::domain::AppError::Validation)
    }

    fn next(&self, out: &SubmitReceipt) -> Option<String> {
        Some(format!("/lacak/{}?baru=1", out.tracking_code.as_str()))
    }
}
