//! Where a service's writes commit: group commit on SQLite.
//!
//! SQLite has one writer at a time and, with `synchronous=FULL`, one fsync per commit. Report
//! submissions arriving together each took the write lock in turn, each waited in SQLite's
//! busy handler (which sleeps 1, 2, 5… ms between tries) and each paid its own fsync. Here
//! they queue instead to one writer task, which runs whatever has queued as one transaction:
//! every piece of work in its own savepoint (a failing one is rolled back alone), then one
//! COMMIT, one fsync, and only then is each caller answered. "201 only after it is on disk"
//! holds unchanged: no caller hears of success before the commit that holds its rows.
//!
//! PostgreSQL takes concurrent commits itself (its WAL writer flushes several commits at once),
//! so there each piece of work is simply its own transaction on the pool.

use crate::domain::AppError;
use futures::future::BoxFuture;
use futures::FutureExt;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbBackend, TransactionTrait};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// At most this many pieces of work share one transaction; more wait for the next one.
pub const MAX_BATCH: usize = 64;

type Deliver = Box<dyn FnOnce(Result<(), AppError>) + Send>;
type Work =
    Box<dyn for<'a> FnOnce(&'a DatabaseTransaction) -> BoxFuture<'a, (bool, Deliver)> + Send>;

/// Commits work on the database: grouped on SQLite, one transaction each on PostgreSQL.
#[derive(Clone)]
pub struct Committer {
    db: DatabaseConnection,
    group: Option<mpsc::Sender<Work>>,
    stats: Arc<Stats>,
}

/// How many group transactions committed and how much work they held (for `/metrics`).
#[derive(Debug, Default)]
pub struct Stats {
    commits: AtomicU64,
    work: AtomicU64,
}

impl Stats {
    /// Group transactions committed so far.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
    /// Pieces of work committed in them.
    pub fn work(&self) -> u64 {
        self.work.load(Ordering::Relaxed)
    }
}

impl std::fmt::Debug for Committer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Committer")
            .field("grouped", &self.group.is_some())
            .field("stats", &self.stats)
            .finish()
    }
}

impl Committer {
    /// Groups on SQLite (starting the writer task: call inside the Tokio runtime), direct on
    /// PostgreSQL.
    pub fn new(db: DatabaseConnection) -> Self {
        if db.get_database_backend() == DbBackend::Sqlite {
            Self::grouped(db)
        } else {
            Self::direct(db)
        }
    }

    /// Every piece of work in its own transaction (scripts, the seed, tests of one request).
    pub fn direct(db: DatabaseConnection) -> Self {
        Self {
            db,
            group: None,
            stats: Arc::default(),
        }
    }

    /// Work that arrives together shares one transaction, whatever the database.
    pub fn grouped(db: DatabaseConnection) -> Self {
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        let stats = Arc::<Stats>::default();
        tokio::spawn(write_groups(db.clone(), rx, stats.clone()));
        Self {
            db,
            group: Some(tx),
            stats,
        }
    }

    /// The connection pool, for reads.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Pieces of work waiting for the writer (always 0 when not grouped).
    pub fn queued(&self) -> usize {
        self.group
            .as_ref()
            .map_or(0, |g| g.max_capacity() - g.capacity())
    }

    /// Runs `work` inside a transaction and answers once that transaction has committed. An
    /// error from `work` undoes its writes (and only its own) and is returned as it is; a
    /// failed commit is returned to every piece of work it held (`StorageFull` when the disk
    /// is full).
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a DatabaseTransaction) -> BoxFuture<'a, Result<T, AppError>>
            + Send
            + 'static,
    {
        let Some(group) = &self.group else {
            let txn = self
                .db
                .begin()
                .await
                .map_err(super::internal("starting a transaction"))?;
            let out = work(&txn).await?;
            txn.commit()
                .await
                .map_err(super::internal("committing a transaction"))?;
            return Ok(out);
        };
        let (answer, answered) = oneshot::channel::<Result<T, AppError>>();
        let queued: Work = Box::new(move |txn| {
            Box::pin(async move {
                let out = work(txn).await;
                let keep = out.is_ok();
                let deliver: Deliver = Box::new(move |committed| {
                    let _ = answer.send(committed.and(out));
                });
                (keep, deliver)
            })
        });
        if group.send(queued).await.is_err() {
            tracing::error!("the group committer has stopped");
            return Err(AppError::Internal);
        }
        // Dropped unanswered when the group's transaction could not start or run (logged
        // there): nothing of it was committed.
        answered.await.unwrap_or(Err(AppError::Internal))
    }
}

/// The writer task: takes whatever work has queued (up to `MAX_BATCH`), runs it in one
/// transaction, commits, answers. Ends when every `Committer` holding its queue is gone.
async fn write_groups(db: DatabaseConnection, mut queue: mpsc::Receiver<Work>, stats: Arc<Stats>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let n = batch.len() as u64;
        if run_group(&db, batch.drain(..)).await.is_some() {
            stats.commits.fetch_add(1, Ordering::Relaxed);
            stats.work.fetch_add(n, Ordering::Relaxed);
        }
    }
}

/// One group transaction. Every caller is answered after its COMMIT; when the transaction
/// fails before that, the work is dropped unanswered (each caller gets `Internal`, the cause
/// is logged here). `Some` when it committed.
async fn run_group(db: &DatabaseConnection, batch: impl Iterator<Item = Work>) -> Option<()> {
    let txn = match db.begin().await {
        Ok(t) => t,
        Err(e) => {
            let _ = super::internal("starting a group transaction")(e);
            return None;
        }
    };
    let mut delivers = Vec::with_capacity(MAX_BATCH);
    for work in batch {
        let savepoint = match txn.begin().await {
            Ok(s) => s,
            Err(e) => {
                let _ = super::internal("starting a savepoint in a group transaction")(e);
                return None;
            }
        };
        let (keep, deliver) = match AssertUnwindSafe(work(&savepoint)).catch_unwind().await {
            Ok(done) => done,
            Err(_) => {
                tracing::error!("work in a group transaction panicked; the group is rolled back");
                return None;
            }
        };
        let ended = if keep {
            savepoint.commit().await
        } else {
            savepoint.rollback().await
        };
        if let Err(e) = ended {
            let _ = super::internal("ending a savepoint in a group transaction")(e);
            return None;
        }
        delivers.push(deliver);
    }
    let committed = txn
        .commit()
        .await
        .map_err(super::internal("committing a group transaction"));
    let ok = committed.is_ok();
    for deliver in delivers {
        deliver(committed.clone());
    }
    ok.then_some(())
}
