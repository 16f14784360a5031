// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// List shapes of GET /v1/customers/{c}/transfers.
const (
	// ListShapeCollection is the paged {totalCount, items, links} shape.
	ListShapeCollection = "collection"
	// ListShapeArray is a bare JSON array of every transfer (legacy doc example).
	ListShapeArray = "array"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultPageSize        = 100
	DefaultTokenLifetime   = time.Hour
	DefaultCompletionDelay = 5 * time.Minute
	DefaultPendingExpiry   = 30 * 24 * time.Hour
	DefaultIdempotencyKeys = 100_000
)

// Options configures an Emulator. Zero values mean the documented default.
type Options struct {
	// Seed holds the partners, customers, subscriptions and relationships
	// the emulator starts with (and returns to on Reset).
	Seed Seed
	// Start is the virtual clock's start (default: time.Now()).
	Start time.Time
	// Speed is virtual seconds per real second (default 1).
	Speed float64
	// PageSize is the list page size in the collection shape (default 100).
	PageSize int
	// ListShape is ListShapeCollection (default) or ListShapeArray.
	ListShape string
	// TokenLifetime is the lifetime of access tokens the fake Entra ID issues
	// (default 1h, measured on the real clock).
	TokenLifetime time.Duration
	// CompletionDelay is how long a submitted transfer stays InProgress
	// before it completes or fails (default 5m of virtual time).
	CompletionDelay time.Duration
	// PendingExpiry is how long a Pending transfer waits for the source
	// partner before it expires (default 30 days of virtual time).
	PendingExpiry time.Duration
	// CanceledStatus is the status stored after a cancel (default "Canceled").
	CanceledStatus string
	// FailedStatus is the status stored when any line fails (default "Failed").
	FailedStatus string
	// RateLimit is the per-partner request budget; zero means unlimited.
	RateLimit RateLimit
	// IdempotencyKeys bounds how many (partner, MS-RequestId) responses are
	// remembered for replay (default 100,000; oldest are forgotten first).
	IdempotencyKeys int
	// RequestIDMode is what a repeated (partner, MS-RequestId) POST or
	// PATCH gets, which Microsoft does not document: RequestIDReplay
	// (default) replays the first answer, RequestIDConflict answers 409
	// with code 900104, RequestIDNone processes every request as new.
	RequestIDMode string
	// Logf receives one line per request (never tokens or bodies); optional.
	Logf func(format string, args ...any)
	// Wire picks which documented form of the TransferEntity the answers
	// take (variants.go); the zero value is the default shape.
	Wire WireVariants
	// IgnoreUnknownProperties makes create and PATCH bodies bind as
	// Partner Center's .NET binder is expected to: properties no
	// documentation lists are ignored. By default they are refused with
	// 400 (properties.go), so that a client's misnamed field fails its tests.
	IgnoreUnknownProperties bool
	// Customers configures the customers and subscriptions API (customers.go).
	Customers CustomerAPIOptions
	// ProfilesNeedAppUser makes GET /v1/profiles/organization and
	// /v1/profiles/mpn answer 403 900329 (app-only not supported), as
	// Microsoft documents them for App+User credentials only and every
	// emulator token is app-only. Default: served to every caller.
	ProfilesNeedAppUser bool
	// RealClock is the real-time source for the virtual clock's elapsed
	// time, rate limiting and token expiry (default time.Now). Tests replace
	// it to stay deterministic.
	RealClock func() time.Time
}

