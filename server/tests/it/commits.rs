//! Group commit (`app::server::commits`): work queued together shares one transaction, each
//! piece in its own savepoint; nobody hears of success before the commit; a failing piece is
//! undone alone; a panicking one costs its group an `Internal` and nothing else. On SQLite (as
//! the server runs) and PostgreSQL (grouped on purpose here: the code is the same).

use crate::common;
use app::domain::{AppError, ReportForm};
use app::server::commits::{Committer, MAX_BATCH};
use app::server::entities::report;
use chrono::Utc;
use futures::future::join_all;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Statement,
};
use std::sync::Arc;
use tokio::sync::Notify;

async fn make_table(db: &sea_orm::DatabaseConnection, name: &str) {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!("CREATE TABLE {name} (id BIGINT PRIMARY KEY, label TEXT NOT NULL)"),
    ))
    .await
    .unwrap();
}

async fn insert(txn: &DatabaseTransaction, table: &str, id: i64) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => format!("INSERT INTO {table} (id, label) VALUES ($1, $2)"),
        _ => format!("INSERT INTO {table} (id, label) VALUES (?, ?)"),
    };
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [id.into(), format!("row {id}").into()],
    ))
    .await
    .map(|_| ())
    .map_err(|_| AppError::Internal)
}

async fn ids(db: &sea_orm::DatabaseConnection, table: &str) -> Vec<i64> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id FROM {table} ORDER BY id"),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<i64>("", "id").unwrap())
        .collect()
}

