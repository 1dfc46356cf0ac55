//! Prometheus metrics at `/metrics`, for the operator's scraper only.
//!
//! Two kinds of figures:
//! - what this process saw, kept in the `metrics` recorder: requests per route (the route's
//!   template, `/lacak/{code}`, never the path a client sent: a tracking code is a secret) with
//!   their latency, and the runs of the scheduled jobs;
//! - what the database says at the moment of the scrape, the same for every instance: the
//!   connection pool, the email outbox (depth, age of the oldest waiting email), and the reports
//!   waiting for the verifiers and for each agency, with those past their deadline.
//!
//! Counts only: no report, no reporter, no account appears in a label or a value. `/metrics`
//! exists only when `ADUAN_METRICS_TOKEN` is set and answers only to that bearer token (not to a
//! person's session, not to an API token).

use crate::config::Secret;
use app::server::commits::Committer;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Latency buckets, in seconds: from a cached file to a slow statistics page.
const BUCKETS: [f64; 12] = [
    0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// A recorder's settings: histograms of `…_seconds` in `BUCKETS`.
fn builder() -> PrometheusBuilder {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
        .expect("the buckets are not empty")
}

/// The recorder of this process, installed the first time it is needed.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = match builder().install_recorder() {
            Ok(handle) => handle,
            Err(e) => {
                // Another recorder was installed first (an embedding program): keep a private
                // one, so `/metrics` still answers (with the database figures).
                tracing::warn!(error = %e, "a metrics recorder was already installed");
                builder().build_recorder().handle()
            }
        };
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        "aduan_http_requests_total",
        "HTTP requests answered, by method, route template and status"
    );
    metrics::describe_histogram!(
        "aduan_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "Time to the response's head, by method and route template"
    );
    metrics::describe_counter!(
        "aduan_job_runs_total",
        "Runs of the scheduled jobs, by job and outcome (ok, error)"
    );
    metrics::describe_histogram!(
        "aduan_job_duration_seconds",
        metrics::Unit::Seconds,
        "How long a scheduled job's run took"
    );
    metrics::describe_gauge!(
        "aduan_job_last_success_timestamp_seconds",
        metrics::Unit::Seconds,
        "When a job last ran without error in this process (Unix time); lag = time() - this"
    );
}

/// Keeps the recorder small between scrapes (histogram samples are folded into buckets).
pub fn spawn_upkeep() {
    let handle = handle();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    });
}

/// The route a request matched, handed from inside the router to `track_requests`.
#[derive(Clone)]
struct RouteLabel(Arc<str>);

/// Inside the router (a route layer): notes the template of the route that matched.
pub async fn label_route(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| Arc::<str>::from(p.as_str()));
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(RouteLabel(route));
    }
    res
}

/// Around everything: counts and times each request under its route's template. Requests no
/// route took (static files, pages not found, requests refused before routing) are `fallback`.
pub async fn track_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method: &'static str = match *req.method() {
        http::Method::GET => "GET",
        http::Method::HEAD => "HEAD",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::PATCH => "PATCH",
        http::Method::DELETE => "DELETE",
        http::Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    };
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<RouteLabel>()
        .map(|r| r.0.to_string())
        .unwrap_or_else(|| "fallback".to_string());
    metrics::counter!(
        "aduan_http_requests_total",
        "method" => method,
        "route" => route.clone(),
        "status" => res.status().as_u16().to_string(),
    )
    .increment(1);
    metrics::histogram!(
        "aduan_http_request_duration_seconds",
        "method" => method,
        "route" => route,
    )
    .record(started.elapsed().as_secs_f64());
    res
}

/// Runs one scheduled job, counting and timing it.
pub async fn job<T, E>(
    name: &'static str,
    run: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    handle();
    let started = Instant::now();
    let result = run.await;
    let outcome = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("aduan_job_runs_total", "job" => name, "outcome" => outcome).increment(1);
    metrics::histogram!("aduan_job_duration_seconds", "job" => name)
        .record(started.elapsed().as_secs_f64());
    if result.is_ok() {
        metrics::gauge!("aduan_job_last_success_timestamp_seconds", "job" => name)
            .set(Utc::now().timestamp_millis() as f64 / 1000.0);
    }
    result
}

