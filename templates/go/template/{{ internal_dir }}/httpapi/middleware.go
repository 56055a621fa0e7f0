package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// maxRequestIDLength bounds the X-Request-ID a client may choose.
const maxRequestIDLength = 128

// observe tags every request with an id (answered in X-Request-ID), logs it once it is
// answered, and turns a panic in next into a logged 500 in the API's error format
// instead of a dropped connection.
func (a *API) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		requestID := r.Header.Get("X-Request-ID")
		if !validRequestID(requestID) {
			requestID = newRequestID()
		}
		w.Header().Set("X-Request-ID", requestID)
		rw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v) // the handler asked to abort the response
				}
				a.logger.ErrorContext(r.Context(), "panic while serving a request",
					slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				if rw.status == 0 {
					a.writeError(rw, r, http.StatusInternalServerError, codeInternal, "internal server error", nil)
				}
			}
			a.logRequest(r, requestID, rw.statusOrOK(), time.Since(start))
		}()
		next.ServeHTTP(rw, r)
	})
}

// validRequestID reports whether a client's request id can be kept: 1 to 128 printable
// ASCII characters.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLength {
		return false
	}
	for i := range len(id) {
		if id[i] < ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// newRequestID makes up a request id: 32 random hexadecimal digits.
func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b)
}

func (a *API) logRequest(r *http.Request, requestID string, status int, elapsed time.Duration) {
	level := slog.LevelInfo
	probe := r.URL.Path == "/health" || r.URL.Path == "/ready"
	switch {
	case probe && status == http.StatusServiceUnavailable:
		level = slog.LevelWarn // the probe's answer (draining, storage down), not a failure
	case status >= http.StatusInternalServerError:
		level = slog.LevelError
	case probe:
		level = slog.LevelDebug // probes arrive every few seconds
	}
	a.logger.LogAttrs(r.Context(), level, "request",
		slog.String("request_id", requestID),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("remote_addr", r.RemoteAddr),
	)
}

// statusWriter remembers the status of the response written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

func (w *statusWriter) statusOrOK() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
