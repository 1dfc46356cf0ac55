//! The test harness itself: what it promises the other tests.

use crate::common;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::{Arc, Mutex};

async fn pg_database_exists(admin_url: &str, name: &str) -> bool {
    let admin = sea_orm::Database::connect(admin_url).await.expect("admin");
    let row = admin
        .query_one_raw(Statement::from_sql_and_values(
            admin.get_database_backend(),
            "SELECT count(*) AS n FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await
        .expect("query pg_database")
        .expect("one row");
    let n: i64 = row.try_get("", "n").expect("count");
    let _ = admin.close().await;
    n == 1
}

/// A test that panics halfway must not leave its PostgreSQL database behind (a CI machine would
/// fill up with them).
#[tokio::test(flavor = "multi_thread")]
async fn a_panicking_test_leaves_no_postgres_database_behind() {
    common::watch_this_test();
    let Some(admin) = common::pg_admin_url() else {
        eprintln!("skipped: ADUAN_TEST_PG_URL not set, there is no PostgreSQL database to drop");
        return;
    };
    let seen: Arc<Mutex<Option<(String, bool)>>> = Arc::default();
    let (url, seen2) = (admin.clone(), seen.clone());
    let outcome = tokio::spawn(async move {
        let db = common::postgres(&url).await;
        let name = db.pg_name().expect("a PostgreSQL database").to_string();
        // Positive control: the database is there while the test runs.
        let existed = pg_database_exists(&url, &name).await;
        *seen2.lock().unwrap() = Some((name, existed));
        panic!("a test fails halfway");
    })
    .await;
    assert!(outcome.unwrap_err().is_panic(), "the task panicked");
    let (name, existed) = seen
        .lock()
        .unwrap()
        .clone()
        .expect("the task got as far as its database");
    assert!(existed, "{name} existed while the test ran");
    assert!(
        !pg_database_exists(&admin, &name).await,
        "{name} is still there after the test panicked"
    );
}
