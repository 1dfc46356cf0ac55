//! Settings in layers: built-in defaults → `Leptos.toml` (`[aduan]` and the Leptos site section)
//! → environment (`ADUAN_*`, `LEPTOS_*`). Validated at start with messages that say what to fix.

use anyhow::{bail, Context};
use leptos::prelude::LeptosOptions;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A database URL whose password never reaches `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn parse(s: &str) -> anyhow::Result<Self> {
        let s = s.trim();
        if s.starts_with("sqlite:")
            || s.starts_with("postgres://")
            || s.starts_with("postgresql://")
        {
            Ok(Self(s.to_string()))
        } else {
            bail!(
                "ADUAN_DATABASE_URL / database_url must start with sqlite:, postgres:// or postgresql:// (got {})",
                Self(s.to_string()).redacted()
            )
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_sqlite(&self) -> bool {
        self.0.starts_with("sqlite:")
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match (self.0.find("://"), self.0.rfind('@')) {
            (Some(start), Some(at)) if at > start => {
                let userinfo = &self.0[start + 3..at];
                let user = userinfo.split(':').next().unwrap_or("");
                format!("{}{}:***{}", &self.0[..start + 3], user, &self.0[at..])
            }
            _ => self.0.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The `[aduan]` section of `Leptos.toml`; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    log_format: Option<LogFormat>,
    track_lookups_per_minute: Option<u32>,
    /// Replaced by `trusted_proxies`; refused with a message saying so.
    trust_forwarded_for: Option<bool>,
    trusted_proxies: Option<String>,
    secure_cookies: Option<bool>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    files_dir: Option<String>,
    files_url: Option<String>,
    attachment_max_mb: Option<u32>,
}

/// A setting that may hold a password or key: `Debug` never shows it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T>(pub T);

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub log_format: LogFormat,
    /// Tracking-code lookups allowed per client per minute.
    pub track_lookups_per_minute: u32,
    /// The reverse proxies whose `X-Forwarded-For` is believed (`ADUAN_TRUSTED_PROXIES`, CIDR
    /// list); the client is the rightmost address not in it.
    pub trusted_proxies: crate::net::TrustedProxies,
    /// Mark the session cookie `Secure` (named `__Host-aduan_session`) and send HSTS. Defaults to
    /// on unless the server listens on a loopback address (local development over plain HTTP);
    /// set it explicitly behind a TLS-terminating proxy on loopback.
    pub secure_cookies: bool,
    /// The address people reach this service at (links in emails).
    pub public_url: String,
    /// SMTP server for email (`smtp://host:port`, `smtps://user:pass@host`); without it emails
    /// wait in the outbox.
    pub smtp_url: Option<Secret<String>>,
    pub mail_from: String,
    /// Directory of the attachment store (shared by every instance).
    pub files_dir: PathBuf,
    /// An S3-compatible bucket for attachments instead of the directory (`s3://bucket`), with
    /// the `AWS_*` settings of the environment (endpoint, keys, region, allow_http).
    pub files_url: Option<String>,
    pub files_options: Secret<Vec<(String, String)>>,
    pub attachment_max_bytes: usize,
    /// File bytes one client network may upload per hour, in MB (`ADUAN_UPLOAD_MB_PER_HOUR_PER_CLIENT`).
    pub upload_client_mb_per_hour: u64,
    /// File bytes all clients together may upload per hour, in MB (`ADUAN_UPLOAD_MB_PER_HOUR`).
    pub upload_total_mb_per_hour: u64,
    /// The key that seals TOTP secrets and keys recovery-code hashes (`ADUAN_SECRET_KEY`, 64 hex
    /// characters), and the previous one during a rotation (`ADUAN_SECRET_KEY_PREVIOUS`). `None`
    /// without it: `serve` then refuses to start, unless in demo mode (`ADUAN_DEMO=1`, which
    /// uses a fixed, public demo key).
    pub secret_keys: Option<Secret<app::server::secrets::Keys>>,
    /// Demo mode (`ADUAN_DEMO=1`): the fixed demo key when none is given.
    pub demo: bool,
    /// The bearer token a Prometheus scraper presents at `/metrics` (`ADUAN_METRICS_TOKEN`, at
    /// least 24 characters). Without it `/metrics` does not exist.
    pub metrics_token: Option<Secret<String>>,
    /// How long personal data is kept (`ADUAN_RETAIN_CONTACTS_DAYS`,
    /// `ADUAN_RETAIN_ATTACHMENTS_DAYS`, `ADUAN_RETAIN_EMAILS_DAYS`,
    /// `ADUAN_RETAIN_EVENT_TEXTS_DAYS`; `0` keeps for ever).
    pub retention: app::server::retention::Policy,
    /// Whether submissions arriving together share one transaction (`ADUAN_GROUP_COMMIT`:
    /// `on`, `off`, or `auto`, the default: on for SQLite, off for PostgreSQL, which groups
    /// concurrent commits itself). `None` is `auto`.
    pub group_commit: Option<bool>,
    pub leptos: LeptosOptions,
}

