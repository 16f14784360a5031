// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// retryPolicy holds the retry limits and the clock and random source, which
// tests replace.
type retryPolicy struct {
	max     int
	waitMin time.Duration
	waitMax time.Duration
	now     func() time.Time
	random  func(n int64) int64 // uniform in [0, n)
}

// deadlineStop is returned by checkRetry when the next wait would end at or
// after the context deadline: sleeping would only delay the same failure.
type deadlineStop struct{ wait time.Duration }

func (e *deadlineStop) Error() string {
	return fmt.Sprintf("the context deadline would pass before the next retry (in %s)", e.wait)
}

// isRetryableStatus reports the statuses worth another attempt: throttling
// and server-side failures other than 501 Not Implemented.
func isRetryableStatus(code int) bool {
	return code == http.StatusTooManyRequests ||
		(code >= 500 && code <= 599 && code != http.StatusNotImplemented)
}

// checkRetry is the CheckRetry hook. It retries every method, POST and
// PATCH included: all attempts of a call share one MS-RequestId, so the
// service can recognize a repeat. It records the last real failure and
// refuses a retry whose wait would cross the context deadline.
// maxThrottledRetries bounds retries of 429 answers when the caller set no
// deadline; with one, the deadline ends them first.
const maxThrottledRetries = 200

func (c *Client) checkRetry(ctx context.Context, cl *call, resp *http.Response, err error) (bool, error) {
	var stop *deadlineStop
	if errors.As(err, &stop) {
		// The rate limiter would hold the attempt past the deadline.
		return false, stop
	}
	cl.attempts++
	if resp != nil {
		c.answered.Store(true)
	}

	retryable := false
	switch {
	case err != nil:
		cl.unanswered++
		cl.inconclusive++
		// go-retryablehttp's classification of transport errors: retry
		// everything except redirect loops, bad schemes or headers and
		// certificate failures. An endpoint that has never answered this
		// client and cannot even be connected to (unknown host, refused,
		// TLS handshake) is a configuration error, not a transient one:
		// retrying it only delayed the same failure by minutes.
		retryable, _ = retryablehttp.DefaultRetryPolicy(context.WithoutCancel(ctx), nil, err)
		if retryable && !c.answered.Load() && IsConnectFailure(err) {
			retryable = false
		}
		if ctx.Err() == nil {
			cl.lastErr = err
		}
	case isRetryableStatus(resp.StatusCode):
		retryable = true
		cl.lastErr = bufferAPIError(cl, resp, c.retry.now())
		if resp.StatusCode == http.StatusTooManyRequests {
			cl.throttled++
			c.stats.recordThrottled()
		} else {
			cl.inconclusive++
		}
	}
	// Counted once the attempt's outcome is recorded, so Stats never
	// shows an attempt whose error is not yet known.
	c.stats.recordAttempt(cl.method)
	unknown := err != nil || resp.StatusCode >= 500
	if !retryable || (unknown && stopsOnUnknownOutcome(ctx)) {
		return false, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	// A 429 says when to come back: throttled attempts are bounded by the
	// caller's deadline (and maxThrottledRetries), not by RetryMax, so a
	// busy partner budget slows an apply down instead of failing it.
	if cl.attempts-cl.throttled > c.retry.max || cl.throttled > maxThrottledRetries {
		return false, nil
	}

	var header http.Header
	if resp != nil {
		header = resp.Header
	}
	wait := c.retry.delay(cl.attempts-1, header)
	if deadline, ok := ctx.Deadline(); ok && !c.retry.now().Add(wait).Before(deadline) {
		return false, &deadlineStop{wait: wait}
	}
	cl.nextWait = wait

	fields := map[string]any{
		"method":        cl.method,
		"path":          cl.path,
		"attempt":       cl.attempts,
		"wait":          wait.String(),
		"ms_request_id": cl.requestID,
	}
	if resp != nil {
		fields["status"] = resp.StatusCode
	} else {
		fields["error"] = logValue(err)
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "Retrying Partner Center request", fields)
	return true, nil
}

// delay returns the wait before retry number attempt+1 (attempt counts
// from 0), given the failed answer's header (nil after a connection
// error). A Retry-After header is honored exactly; otherwise the wait is
// exponential from waitMin, capped at waitMax, with jitter in the upper
// half so that parallel callers spread out.
func (p retryPolicy) delay(attempt int, header http.Header) time.Duration {
	if d, ok := parseRetryAfter(header.Get("Retry-After"), p.now()); ok {
		return d
	}
	base := p.waitMin
	for i := 0; i < attempt && base < p.waitMax; i++ {
		if base > math.MaxInt64/2 {
			base = p.waitMax
			break
		}
		base *= 2
	}
	if base > p.waitMax {
		base = p.waitMax
	}
	half := int64(base / 2)
	wait := time.Duration(half + p.random(int64(base)-half+1))
	if wait < p.waitMin {
		wait = p.waitMin
	}
	return wait
}

// maxRetryAfterSeconds keeps seconds*time.Second from overflowing.
const maxRetryAfterSeconds = math.MaxInt64 / int64(time.Second)

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// relative to now. A date in the past means "now". Invalid values report
// false so the computed backoff is used instead.
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if isDigits(value) {
		secs, err := strconv.ParseInt(value, 10, 64)
		if err != nil || secs > maxRetryAfterSeconds {
			// Too large to represent: as good as forever.
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	when, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	d := when.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// IsConnectFailure reports an error from before any byte of an answer:
// the host name did not resolve, the connection was refused or timed out,
// or the TLS handshake failed (including a plain-HTTP server behind an
// https:// endpoint).
func IsConnectFailure(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var recordErr tls.RecordHeaderError
	if errors.As(err, &recordErr) {
		return true
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return true
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return true
	}
	// net/http replaces the tls.RecordHeaderError of a plain-HTTP server by
	// an error of its own, recognizable only by its text.
	return strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}
