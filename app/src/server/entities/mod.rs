//! SeaORM entities. The schema itself is defined by the `migrations` crate.

pub mod agency;
pub mod category;
pub mod region;
pub mod report;
pub mod report_event;
pub mod reporter_contact;
