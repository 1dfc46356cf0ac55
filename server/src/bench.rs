//! Baselines for `bench/run`: what the database and file system allow without Aduan's work.

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use std::time::{Duration, Instant};

/// Commits one small row per transaction, one after another, for `seconds`, through the same
/// connection settings as the server (SQLite: WAL, `synchronous=FULL`, so every commit is on
/// disk). The table is made and dropped here. Returns the commits and the time they took.
pub async fn commit_loop(db: &DatabaseConnection, seconds: u64) -> anyhow::Result<(u64, Duration)> {
    let backend = db.get_database_backend();
    let run = |sql: &str| Statement::from_string(backend, sql.to_string());
    db.execute_raw(run("DROP TABLE IF EXISTS bench_commits"))
        .await
        .context("dropping an earlier bench table")?;
    db.execute_raw(run(
        "CREATE TABLE bench_commits (id BIGINT PRIMARY KEY, body TEXT NOT NULL)",
    ))
    .await
    .context("creating the bench table")?;
    let body = "x".repeat(200);
    let start = Instant::now();
    let mut n: u64 = 0;
    while start.elapsed() < Duration::from_secs(seconds) {
        n += 1;
        let txn = db.begin().await?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "INSERT INTO bench_commits (id, body) VALUES ($1, $2)"
                }
                _ => "INSERT INTO bench_commits (id, body) VALUES (?, ?)",
            },
            [(n as i64).into(), body.clone().into()],
        ))
        .await?;
        txn.commit().await?;
    }
    let elapsed = start.elapsed();
    db.execute_raw(run("DROP TABLE bench_commits")).await?;
    Ok((n, elapsed))
}
