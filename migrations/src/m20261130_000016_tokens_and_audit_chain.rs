//! Integration tokens get an expiry and a scope (`read` or `read_write`); the `audit_log` gets a
//! hash chain: each entry, once sealed, carries its place (`seq`) and
//! `chain_hash = SHA-256(previous chain hash ‖ "\n" ‖ canonical entry)`, and `audit_log_head`
//! keeps the newest (`aduan audit head` prints it for publication).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    ExpiresAt,
    Scope,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    ChainHash,
}

#[derive(DeriveIden)]
enum AuditLogHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        // Tokens issued before scopes could write: they keep doing so until they expire.
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(string(ApiTokens::Scope).default("read_write"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(big_integer_null(AuditLog::Seq))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(string_null(AuditLog::ChainHash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_seq")
                    .table(AuditLog::Table)
                    .col(AuditLog::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLogHead::Table)
                    .col(integer(AuditLogHead::Id).primary_key())
                    .col(big_integer(AuditLogHead::Seq))
                    .col(string(AuditLogHead::Hash))
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table(AuditLogHead::Table)
            .columns([AuditLogHead::Id, AuditLogHead::Seq, AuditLogHead::Hash])
            .values_panic([1.into(), 0i64.into(), "".into()])
            .to_owned();
        manager.exec_stmt(insert).await?;
        Ok(())
    }
}
