//! Monthly statistics aggregates per agency, kept in the same transaction as each case change
//! (deltas), so an agency's figures over any period sum a few hundred rows whatever the number
//! of reports: counters (`stat_months`), the working-day histogram of first follow-ups
//! (`stat_days`, for the median) and received per category and region (`stat_groups`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let counters = [
            "received",
            "delegated",
            "bounced",
            "fu_in_time",
            "followed_up",
            "completed",
            "on_time",
            "confirmed",
            "unconfirmed",
            "rating_sum",
            "rating_count",
        ]
        .map(|c| format!("{c} BIGINT NOT NULL DEFAULT 0"))
        .join(", ");
        for sql in [
            format!(
                "CREATE TABLE stat_months (agency_id INTEGER NOT NULL, month INTEGER NOT NULL, \
                 confidential BOOLEAN NOT NULL, {counters}, \
                 PRIMARY KEY (agency_id, month, confidential))"
            ),
            "CREATE TABLE stat_days (agency_id INTEGER NOT NULL, month INTEGER NOT NULL, \
             confidential BOOLEAN NOT NULL, days INTEGER NOT NULL, n BIGINT NOT NULL DEFAULT 0, \
             PRIMARY KEY (agency_id, month, confidential, days))"
                .to_string(),
            "CREATE TABLE stat_groups (agency_id INTEGER NOT NULL, month INTEGER NOT NULL, \
             confidential BOOLEAN NOT NULL, dim VARCHAR(1) NOT NULL, k VARCHAR(32) NOT NULL, \
             n BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (agency_id, month, confidential, dim, k))"
                .to_string(),
        ] {
            db.execute_unprepared(&sql).await?;
        }
        // Cases kept before the aggregates existed.
        let fu = 5;
        for sql in [
            "INSERT INTO stat_months (agency_id, month, confidential, received, delegated, bounced, \
             fu_in_time, followed_up, completed, on_time, confirmed, unconfirmed, rating_sum, rating_count) \
             SELECT agency_id, month, confidential, COUNT(*), \
             SUM(CASE WHEN delegated THEN 1 ELSE 0 END), SUM(CASE WHEN bounced THEN 1 ELSE 0 END), \
             SUM(CASE WHEN first_follow_up_days <= FU THEN 1 ELSE 0 END), COUNT(first_follow_up_at), \
             COUNT(completed_at), SUM(CASE WHEN completed_on_time THEN 1 ELSE 0 END), \
             SUM(CASE WHEN outcome = 'confirmed' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN outcome = 'closed_unconfirmed' THEN 1 ELSE 0 END), \
             COALESCE(SUM(rating), 0), COUNT(rating) \
             FROM report_cases GROUP BY agency_id, month, confidential"
                .replace("FU", &fu.to_string()),
            "INSERT INTO stat_days (agency_id, month, confidential, days, n) \
             SELECT agency_id, month, confidential, first_follow_up_days, COUNT(*) FROM report_cases \
             WHERE first_follow_up_days IS NOT NULL \
             GROUP BY agency_id, month, confidential, first_follow_up_days"
                .to_string(),
            "INSERT INTO stat_groups (agency_id, month, confidential, dim, k, n) \
             SELECT agency_id, month, confidential, 'c', COALESCE(CAST(category_id AS TEXT), ''), COUNT(*) \
             FROM report_cases GROUP BY agency_id, month, confidential, category_id"
                .to_string(),
            "INSERT INTO stat_groups (agency_id, month, confidential, dim, k, n) \
             SELECT agency_id, month, confidential, 'r', COALESCE(region_code, ''), COUNT(*) \
             FROM report_cases GROUP BY agency_id, month, confidential, region_code"
                .to_string(),
        ] {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