/// The key of demo mode: public, so nothing sealed with it is secret.
pub const DEMO_SECRET_KEY: [u8; 32] = *b"aduan-demo-key-not-secret-000000";

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/aduan.db?mode=rwc";

impl Settings {
    /// Loads settings from `ADUAN_CONFIG` (default `Leptos.toml` in the working directory) and
    /// the environment.
    pub fn load() -> anyhow::Result<Self> {
        let path = std::env::var("ADUAN_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from("Leptos.toml"));
        Self::load_from(&path, |k| std::env::var(k).ok())
    }

    pub fn load_from(path: &Path, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the settings file {} (run from the repository root, or set ADUAN_CONFIG)",
                path.display()
            )
        })?;
        let doc: toml::Table = text
            .parse()
            .with_context(|| format!("{} is not valid TOML", path.display()))?;
        let file: FileSettings = match doc.get("aduan") {
            Some(v) => v
                .clone()
                .try_into()
                .with_context(|| format!("the [aduan] section of {} is invalid", path.display()))?,
            None => FileSettings::default(),
        };
        let mut leptos = leptos::config::get_config_from_str(&text).map_err(|e| {
            anyhow::anyhow!("the Leptos section of {} is invalid: {e}", path.display())
        })?;
        // Content-hashed file names (`hash-files`) exist only where cargo-leptos built the site
        // and wrote its `hash.txt` beside this binary; anywhere else (tests, `cargo run`) the
        // plain names are served.
        leptos.hash_files = leptos.hash_files && hash_file_present(&leptos);

        let database_url = DatabaseUrl::parse(
            &env("ADUAN_DATABASE_URL")
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
        )?;
        let log_format = match env("ADUAN_LOG_FORMAT") {
            Some(v) => match v.trim() {
                "json" => LogFormat::Json,
                "pretty" => LogFormat::Pretty,
                other => bail!("ADUAN_LOG_FORMAT must be \"pretty\" or \"json\" (got {other:?})"),
            },
            None => file.log_format.unwrap_or(LogFormat::Pretty),
        };
        let track_lookups_per_minute = match env("ADUAN_TRACK_LOOKUPS_PER_MINUTE") {
            Some(v) => v.trim().parse().with_context(|| {
                format!("ADUAN_TRACK_LOOKUPS_PER_MINUTE must be a whole number (got {v:?})")
            })?,
            None => file.track_lookups_per_minute.unwrap_or(30),
        };
        if track_lookups_per_minute == 0 {
            bail!("ADUAN_TRACK_LOOKUPS_PER_MINUTE / track_lookups_per_minute must be at least 1");
        }
        if env("ADUAN_TRUST_FORWARDED_FOR").is_some() || file.trust_forwarded_for.is_some() {
            bail!(
                "ADUAN_TRUST_FORWARDED_FOR / trust_forwarded_for is gone (it believed the address \
                 a client writes itself): list your proxies in ADUAN_TRUSTED_PROXIES instead, \
                 e.g. ADUAN_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8"
            );
        }
        let trusted_proxies = crate::net::TrustedProxies::parse(
            &env("ADUAN_TRUSTED_PROXIES")
                .or(file.trusted_proxies)
                .unwrap_or_default(),
        )
        .map_err(|e| anyhow::anyhow!("ADUAN_TRUSTED_PROXIES: {e}"))?;
        let group_commit = match env("ADUAN_GROUP_COMMIT").as_deref().map(str::trim) {
            None | Some("" | "auto") => None,
            Some("on" | "1" | "true" | "yes") => Some(true),
            Some("off" | "0" | "false" | "no") => Some(false),
            Some(other) => bail!("ADUAN_GROUP_COMMIT must be on, off or auto (got {other:?})"),
        };
        let secure_cookies = match env("ADUAN_SECURE_COOKIES") {
            Some(v) => matches!(v.trim(), "1" | "true" | "yes"),
            None => file
                .secure_cookies
                .unwrap_or(!leptos.site_addr.ip().is_loopback()),
        };
        let public_url = env("ADUAN_PUBLIC_URL")
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{}", leptos.site_addr));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("ADUAN_PUBLIC_URL must start with http:// or https:// (got {public_url:?})");
        }
        let smtp_url = env("ADUAN_SMTP_URL")
            .or(file.smtp_url)
            .filter(|v| !v.trim().is_empty())
            .map(Secret);
        let mail_from = env("ADUAN_MAIL_FROM")
            .or(file.mail_from)
            .unwrap_or_else(|| "Aduan <noreply@aduan.localhost>".into());
        let files_dir = PathBuf::from(
            env("ADUAN_FILES_DIR")
                .or(file.files_dir)
                .unwrap_or_else(|| "data/files".into()),
        );
        let files_url = env("ADUAN_FILES_URL")
            .or(file.files_url)
            .filter(|v| !v.trim().is_empty());
        let files_options = [
            "AWS_ENDPOINT",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_ALLOW_HTTP",
            "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
        ]
        .into_iter()
        .filter_map(|k| env(k).map(|v| (k.to_lowercase(), v)))
        .collect();
        let files_options = Secret(files_options);
        let attachment_max_mb = match env("ADUAN_ATTACHMENT_MAX_MB") {
            Some(v) => v.trim().parse().with_context(|| {
                format!("ADUAN_ATTACHMENT_MAX_MB must be a whole number (got {v:?})")
            })?,
            None => file.attachment_max_mb.unwrap_or(10),
        };
        if attachment_max_mb == 0 {
            bail!("ADUAN_ATTACHMENT_MAX_MB / attachment_max_mb must be at least 1");
        }
        let mb = |name: &str, default: u64| -> anyhow::Result<u64> {
            match env(name) {
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| {
                        format!("{name} must be a whole number of MB, at least 1 (got {v:?})")
                    }),
                None => Ok(default),
            }
        };
        let upload_client_mb_per_hour = mb(
            "ADUAN_UPLOAD_MB_PER_HOUR_PER_CLIENT",
            app::server::files::DEFAULT_CLIENT_MB_PER_HOUR,
        )?;
        let upload_total_mb_per_hour = mb(
            "ADUAN_UPLOAD_MB_PER_HOUR",
            app::server::files::DEFAULT_TOTAL_MB_PER_HOUR,
        )?;
        let demo = env("ADUAN_DEMO").is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
        let key = |name: &str| -> anyhow::Result<Option<[u8; 32]>> {
            match env(name).filter(|v| !v.trim().is_empty()) {
                Some(v) => app::server::secrets::parse_key(&v).map(Some).map_err(|e| {
                    anyhow::anyhow!("{name} {e} (generate one with `openssl rand -hex 32`)")
                }),
                None => Ok(None),
            }
        };
        let previous = key("ADUAN_SECRET_KEY_PREVIOUS")?;
        let secret_keys = match key("ADUAN_SECRET_KEY")? {
            Some(current) => Some(current),
            None if demo => Some(DEMO_SECRET_KEY),
            None => None,
        }
        .map(|current| Secret(app::server::secrets::Keys { current, previous }));
        let metrics_token = match env("ADUAN_METRICS_TOKEN").filter(|v| !v.trim().is_empty()) {
            Some(v) if v.trim().chars().count() < 24 => bail!(
                "ADUAN_METRICS_TOKEN must be at least 24 characters (generate one with \
                 `openssl rand -hex 24`)"
            ),
            Some(v) => Some(Secret(v.trim().to_string())),
            None => None,
        };
        let days = |name: &str, default: u32| -> anyhow::Result<u32> {
            match env(name) {
                Some(v) => v.trim().parse::<u32>().with_context(|| {
                    format!("{name} must be a whole number of days, 0 to keep for ever (got {v:?})")
                }),
                None => Ok(default),
            }
        };
        let keep = app::server::retention::Policy::default();
        let retention = app::server::retention::Policy {
            contacts_days: days("ADUAN_RETAIN_CONTACTS_DAYS", keep.contacts_days)?,
            attachments_days: days("ADUAN_RETAIN_ATTACHMENTS_DAYS", keep.attachments_days)?,
            emails_days: days("ADUAN_RETAIN_EMAILS_DAYS", keep.emails_days)?,
            event_texts_days: days("ADUAN_RETAIN_EVENT_TEXTS_DAYS", keep.event_texts_days)?,
        };
        Ok(Self {
            database_url,
            log_format,
            track_lookups_per_minute,
            trusted_proxies,
            secure_cookies,
            public_url: public_url.trim_end_matches('/').to_string(),
            smtp_url,
            mail_from,
            files_dir,
            files_url,
            files_options,
            attachment_max_bytes: attachment_max_mb as usize * 1024 * 1024,
            upload_client_mb_per_hour,
            upload_total_mb_per_hour,
            secret_keys,
            demo,
            metrics_token,
            retention,
            group_commit,
            leptos,
        })
    }
}

