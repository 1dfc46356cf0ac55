//! Idempotency keys: a client that sends a submission twice (a retry after a lost answer, a
//! queued report sent again when the signal returns, a double tap) gets the first answer again
//! instead of a second report. Only the SHA-256 of the key is stored; the answer (it holds the
//! tracking code) is sealed under a key derived from the client's key, so the table alone
//! discloses no tracking code.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotentRequests {
    Table,
    KeyHash,
    Action,
    RequestHash,
    ReportId,
    Sealed,
    CreatedAt,
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
                    .table(IdempotentRequests::Table)
                    .col(string(IdempotentRequests::KeyHash).primary_key())
                    .col(string(IdempotentRequests::Action))
                    .col(string(IdempotentRequests::RequestHash))
                    .col(big_integer(IdempotentRequests::ReportId))
                    .col(text(IdempotentRequests::Sealed))
                    .col(timestamp_with_time_zone(IdempotentRequests::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IdempotentRequests::Table, IdempotentRequests::ReportId)
                            .to(Reports::Table, Reports::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotent_requests_created_at")
                    .table(IdempotentRequests::Table)
                    .col(IdempotentRequests::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}
