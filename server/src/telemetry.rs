//! Logging: human-readable in development, JSON lines when `ADUAN_LOG_FORMAT=json`.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    // A second init (tests) is harmless.
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// A request path safe to log: tracking codes (bearer secrets) are replaced by `<code>`.
pub fn redacted_path(path: &str) -> String {
    // Every path segment after one of these is a bearer secret: a tracking code or an invite.
    for prefix in [
        "/lacak/",
        "/api/v1/track/",
        "/undangan/",
        "/api/v1/invites/",
        "/verifikasi-email/",
        "/atur-sandi/",
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                let secret = if prefix.contains("invite")
                    || prefix.contains("undangan")
                    || prefix.contains("verifikasi")
                    || prefix.contains("sandi")
                {
                    "<token>"
                } else {
                    "<code>"
                };
                // What follows the secret (`/accept`, `/lampiran/3`) is kept.
                let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
                return format!("{prefix}{secret}{tail}");
            }
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_never_reach_the_log() {
        assert_eq!(redacted_path("/lacak/7K2M9QXPAB12CDEF"), "/lacak/<code>");
        assert_eq!(
            redacted_path("/api/v1/track/7K2M-9QXP"),
            "/api/v1/track/<code>"
        );
        assert_eq!(
            redacted_path("/lacak/7K2M9QXPAB12CDEF/lampiran/4"),
            "/lacak/<code>/lampiran/4"
        );
        assert_eq!(redacted_path("/undangan/abcdef0123"), "/undangan/<token>");
        assert_eq!(
            redacted_path("/atur-sandi/abcdef0123"),
            "/atur-sandi/<token>"
        );
        assert_eq!(
            redacted_path("/api/v1/invites/abcdef0123/accept"),
            "/api/v1/invites/<token>/accept"
        );
        assert_eq!(redacted_path("/lacak"), "/lacak");
        assert_eq!(redacted_path("/lapor"), "/lapor");
    }
}
