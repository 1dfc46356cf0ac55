//! The command's data (agency, archive reason, rating, ...) recorded with each event, as JSON.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    Payload,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .add_column(text_null(ReportEvents::Payload))
                    .to_owned(),
            )
            .await
    }
}
