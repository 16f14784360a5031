// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// APIError is every non-2xx answer from Partner Center, after retries.
type APIError struct {
	StatusCode int
	// Code is the Partner Center error code, e.g. "900100"; empty when the
	// body had none.
	Code        string
	Description string
	Data        []any
	Source      string
	// Method and Path identify the request, e.g. "PATCH" and
	// "/v1/customers/{id}/transfers/{id}".
	Method string
	Path   string
	// RequestID and CorrelationID are the MS-RequestId and
	// MS-CorrelationId the client sent; quote them in support cases.
	RequestID     string
	CorrelationID string
	// RetryAfter is the server's Retry-After on a 429 or 503.
	RetryAfter time.Duration
	// Attempts is how many attempts the call made.
	Attempts int
	// Unanswered counts attempts that got no answer (a connection error or
	// a dropped connection). When it is zero and the status is a 4xx, the
	// service refused every attempt, so nothing was applied.
	Unanswered int
	// Inconclusive counts attempts that may have been applied: unanswered
	// ones and those answered with a 5xx. Refused needs it to be zero.
	Inconclusive int
}

// Error renders the error on one line:
// "PATCH /v1/...: HTTP 409 Conflict: code 900101: <description> (MS-RequestId ..., MS-CorrelationId ...)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Code != "" {
		b.WriteString(": code " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	fmt.Fprintf(&b, " (MS-RequestId %s, MS-CorrelationId %s)", e.RequestID, e.CorrelationID)
	if e.StatusCode == http.StatusUnauthorized {
		b.WriteString("; Partner Center rejected the access token: the credentials or tenant may be wrong, or the token is not for the Partner Center audience")
	}
	return oneLine(b.String())
}

// TransportError reports a call that ended without an HTTP answer to
// return: connection failures used up the retries, or the context ended
// (or would have ended before the next retry), or the token for a retry
// could not be fetched. Its text starts with the last real failure, and it
// unwraps to both that failure (often an *APIError) and the cause, so
// errors.As(err, **APIError) and errors.Is(err, context.DeadlineExceeded)
// both hold after a deadline.
type TransportError struct {
	Method   string
	Path     string
	Attempts int
	// Last is the last real failure: an *APIError or a connection error;
	// nil when the first attempt never finished.
	Last error
	// Cause is why the client stopped early: context.DeadlineExceeded,
	// context.Canceled or a token error. Nil when retries ran out.
	Cause error
	// NextWait is the retry wait that would have crossed the deadline.
	NextWait time.Duration
}

// Error renders the last failure followed by why the client stopped.
func (e *TransportError) Error() string {
	var b strings.Builder
	if e.Last != nil {
		b.WriteString(e.Last.Error())
	} else {
		fmt.Fprintf(&b, "%s %s", e.Method, e.Path)
	}
	switch {
	case e.Cause == nil:
		if e.Attempts > 1 {
			fmt.Fprintf(&b, "; gave up after %d attempts", e.Attempts)
		}
	case errors.Is(e.Cause, context.DeadlineExceeded):
		fmt.Fprintf(&b, "; stopped after %d attempt(s): context deadline reached", e.Attempts)
		if e.NextWait > 0 {
			fmt.Fprintf(&b, " before the next retry (due in %s)", e.NextWait)
		}
	default:
		fmt.Fprintf(&b, "; stopped after %d attempt(s): %s", e.Attempts, e.Cause.Error())
	}
	return oneLine(b.String())
}

// Unwrap exposes both the last failure and the cause.
func (e *TransportError) Unwrap() []error {
	var errs []error
	if e.Last != nil {
		errs = append(errs, e.Last)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// AsAPIError returns the *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr, true
	}
	return nil, false
}

// IsNotFound reports an HTTP 404 answer, whatever its Partner Center code.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports an HTTP 409 answer.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsForbidden reports an HTTP 403 answer.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

func hasStatus(err error, status int) bool {
	apiErr, ok := AsAPIError(err)
	return ok && apiErr.StatusCode == status
}

// oneLine folds every run of whitespace or control characters into one
// space, so error text stays on a single line in Terraform diagnostics.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '\u2028' || r == '\u2029' || r == 0x85 {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Refused reports whether err proves the service applied nothing: an
// APIError with a 4xx status where every attempt of the call was answered
// with a 4xx. One attempt that went unanswered or got a 5xx (503 then 409,
// 504 then 429s until the deadline) may have been applied before its
// answer was lost, so the call is not refused.
func Refused(err error) bool {
	apiErr, ok := AsAPIError(err)
	return ok && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.Unanswered == 0 && apiErr.Inconclusive == 0
}

// UnknownOutcome reports whether err leaves open whether the service
// applied the request: neither a success nor a refusal. An interrupted
// call (context cancelled before any attempt was answered) is unknown too.
func UnknownOutcome(err error) bool {
	return err != nil && !Refused(err)
}
