//! A report can be assigned to one member of the staff holding it (an officer of the agency, or
//! a verifier while it awaits verification): the work lists filter on "assigned to me" and
//! "unassigned". The assignment ends when the report changes hands.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    AssignedTo,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Reports::Table)
                    .add_column(big_integer_null(Reports::AssignedTo))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_assigned_status")
                    .table(Reports::Table)
                    .col(Reports::AssignedTo)
                    .col(Reports::Status)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
