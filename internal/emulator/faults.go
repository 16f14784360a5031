// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault kinds.
const (
	// FaultLatency delays the request by Latency, then serves it normally.
	FaultLatency = "latency"
	// FaultStatus answers with Status (default 503) without serving the
	// request; a 429 gets the throttling body and Retry-After.
	FaultStatus = "status"
	// FaultDropBeforeCommit closes the connection without doing anything.
	FaultDropBeforeCommit = "drop-before"
	// FaultDropAfterCommit performs the request (the change is stored and,
	// with an MS-RequestId, remembered for replay), then closes the
	// connection without a response.
	FaultDropAfterCommit = "drop-after-commit"
)

// Fault injects a failure into matching requests.
type Fault struct {
	// Route is a route name ("create", "get", "list", "submit", "cancel",
	// "token", "webhook-*"...); "" or "*" matches every route.
	Route string `json:"route,omitempty"`
	// Method is an HTTP method; "" matches every method.
	Method string `json:"method,omitempty"`
	// Kind is one of the Fault* kinds.
	Kind string `json:"kind"`
	// Status is the HTTP status of a FaultStatus (default 503).
	Status int `json:"status,omitempty"`
	// Latency is the delay of a FaultLatency.
	Latency time.Duration `json:"latency,omitempty"`
	// RetryAfter is the Retry-After header value in seconds of a
	// FaultStatus (0 = no header, except 429 which always gets one).
	RetryAfter int `json:"retryAfter,omitempty"`
	// Count limits how many times the fault fires (0 = unlimited).
	Count int `json:"count,omitempty"`
	// Every makes the fault fire on every Nth match only (0 or 1 = each).
	Every int `json:"every,omitempty"`
}

// MarshalJSON writes Latency as a Go duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	type plain Fault
	v := struct {
		plain
		Latency string `json:"latency,omitempty"`
	}{plain: plain(f)}
	if f.Latency > 0 {
		v.Latency = f.Latency.String()
	}
	return json.Marshal(v)
}

// UnmarshalJSON accepts Latency as a duration string ("250ms") or nanoseconds.
func (f *Fault) UnmarshalJSON(b []byte) error {
	type plain Fault
	var v struct {
		plain
		Latency jsonDuration `json:"latency"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Fault(v.plain)
	f.Latency = time.Duration(v.Latency)
	return nil
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultLatency:
		if f.Latency <= 0 {
			return fmt.Errorf("fault %q needs a positive latency", f.Kind)
		}
	case FaultStatus:
		if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
			return fmt.Errorf("fault status must be 4xx or 5xx, got %d", f.Status)
		}
	case FaultDropBeforeCommit, FaultDropAfterCommit:
	default:
		return fmt.Errorf("unknown fault kind %q (want %s, %s, %s or %s)", f.Kind,
			FaultLatency, FaultStatus, FaultDropBeforeCommit, FaultDropAfterCommit)
	}
	if f.Count < 0 || f.Every < 0 || f.RetryAfter < 0 {
		return fmt.Errorf("fault count, every and retryAfter must not be negative")
	}
	return nil
}

func (f Fault) matches(route, method string) bool {
	routeOK := f.Route == "" || f.Route == "*" || strings.EqualFold(f.Route, route)
	methodOK := f.Method == "" || strings.EqualFold(f.Method, method)
	return routeOK && methodOK
}

// faultDecision is what the fault list decided for one request.
type faultDecision struct {
	latency time.Duration
	// terminal is the first status/drop fault that fired, if any.
	terminal *Fault
	injected int
}

// faultList holds the active faults and how often each matched and fired.
type faultList struct {
	mu      sync.Mutex
	faults  []Fault
	matched []int
	fired   []int
}

func (l *faultList) set(faults []Fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.faults = append([]Fault(nil), faults...)
	l.matched = make([]int, len(faults))
	l.fired = make([]int, len(faults))
}

func (l *faultList) list() []Fault {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Fault{}, l.faults...)
}

// decide counts the request against every matching fault and returns the
// latency to add and the terminal fault to apply. Latencies add up; only the
// first terminal fault that fires applies, and later ones do not count as
// fired (they did not happen).
func (l *faultList) decide(route, method string) faultDecision {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d faultDecision
	for i := range l.faults {
		f := &l.faults[i]
		if !f.matches(route, method) {
			continue
		}
		l.matched[i]++
		if f.Every > 1 && l.matched[i]%f.Every != 0 {
			continue
		}
		if f.Count > 0 && l.fired[i] >= f.Count {
			continue
		}
		if f.Kind != FaultLatency && d.terminal != nil {
			continue
		}
		l.fired[i]++
		d.injected++
		if f.Kind == FaultLatency {
			d.latency += f.Latency
			continue
		}
		fault := *f
		d.terminal = &fault
	}
	return d
}

// dropConnection closes the client connection without writing a response,
// so the client sees a connection error rather than an HTTP status.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close() // Nothing useful to do if closing fails; the client sees a broken connection either way.
		return
	}
	// HTTP/2 cannot be hijacked; aborting the handler resets the stream.
	panic(http.ErrAbortHandler)
}
