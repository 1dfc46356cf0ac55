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
    for prefix in ["/lacak/", "/api/v1/track/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}<code>");
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
        assert_eq!(redacted_path("/lacak"), "/lacak");
        assert_eq!(redacted_path("/lapor"), "/lapor");
    }
}
