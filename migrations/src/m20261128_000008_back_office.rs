//! The verifier's and the agency's tools: a report's priority and the report it duplicates,
//! routing rules (category × region → agency) behind dispatch suggestions, response templates per
//! agency, and the co-agencies of a joint case.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    Priority,
    DuplicateOf,
    CategoryId,
    RegionCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoutingRules {
    Table,
    Id,
    CategoryId,
    RegionCode,
    AgencyId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ResponseTemplates {
    Table,
    Id,
    AgencyId,
    Title,
    Body,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportAgencies {
    Table,
    ReportId,
    AgencyId,
    AddedBy,
    AddedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for mut col in [
            integer(Reports::Priority).default(0).take(),
            big_integer_null(Reports::DuplicateOf),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reports::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        // Similar earlier reports: same category and region, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_category_region")
                    .table(Reports::Table)
                    .col(Reports::CategoryId)
                    .col(Reports::RegionCode)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoutingRules::Table)
                    .col(integer(RoutingRules::Id).primary_key().auto_increment())
                    .col(integer_null(RoutingRules::CategoryId))
                    .col(string_null(RoutingRules::RegionCode))
                    .col(integer(RoutingRules::AgencyId))
                    .col(big_integer_null(RoutingRules::CreatedBy))
                    .col(timestamp_with_time_zone(RoutingRules::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoutingRules::Table, RoutingRules::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ResponseTemplates::Table)
                    .col(
                        integer(ResponseTemplates::Id)
                            .primary_key()
                            .auto_increment(),
                    )
                    .col(integer(ResponseTemplates::AgencyId))
                    .col(string(ResponseTemplates::Title))
                    .col(text(ResponseTemplates::Body))
                    .col(boolean(ResponseTemplates::Active).default(true))
                    .col(timestamp_with_time_zone(ResponseTemplates::CreatedAt))
                    .col(timestamp_with_time_zone(ResponseTemplates::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResponseTemplates::Table, ResponseTemplates::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportAgencies::Table)
                    .col(big_integer(ReportAgencies::ReportId))
                    .col(integer(ReportAgencies::AgencyId))
                    .col(big_integer_null(ReportAgencies::AddedBy))
                    .col(timestamp_with_time_zone(ReportAgencies::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(ReportAgencies::ReportId)
                            .col(ReportAgencies::AgencyId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportAgencies::Table, ReportAgencies::ReportId)
                            .to(Reports::Table, Reports::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportAgencies::Table, ReportAgencies::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_agencies_agency")
                    .table(ReportAgencies::Table)
                    .col(ReportAgencies::AgencyId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
