//! Building the application: database, migrations, router, listener.

use crate::auth::{authenticate, AuthState};
use crate::config::{Secret, Settings};
use crate::middleware::{limit_tracking, refuse_cross_site, security_headers, LimitState};
use crate::rate_limit::RateLimiter;
use crate::telemetry::redacted_path;
use crate::{api, db};
use app::server::AppState;
use axum::extract::DefaultBodyLimit;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Request bodies larger than this are refused (a report is at most ~20 KB of text).
pub(crate) const BODY_LIMIT: usize = 256 * 1024;

/// The whole HTTP application for a database and settings.
/// Times the route list was generated in this process (once: see `route_list`).
pub static ROUTE_LIST_GENERATIONS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// The app's routes, generated once per process. Generating them runs the app with a
/// process-global "suppress resource loading" flag set (leptos_server's
/// `SuppressResourceLoad`): any resource first polled anywhere in the process meanwhile waits
/// forever (leptos issue #4773). A second router built while another serves (tests build one per
/// test, in parallel) would hang that one's page renders; generated once, before anything can
/// render, the window never overlaps a render.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            ROUTE_LIST_GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            generate_route_list(app::App)
        })
        .clone()
}

/// The attachment store the settings name.
pub fn files_of(settings: &Settings) -> anyhow::Result<app::server::files::Files> {
    let files = match &settings.files_url {
        Some(url) => app::server::files::Files::remote(
            url,
            &settings.files_options.0,
            settings.attachment_max_bytes,
        ),
        None => {
            app::server::files::Files::local(&settings.files_dir, settings.attachment_max_bytes)
        }
    }
    .map_err(|e| anyhow::anyhow!(e))?;
    Ok(app::server::files::Files {
        budget: Arc::new(app::server::files::UploadBudget::new(
            settings.upload_client_mb_per_hour,
            settings.upload_total_mb_per_hour,
        )),
        ..files
    })
}

pub fn router(db: DatabaseConnection, settings: &Settings) -> anyhow::Result<Router> {
    if let Some(Secret(keys)) = &settings.secret_keys {
        app::server::secrets::install(keys.clone());
    }
    let leptos_options = settings.leptos.clone();
    crate::middleware::set_stylesheet(app::stylesheet_href(&leptos_options));
    let files = files_of(settings)?;
    let state = AppState {
        commits: match settings.group_commit {
            None => app::server::commits::Committer::new(db.clone()),
            Some(true) => app::server::commits::Committer::grouped(db.clone()),
            Some(false) => app::server::commits::Committer::direct(db.clone()),
        },
        db,
        leptos_options: leptos_options.clone(),
        files,
    };
    let routes = route_list();
    let upload_limit = crate::adapters::form::upload_limit(settings.attachment_max_bytes);
    let limits = LimitState {
        limiter: Arc::new(RateLimiter::new(
            settings.track_lookups_per_minute,
            Duration::from_secs(60),
        )),
        proxies: settings.trusted_proxies.clone(),
        app: state.clone(),
    };
    let auth_state = AuthState {
        db: state.db.clone(),
        secure_cookies: settings.secure_cookies,
        proxies: settings.trusted_proxies.clone(),
    };
    let ctx_state = state.clone();
    let shell_options = leptos_options.clone();
    let scraper = crate::metrics::routes(state.commits.clone(), settings.metrics_token.as_ref());
    let app = Router::new()
        .merge(api::routes(upload_limit))
        .merge(crate::feeds::routes(settings.public_url.clone()))
        .merge(crate::charts::routes())
        .merge(dev_routes(settings.demo, &leptos_options))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx_state.clone()),
            move || app::shell(shell_options.clone()),
        )
        .route_layer(axum::middleware::from_fn(crate::metrics::label_route))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(axum::middleware::from_fn_with_state(
            auth_state.clone(),
            authenticate,
        ))
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::adapters::form::limit_act_bodies(upload_limit, req, next)
        }))
        .layer(axum::Extension(auth_state))
        .layer(axum::middleware::from_fn_with_state(limits, limit_tracking))
        .layer(axum::middleware::from_fn(refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            CachePolicy::of(&leptos_options),
            cache_static_files,
        ))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state);
    // `/metrics` stands beside the application, outside its sign-in: it answers to the
    // scraper's own token only.
    Ok(Router::new()
        .merge(scraper)
        .merge(app)
        .layer(axum::middleware::from_fn(crate::metrics::track_requests))
        // Slow mobile networks: gzip or brotli for HTML, CSS, JS and the WASM.
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
                tracing::info_span!(
                    "http",
                    method = %req.method(),
                    path = %redacted_path(req.uri().path()),
                )
            }),
        ))
}

