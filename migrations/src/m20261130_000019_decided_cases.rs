//! A case counts in the timeliness shares only once it is decided: the step was taken (a first
//! follow-up, a completion answer) or its deadline passed without it. Until then it is neither on
//! time nor late. `fu_lapsed` / `done_lapsed` record a deadline that passed (set by the overdue
//! job through the report's lifecycle); `fu_decided` / `done_decided` are their monthly counters.
//! Cases of reports overdue now are marked, and the counters computed from the cases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportCases {
    Table,
    FuLapsed,
    DoneLapsed,
}

#[derive(DeriveIden)]
enum StatMonths {
    Table,
    FuDecided,
    DoneDecided,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for col in [ReportCases::FuLapsed, ReportCases::DoneLapsed] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ReportCases::Table)
                        .add_column(boolean(col).default(false))
                        .to_owned(),
                )
                .await?;
        }
        for col in [StatMonths::FuDecided, StatMonths::DoneDecided] {
            manager
                .alter_table(
                    Table::alter()
                        .table(StatMonths::Table)
                        .add_column(big_integer(col).default(0))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for sql in [
            // The latest case of a report held past its stage's deadline (and marked overdue).
            "UPDATE report_cases SET fu_lapsed = true WHERE first_follow_up_at IS NULL \
             AND NOT bounced AND id IN (SELECT MAX(c.id) FROM report_cases c JOIN reports r \
             ON r.id = c.report_id WHERE r.status = 'dispatched' AND r.overdue_level > 0 \
             GROUP BY c.report_id)",
            "UPDATE report_cases SET done_lapsed = true WHERE completed_at IS NULL \
             AND NOT bounced AND id IN (SELECT MAX(c.id) FROM report_cases c JOIN reports r \
             ON r.id = c.report_id WHERE r.status = 'in_process' AND r.overdue_level > 0 \
             GROUP BY c.report_id)",
            "UPDATE stat_months SET \
             fu_decided = (SELECT COUNT(*) FROM report_cases c WHERE c.agency_id = stat_months.agency_id \
             AND c.month = stat_months.month AND c.confidential = stat_months.confidential \
             AND (c.first_follow_up_at IS NOT NULL OR (c.fu_lapsed AND NOT c.bounced))), \
             done_decided = (SELECT COUNT(*) FROM report_cases c WHERE c.agency_id = stat_months.agency_id \
             AND c.month = stat_months.month AND c.confidential = stat_months.confidential \
             AND (c.completed_at IS NOT NULL OR (c.done_lapsed AND NOT c.bounced)))",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
