//! The public side of reports: the moderated public text (the agency keeps the original), when a
//! report went public, its supporters ("dukung", one per account) and followers, and the
//! full-text index of public reports (SQLite FTS5, PostgreSQL `tsvector` + GIN; the terms
//! themselves are computed by the application, so both behave the same).

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    PublicTitle,
    PublicText,
    PublishedAt,
    Supporters,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReportSupports {
    Table,
    ReportId,
    AccountId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportFollows {
    Table,
    ReportId,
    AccountId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            string_null(Reports::PublicTitle),
            text_null(Reports::PublicText),
            timestamp_with_time_zone_null(Reports::PublishedAt),
            integer(Reports::Supporters).default(0).take(),
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
        for (table, report, account, at) in [
            (
                ReportSupports::Table.into_iden(),
                ReportSupports::ReportId.into_iden(),
                ReportSupports::AccountId.into_iden(),
                ReportSupports::CreatedAt.into_iden(),
            ),
            (
                ReportFollows::Table.into_iden(),
                ReportFollows::ReportId.into_iden(),
                ReportFollows::AccountId.into_iden(),
                ReportFollows::CreatedAt.into_iden(),
            ),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(big_integer(report.clone()))
                        .col(big_integer(account.clone()))
                        .col(timestamp_with_time_zone(at))
                        .primary_key(Index::create().col(report.clone()).col(account.clone()))
                        .foreign_key(
                            ForeignKey::create()
                                .from(table.clone(), report)
                                .to(Reports::Table, Reports::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .foreign_key(
                            ForeignKey::create()
                                .from(table, account)
                                .to(Accounts::Table, Accounts::Id)
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        // The public list: newest first, or most supported first (keyset pagination on both).
        for sql in [
            "CREATE INDEX idx_reports_public ON reports (id) \
             WHERE published_at IS NOT NULL AND confidential = false",
            "CREATE INDEX idx_reports_public_support ON reports (supporters, id) \
             WHERE published_at IS NOT NULL AND confidential = false",
            "CREATE INDEX idx_report_follows_account ON report_follows (account_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        // `report_search`: public reports' public text; `report_search_staff`: every report's
        // original text, searched by staff within what they may see.
        for table in ["report_search", "report_search_staff"] {
            match manager.get_database_backend() {
                DbBackend::Sqlite => {
                    db.execute_unprepared(&format!(
                        "CREATE VIRTUAL TABLE {table} USING fts5(terms, tokenize = 'unicode61')"
                    ))
                    .await?;
                }
                _ => {
                    db.execute_unprepared(&format!(
                        "CREATE TABLE {table} (\
                         report_id BIGINT PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE, \
                         terms TEXT NOT NULL, \
                         tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED)"
                    ))
                    .await?;
                    db.execute_unprepared(&format!(
                        "CREATE INDEX idx_{table}_tsv ON {table} USING GIN (tsv)"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
