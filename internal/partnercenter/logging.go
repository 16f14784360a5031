// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logSubsystem is the tflog subsystem of all HTTP logs; its level can be
// raised alone with TF_LOG_PROVIDER_PARTNERCENTER_HTTP.
const logSubsystem = "partnercenter_http"

// maxLoggedBodyBytes bounds how much of a body is kept for the TRACE log.
const maxLoggedBodyBytes = 64 << 10

// withHTTPLogging makes sure ctx carries the subsystem logger. A subsystem
// the caller already set up (with its own fields) is kept.
func withHTTPLogging(ctx context.Context) context.Context {
	// SubsystemIsError is false only when the subsystem is missing (or
	// switched off, where recreating it changes nothing).
	if tflog.SubsystemIsError(ctx, logSubsystem) {
		return ctx
	}
	level := tflog.WithLevelFromEnv("TF_LOG_PROVIDER_PARTNERCENTER_HTTP")
	if quietHTTPLogs() {
		level = tflog.WithLevel(hclog.Off)
	}
	ctx = tflog.NewSubsystem(ctx, logSubsystem, level, tflog.WithRootFields())
	// The client never logs these fields; masking them guards against a
	// future log line that would.
	return tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, "Authorization", "authorization", "token", "access_token")
}

// quietHTTPLogs reports that the provider runs under the Terraform CLI
// (go-plugin's handshake variable is set) and nobody asked for logs. The
// provider's logger then defaults to TRACE and every request wrote three or
// four JSON lines, its body included, which the CLI parsed and discarded:
// CPU on both sides for nothing. TF_LOG, TF_LOG_PROVIDER or
// TF_LOG_PROVIDER_PARTNERCENTER_HTTP bring the logs back; outside the CLI
// (tests, -debug) nothing changes.
var quietHTTPLogs = sync.OnceValue(func() bool { return httpLogsUnwanted(os.Getenv) })

func httpLogsUnwanted(getenv func(string) string) bool {
	if getenv("TF_PLUGIN_MAGIC_COOKIE") == "" {
		return false
	}
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_PARTNERCENTER_HTTP"} {
		if getenv(name) != "" {
			return false
		}
	}
	return true
}

// retryLogger adapts tflog to go-retryablehttp's LeveledLogger.
type retryLogger struct{ ctx context.Context }

var _ retryablehttp.LeveledLogger = retryLogger{}

// Error logs at WARN: go-retryablehttp reports every failed attempt at
// error level, retried or not, and the final failure reaches the caller as
// an error anyway.
func (l retryLogger) Error(msg string, keysAndValues ...any) {
	tflog.SubsystemWarn(l.ctx, logSubsystem, msg, logFields(keysAndValues))
}

// Warn logs at WARN.
func (l retryLogger) Warn(msg string, keysAndValues ...any) {
	tflog.SubsystemWarn(l.ctx, logSubsystem, msg, logFields(keysAndValues))
}

// Info logs at INFO.
func (l retryLogger) Info(msg string, keysAndValues ...any) {
	tflog.SubsystemInfo(l.ctx, logSubsystem, msg, logFields(keysAndValues))
}

// Debug logs at DEBUG.
func (l retryLogger) Debug(msg string, keysAndValues ...any) {
	tflog.SubsystemDebug(l.ctx, logSubsystem, msg, logFields(keysAndValues))
}

// queryPattern matches the query of a URL inside log text; next-page
// queries can carry opaque paging state that has no place in logs.
var queryPattern = regexp.MustCompile(`\?[^\s"]*`)

func logFields(keysAndValues []any) map[string]any {
	fields := make(map[string]any, len(keysAndValues)/2+1)
	pairs := len(keysAndValues) / 2
	for i := range pairs {
		key, value := keysAndValues[2*i], keysAndValues[2*i+1]
		fields[fmt.Sprint(key)] = logValue(value)
	}
	if len(keysAndValues)%2 == 1 {
		fields["EXTRA_VALUE_AT_END"] = keysAndValues[len(keysAndValues)-1]
	}
	return fields
}

// logValue renders a go-retryablehttp log value; text loses URL queries
// and anything token-shaped.
func logValue(v any) any {
	switch t := v.(type) {
	case error:
		return redactSecrets(queryPattern.ReplaceAllString(t.Error(), ""))
	case string:
		return redactSecrets(queryPattern.ReplaceAllString(t, ""))
	case fmt.Stringer:
		return t.String()
	default:
		return v
	}
}

// loggingTransport logs every attempt at DEBUG (method, path, status,
// duration, ids, attempt) and, at TRACE, the redacted response body. It
// never logs headers, so the Authorization header cannot leak.
type loggingTransport struct {
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !tflog.SubsystemIsDebug(ctx, logSubsystem) {
		return t.next.RoundTrip(req)
	}
	fields := map[string]any{
		"method":            req.Method,
		"path":              req.URL.EscapedPath(),
		"ms_request_id":     req.Header.Get(headerRequestID),
		"ms_correlation_id": req.Header.Get(headerCorrelationID),
	}
	if cl := callFrom(ctx); cl != nil {
		fields["attempt"] = cl.attempts + 1
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "Sending Partner Center request", fields)

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields = maps.Clone(fields)
	fields["duration"] = time.Since(start).String()
	if err != nil {
		fields["error"] = redactSecrets(queryPattern.ReplaceAllString(err.Error(), ""))
		tflog.SubsystemDebug(ctx, logSubsystem, "Partner Center request failed", fields)
		return resp, err
	}
	fields["status"] = resp.StatusCode
	tflog.SubsystemDebug(ctx, logSubsystem, "Received Partner Center response", fields)
	if resp.Body != nil && tflog.SubsystemIsTrace(ctx, logSubsystem) {
		resp.Body = &bodyLogger{body: resp.Body, ctx: ctx, fields: maps.Clone(fields)}
	}
	return resp, nil
}

// bodyLogger copies up to maxLoggedBodyBytes of what the reader consumes
// and logs it once, at EOF or Close, so streamed bodies are never held in
// memory beyond that bound.
type bodyLogger struct {
	body   io.ReadCloser
	ctx    context.Context
	fields map[string]any

	mu        sync.Mutex
	captured  []byte
	truncated bool
	logged    bool
}

func (b *bodyLogger) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := maxLoggedBodyBytes - len(b.captured); room > 0 {
		b.captured = append(b.captured, p[:min(n, room)]...)
		if n > room {
			b.truncated = true
		}
	} else if n > 0 {
		b.truncated = true
	}
	if errors.Is(err, io.EOF) {
		b.logLocked()
	}
	return n, err
}

func (b *bodyLogger) Close() error {
	b.mu.Lock()
	b.logLocked()
	b.mu.Unlock()
	return b.body.Close()
}

func (b *bodyLogger) logLocked() {
	if b.logged {
		return
	}
	b.logged = true
	b.fields["body"] = redactBody(b.captured)
	b.fields["body_truncated"] = b.truncated
	tflog.SubsystemTrace(b.ctx, logSubsystem, "Partner Center response body", b.fields)
}

// logRequestBody logs the redacted request body once per call at TRACE.
func logRequestBody(ctx context.Context, cl *call, payload []byte) {
	if len(payload) == 0 || !tflog.SubsystemIsTrace(ctx, logSubsystem) {
		return
	}
	tflog.SubsystemTrace(ctx, logSubsystem, "Partner Center request body", map[string]any{
		"method":        cl.method,
		"path":          cl.path,
		"ms_request_id": cl.requestID,
		"body":          redactBody(payload),
	})
}
