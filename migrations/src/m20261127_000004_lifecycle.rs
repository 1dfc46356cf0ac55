//! The lifecycle state kept on the report row: who owns it, which agency handles it, counters
//! (bounces, extensions, disputes), the reporter reminder, the paused verification clock, the
//! escalation level of an overdue stage, and the reporter's rating.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Owner,
    AgencyId,
    NeedsInvestigation,
    Bounces,
    Extensions,
    Disputes,
    Reminded,
    PausedDays,
    OverdueLevel,
    Rating,
    Status,
    DueAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            string_null(Reports::Owner),
            integer_null(Reports::AgencyId),
            boolean(Reports::NeedsInvestigation).default(false).take(),
            integer(Reports::Bounces).default(0).take(),
            integer(Reports::Extensions).default(0).take(),
            integer(Reports::Disputes).default(0).take(),
            boolean(Reports::Reminded).default(false).take(),
            integer_null(Reports::PausedDays),
            integer(Reports::OverdueLevel).default(0).take(),
            integer_null(Reports::Rating),
        ];
        for mut col in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reports::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(Reports::Table)
                    .value(Reports::Owner, "verifiers")
                    .and_where(Expr::col(Reports::Status).eq("awaiting_verification"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_due_at")
                    .table(Reports::Table)
                    .col(Reports::DueAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
