// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Defaults applied by New for zero-valued Options fields.
const (
	DefaultLocale       = "en-US"
	DefaultRetryMax     = 10
	DefaultRetryWaitMin = time.Second
	DefaultRetryWaitMax = 60 * time.Second
	DefaultUserAgent    = "terraform-provider-partnercenter"
)

// TokenProvider returns a valid bearer token. The client calls it for every
// attempt, retries included, because tokens expire during long waits.
type TokenProvider interface {
	Token(ctx context.Context) (string, error)
}

// Options configures a Client.
type Options struct {
	// Endpoint is the base URL without the version segment, for example
	// https://api.partnercenter.microsoft.com.
	Endpoint string
	// Token supplies the bearer token for each attempt.
	Token TokenProvider
	// HTTPClient is the base client whose transport carries the requests;
	// nil means a go-cleanhttp pooled client. It is copied, never modified.
	HTTPClient *http.Client
	// UserAgent is the complete User-Agent header value.
	UserAgent string
	// Locale is sent as X-Locale; default "en-US".
	Locale string
	// RetryMax is the number of retries after the first attempt; 0 means
	// the default of 10 and a negative value disables retries.
	RetryMax int
	// RetryWaitMin is the smallest computed backoff; default 1s.
	RetryWaitMin time.Duration
	// RetryWaitMax caps the computed backoff; default 60s. A Retry-After
	// header is honored even when longer, but never past the context
	// deadline.
	RetryWaitMax time.Duration
}

// Client calls the Partner Center transfer and webhook APIs. It is safe for
// concurrent use.
type Client struct {
	base       *url.URL
	tokens     TokenProvider
	httpClient *http.Client
	userAgent  string
	locale     string
	retry      retryPolicy
	stats      statsRecorder
}

// New validates opts, applies defaults and returns a Client.
func New(opts Options) (*Client, error) {
	base, err := parseEndpoint(opts.Endpoint)
	if err != nil {
		return nil, err
	}
	if opts.Token == nil {
		return nil, errors.New("partnercenter: a TokenProvider is required")
	}
	if opts.RetryWaitMin < 0 || opts.RetryWaitMax < 0 {
		return nil, errors.New("partnercenter: retry wait bounds must not be negative")
	}

	retry := retryPolicy{
		max:     opts.RetryMax,
		waitMin: opts.RetryWaitMin,
		waitMax: opts.RetryWaitMax,
		now:     time.Now,
		random:  rand.Int64N,
	}
	switch {
	case retry.max == 0:
		retry.max = DefaultRetryMax
	case retry.max < 0:
		retry.max = 0
	}
	if retry.waitMin == 0 {
		retry.waitMin = DefaultRetryWaitMin
	}
	if retry.waitMax == 0 {
		retry.waitMax = DefaultRetryWaitMax
	}
	if retry.waitMax < retry.waitMin {
		retry.waitMax = retry.waitMin
	}

	c := &Client{
		base:       base,
		tokens:     opts.Token,
		httpClient: loggingHTTPClient(opts.HTTPClient),
		userAgent:  valueOr(opts.UserAgent, DefaultUserAgent),
		locale:     valueOr(opts.Locale, DefaultLocale),
		retry:      retry,
	}
	return c, nil
}

// parseEndpoint accepts an absolute http(s) URL with a host and no query or
// fragment, and strips a trailing slash so paths can be appended.
func parseEndpoint(endpoint string) (*url.URL, error) {
	if strings.TrimSpace(endpoint) == "" {
		return nil, errors.New("partnercenter: endpoint is required")
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("partnercenter: invalid endpoint %q: %w", endpoint, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("partnercenter: endpoint %q must be an absolute http or https URL", endpoint)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("partnercenter: endpoint %q has no host", endpoint)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("partnercenter: endpoint %q must not contain credentials, a query or a fragment", endpoint)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// loggingHTTPClient copies base (or a pooled cleanhttp client) and wraps its
// transport with per-attempt logging. The caller's client is left untouched.
func loggingHTTPClient(base *http.Client) *http.Client {
	if base == nil {
		base = cleanhttp.DefaultPooledClient()
	}
	hc := *base
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &loggingTransport{next: next}
	return &hc
}

func valueOr(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}
