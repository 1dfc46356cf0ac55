//! Report events whose note and payload can be erased without breaking the chain: from format
//! `v3` an event's hash covers the SHA-256 of its note and payload (`content_digest`), not the
//! texts themselves, so the retention job can erase the texts (`erased_at`) and the chain still
//! verifies. Events written before keep their format (`content_digest` empty) and their texts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    ContentDigest,
    ErasedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .add_column(string_null(ReportEvents::ContentDigest))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .add_column(timestamp_with_time_zone_null(ReportEvents::ErasedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .drop_column(ReportEvents::ErasedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .drop_column(ReportEvents::ContentDigest)
                    .to_owned(),
            )
            .await
    }
}
