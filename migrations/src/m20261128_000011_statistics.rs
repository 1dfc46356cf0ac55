//! Statistics facts: one row per case (a report's stay with one agency, from its dispatch to
//! its return or closing), kept up to date in the same transaction as each lifecycle step, so
//! an agency's figures are an indexed aggregate, not a replay of the event log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportCases {
    Table,
    Id,
    ReportId,
    AgencyId,
    /// The month the case began, `YYYYMM` in WIB.
    Month,
    ReceivedAt,
    Kind,
    CategoryId,
    RegionCode,
    Confidential,
    Delegated,
    Bounced,
    FirstFollowUpAt,
    FirstFollowUpDays,
    CompletedAt,
    CompletedOnTime,
    Outcome,
    Rating,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportCases::Table)
                    .col(big_pk_auto(ReportCases::Id))
                    .col(big_integer(ReportCases::ReportId))
                    .col(integer(ReportCases::AgencyId))
                    .col(integer(ReportCases::Month))
                    .col(timestamp_with_time_zone(ReportCases::ReceivedAt))
                    .col(string(ReportCases::Kind))
                    .col(integer_null(ReportCases::CategoryId))
                    .col(string_null(ReportCases::RegionCode))
                    .col(boolean(ReportCases::Confidential))
                    .col(boolean(ReportCases::Delegated).default(false))
                    .col(boolean(ReportCases::Bounced).default(false))
                    .col(timestamp_with_time_zone_null(ReportCases::FirstFollowUpAt))
                    .col(integer_null(ReportCases::FirstFollowUpDays))
                    .col(timestamp_with_time_zone_null(ReportCases::CompletedAt))
                    .col(boolean_null(ReportCases::CompletedOnTime))
                    .col(string_null(ReportCases::Outcome))
                    .col(integer_null(ReportCases::Rating))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportCases::Table, ReportCases::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_report_cases_agency_month",
                vec![ReportCases::AgencyId, ReportCases::Month],
            ),
            ("idx_report_cases_month", vec![ReportCases::Month]),
            ("idx_report_cases_report", vec![ReportCases::ReportId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(ReportCases::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // Open and overdue "now", per agency (covering: no table reads).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_reports_agency_status ON reports (agency_id, status, confidential, due_at)",
            )
            .await?;
        Ok(())
    }
}
