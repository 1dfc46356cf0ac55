//! Personal-data duties: an erased citizen account stays as an anonymous row (its number is in
//! the event chains and the audit log) marked `erased_at`; an attachment whose retention period
//! ended keeps its record (name, type, size, SHA-256: proof of what was received) with the file
//! gone, marked `erased_at`. The retention job finds closed reports by status and last change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    ErasedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Status,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::ErasedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Attachments::Table)
                    .add_column(timestamp_with_time_zone_null(Attachments::ErasedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_status_updated_at")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .col(Reports::UpdatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_reports_status_updated_at")
                    .table(Reports::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Attachments::Table)
                    .drop_column(Attachments::ErasedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(Accounts::ErasedAt)
                    .to_owned(),
            )
            .await
    }
}
