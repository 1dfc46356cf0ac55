//! Co-agencies of a joint case end when the case leaves the lead agency (returned, dispatched
//! elsewhere): the ended access moves here with who added it, when, and when and why it ended.
//! Also the reporter's explicit choice to show their name on the public report (off for every
//! report until chosen: the form promised the name is never public).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportAgencyHistory {
    Table,
    Id,
    ReportId,
    AgencyId,
    AddedBy,
    AddedAt,
    EndedAt,
    EndedBy,
    EndedReason,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    NamePublic,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportAgencyHistory::Table)
                    .col(big_pk_auto(ReportAgencyHistory::Id))
                    .col(big_integer(ReportAgencyHistory::ReportId))
                    .col(integer(ReportAgencyHistory::AgencyId))
                    .col(big_integer_null(ReportAgencyHistory::AddedBy))
                    .col(timestamp_with_time_zone(ReportAgencyHistory::AddedAt))
                    .col(timestamp_with_time_zone(ReportAgencyHistory::EndedAt))
                    .col(big_integer_null(ReportAgencyHistory::EndedBy))
                    .col(string(ReportAgencyHistory::EndedReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_agency_history_report")
                    .table(ReportAgencyHistory::Table)
                    .col(ReportAgencyHistory::ReportId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Reports::Table)
                    .add_column(boolean(Reports::NamePublic).default(false))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
