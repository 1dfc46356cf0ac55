//! A citizen's support ("dukung") counts only once the account's email address is verified (a
//! link through the outbox): free accounts cannot inflate rankings. Staff accounts, made by an
//! administrator, count as they are. Existing counts are recomputed under the rule.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    EmailVerifiedAt,
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    TokenHash,
    AccountId,
    Email,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::EmailVerifiedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailVerifications::Table)
                    .col(string(EmailVerifications::TokenHash).primary_key())
                    .col(big_integer(EmailVerifications::AccountId))
                    .col(string(EmailVerifications::Email))
                    .col(timestamp_with_time_zone(EmailVerifications::CreatedAt))
                    .col(timestamp_with_time_zone(EmailVerifications::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailVerifications::UsedAt))
                    .to_owned(),
            )
            .await?;
        // Every count again, under the rule: supports of verified or staff accounts.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE reports SET supporters = (SELECT COUNT(*) FROM report_supports s \
                 JOIN accounts a ON a.id = s.account_id WHERE s.report_id = reports.id \
                 AND (a.email_verified_at IS NOT NULL OR a.role <> 'citizen'))",
            )
            .await?;
        Ok(())
    }
}