/// Whether cargo-leptos wrote the hashed names of the site's files beside this binary.
pub fn hash_file_present(options: &LeptosOptions) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(options.hash_file.as_ref())))
        .is_some_and(|file| file.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    const BASE: &str = "[aduan]\nlog_format = \"json\"\n\n[package.metadata.leptos]\noutput-name = \"aduan\"\nsite-addr = \"127.0.0.1:3000\"\n";

    #[test]
    fn file_then_environment() {
        let f = write(BASE);
        let s = Settings::load_from(f.path(), |_| None).unwrap();
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.database_url.expose(), DEFAULT_DATABASE_URL);
        assert_eq!(s.track_lookups_per_minute, 30);
        let s = Settings::load_from(f.path(), |k| match k {
            "ADUAN_DATABASE_URL" => Some("postgres://aduan:hunter2@localhost/aduan".into()),
            "ADUAN_LOG_FORMAT" => Some("pretty".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.log_format, LogFormat::Pretty);
        assert!(!s.database_url.is_sqlite());
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        let s = Settings::load_from(f.path(), |k| match k {
            "ADUAN_SMTP_URL" => Some("smtps://aduan:hunter3@mail.example.go.id".into()),
            "ADUAN_FILES_URL" => Some("s3://lampiran".into()),
            "AWS_SECRET_ACCESS_KEY" => Some("kunci-rahasia".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            s.files_options.0,
            vec![(
                "aws_secret_access_key".to_string(),
                "kunci-rahasia".to_string()
            )]
        );
        let dbg = format!("{s:?}");
        assert!(
            !dbg.contains("hunter3") && !dbg.contains("kunci-rahasia"),
            "{dbg}"
        );
    }

    #[test]
    fn bad_values_are_refused_with_a_clear_message() {
        let f = write(BASE);
        let e = Settings::load_from(f.path(), |k| {
            (k == "ADUAN_DATABASE_URL").then(|| "mysql://x".into())
        })
        .unwrap_err();
        assert!(e.to_string().contains("must start with sqlite:"), "{e}");
        let e = Settings::load_from(f.path(), |k| {
            (k == "ADUAN_LOG_FORMAT").then(|| "xml".into())
        })
        .unwrap_err();
        assert!(e.to_string().contains("ADUAN_LOG_FORMAT"), "{e}");
        let e = Settings::load_from(f.path(), |k| {
            (k == "ADUAN_METRICS_TOKEN").then(|| "short".into())
        })
        .unwrap_err();
        assert!(e.to_string().contains("at least 24 characters"), "{e}");
        let s = Settings::load_from(f.path(), |k| {
            (k == "ADUAN_METRICS_TOKEN").then(|| "0123456789abcdef01234567".into())
        })
        .unwrap();
        assert_eq!(s.metrics_token.unwrap().0, "0123456789abcdef01234567");
        assert!(Settings::load_from(f.path(), |_| None)
            .unwrap()
            .metrics_token
            .is_none());
        let e = Settings::load_from(f.path(), |k| {
            (k == "ADUAN_RETAIN_CONTACTS_DAYS").then(|| "two years".into())
        })
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("ADUAN_RETAIN_CONTACTS_DAYS must be a whole number"),
            "{e}"
        );
        let s = Settings::load_from(f.path(), |k| {
            (k == "ADUAN_RETAIN_EMAILS_DAYS").then(|| "0".into())
        })
        .unwrap();
        assert_eq!(s.retention.emails_days, 0);
        assert_eq!(s.retention.contacts_days, 730);
        let f = write("[aduan]\ndatabse_url = \"sqlite::memory:\"\n[package.metadata.leptos]\noutput-name = \"aduan\"\n");
        let e = Settings::load_from(f.path(), |_| None).unwrap_err();
        assert!(format!("{e:#}").contains("databse_url"), "{e:#}");
        let e = Settings::load_from(Path::new("/nonexistent/Leptos.toml"), |_| None).unwrap_err();
        assert!(e.to_string().contains("ADUAN_CONFIG"), "{e}");
    }
}
