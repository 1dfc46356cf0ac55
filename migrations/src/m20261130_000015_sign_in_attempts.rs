//! Sign-in attempts counted atomically before the password is checked: one row per key
//! (account × client network, client network, account) with its window and count, bumped by a
//! single upsert statement so parallel attempts cannot all pass a stale count.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Key,
    WindowStart,
    Count,
    Alerted,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(string(LoginAttempts::Key).primary_key())
                    .col(timestamp_with_time_zone(LoginAttempts::WindowStart))
                    .col(big_integer(LoginAttempts::Count))
                    .col(boolean(LoginAttempts::Alerted).default(false))
                    .to_owned(),
            )
            .await
    }
}