// withDefaults validates the options and fills in defaults.
func (o Options) withDefaults() (Options, error) {
	if o.RealClock == nil {
		o.RealClock = time.Now
	}
	if o.Start.IsZero() {
		o.Start = o.RealClock()
	}
	o.Start = o.Start.UTC()
	switch {
	case o.Speed < 0:
		return o, fmt.Errorf("speed must not be negative, got %v", o.Speed)
	case o.Speed == 0:
		o.Speed = 1
	}
	switch {
	case o.PageSize < 0:
		return o, fmt.Errorf("page size must be positive, got %d", o.PageSize)
	case o.PageSize == 0:
		o.PageSize = DefaultPageSize
	}
	switch o.ListShape {
	case "":
		o.ListShape = ListShapeCollection
	case ListShapeCollection, ListShapeArray:
	default:
		return o, fmt.Errorf("list shape must be %q or %q, got %q", ListShapeCollection, ListShapeArray, o.ListShape)
	}
	if o.TokenLifetime < 0 || o.CompletionDelay < 0 || o.PendingExpiry < 0 {
		return o, errors.New("durations must not be negative")
	}
	o.TokenLifetime = cmp.Or(o.TokenLifetime, DefaultTokenLifetime)
	o.CompletionDelay = cmp.Or(o.CompletionDelay, DefaultCompletionDelay)
	o.PendingExpiry = cmp.Or(o.PendingExpiry, DefaultPendingExpiry)
	o.CanceledStatus = cmp.Or(o.CanceledStatus, statusCanceled)
	o.FailedStatus = cmp.Or(o.FailedStatus, statusFailed)
	if err := o.Wire.validate(); err != nil {
		return o, err
	}
	if err := o.RateLimit.validate(); err != nil {
		return o, err
	}
	if err := validRequestIDMode(&o.RequestIDMode); err != nil {
		return o, err
	}
	switch {
	case o.IdempotencyKeys < 0:
		return o, fmt.Errorf("idempotency keys must not be negative, got %d", o.IdempotencyKeys)
	case o.IdempotencyKeys == 0:
		o.IdempotencyKeys = DefaultIdempotencyKeys
	}
	return o, nil
}

// RateLimit is a per-partner-tenant request budget: Requests per Per, as a
// token bucket on the real clock (clients wait in real time). A zero value
// means unlimited.
type RateLimit struct {
	Requests int           `json:"requests"`
	Per      time.Duration `json:"per"`
}

// Unlimited reports whether the limit is off.
func (r RateLimit) Unlimited() bool { return r.Requests <= 0 || r.Per <= 0 }

func (r RateLimit) validate() error {
	if r.Requests < 0 || r.Per < 0 {
		return fmt.Errorf("rate limit must not be negative, got %d per %s", r.Requests, r.Per)
	}
	return nil
}

// MarshalJSON writes Per as a Go duration string ("1s").
func (r RateLimit) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Requests int    `json:"requests"`
		Per      string `json:"per"`
	}{r.Requests, r.Per.String()})
}

// UnmarshalJSON accepts Per as a duration string ("1s") or nanoseconds.
func (r *RateLimit) UnmarshalJSON(b []byte) error {
	var v struct {
		Requests int          `json:"requests"`
		Per      jsonDuration `json:"per"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = RateLimit{Requests: v.Requests, Per: time.Duration(v.Per)}
	return nil
}

// Outcome decides how a subscription's line ends when its transfer is
// processed. The zero value succeeds.
type Outcome struct {
	Fail bool `json:"fail"`
	// FailuresBeforeSuccess makes the line fail that many processing rounds
	// (shown Failed with Code while the transfer stays InProgress, as
	// Partner Center retries line-item failures) before it succeeds.
	FailuresBeforeSuccess int    `json:"failuresBeforeSuccess,omitempty"`
	Code                  string `json:"code,omitempty"`
	Message               string `json:"message,omitempty"`
}

// Default failure details when an Outcome leaves them empty: the reference's
// "transfer order not successful".
const (
	defaultFailureCode    = "900103"
	defaultFailureMessage = "Transfer order was not successful."
)

// jsonDuration reads a Go duration string ("2h", "250ms") or a number of
// nanoseconds, so admin callers can write durations readably.
type jsonDuration time.Duration

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("invalid duration %q: %w", s, err)
		}
		*d = jsonDuration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration must be a string like \"90s\" or a number of nanoseconds, got %s", b)
	}
	*d = jsonDuration(n)
	return nil
}
