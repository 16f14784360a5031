// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
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
	// MaxRequestsPerSecond caps the requests of this Client, retries
	// included; 0 means no cap. Without one the Client still paces itself
	// after a 429 (see adaptiveLimiter).
	MaxRequestsPerSecond float64
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
	stats      *statsRecorder
	// answered is set by the first HTTP answer of any status: from then on
	// a failed connection is a blip worth retrying, before it the endpoint
	// is more likely wrong (see checkRetry).
	answered atomic.Bool
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
	if opts.MaxRequestsPerSecond < 0 || math.IsNaN(opts.MaxRequestsPerSecond) || math.IsInf(opts.MaxRequestsPerSecond, 0) {
		return nil, errors.New("partnercenter: the maximum request rate must be a positive number, or 0 for none")
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
	retry.waitMin = cmp.Or(retry.waitMin, DefaultRetryWaitMin)
	retry.waitMax = cmp.Or(retry.waitMax, DefaultRetryWaitMax)
	if retry.waitMax < retry.waitMin {
		retry.waitMax = retry.waitMin
	}

	stats := &statsRecorder{}
	limiter := &limitedTransport{
		limiter: newAdaptiveLimiter(opts.MaxRequestsPerSecond),
		clock:   limiterClock{now: time.Now, sleep: wait.RealClock{}.Sleep},
		stats:   stats,
	}
	c := &Client{
		base:       base,
		tokens:     opts.Token,
		httpClient: instrumentedHTTPClient(opts.HTTPClient, limiter),
		userAgent:  valueOr(opts.UserAgent, DefaultUserAgent),
		locale:     valueOr(opts.Locale, DefaultLocale),
		retry:      retry,
		stats:      stats,
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

// maxIdleConnsPerHost keeps one idle connection per Terraform worker and
// then some: cleanhttp's default (GOMAXPROCS+1, 3 on two cores) is below
// Terraform's -parallelism of 10, so every burst closed the extra
// connections and the next one paid new TLS handshakes.
const maxIdleConnsPerHost = 64

// defaultHTTPClient is a cleanhttp pooled client whose idle pool fits
// Terraform's parallelism.
func defaultHTTPClient() *http.Client {
	hc := cleanhttp.DefaultPooledClient()
	if t, ok := hc.Transport.(*http.Transport); ok {
		t.MaxIdleConns = max(t.MaxIdleConns, maxIdleConnsPerHost)
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	}
	return hc
}

// instrumentedHTTPClient copies base (or defaultHTTPClient) and wraps its
// transport with the shared rate limiter and per-attempt logging. The
// caller's client is left untouched.
func instrumentedHTTPClient(base *http.Client, limiter *limitedTransport) *http.Client {
	if base == nil {
		base = defaultHTTPClient()
	}
	hc := *base
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	limiter.next = &loggingTransport{next: next}
	hc.Transport = limiter
	return &hc
}

func valueOr(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}