#[derive(Clone)]
struct Scraper {
    commits: Committer,
    /// SHA-256 of the token: compared digest to digest, in constant time.
    token: [u8; 32],
}

/// `GET /metrics` when a token is set; nothing otherwise (the path is then a page not found).
pub fn routes(commits: Committer, token: Option<&Secret<String>>) -> Router {
    let Some(Secret(token)) = token else {
        return Router::new();
    };
    handle();
    Router::new()
        .route("/metrics", get(scrape))
        .route_layer(axum::middleware::from_fn(label_route))
        .layer(axum::middleware::from_fn(
            crate::middleware::security_headers,
        ))
        .with_state(Scraper {
            commits,
            token: Sha256::digest(token.as_bytes()).into(),
        })
}

fn presented(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn scrape(State(st): State<Scraper>, headers: HeaderMap) -> Response {
    let given: [u8; 32] = Sha256::digest(presented(&headers).unwrap_or("").as_bytes()).into();
    let same = given
        .iter()
        .zip(st.token.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0;
    if !same {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
            "unauthorized\n",
        )
            .into_response();
    }
    let mut text = handle().render();
    group_commits(&mut text, &st.commits);
    text.push_str(&database_figures(st.commits.db(), Utc::now()).await);
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

/// A metric family written by hand (the database figures are read at each scrape, so every
/// instance reports the same values and nothing is kept between scrapes).
struct Family<'a> {
    out: &'a mut String,
}

impl Family<'_> {
    fn head(&mut self, name: &str, kind: &str, help: &str) -> &mut Self {
        let _ = writeln!(self.out, "# HELP {name} {help}");
        let _ = writeln!(self.out, "# TYPE {name} {kind}");
        self
    }

    fn value(&mut self, name: &str, labels: &[(&str, &str)], value: f64) -> &mut Self {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {value}");
        self
    }
}

/// This instance's group commits (`app::server::commits`; SQLite only, zero on PostgreSQL):
/// work per commit is `rate(work) / rate(commits)`.
fn group_commits(out: &mut String, commits: &Committer) {
    let stats = commits.stats();
    Family { out }
        .head(
            "aduan_db_group_commits_total",
            "counter",
            "Group transactions this instance committed (one fsync each)",
        )
        .value("aduan_db_group_commits_total", &[], stats.commits() as f64)
        .head(
            "aduan_db_group_commit_work_total",
            "counter",
            "Pieces of work (report submissions) committed in those transactions",
        )
        .value("aduan_db_group_commit_work_total", &[], stats.work() as f64)
        .head(
            "aduan_db_group_commit_queued",
            "gauge",
            "Pieces of work waiting for this instance's group writer",
        )
        .value("aduan_db_group_commit_queued", &[], commits.queued() as f64);
}

/// A label value in the exposition format: backslash, quote and newline escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