/// Waits until `n` pieces of work wait for the writer.
async fn until_queued(commits: &Committer, n: usize) {
    for _ in 0..3000 {
        if commits.queued() >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("{n} pieces of work never queued (now {})", commits.queued());
}

/// Holds the writer inside a group until `release` is notified, so that what is queued
/// meanwhile is one group. Returns when the writer is inside it.
async fn hold_the_writer(
    commits: &Committer,
    table: &'static str,
) -> (tokio::task::JoinHandle<Result<(), AppError>>, Arc<Notify>) {
    let entered = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let (e, r) = (entered.clone(), release.clone());
    let c = commits.clone();
    let holder = tokio::spawn(async move {
        c.run(move |txn| {
            Box::pin(async move {
                insert(txn, table, 0).await?;
                e.notify_one();
                r.notified().await;
                Ok(())
            })
        })
        .await
    });
    entered.notified().await;
    (holder, release)
}

#[tokio::test(flavor = "multi_thread")]
async fn work_queued_together_is_one_commit_and_a_failure_is_undone_alone() {
    for t in common::databases().await {
        let table = "group_commit_probe";
        make_table(&t.db, table).await;
        let commits = Committer::grouped(t.db.clone());
        let (holder, release) = hold_the_writer(&commits, table).await;
        // While the writer is held: 20 pieces queue; the 7th writes, then fails.
        let pieces = (1..=20i64).map(|id| {
            let c = commits.clone();
            async move {
                c.run(move |txn| {
                    Box::pin(async move {
                        insert(txn, table, id).await?;
                        if id == 7 {
                            return Err(AppError::Conflict);
                        }
                        insert(txn, table, id + 100).await?;
                        Ok(id)
                    })
                })
                .await
            }
        });
        let queued = tokio::spawn(join_all(pieces));
        until_queued(&commits, 20).await;
        // Nothing of the queued work is visible (or answered) while the group before it runs.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(
            !queued.is_finished(),
            "{}: answered before its commit",
            t.backend
        );
        assert_eq!(ids(&t.db, table).await, Vec::<i64>::new(), "{}", t.backend);
        release.notify_one();
        holder.await.unwrap().expect(t.backend);
        let answers = queued.await.unwrap();
        for (i, a) in answers.iter().enumerate() {
            let id = i as i64 + 1;
            if id == 7 {
                assert_eq!(a, &Err(AppError::Conflict), "{}", t.backend);
            } else {
                assert_eq!(a, &Ok(id), "{}", t.backend);
            }
        }
        let mut want: Vec<i64> = (0..=20).filter(|&i| i != 7).collect();
        want.extend((1..=20).filter(|&i| i != 7).map(|i| i + 100));
        want.sort();
        assert_eq!(
            ids(&t.db, table).await,
            want,
            "{}: the 7th undone alone",
            t.backend
        );
        // The holder's group, then one group for all twenty.
        assert_eq!(commits.stats().commits(), 2, "{}", t.backend);
        assert_eq!(commits.stats().work(), 21, "{}", t.backend);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_holds_at_most_max_batch_pieces() {
    for t in common::databases().await {
        let table = "group_commit_cap";
        make_table(&t.db, table).await;
        let commits = Committer::grouped(t.db.clone());
        let (holder, release) = hold_the_writer(&commits, table).await;
        let n = MAX_BATCH as i64 + 10;
        let pieces = (1..=n).map(|id| {
            let c = commits.clone();
            async move {
                c.run(move |txn| Box::pin(async move { insert(txn, table, id).await }))
                    .await
            }
        });
        let queued = tokio::spawn(join_all(pieces));
        until_queued(&commits, n as usize).await;
        release.notify_one();
        holder.await.unwrap().expect(t.backend);
        assert!(
            queued.await.unwrap().iter().all(Result::is_ok),
            "{}",
            t.backend
        );
        assert_eq!(ids(&t.db, table).await.len() as i64, n + 1, "{}", t.backend);
        // The holder, MAX_BATCH of them, then the last ten.
        assert_eq!(commits.stats().commits(), 3, "{}", t.backend);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_fails_its_group_only() {
    for t in common::databases().await {
        let table = "group_commit_panic";
        make_table(&t.db, table).await;
        let commits = Committer::grouped(t.db.clone());
        let (holder, release) = hold_the_writer(&commits, table).await;
        let pieces = (1..=5i64).map(|id| {
            let c = commits.clone();
            async move {
                c.run(move |txn| {
                    Box::pin(async move {
                        insert(txn, table, id).await?;
                        if id == 3 {
                            panic!("a bug in one piece of work");
                        }
                        Ok(())
                    })
                })
                .await
            }
        });
        let queued = tokio::spawn(join_all(pieces));
        until_queued(&commits, 5).await;
        release.notify_one();
        holder.await.unwrap().expect(t.backend);
        let answers = queued.await.unwrap();
        assert!(
            answers.iter().all(|a| a == &Err(AppError::Internal)),
            "{}: {answers:?}",
            t.backend
        );
        assert_eq!(
            ids(&t.db, table).await,
            vec![0],
            "{}: the group rolled back",
            t.backend
        );
        // The writer goes on.
        let after = commits
            .run(move |txn| Box::pin(async move { insert(txn, table, 50).await }))
            .await;
        assert_eq!(after, Ok(()), "{}", t.backend);
        assert_eq!(ids(&t.db, table).await, vec![0, 50], "{}", t.backend);
    }
}

fn form(title: &str) -> ReportForm {
    ReportForm {
        kind: "complaint".into(),
        title: title.into(),
        description: "Lampu jalan di simpang empat padam sejak seminggu, rawan kecelakaan malam."
            .into(),
        category_id: "1".into(),
        province: "76".into(),
        regency: "76.04".into(),
        email: "warga@example.org".into(),
        ..Default::default()
    }
}

/// Two submissions with the same idempotency key in one group: one report, one answer.
#[tokio::test(flavor = "multi_thread")]
async fn the_same_key_twice_in_one_group_is_one_report() {
    for t in common::databases().await {
        let table = "group_commit_key";
        make_table(&t.db, table).await;
        let commits = Committer::grouped(t.db.clone());
        let (holder, release) = hold_the_writer(&commits, table).await;
        let title = format!("Lampu jalan padam {}", t.backend);
        let key = app::domain::intake::RequestKey::parse("group-commit-key-0001").unwrap();
        let submit = || {
            let (c, f, k) = (commits.clone(), form(&title), key.clone());
            async move {
                app::server::intake::submit_form_in(
                    &c,
                    &f,
                    None,
                    &[],
                    app::i18n::Lang::Id,
                    Some(&k),
                    Utc::now(),
                )
                .await
            }
        };
        let both = tokio::spawn(futures::future::join(submit(), submit()));
        until_queued(&commits, 2).await;
        release.notify_one();
        holder.await.unwrap().expect(t.backend);
        let (a, b) = both.await.unwrap();
        let (a, b) = (a.expect(t.backend), b.expect(t.backend));
        assert_eq!(a.reference, b.reference, "{}", t.backend);
        assert_eq!(a.tracking_code, b.tracking_code, "{}", t.backend);
        assert!(
            a.replayed != b.replayed,
            "{}: one first, one replayed",
            t.backend
        );
        let stored = report::Entity::find()
            .filter(report::Column::Title.eq(title.clone()))
            .count(&t.db)
            .await
            .unwrap();
        assert_eq!(stored, 1, "{}", t.backend);
        assert_eq!(commits.stats().commits(), 2, "{}", t.backend);
    }
}
