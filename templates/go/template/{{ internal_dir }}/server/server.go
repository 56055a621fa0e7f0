// Package server runs an HTTP handler until its context ends, then shuts it down
// gracefully: it tells the handler it is draining (readiness off), keeps serving for
// a delay so load balancers stop sending requests, then stops accepting connections
// and waits, up to a timeout, for the requests in flight.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Timeouts that protect the server from slow or idle clients.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 60 * time.Second
)

// Drain says how the server stops once its context is done.
type Drain struct {
	// Draining, when set, is called at once: the readiness probe fails from then on.
	Draining func()
	// Delay is how long the server keeps serving after that, so that load balancers
	// notice the failing readiness probe before any connection is refused.
	Delay time.Duration
	// Timeout bounds the wait for the requests in flight once the server stops
	// accepting connections.
	Timeout time.Duration
}

// Run listens on addr and serves handler until ctx is done, then drains as drain says.
func Run(ctx context.Context, addr string, handler http.Handler, drain Drain, logger *slog.Logger) error {
	var lc net.ListenConfig
	listener, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return Serve(ctx, listener, handler, drain, logger)
}

// Serve is Run on a listener the caller opened; it closes the listener.
func Serve(
	ctx context.Context, listener net.Listener, handler http.Handler, drain Drain, logger *slog.Logger,
) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	served := make(chan error, 1)
	go func() {
		served <- srv.Serve(listener)
	}()
	logger.InfoContext(ctx, "listening", slog.String("addr", listener.Addr().String()))

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	if drain.Draining != nil {
		drain.Draining()
	}
	logger.InfoContext(ctx, "draining", slog.String("delay", drain.Delay.String()))
	delay := time.NewTimer(drain.Delay)
	defer delay.Stop()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-delay.C:
	}

	logger.InfoContext(ctx, "shutting down", slog.String("timeout", drain.Timeout.String()))
	// The shutdown gets a deadline of its own: ctx is already done.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain.Timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		closeErr := srv.Close()
		return errors.Join(fmt.Errorf("requests still running after %s: %w", drain.Timeout, err), closeErr)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.InfoContext(ctx, "stopped")
	return nil
}
