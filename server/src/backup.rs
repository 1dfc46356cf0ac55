//! `aduan backup DIR` and `aduan restore DIR`: the database and the attachment store, copied
//! consistently while the server keeps serving, and put back into a fresh place.
//!
//! - **SQLite**: `VACUUM INTO` writes a consistent snapshot of the live file (readers and
//!   writers go on meanwhile) as `DIR/aduan.db`.
//! - **PostgreSQL**: `pg_dump --format=custom` (one consistent snapshot, exported by the
//!   transaction that counts what the backup holds) as `DIR/aduan.pgdump`;
//!   `pg_restore` puts it back. The password goes to them in `PGPASSWORD`, never on the
//!   command line.
//! - **Attachments** (the local store): copied after the database snapshot into `DIR/files`.
//!   A report's files are stored before the transaction that records them commits, so every
//!   file the snapshot names is already there; newer files are harmless extras. An S3-compatible
//!   store is not copied: back it up with the store's own versioning or replication.
//! - `DIR/aduan-backup.txt` says what was copied, when, and the audit heads at that moment.
//!
//! A restore goes only into an empty place (a new SQLite file or an empty PostgreSQL database,
//! an empty attachment folder), applies any newer migrations, and verifies every report's event
//! chain and the audit log's chain before it reports success. The restore drill in the tests
//! (`server/tests/it/backup.rs`) runs this on both databases.

use crate::config::DatabaseUrl;
use anyhow::{bail, Context};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::path::{Path, PathBuf};

const MANIFEST: &str = "aduan-backup.txt";
const SQLITE_FILE: &str = "aduan.db";
const PG_FILE: &str = "aduan.pgdump";
const FILES: &str = "files";

/// What a backup or a restore holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub reports: u64,
    pub events: u64,
    /// Attachment files copied (none for an S3-compatible store).
    pub files: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} reports, {} events, {} attachment files",
            self.reports, self.events, self.files
        )
    }
}

/// Copies the database at `db` and the attachment folder `files` (none: an object store) into
/// the new folder `dest`.
pub async fn backup(
    db: &DatabaseUrl,
    files: Option<&Path>,
    dest: &Path,
) -> anyhow::Result<Summary> {
    if dest.exists() && dest.read_dir()?.next().is_some() {
        bail!("{} is not empty: back up into a new folder", dest.display());
    }
    std::fs::create_dir_all(dest).with_context(|| format!("creating {}", dest.display()))?;
    let dest = dest
        .canonicalize()
        .with_context(|| format!("opening {}", dest.display()))?;
    let conn = crate::db::connect(db).await?;
    let started = chrono::Utc::now();
    let (reports, events) = if db.is_sqlite() {
        let file = dest.join(SQLITE_FILE);
        let target = file
            .to_str()
            .context("the backup folder's path is not UTF-8")?
            .replace('\'', "''");
        conn.execute_unprepared(&format!("VACUUM INTO '{target}'"))
            .await
            .context("writing the SQLite snapshot (VACUUM INTO)")?;
        // The counts of the snapshot itself (opened read-only, as it is).
        let snap = sea_orm::Database::connect(sqlite_url(&file, "ro").expose())
            .await
            .context("opening the snapshot")?;
        let counts = counts(&snap).await?;
        snap.close().await.ok();
        counts
    } else {
        // The counts and the dump from one snapshot: a submission committed in between is in
        // neither (counted first and dumped after, it was in the dump only).
        use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};
        let txn = conn
            .begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
            .context("starting the snapshot transaction")?;
        let snapshot: String = txn
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT pg_export_snapshot() AS s",
            ))
            .await?
            .context("exporting the snapshot")?
            .try_get("", "s")?;
        let counts = counts(&txn).await?;
        let snapshot = format!("--snapshot={snapshot}");
        pg_tool(
            "pg_dump",
            db,
            &["--format=custom", "--no-owner", &snapshot, "--file"],
            &dest.join(PG_FILE),
        )?;
        // Held open until the dump has its snapshot (and its data).
        txn.commit()
            .await
            .context("ending the snapshot transaction")?;
        counts
    };
    let (head_seq, head_hash) = app::server::audit::log_head(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("reading the audit log head: {e:?}"))?;
    conn.close().await.ok();
    let copied = match files {
        Some(dir) if dir.exists() => copy_tree(dir, &dest.join(FILES))?,
        Some(_) => 0,
        None => {
            eprintln!(
                "note: attachments are in an object store (ADUAN_FILES_URL); back them up with \
                 the store's own versioning or replication"
            );
            0
        }
    };
    let summary = Summary {
        reports,
        events,
        files: copied,
    };
    std::fs::write(
        dest.join(MANIFEST),
        format!(
            "aduan backup, format 1\nstarted: {}\ndatabase: {}\nreports: {}\nevents: {}\n\
             attachment files: {}\naudit log head: entry {head_seq} {head_hash}\n",
            started.to_rfc3339(),
            if db.is_sqlite() {
                "sqlite"
            } else {
                "postgresql"
            },
            summary.reports,
            summary.events,
            summary.files,
        ),
    )?;
    Ok(summary)
}