/// How long browsers keep the site's static files.
#[derive(Clone)]
struct CachePolicy {
    /// `/pkg/…` under this prefix.
    pkg: Arc<str>,
    /// The build named the files by their content (`hash-files`): a changed file is a new name.
    hashed: bool,
}

impl CachePolicy {
    fn of(options: &leptos::config::LeptosOptions) -> Self {
        Self {
            pkg: format!("/{}/", options.site_pkg_dir).into(),
            hashed: options.hash_files,
        }
    }
}

/// Cache-Control for static files. Content-hashed bundle files (`/pkg/aduan.<hash>.wasm`, the
/// chunks, the stylesheet) never change under their name: a year, immutable, so a returning
/// phone spends no data on them. Without hashed names (development builds) they are revalidated
/// on every use. Pages and API answers are not touched here.
async fn cache_static_files(
    axum::extract::State(policy): axum::extract::State<CachePolicy>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let value = if path.starts_with(&*policy.pkg) {
        Some(if policy.hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        })
    } else if ROOT_FILES.contains(&path) {
        // Fixed names: the scripts and the manifest are checked on every use (a new release is
        // picked up at once); the icons may be a day old.
        Some(if path.ends_with(".png") || path.ends_with(".svg") {
            "public, max-age=86400"
        } else {
            "no-cache"
        })
    } else {
        None
    };
    let mut res = next.run(req).await;
    if let Some(value) = value {
        if res.status().is_success() && !res.headers().contains_key(http::header::CACHE_CONTROL) {
            res.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static(value),
            );
        }
    }
    res
}

/// The files of `public/` served at the root.
const ROOT_FILES: [&str; 7] = [
    "/offline.js",
    "/sw.js",
    "/manifest.webmanifest",
    "/favicon.svg",
    "/icon-192.png",
    "/icon-512.png",
    "/icon-maskable-512.png",
];

/// Seconds between email delivery passes (`ADUAN_MAIL_EVERY_SECONDS` is not offered: tests
/// call `deliver_due` directly).
const MAIL_EVERY_SECONDS: u64 = 5;

/// A built application, bound to its port but not yet serving.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    port: u16,
}

