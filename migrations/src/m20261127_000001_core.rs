//! Core tables: reference data (regions, categories, agencies), reports, their timeline, and the
//! reporter's contact kept apart from the report.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    Name,
    ParentCode,
    Level,
    UtcOffsetMinutes,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    Slug,
    NameId,
    NameEn,
    Active,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
    Code,
    Name,
    ParentId,
    RegionCode,
    Active,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    Reference,
    TrackingHash,
    Kind,
    Title,
    Description,
    CategoryId,
    RegionCode,
    IncidentDate,
    Anonymous,
    Confidential,
    Status,
    UtcOffsetMinutes,
    DueAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    Id,
    ReportId,
    At,
    Event,
    FromStatus,
    ToStatus,
    ActorRole,
    Note,
}

#[derive(DeriveIden)]
enum ReporterContacts {
    Table,
    ReportId,
    Name,
    Email,
    Phone,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(string(Regions::Code).primary_key())
                    .col(string(Regions::Name))
                    .col(string_null(Regions::ParentCode))
                    .col(string(Regions::Level))
                    .col(integer(Regions::UtcOffsetMinutes))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Regions::Table, Regions::ParentCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .col(integer(Categories::Id).primary_key())
                    .col(string_uniq(Categories::Slug))
                    .col(string(Categories::NameId))
                    .col(string(Categories::NameEn))
                    .col(boolean(Categories::Active).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Agencies::Table)
                    .col(integer(Agencies::Id).primary_key())
                    .col(string_uniq(Agencies::Code))
                    .col(string(Agencies::Name))
                    .col(integer_null(Agencies::ParentId))
                    .col(string_null(Agencies::RegionCode))
                    .col(boolean(Agencies::Active).default(true))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agencies::Table, Agencies::ParentId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agencies::Table, Agencies::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(big_pk_auto(Reports::Id))
                    .col(string_uniq(Reports::Reference))
                    .col(string_uniq(Reports::TrackingHash))
                    .col(string(Reports::Kind))
                    .col(string(Reports::Title))
                    .col(text(Reports::Description))
                    .col(integer_null(Reports::CategoryId))
                    .col(string_null(Reports::RegionCode))
                    .col(date_null(Reports::IncidentDate))
                    .col(boolean(Reports::Anonymous))
                    .col(boolean(Reports::Confidential))
                    .col(string(Reports::Status))
                    .col(integer(Reports::UtcOffsetMinutes))
                    .col(timestamp_with_time_zone_null(Reports::DueAt))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .col(timestamp_with_time_zone(Reports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::CategoryId)
                            .to(Categories::Table, Categories::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_status_due")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .col(Reports::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportEvents::Table)
                    .col(big_pk_auto(ReportEvents::Id))
                    .col(big_integer(ReportEvents::ReportId))
                    .col(timestamp_with_time_zone(ReportEvents::At))
                    .col(string(ReportEvents::Event))
                    .col(string_null(ReportEvents::FromStatus))
                    .col(string(ReportEvents::ToStatus))
                    .col(string(ReportEvents::ActorRole))
                    .col(text_null(ReportEvents::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportEvents::Table, ReportEvents::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_events_report")
                    .table(ReportEvents::Table)
                    .col(ReportEvents::ReportId)
                    .col(ReportEvents::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReporterContacts::Table)
                    .col(big_integer(ReporterContacts::ReportId).primary_key())
                    .col(string_null(ReporterContacts::Name))
                    .col(string_null(ReporterContacts::Email))
                    .col(string_null(ReporterContacts::Phone))
                    .col(timestamp_with_time_zone(ReporterContacts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReporterContacts::Table, ReporterContacts::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