/// Puts the backup in `src` into the empty database at `db` and the empty attachment folder
/// `files`, migrates it, verifies its audit chains, and returns what it holds.
pub async fn restore(
    db: &DatabaseUrl,
    files: Option<&Path>,
    src: &Path,
) -> anyhow::Result<Summary> {
    let manifest = std::fs::read_to_string(src.join(MANIFEST))
        .with_context(|| format!("{} is not an Aduan backup (no {MANIFEST})", src.display()))?;
    if !manifest.starts_with("aduan backup, format 1") {
        bail!("{}: unknown backup format", src.display());
    }
    if db.is_sqlite() {
        let snapshot = src.join(SQLITE_FILE);
        if !snapshot.exists() {
            bail!("{} holds no SQLite backup ({SQLITE_FILE})", src.display());
        }
        let target = sqlite_path(db).context("restore into a SQLite file, not :memory:")?;
        if target.exists() && std::fs::metadata(&target)?.len() > 0 {
            bail!(
                "{} exists: restore into a new file (move the old one away first)",
                target.display()
            );
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&snapshot, &target)
            .with_context(|| format!("copying the snapshot to {}", target.display()))?;
    } else {
        let dump = src.join(PG_FILE);
        if !dump.exists() {
            bail!("{} holds no PostgreSQL backup ({PG_FILE})", src.display());
        }
        let conn = crate::db::connect(db).await?;
        let tables = conn
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT count(*)::bigint AS n FROM information_schema.tables WHERE table_schema = 'public'",
            ))
            .await?
            .and_then(|row| row.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        conn.close().await.ok();
        if tables > 0 {
            bail!("the database has tables already: restore into a new, empty database");
        }
        pg_tool("pg_restore", db, &["--no-owner", "--exit-on-error"], &dump)?;
    }
    let copied = match files {
        Some(dir) if src.join(FILES).exists() => {
            if dir.exists() && dir.read_dir()?.next().is_some() {
                bail!(
                    "the attachment folder {} is not empty: restore into an empty one",
                    dir.display()
                );
            }
            copy_tree(&src.join(FILES), dir)?
        }
        _ => 0,
    };
    let conn = crate::db::connect(db).await?;
    crate::db::migrate(&conn).await?;
    let verified = app::server::audit::verify_all(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("the restored report chains do not verify: {e:?}"))?;
    app::server::audit::verify_log(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("the restored audit log does not verify: {e:?}"))?;
    let (reports, _) = counts(&conn).await?;
    conn.close().await.ok();
    Ok(Summary {
        reports,
        events: verified.events,
        files: copied,
    })
}

async fn counts<C: ConnectionTrait>(db: &C) -> anyhow::Result<(u64, u64)> {
    use app::server::entities::{report, report_event};
    let reports = report::Entity::find().count(db).await?;
    let events = report_event::Entity::find().count(db).await?;
    Ok((reports, events))
}

/// The file of a `sqlite:` URL.
fn sqlite_path(db: &DatabaseUrl) -> Option<PathBuf> {
    let path = db
        .expose()
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn sqlite_url(file: &Path, mode: &str) -> DatabaseUrl {
    DatabaseUrl::parse(&format!("sqlite://{}?mode={mode}", file.display())).expect("a sqlite: URL")
}

/// Runs `pg_dump` / `pg_restore` on `db` with `file`, the password in the environment.
fn pg_tool(tool: &str, db: &DatabaseUrl, args: &[&str], file: &Path) -> anyhow::Result<()> {
    let mut url = url::Url::parse(db.expose()).context("the PostgreSQL URL")?;
    let password = url.password().map(|p| percent_decode(p));
    let _ = url.set_password(None);
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args);
    if tool == "pg_dump" {
        cmd.arg(file).arg(format!("--dbname={url}"));
    } else {
        cmd.arg(format!("--dbname={url}")).arg(file);
    }
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().with_context(|| {
        format!(
            "running {tool} (install PostgreSQL's client tools: apt-get install postgresql-client)"
        )
    })?;
    if !out.status.success() {
        bail!(
            "{tool} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("p={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Copies a folder tree; returns the number of files.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let mut n = 0;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            n += copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
            n += 1;
        }
    }
    Ok(n)
}
