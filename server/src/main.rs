//! `aduan`: the server binary.
//!
//! ```text
//! aduan [serve]        run the web server (migrations are applied first)
//! aduan seed --demo    load demo reports into an empty database
//! aduan migrate        apply migrations and exit
//! aduan audit verify   check every report's hash-chained audit trail; exit 1 at the first break
//! aduan jobs run       run the scheduled work once (the server also runs it every minute)
//! ```

use anyhow::Context;
use server::config::Settings;
use server::startup::Application;
use server::{db, seed, telemetry};

const USAGE: &str = "usage: aduan [serve | seed --demo | migrate | audit verify | jobs run]";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aduan: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = Settings::load()?;
    telemetry::init(settings.log_format);
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => serve(settings).await,
        ["migrate"] => {
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            println!("migrations applied to {}", settings.database_url.redacted());
            Ok(())
        }
        ["seed", "--demo"] => {
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let n = seed::seed_demo(&conn).await.context("loading demo data")?;
            if n == 0 {
                println!("the database already has reports; demo data not loaded again");
            } else {
                println!("loaded {n} demo reports");
            }
            println!("demo tracking code: {}", seed::first_demo_code().grouped());
            Ok(())
        }
        ["audit", "verify"] => {
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let done = app::server::audit::verify_all(&conn).await?;
            println!(
                "audit chain intact: {} reports, {} events",
                done.reports, done.events
            );
            Ok(())
        }
        ["jobs", "run"] => {
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let run = app::server::lifecycle::run_jobs(&conn, chrono::Utc::now())
                .await
                .map_err(|e| anyhow::anyhow!("jobs failed: {e}"))?;
            println!("{run:?}");
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(database = %settings.database_url.redacted(), "starting");
    let app = Application::build(&settings).await?;
    let ip = settings.leptos.site_addr.ip();
    let host = if ip.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        ip.to_string()
    };
    println!("Aduan is running at http://{host}:{}/", app.port());
    tracing::info!(port = app.port(), "listening");
    app.run_until_stopped().await
}
