//! The domain: WASM-safe types and rules with no I/O. Compiled into both the server and the
//! browser, so the browser validates with exactly the code the server trusts.

pub mod access;
pub mod accounts;
pub mod calendar;
pub mod casework;
pub mod error;
pub mod form;
pub mod intake;
pub mod lifecycle;
pub mod office;
pub mod report;
pub mod secret;
pub mod stats;
pub mod status;
pub mod tracking;
pub mod transparency;
pub mod views;

pub use error::{AppError, Field, FieldError, FieldErrors};
pub use report::{
    CategoryId, NewReport, Privacy, RegionCode, ReportDescription, ReportForm, ReportKind,
    ReportTitle, ReporterContact,
};
pub use status::{CitizenStage, EventKind, ReportStatus};
pub use tracking::TrackingCode;
