//! Whether the current stage's "deadline is near" warning went out (reset by every new stage).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    DueSoonWarned,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Reports::Table)
                    .add_column(&mut boolean(Reports::DueSoonWarned).default(false).take())
                    .to_owned(),
            )
            .await
    }
}
