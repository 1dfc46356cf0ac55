//! `aduan`: the server binary.
//!
//! ```text
//! aduan [serve]        run the web server (migrations are applied first)
//! aduan seed --demo    load demo reports into an empty database
//! aduan migrate        apply migrations and exit
//! aduan audit verify   check every report's hash-chained audit trail and the audit log's chain;
//!                      exit 1 at the first break
//! aduan audit head     seal pending audit-log entries and print the chain heads to publish
//! aduan jobs run       run the scheduled work once (the server also runs it every minute)
//! aduan retention run  erase the personal data whose retention period ended (hourly in the server)
//! aduan bench hello    a bare axum "hello" on the site address (the bench's baseline)
//! aduan bench commits SECONDS   single-row commits in a loop on the configured database
//! ```

use anyhow::Context;
use server::config::Settings;
use server::startup::Application;
use server::{db, seed, telemetry};

const USAGE: &str = "usage: aduan [serve | seed --demo | migrate | audit verify | jobs run\n             | user add --email E --role R [--agency CODE] [--name N]  (password on stdin)\n             | seed --synthetic N | bench hello | bench commits SECONDS | bench stats [ROUNDS]\n             | secrets rotate | audit head | backup DIR | restore DIR | retention run]";

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
    if let Some(k) = &settings.secret_keys {
        app::server::secrets::install(k.0.clone());
    }
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => serve(settings).await,
        ["secrets", "rotate"] => {
            let Some(k) = &settings.secret_keys else {
                anyhow::bail!("set ADUAN_SECRET_KEY (the new key) and ADUAN_SECRET_KEY_PREVIOUS (the old one)");
            };
            if k.0.previous.is_none() {
                eprintln!(
                    "note: ADUAN_SECRET_KEY_PREVIOUS is not set; only plain values are sealed"
                );
            }
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let n = app::server::accounts::seal_totp_secrets(&conn)
                .await
                .map_err(|e| anyhow::anyhow!("sealing: {e:?}"))?;
            println!("{n} two-step secrets sealed under the current key");
            Ok(())
        }
        ["backup", dir] => {
            let files = settings
                .files_url
                .is_none()
                .then_some(settings.files_dir.as_path());
            let done =
                server::backup::backup(&settings.database_url, files, std::path::Path::new(dir))
                    .await?;
            println!("backed up into {dir}: {done}");
            Ok(())
        }
        ["restore", dir] => {
            let files = settings
                .files_url
                .is_none()
                .then_some(settings.files_dir.as_path());
            let done =
                server::backup::restore(&settings.database_url, files, std::path::Path::new(dir))
                    .await?;
            println!(
                "restored from {dir} into {}: {done}; every report's event chain and the audit \
                 log verified",
                settings.database_url.redacted()
            );
            Ok(())
        }
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
            let a = seed::seed_demo_accounts(&conn)
                .await
                .context("creating demo accounts")?;
            if a > 0 {
                println!("created {a} demo accounts");
            }
            for (email, _, role, _) in seed::DEMO_ACCOUNTS {
                println!(
                    "demo account: {email} ({role}), password {}",
                    seed::DEMO_PASSWORD
                );
            }
            Ok(())
        }
        ["seed", "--synthetic", n] => {
            let n: u64 = n
                .replace('_', "")
                .parse()
                .context("N must be a whole number")?;
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let added = server::synthetic::generate(&conn, n, 2026).await?;
            println!(
                "added {} synthetic reports in {:.1} s",
                added.reports, added.seconds
            );
            Ok(())
        }
        ["bench", "stats", rest @ ..] => {
            let rounds: usize = match rest {
                [] => 200,
                [n] => n.parse().context("ROUNDS must be a whole number")?,
                _ => anyhow::bail!("{USAGE}"),
            };
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            print!("{}", server::synthetic::bench_stats(&conn, rounds).await?);
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
            let log = app::server::audit::verify_log(&conn).await?;
            println!(
                "audit log chain intact: {} entries sealed ({} not sealed yet), head {}",
                log.sealed,
                log.unsealed,
                if log.head.is_empty() {
                    "(empty)"
                } else {
                    &log.head
                }
            );
            Ok(())
        }
        ["audit", "head"] => {
            // Seals what is pending, then prints the head to publish or archive: compare it
            // later with `audit verify`, which recomputes the chain up to it.
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            app::server::audit::seal_log(&conn).await?;
            let (seq, hash) = app::server::audit::log_head(&conn).await?;
            let newest_report = app::server::audit::newest_report_heads(&conn).await?;
            println!("audit log: entry {seq} {hash}");
            println!("report chains: {newest_report}");
            Ok(())
        }
        ["jobs", "run"] => {
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let run = app::server::lifecycle::run_jobs(&conn, chrono::Utc::now())
                .await
                .map_err(|e| anyhow::anyhow!("jobs failed: {e}"))?;
            println!("{run:?}");
            let digests = app::server::digest::plan_weekly(&conn, chrono::Utc::now())
                .await
                .map_err(|e| anyhow::anyhow!("weekly digests failed: {e}"))?;
            println!("weekly digests planned: {digests}");
            Ok(())
        }
        ["retention", "run"] => {
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let files = server::startup::files_of(&settings)?;
            let mut total = app::server::retention::Erased::default();
            // Pass after pass until nothing is left (each pass takes a batch of each kind).
            loop {
                let e = app::server::retention::run(
                    &conn,
                    &files,
                    &settings.retention,
                    chrono::Utc::now(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("the retention pass failed: {e}"))?;
                if e == Default::default() {
                    break;
                }
                total.contacts += e.contacts;
                total.attachments += e.attachments;
                total.emails += e.emails;
                total.idempotency_keys += e.idempotency_keys;
            }
            println!("erased past retention: {total:?}");
            Ok(())
        }
        ["bench", "hello"] => {
            // The same binary, runtime and build settings as `serve`, with nothing behind the
            // handler: what the machine and the load tool allow, for ratios.
            let listener = tokio::net::TcpListener::bind(settings.leptos.site_addr).await?;
            println!("hello at http://{}/", listener.local_addr()?);
            let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
            axum::serve(listener, app).await?;
            Ok(())
        }
        ["bench", "commits", seconds] => {
            let seconds: u64 = seconds.parse().context("SECONDS must be a whole number")?;
            let conn = db::connect(&settings.database_url).await?;
            let (n, elapsed) = server::bench::commit_loop(&conn, seconds).await?;
            println!(
                "{n} single-row commits in {:.2}s: {:.0} commits/s",
                elapsed.as_secs_f64(),
                n as f64 / elapsed.as_secs_f64()
            );
            Ok(())
        }
        ["user", "add", rest @ ..] => {
            let mut email = None;
            let mut role = None;
            let mut agency = None;
            let mut name = None;
            let mut it = rest.iter();
            while let Some(flag) = it.next() {
                let value = it
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("{flag} needs a value\n{USAGE}"))?;
                match *flag {
                    "--email" => email = Some(value.to_string()),
                    "--role" => role = Some(value.to_string()),
                    "--agency" => agency = Some(value.to_string()),
                    "--name" => name = Some(value.to_string()),
                    other => anyhow::bail!("unknown option {other}\n{USAGE}"),
                }
            }
            let email = email.ok_or_else(|| anyhow::anyhow!("--email is required\n{USAGE}"))?;
            let role = role.ok_or_else(|| anyhow::anyhow!("--role is required\n{USAGE}"))?;
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let conn = db::connect(&settings.database_url).await?;
            db::migrate(&conn).await?;
            let input = app::server::accounts::NewAccount {
                display_name: name.unwrap_or_else(|| email.clone()),
                login: email,
                password,
                role,
                agency_code: agency,
            };
            match app::server::accounts::create_account(&conn, &input, None, chrono::Utc::now())
                .await
            {
                Ok(id) => {
                    // The operator vouches for the address.
                    app::server::accounts::mark_email_verified(&conn, id, chrono::Utc::now())
                        .await
                        .map_err(|e| anyhow::anyhow!("marking the email verified: {e:?}"))?;
                    println!("account {id} created");
                    Ok(())
                }
                Err(app::domain::AppError::Validation(errors)) => {
                    let t = app::i18n::Lang::En.texts();
                    let msgs: Vec<String> = errors
                        .into_iter()
                        .map(|(f, e)| format!("{}: {}", f.name(), t.field_error(f, e)))
                        .collect();
                    anyhow::bail!("account not created:\n  {}", msgs.join("\n  "))
                }
                Err(e) => anyhow::bail!("account not created: {e}"),
            }
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
