//! Configuration from the environment.
//!
//! | variable     | default     | meaning                                              |
//! |--------------|-------------|------------------------------------------------------|
//! | `HOST`       | `127.0.0.1` | address to listen on (`0.0.0.0` in a container)      |
//! | `PORT`       | `8080`      | port to listen on                                    |
//! | `RUST_LOG`   | unset       | full log filter, e.g. `info,tower_http=debug`        |
//! | `LOG_LEVEL`  | `info`      | log level when `RUST_LOG` is unset                   |
//! | `LOG_FORMAT` | `text`      | `text` for people, `json` for one object per line    |
//! | `SHUTDOWN_TIMEOUT` | `10`  | seconds the requests in flight get after SIGTERM     |

use std::env;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Everything the service reads from its environment, checked once at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub host: String,
    pub port: u16,
    /// A `tracing_subscriber::EnvFilter` directive: `RUST_LOG`, else `LOG_LEVEL`.
    pub log_filter: String,
    pub log_format: LogFormat,
    /// How long a shutdown waits for the requests in flight before closing their
    /// connections: `SHUTDOWN_TIMEOUT` seconds.
    pub shutdown_timeout: Duration,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// A variable that is set but unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}={value:?}: {expected}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

const LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "off"];

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| env::var(name).ok())
    }

    /// Reads the variables through `lookup`, so tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());

        let host = get("HOST").map_or_else(|| "127.0.0.1".to_owned(), |h| h.trim().to_owned());
        let port = match get("PORT") {
            None => 8080,
            Some(raw) => raw.trim().parse().map_err(|_| ConfigError {
                name: "PORT",
                value: raw,
                expected: "expected a port number from 0 to 65535",
            })?,
        };
        let log_filter = match (get("RUST_LOG"), get("LOG_LEVEL")) {
            (Some(filter), _) => filter,
            (None, Some(level)) => {
                let level = level.trim().to_ascii_lowercase();
                if !LEVELS.contains(&level.as_str()) {
                    return Err(ConfigError {
                        name: "LOG_LEVEL",
                        value: level,
                        expected: "expected one of trace, debug, info, warn, error, off",
                    });
                }
                level
            }
            (None, None) => "info".to_owned(),
        };
        let log_format = match get("LOG_FORMAT") {
            None => LogFormat::default(),
            Some(raw) => raw.parse().map_err(|()| ConfigError {
                name: "LOG_FORMAT",
                value: raw,
                expected: "expected text or json",
            })?,
        };
        let shutdown_timeout = match get("SHUTDOWN_TIMEOUT") {
            None => Duration::from_secs(10),
            Some(raw) => raw
                .trim()
                .parse()
                .map(Duration::from_secs)
                .map_err(|_| ConfigError {
                    name: "SHUTDOWN_TIMEOUT",
                    value: raw,
                    expected: "expected a number of seconds",
                })?,
        };
        Ok(Self {
            host,
            port,
            log_filter,
            log_format,
            shutdown_timeout,
        })
    }

    /// `host:port`, ready for `TcpListener::bind` (which also resolves names).
    #[must_use]
    pub fn bind_address(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl FromStr for LogFormat {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            _ => Err(()),
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Text => "text",
            Self::Json => "json",
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let config = config(&[]).unwrap();
        assert_eq!(config.host, "127.0.0.1");
        assert_eq!(config.port, 8080);
        assert_eq!(config.log_filter, "info");
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.shutdown_timeout, Duration::from_secs(10));
        assert_eq!(config.bind_address(), "127.0.0.1:8080");
    }

    #[test]
    fn reads_every_variable() {
        let config = config(&[
            ("HOST", "0.0.0.0"),
            ("PORT", "9000"),
            ("LOG_LEVEL", "DEBUG"),
            ("LOG_FORMAT", "json"),
            ("SHUTDOWN_TIMEOUT", "3"),
        ])
        .unwrap();
        assert_eq!(config.shutdown_timeout, Duration::from_secs(3));
        assert_eq!(config.bind_address(), "0.0.0.0:9000");
        assert_eq!(config.log_filter, "debug");
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn rust_log_wins_over_log_level() {
        let config = config(&[("RUST_LOG", "warn,tower_http=debug"), ("LOG_LEVEL", "info")]);
        assert_eq!(config.unwrap().log_filter, "warn,tower_http=debug");
    }

    #[test]
    fn empty_values_count_as_unset() {
        assert_eq!(config(&[("PORT", " ")]).unwrap().port, 8080);
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        let config = config(&[("HOST", "::1"), ("PORT", "1")]).unwrap();
        assert_eq!(config.bind_address(), "[::1]:1");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let error = config(&[("PORT", "eighty")]).unwrap_err();
        assert_eq!(error.name, "PORT");
        assert!(error.to_string().starts_with("PORT=\"eighty\": "));
        assert_eq!(config(&[("PORT", "70000")]).unwrap_err().name, "PORT");
        assert_eq!(
            config(&[("LOG_LEVEL", "loud")]).unwrap_err().name,
            "LOG_LEVEL"
        );
        assert_eq!(
            config(&[("LOG_FORMAT", "xml")]).unwrap_err().name,
            "LOG_FORMAT"
        );
    }
}
