//! Tamper evidence: each report event carries the hash of its predecessor and its own hash, and
//! the report keeps the hash of its newest event. Rows written before this migration get their
//! hashes from the server's start-up backfill (`app::server::audit::backfill`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    ChainHead,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .add_column(string_null(ReportEvents::PrevHash))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .add_column(string_null(ReportEvents::Hash))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Reports::Table)
                    .add_column(string_null(Reports::ChainHead))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
