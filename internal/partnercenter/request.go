// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/go-retryablehttp"
)

// Header names Partner Center uses.
const (
	headerRequestID         = "MS-RequestId"
	headerCorrelationID     = "MS-CorrelationId"
	headerContinuationToken = "MS-ContinuationToken"
	headerLocale            = "X-Locale"
)

// call is one logical API call. Every attempt of it carries the same
// MS-RequestId, which Partner Center treats as the idempotency key, so a
// retried POST whose response was lost does not create a second transfer.
type call struct {
	method        string
	path          string
	requestID     string
	correlationID string

	// attempts counts finished attempts.
	attempts int
	// lastErr is the last real failure (an *APIError or a connection
	// error), kept so that a deadline reports it instead of only
	// "context deadline exceeded".
	lastErr error
	// nextWait is the backoff CheckRetry chose for the coming retry.
	nextWait time.Duration
	// throttled counts attempts answered 429; they do not use up RetryMax.
	throttled int
	// unanswered counts attempts that ended without an answer.
	unanswered int
	// inconclusive counts attempts that may have been applied: no answer,
	// or a 5xx.
	inconclusive int
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	cl, _ := ctx.Value(callKey{}).(*call)
	return cl
}

// call runs one logical call with retries and hands the 2xx response to
// handle (which may be nil); the body is drained and closed afterwards.
// Every other outcome is an error: *APIError for a non-2xx answer,
// *TransportError when no answer came back or the context ended while
// retrying.
func (c *Client) call(ctx context.Context, method string, u *url.URL, body any, header http.Header, handle func(*http.Response) error) error {
	resp, err := c.do(ctx, method, u, body, header)
	if err != nil {
		return err
	}
	defer func() {
		// Draining lets the pooled connection be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
		_ = resp.Body.Close()
	}()
	if handle == nil {
		return nil
	}
	return handle(resp)
}

// do runs the retry loop and returns the 2xx response with its body
// unread, or the error described at call.
func (c *Client) do(ctx context.Context, method string, u *url.URL, body any, header http.Header) (*http.Response, error) {
	cl := &call{
		method:        method,
		path:          u.EscapedPath(),
		requestID:     requestIDFor(ctx),
		correlationID: uuid.NewString(),
	}
	ctx = context.WithValue(withHTTPLogging(ctx), callKey{}, cl)

	var rawBody any
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("partnercenter: %s %s: encode request body: %w", method, cl.path, err)
		}
		rawBody = payload
	}

	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return nil, fmt.Errorf("partnercenter: %s %s: %w", method, cl.path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set(headerLocale, c.locale)
	req.Header.Set(headerRequestID, cl.requestID)
	req.Header.Set(headerCorrelationID, cl.correlationID)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for name, values := range header {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	token, err := c.bearerToken(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, cl.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	logRequestBody(ctx, cl, payload)

	resp, err := c.retryClient(ctx, cl).Do(req)
	return c.finish(ctx, cl, resp, err)
}

// finish turns the outcome of the retry loop into the documented result.
func (c *Client) finish(ctx context.Context, cl *call, resp *http.Response, err error) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			drainAndClose(resp.Body)
		}
		terr := &TransportError{Method: cl.method, Path: cl.path, Attempts: cl.attempts, Last: cl.lastErr}
		var stop *deadlineStop
		switch {
		case errors.As(err, &stop):
			terr.Cause = context.DeadlineExceeded
			terr.NextWait = stop.wait
		case ctx.Err() != nil:
			terr.Cause = ctx.Err()
		case isTokenError(err):
			terr.Cause = err
		default:
			// Connection failures used up the retries (or were not
			// retryable, like a certificate error): err is the last one.
			terr.Last = err
		}
		var apiErr *APIError
		if errors.As(terr.Last, &apiErr) {
			apiErr.Attempts, apiErr.Unanswered, apiErr.Inconclusive = cl.attempts, cl.unanswered, cl.inconclusive
		}
		return nil, terr
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := readAPIError(cl, resp, c.retry.now())
		apiErr.Attempts, apiErr.Unanswered, apiErr.Inconclusive = cl.attempts, cl.unanswered, cl.inconclusive
		return nil, apiErr
	}
	return resp, nil
}

// retryClient builds the go-retryablehttp client for one call. It is cheap
// (the pooled http.Client is shared) and lets the hooks see the call state.
func (c *Client) retryClient(ctx context.Context, cl *call) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   c.httpClient,
		Logger:       retryLogger{ctx: ctx},
		RetryWaitMin: c.retry.waitMin,
		RetryWaitMax: c.retry.waitMax,
		// checkRetry enforces the real limits (see maxThrottledRetries).
		RetryMax: c.retry.max + maxThrottledRetries,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			return c.checkRetry(ctx, cl, resp, err)
		},
		// The wait was chosen by checkRetry, which needs it first to
		// decide whether the retry still fits before the deadline.
		Backoff: func(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
			return cl.nextWait
		},
		// Hand back the last response (or error) instead of draining it,
		// so its body becomes the APIError the caller sees.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: func(req *http.Request) error {
			return c.prepareRetry(req)
		},
	}
}

// prepareRetry puts a fresh bearer token on the retried request: the one
// used by the failed attempt may have expired during the backoff.
func (c *Client) prepareRetry(req *http.Request) error {
	c.stats.recordRetry()
	token, err := c.bearerToken(req.Context())
	if err != nil {
		return err
	}
	// The previous attempt's transport may still hold the old map.
	req.Header = req.Header.Clone()
	req.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// tokenError marks a failure of the TokenProvider.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "get access token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

func isTokenError(err error) bool {
	var te *tokenError
	return errors.As(err, &te)
}

func (c *Client) bearerToken(ctx context.Context) (string, error) {
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return "", &tokenError{err: err}
	}
	if token == "" {
		return "", &tokenError{err: errors.New("token provider returned an empty token")}
	}
	return token, nil
}

// maxEntityBytes bounds a single decoded entity; Partner Center entities
// are a few KiB.
const maxEntityBytes = 16 << 20

// errEmptyBody reports a 2xx answer without an entity.
var errEmptyBody = errors.New("empty response body")

// decodeEntity reads one JSON entity from a response body. It returns
// errEmptyBody for an empty body or a JSON null.
func decodeEntity(body io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(body, maxEntityBytes+1))
	if err != nil {
		return fmt.Errorf("read response body: %w", err)
	}
	if len(data) > maxEntityBytes {
		return fmt.Errorf("response body larger than %d bytes", maxEntityBytes)
	}
	if isEmptyJSON(data) {
		return errEmptyBody
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode response body: %w", err)
	}
	return nil
}

func isEmptyJSON(data []byte) bool {
	trimmed := trimJSONSpace(data)
	return len(trimmed) == 0 || string(trimmed) == "null"
}

func trimJSONSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// drainLimit bounds how much of an unread body is consumed so the
// connection can be reused.
const drainLimit = 64 << 10

func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, drainLimit))
	_ = body.Close()
}
