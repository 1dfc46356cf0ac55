//! The weekly digest to agency heads: one row per agency and ISO week, written with the digest's
//! email in the outbox, so several instances never send the same week twice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AgencyDigests {
    Table,
    Week,
    AgencyId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AgencyDigests::Table)
                    .col(string(AgencyDigests::Week))
                    .col(integer(AgencyDigests::AgencyId))
                    .col(timestamp_with_time_zone(AgencyDigests::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(AgencyDigests::Week)
                            .col(AgencyDigests::AgencyId),
                    )
                    .to_owned(),
            )
            .await
    }
}
