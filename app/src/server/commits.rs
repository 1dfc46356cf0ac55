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

/// Answers a caller: with the outcome of its group's commit (its own result when that is `Ok`).
type Deliver = Box<dyn FnOnce(Result<(), AppError>) + Send>;
/// Runs a piece of work in the group's transaction: its own outcome, and how to answer it.
type Run = Box<
    dyn for<'a> FnOnce(&'a DatabaseTransaction) -> BoxFuture<'a, (Result<(), AppError>, Deliver)>
        + Send,
>;
/// Answers a caller with its group's failure.
type Fail = Box<dyn FnOnce(AppError) + Send>;

/// A piece of work queued for the writer; `fail` answers it when its group ends before it
/// could run.
struct Work {
    run: Run,
    fail: Fail,
}

/// Answers through `slot` unless it was answered already.
fn give<T>(slot: &std::sync::Mutex<Option<oneshot::Sender<T>>>, answer: T) {
    if let Some(tx) = slot.lock().ok().and_then(|mut s| s.take()) {
        let _ = tx.send(answer);
    }
}

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
        // Answered once: after the commit by `run`'s deliverer, or by `fail`.
        let answer = Arc::new(std::sync::Mutex::new(Some(answer)));
        let for_run = answer.clone();
        let run: Run = Box::new(move |txn| {
            Box::pin(async move {
                let out = work(txn).await;
                let outcome = out.as_ref().map(|_| ()).map_err(Clone::clone);
                let deliver: Deliver =
                    Box::new(move |committed| give(&for_run, committed.and(out)));
                (outcome, deliver)
            })
        });
        let fail: Fail = Box::new(move |e| give(&answer, Err(e)));
        if group.send(Work { run, fail }).await.is_err() {
            tracing::error!("the group committer has stopped");
            return Err(AppError::Internal);
        }
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

/// One group transaction: every caller is answered after its COMMIT. When the transaction
/// fails before that, every caller of the group gets the failure: `StorageFull` when the disk
/// is full (seen in the failure itself or in a piece of work's own error: SQLite may roll the
/// whole transaction back on `SQLITE_FULL`), else `Internal`; the cause is logged. `Some` when
/// it committed.
async fn run_group(db: &DatabaseConnection, mut batch: impl Iterator<Item = Work>) -> Option<()> {
    let mut answers: Vec<Deliver> = Vec::with_capacity(MAX_BATCH);
    let mut full = false;
    let failed = |answers: Vec<Deliver>, rest: &mut dyn Iterator<Item = Work>, full: bool| {
        let e = if full {
            AppError::StorageFull
        } else {
            AppError::Internal
        };
        for deliver in answers {
            deliver(Err(e.clone()));
        }
        for work in rest {
            (work.fail)(e.clone());
        }
        None
    };
    let txn = match db.begin().await {
        Ok(t) => t,
        Err(e) => {
            let e = super::internal("starting a group transaction")(e);
            return failed(answers, &mut batch, e == AppError::StorageFull);
        }
    };
    while let Some(work) = batch.next() {
        let savepoint = match txn.begin().await {
            Ok(s) => s,
            Err(e) => {
                full |= super::internal("starting a savepoint in a group transaction")(e)
                    == AppError::StorageFull;
                (work.fail)(AppError::Internal);
                return failed(answers, &mut batch, full);
            }
        };
        let (outcome, deliver) = match AssertUnwindSafe((work.run)(&savepoint))
            .catch_unwind()
            .await
        {
            Ok(done) => done,
            Err(_) => {
                tracing::error!("work in a group transaction panicked; the group is rolled back");
                (work.fail)(AppError::Internal);
                return failed(answers, &mut batch, full);
            }
        };
        full |= outcome == Err(AppError::StorageFull);
        answers.push(deliver);
        let ended = if outcome.is_ok() {
            savepoint.commit().await
        } else {
            savepoint.rollback().await
        };
        if let Err(e) = ended {
            full |= super::internal("ending a savepoint in a group transaction")(e)
                == AppError::StorageFull;
            return failed(answers, &mut batch, full);
        }
    }
    match txn.commit().await {
        Ok(()) => {
            for deliver in answers {
                deliver(Ok(()));
            }
            Some(())
        }
        Err(e) => {
            full |= super::internal("committing a group transaction")(e) == AppError::StorageFull;
            failed(answers, &mut std::iter::empty(), full)
        }
    }
}
