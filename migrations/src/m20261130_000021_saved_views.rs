//! A staff member's saved work-list views: a name and the list's filters and order (its
//! address's query), shown as one-click links above the work list. Personal: only their owner
//! sees or removes them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    AccountId,
    Name,
    Query,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedViews::Table)
                    .col(big_pk_auto(SavedViews::Id))
                    .col(big_integer(SavedViews::AccountId))
                    .col(string(SavedViews::Name))
                    .col(string(SavedViews::Query))
                    .col(timestamp_with_time_zone(SavedViews::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedViews::Table, SavedViews::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_views_account_name")
                    .table(SavedViews::Table)
                    .col(SavedViews::AccountId)
                    .col(SavedViews::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