/// Pages for developers, served in demo/development mode only (`ADUAN_DEMO=1`): the design
/// system's components (`/dev/komponen`). In production the address is not found.
fn dev_routes(demo: bool, options: &leptos::config::LeptosOptions) -> Router<AppState> {
    if !demo {
        return Router::new();
    }
    let stylesheet = app::stylesheet_href(options);
    Router::new().route(
        "/dev/komponen",
        axum::routing::get(move |headers: http::HeaderMap, uri: http::Uri| async move {
            let lang = app::i18n::lang_of(uri.query(), &headers);
            (
                [(http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                app::pages::gallery::html(lang, &stylesheet),
            )
        }),
    )
}

impl Application {
    /// Connects, migrates and binds (port 0 picks a free port; see `port()`).
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let Some(Secret(keys)) = &settings.secret_keys else {
            anyhow::bail!(
                "ADUAN_SECRET_KEY is required: 64 hexadecimal characters that seal two-step \
                 secrets (generate one with `openssl rand -hex 32`; keep it out of the database \
                 backups). For a local demo only, set ADUAN_DEMO=1 instead."
            );
        };
        if settings.demo
            && settings.secret_keys.as_ref().map(|k| k.0.current)
                == Some(crate::config::DEMO_SECRET_KEY)
        {
            tracing::warn!("demo mode: two-step secrets are sealed with the public demo key");
        }
        app::server::secrets::install(keys.clone());
        let db = db::connect(&settings.database_url).await?;
        db::migrate(&db).await?;
        app::server::holidays::refresh(&db)
            .await
            .map_err(|e| anyhow::anyhow!("loading the holiday calendar: {e:?}"))?;
        let today = app::domain::calendar::local_date(chrono::Utc::now(), 7 * 60);
        if let Some(from) = app::domain::calendar::provisional_warning(today) {
            tracing::warn!(
                from = %from,
                "the holiday calendar is provisional from this date: enter the year's holidays and confirm it at /admin/libur"
            );
        }
        let sealed = app::server::accounts::seal_totp_secrets(&db)
            .await
            .map_err(|e| anyhow::anyhow!("sealing two-step secrets: {e:?}"))?;
        if sealed > 0 {
            tracing::info!(sealed, "two-step secrets sealed under the current key");
        }
        let published = app::server::transparency::publish_backlog(&db, chrono::Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("publishing dispatched reports: {e:?}"))?;
        if published > 0 {
            tracing::info!(
                published,
                "reports dispatched before publication existed are public now"
            );
        }
        let indexed = app::server::transparency::index_staff_backlog(&db)
            .await
            .map_err(|e| anyhow::anyhow!("indexing reports for staff search: {e:?}"))?;
        if indexed > 0 {
            tracing::info!(
                indexed,
                "reports from before the staff search index are indexed now"
            );
        }
        let mailer = match &settings.smtp_url {
            Some(Secret(url)) => Some(
                app::server::notify::Mailer::from_url(
                    url,
                    &settings.mail_from,
                    &settings.public_url,
                )
                .map_err(|e| anyhow::anyhow!(e))?,
            ),
            None => {
                tracing::warn!("ADUAN_SMTP_URL is not set: emails wait in the outbox");
                None
            }
        };
        spawn_job_loop(
            Jobs {
                db: db.clone(),
                files: files_of(settings)?,
                retention: settings.retention,
            },
            mailer,
        );
        crate::metrics::spawn_upkeep();
        Self::with_db(db, settings).await
    }

    pub async fn with_db(db: DatabaseConnection, settings: &Settings) -> anyhow::Result<Self> {
        let addr = settings.leptos.site_addr;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            listener,
            router: router(db, settings)?,
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        use axum::serve::ListenerExt;
        // No Nagle delay: a streamed page is written in several small pieces, and each piece
        // after the first would wait for the client's delayed ACK (~40 ms a page, which held `/`
        // to ~870 requests/s where `/lacak` served ~7,700).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await?;
        Ok(())
    }
}

/// Runs the scheduled lifecycle work every minute and sends due emails every few seconds.
/// Several instances may run it at once: each change and each email is taken by exactly one of
/// them (see `app::server::lifecycle` and `app::server::notify`).
fn spawn_job_loop(jobs: Jobs, mailer: Option<app::server::notify::Mailer>) {
    if let Some(mailer) = mailer {
        let db = jobs.db.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(MAIL_EVERY_SECONDS));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                // Pass after pass while they come back full: a backlog drains at SMTP speed.
                loop {
                    let pass = app::server::notify::deliver_due(&db, &mailer, chrono::Utc::now());
                    match crate::metrics::job("email", pass).await {
                        Ok(d) => {
                            if d != Default::default() {
                                tracing::info!(?d, "emails delivered");
                            }
                            let seen = u64::from(d.sent + d.failed + d.skipped);
                            if seen < app::server::notify::BATCH {
                                break;
                            }
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "email delivery failed");
                            break;
                        }
                    }
                }
            }
        });
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            run_minute_jobs(&jobs, chrono::Utc::now()).await;
        }
    });
}

/// What the scheduled jobs work on.
#[derive(Clone)]
pub struct Jobs {
    pub db: DatabaseConnection,
    pub files: app::server::files::Files,
    pub retention: app::server::retention::Policy,
}

/// The jobs of every minute (and, once an hour, the retention pass), each counted and timed in
/// the metrics (`aduan_job_*`); a job that fails is logged and the others still run.
pub async fn run_minute_jobs(jobs: &Jobs, now: chrono::DateTime<chrono::Utc>) {
    use crate::metrics::job;
    use chrono::Timelike;
    let db = &jobs.db;
    match job("lifecycle", app::server::lifecycle::run_jobs(db, now)).await {
        Ok(run) if run != Default::default() => tracing::info!(?run, "jobs ran"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "jobs failed"),
    }
    match job("weekly_digest", app::server::digest::plan_weekly(db, now)).await {
        Ok(n) if n > 0 => tracing::info!(digests = n, "weekly digests planned"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "planning weekly digests failed"),
    }
    match job(
        "purge_sessions",
        app::server::accounts::purge_expired(db, now),
    )
    .await
    {
        Ok(p) if p != Default::default() => tracing::info!(?p, "expired sessions purged"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "purging sessions failed"),
    }
    if let Err(e) = job("holidays", app::server::holidays::refresh(db)).await {
        tracing::error!(error = %e, "reloading the holiday calendar failed");
    }
    match job("audit_seal", app::server::audit::seal_log(db)).await {
        Ok(n) if n > 0 => tracing::debug!(sealed = n, "audit log entries chained"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "sealing the audit log failed"),
    }
    // Hourly: the pass reads closed reports, too much work to repeat every minute.
    if now.minute() == 7 {
        let pass = app::server::retention::run(db, &jobs.files, &jobs.retention, now);
        match job("retention", pass).await {
            Ok(e) if e != Default::default() => {
                tracing::info!(?e, "personal data past retention erased")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "the retention pass failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
