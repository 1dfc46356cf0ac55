//! The database schema of Aduan, as ordered migrations. The server runs `Migrator::up` at start.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_core;
mod m20261127_000002_reference_data;
mod m20261127_000003_event_chain;
mod m20261127_000004_lifecycle;
mod m20261127_000005_event_payload;
mod m20261127_000006_access;
mod m20261128_000007_conversation;
mod m20261128_000008_back_office;
mod m20261128_000009_due_soon;
mod m20261128_000010_transparency;
mod m20261128_000011_statistics;
mod m20261128_000012_digests;
mod m20261128_000013_stat_aggregates;
mod m20261130_000014_co_agency_history;
mod m20261130_000015_sign_in_attempts;
mod m20261130_000016_tokens_and_audit_chain;
mod m20261130_000017_holidays;
mod m20261130_000018_email_verification;
mod m20261130_000019_decided_cases;
mod m20261130_000020_assignment;
mod m20261130_000021_saved_views;
mod m20261201_000022_password_resets;
mod m20261201_000023_idempotent_requests;
mod m20261201_000024_personal_data;
mod m20261201_000025_event_digests;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_core::Migration),
            Box::new(m20261127_000002_reference_data::Migration),
            Box::new(m20261127_000003_event_chain::Migration),
            Box::new(m20261127_000004_lifecycle::Migration),
            Box::new(m20261127_000005_event_payload::Migration),
            Box::new(m20261127_000006_access::Migration),
            Box::new(m20261128_000007_conversation::Migration),
            Box::new(m20261128_000008_back_office::Migration),
            Box::new(m20261128_000009_due_soon::Migration),
            Box::new(m20261128_000010_transparency::Migration),
            Box::new(m20261128_000011_statistics::Migration),
            Box::new(m20261128_000012_digests::Migration),
            Box::new(m20261128_000013_stat_aggregates::Migration),
            Box::new(m20261130_000014_co_agency_history::Migration),
            Box::new(m20261130_000015_sign_in_attempts::Migration),
            Box::new(m20261130_000016_tokens_and_audit_chain::Migration),
            Box::new(m20261130_000017_holidays::Migration),
            Box::new(m20261130_000018_email_verification::Migration),
            Box::new(m20261130_000019_decided_cases::Migration),
            Box::new(m20261130_000020_assignment::Migration),
            Box::new(m20261130_000021_saved_views::Migration),
            Box::new(m20261201_000022_password_resets::Migration),
            Box::new(m20261201_000023_idempotent_requests::Migration),
            Box::new(m20261201_000024_personal_data::Migration),
            Box::new(m20261201_000025_event_digests::Migration),
        ]
    }
}
