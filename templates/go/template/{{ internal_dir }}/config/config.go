// Package config reads the service's settings from the environment.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Defaults for the settings left unset.
const (
	DefaultHost            = "127.0.0.1"
	DefaultPort            = 8080
	DefaultLogLevel        = slog.LevelInfo
	DefaultShutdownTimeout = 10 * time.Second
)

// Config is the service's settings.
type Config struct {
	// Host is the address to listen on (HOST); 0.0.0.0 listens on every interface.
	Host string
	// Port is the TCP port to listen on (PORT).
	Port int
	// LogLevel is the least severe level logged (LOG_LEVEL: debug, info, warn, error).
	LogLevel slog.Level
	// ShutdownTimeout bounds the wait for requests in flight after SIGINT or SIGTERM
	// (SHUTDOWN_TIMEOUT: a duration such as 10s or 1m30s, or a number of seconds).
	ShutdownTimeout time.Duration
}

// Addr is the host:port to listen on.
func (c Config) Addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

// Load reads the settings through getenv (os.Getenv in main), keeping the default of
// each variable that is unset or empty. It reports every invalid variable at once.
func Load(getenv func(string) string) (Config, error) {
	cfg := Config{
		Host:            DefaultHost,
		Port:            DefaultPort,
		LogLevel:        DefaultLogLevel,
		ShutdownTimeout: DefaultShutdownTimeout,
	}
	var errs []error
	if v := strings.TrimSpace(getenv("HOST")); v != "" {
		cfg.Host = v
	}
	if v := strings.TrimSpace(getenv("PORT")); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 1 || port > 65535 {
			errs = append(errs, fmt.Errorf("PORT=%q: use a number from 1 to 65535", v))
		} else {
			cfg.Port = port
		}
	}
	if v := strings.TrimSpace(getenv("LOG_LEVEL")); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: use debug, info, warn or error", v))
		}
	}
	if v := strings.TrimSpace(getenv("SHUTDOWN_TIMEOUT")); v != "" {
		timeout, err := parseDuration(v)
		if err != nil || timeout <= 0 {
			errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT=%q: use a positive duration such as 10s", v))
		} else {
			cfg.ShutdownTimeout = timeout
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// parseDuration accepts a Go duration ("1m30s") or a plain number of seconds ("90").
func parseDuration(v string) (time.Duration, error) {
	if seconds, err := strconv.Atoi(v); err == nil {
		return time.Duration(seconds) * time.Second, nil
	}
	return time.ParseDuration(v)
}
