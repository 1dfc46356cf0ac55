//! Connecting to the database and applying migrations.

use crate::config::DatabaseUrl;
use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

/// Connects with production settings. SQLite: WAL journal, foreign keys on, a busy timeout,
/// `synchronous=FULL` so an acknowledged write is on disk. The SQLite file's folder is created.
pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<DatabaseConnection> {
    if url.is_sqlite() {
        create_sqlite_parent_dir(url.expose())?;
    }
    let mut opts = ConnectOptions::new(url.expose().to_string());
    opts.max_connections(if url.is_sqlite() { 8 } else { 20 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        })
        .map_sqlx_sqlite_pool_opts(|o| {
            o.after_release(|conn, _| {
                Box::pin(async move { Ok(sqlite_connection_is_clean(conn).await) })
            })
        });
    Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to the database {}", url.redacted()))
}

/// Whether a pooled SQLite connection may be reused: not inside a transaction, neither in
/// sqlx's count nor in SQLite itself. A COMMIT that fails because the disk is full can leave
/// SQLite's transaction open while the ROLLBACK that follows fails too; reused, such a
/// connection would run later "transactions" as savepoints inside the dead one and acknowledge
/// writes that never reach the file. Closing it rolls the dead transaction back.
async fn sqlite_connection_is_clean(conn: &mut sea_orm::sqlx::SqliteConnection) -> bool {
    use sea_orm::sqlx::{Connection, Executor};
    // SQLite's own view first: BEGIN fails inside a transaction (and the ROLLBACK after it is
    // then not run). Both in one call: one trip to the connection's worker thread, paid on
    // every release. The probe also waits for a ROLLBACK queued by a dropped transaction, so
    // sqlx's count below is settled.
    if let Err(e) = conn.execute("BEGIN; ROLLBACK").await {
        tracing::warn!(error = %e, "a SQLite connection is still inside a transaction; closed");
        return false;
    }
    if conn.is_in_transaction() {
        tracing::warn!("a SQLite connection came back inside a transaction; closed");
        return false;
    }
    true
}

fn create_sqlite_parent_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
    }
    Ok(())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("applying database migrations")?;
    let n = app::server::audit::backfill(db)
        .await
        .context("hashing report events written before the audit chain")?;
    if n > 0 {
        tracing::info!(events = n, "audit chain backfilled");
    }
    Ok(())
}
