//! Logs through `tracing`: human-readable text or one JSON object per line.

use std::env;
use std::io::{self, IsTerminal};

use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};

/// Installs the global subscriber. A filter that does not parse falls back to
/// `info` with a warning; a second call does nothing.
pub fn init(config: &Config) {
    let (filter, bad_filter) = match EnvFilter::try_new(&config.log_filter) {
        Ok(filter) => (filter, None),
        Err(error) => (EnvFilter::new("info"), Some(error)),
    };
    // Colours only for a person at a terminal who has not asked for none.
    let ansi = io::stdout().is_terminal() && env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    let installed = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    if installed.is_ok() {
        if let Some(error) = bad_filter {
            tracing::warn!(filter = %config.log_filter, %error, "bad log filter; using info");
        }
    }
}
