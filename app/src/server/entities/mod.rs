//! SeaORM entities. The schema itself is defined by the `migrations` crate.

pub mod account;
pub mod agency;
pub mod agency_digest;
pub mod api_token;
pub mod attachment;
pub mod audit_log;
pub mod audit_log_head;
pub mod category;
pub mod invite;
pub mod login_attempt;
pub mod message;
pub mod notification;
pub mod outbox;
pub mod recovery_code;
pub mod region;
pub mod report;
pub mod report_agency;
pub mod report_agency_history;
pub mod report_case;
pub mod report_event;
pub mod report_follow;
pub mod report_support;
pub mod reporter_contact;
pub mod response_template;
pub mod routing_rule;
pub mod session;