async fn database_figures(db: &DatabaseConnection, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let up = db.ping().await.is_ok();
    let mut f = Family { out: &mut out };
    f.head(
        "aduan_db_up",
        "gauge",
        "Whether the database answered this scrape (1) or not (0)",
    )
    .value("aduan_db_up", &[], if up { 1.0 } else { 0.0 });
    let (size, idle, max) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle(), p.options().get_max_connections())
        }
        _ => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle(), p.options().get_max_connections())
        }
    };
    f.head(
        "aduan_db_pool_connections",
        "gauge",
        "Connections of this instance's pool, by state (busy, idle)",
    )
    .value(
        "aduan_db_pool_connections",
        &[("state", "busy")],
        size.saturating_sub(idle as u32) as f64,
    )
    .value(
        "aduan_db_pool_connections",
        &[("state", "idle")],
        idle as f64,
    );
    f.head(
        "aduan_db_pool_max_connections",
        "gauge",
        "The most connections this instance's pool opens",
    )
    .value("aduan_db_pool_max_connections", &[], max as f64);
    if !up {
        return out;
    }
    match outbox(db, now).await {
        Ok((pending, oldest, dead)) => {
            f.head(
                "aduan_outbox_pending",
                "gauge",
                "Emails waiting in the outbox to be sent",
            )
            .value("aduan_outbox_pending", &[], pending as f64)
            .head(
                "aduan_outbox_oldest_pending_age_seconds",
                "gauge",
                "Age of the oldest email still waiting (0 when none waits)",
            )
            .value("aduan_outbox_oldest_pending_age_seconds", &[], oldest)
            .head(
                "aduan_outbox_dead",
                "gauge",
                "Emails given up after every attempt failed",
            )
            .value("aduan_outbox_dead", &[], dead as f64);
        }
        Err(e) => tracing::error!(error = %e, "metrics: reading the outbox failed"),
    }
    match workload(db, now).await {
        Ok((verifiers, agencies)) => {
            f.head(
                "aduan_verifier_reports_open",
                "gauge",
                "Reports the verifiers hold now (awaiting verification, appealed)",
            )
            .value("aduan_verifier_reports_open", &[], verifiers.0 as f64)
            .head(
                "aduan_verifier_reports_overdue",
                "gauge",
                "Of those, past their deadline",
            )
            .value("aduan_verifier_reports_overdue", &[], verifiers.1 as f64);
            f.head(
                "aduan_agency_reports_open",
                "gauge",
                "Reports an agency holds now (dispatched, in process), by agency code",
            );
            for (code, (open, _)) in &agencies {
                f.value(
                    "aduan_agency_reports_open",
                    &[("agency", code)],
                    *open as f64,
                );
            }
            f.head(
                "aduan_agency_reports_overdue",
                "gauge",
                "Of those, past their deadline, by agency code",
            );
            for (code, (_, overdue)) in &agencies {
                f.value(
                    "aduan_agency_reports_overdue",
                    &[("agency", code)],
                    *overdue as f64,
                );
            }
        }
        Err(e) => tracing::error!(error = ?e, "metrics: counting open reports failed"),
    }
    out
}

/// (pending, age in seconds of the oldest pending, dead) of the email outbox.
async fn outbox(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<(i64, f64, i64), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT \
               COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS pending, \
               COALESCE(SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END), 0) AS dead \
             FROM outbox WHERE status IN ('pending', 'dead')",
        ))
        .await?;
    let (pending, dead) = match &row {
        Some(r) => (
            r.try_get::<i64>("", "pending")?,
            r.try_get::<i64>("", "dead")?,
        ),
        None => (0, 0),
    };
    use app::server::entities::outbox as ob;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let oldest = ob::Entity::find()
        .filter(ob::Column::Status.eq("pending"))
        .order_by_asc(ob::Column::Id)
        .one(db)
        .await?
        .map(|m| (now - m.created_at).num_milliseconds().max(0) as f64 / 1000.0)
        .unwrap_or(0.0);
    Ok((pending, oldest, dead))
}

/// The verifiers' (open, overdue), and each active agency's by code (zero where none).
async fn workload(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<((i64, i64), Vec<(String, (i64, i64))>), app::domain::AppError> {
    let (verifiers, held) = app::server::stats::workload_now(db, now).await?;
    let agencies = app::server::stats::tree(db).await?;
    let mut rows: Vec<(String, (i64, i64))> = agencies
        .into_iter()
        .filter(|a| a.active || held.contains_key(&a.id))
        .map(|a| (a.code, held.get(&a.id).copied().unwrap_or((0, 0))))
        .collect();
    rows.sort();
    Ok((verifiers, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        let mut out = String::new();
        Family { out: &mut out }.head("x", "gauge", "help").value(
            "x",
            &[("agency", "76-\"A\"")],
            2.0,
        );
        assert_eq!(
            out,
            "# HELP x help\n# TYPE x gauge\nx{agency=\"76-\\\"A\\\"\"} 2\n"
        );
    }
}
