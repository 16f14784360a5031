// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// Emulator is an in-memory Partner Center transfer API with a fake Entra ID.
// It is safe for concurrent use.
type Emulator struct {
	opts  Options
	clock *virtualClock
	entra *fakeentra.Server
	// realm is this instance's WWW-Authenticate realm id.
	realm string

	// mu guards the world and the fields below it.
	mu              sync.Mutex
	w               *world
	completionDelay time.Duration
	// listEpoch changes on Reset so continuation tokens from before it
	// are rejected instead of silently paging through different data.
	listEpoch int64
	// listScanned counts transfer records touched by list requests; tests
	// use it to prove paging cost does not grow with the offset.
	listScanned int64

	events  eventBus
	faults  faultList
	limiter *rateLimiter
	idem    *idempotencyStore
	stats   statsCounter

	routes      []*route
	adminRoutes []adminRoute
	resetHooks  []func()

	// audit is the activity log of transfers (audit.go).
	audit *auditService
	// webhooks is the registration API and delivery service (webhooks.go).
	webhooks *webhookService
}

// New validates the options and seed and returns a ready Emulator.
func New(opts Options) (*Emulator, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("emulator options: %w", err)
	}
	w, err := worldFromSeed(opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("emulator seed: %w", err)
	}
	var apps []fakeentra.App
	for _, id := range w.partnerOrder {
		apps = append(apps, w.partners[id].Apps...)
	}
	entra, err := fakeentra.New(fakeentra.Options{Apps: apps, TokenLifetime: opts.TokenLifetime, Now: opts.RealClock})
	if err != nil {
		return nil, fmt.Errorf("fake Entra ID: %w", err)
	}
	e := &Emulator{
		opts:            opts,
		clock:           newVirtualClock(opts.Start, opts.Speed, opts.RealClock),
		entra:           entra,
		realm:           uuid.NewString(),
		w:               w,
		completionDelay: opts.CompletionDelay,
		limiter:         newRateLimiter(opts.RateLimit, opts.RealClock),
		idem:            newIdempotencyStore(opts.IdempotencyKeys),
	}
	e.mu.Lock()
	e.scheduleAllLocked()
	e.mu.Unlock()
	e.addTransferRoutes()
	e.addCustomerRoutes()
	e.addProfileRoutes()
	e.addAdminRoutes()
	// Audit first: webhook envelopes link the records it writes per event.
	e.audit = newAuditService(e)
	e.webhooks = newWebhookService(e)
	return e, nil
}

// lock takes the state lock and applies every transition due by now, which
// it returns (truncated to .NET's 100ns tick, the wire precision).
func (e *Emulator) lock() time.Time {
	e.mu.Lock()
	now := e.clock.Now().Truncate(100 * time.Nanosecond)
	e.settleLocked(now)
	return now
}

// unlock releases the state lock and then delivers queued events.
func (e *Emulator) unlock() {
	e.mu.Unlock()
	e.events.deliver()
}

// settle applies due transitions without doing anything else.
func (e *Emulator) settle() {
	e.lock()
	e.unlock()
}

// Settle applies every transition due by the current virtual time and
// delivers its events. Every API call does this anyway; a long-running
// server calls it on a timer so webhook events fire without client traffic.
func (e *Emulator) Settle() { e.settle() }

// Now returns the virtual time.
func (e *Emulator) Now() time.Time { return e.clock.Now() }

// Advance moves the virtual clock forward by d and applies the transitions
// that became due (negative d is ignored).
func (e *Emulator) Advance(d time.Duration) {
	e.clock.Advance(d)
	e.settle()
}

// SetSpeed sets virtual seconds per real second from now on; 0 freezes the
// virtual clock (Advance still works). Negative values are ignored.
func (e *Emulator) SetSpeed(f float64) {
	if f < 0 {
		return
	}
	e.clock.SetSpeed(f)
}

// Speed returns the current clock speed.
func (e *Emulator) Speed() float64 { return e.clock.Speed() }

// Subscribe calls fn for every transfer event, in order, after the state
// change is visible. fn runs on a request goroutine: it must not block for
// long. The returned function unsubscribes.
func (e *Emulator) Subscribe(fn func(Event)) (unsubscribe func()) {
	return e.events.subscribe(fn)
}

// AddPartner adds a partner and registers its apps with the fake Entra ID.
func (e *Emulator) AddPartner(p Partner) error {
	e.lock()
	err := e.w.addPartner(p)
	var apps []fakeentra.App
	if err == nil {
		tenant, _ := canonicalGUID(p.TenantID)
		apps = e.w.partners[tenant].Apps
	}
	e.unlock()
	for _, a := range apps {
		e.entra.AddApp(a)
	}
	return err
}

// AddCustomer adds a customer with its relationships and subscriptions.
func (e *Emulator) AddCustomer(c Customer) error {
	e.lock()
	defer e.unlock()
	return e.w.addCustomer(c)
}

// Customer returns a customer with its subscriptions' current owners.
func (e *Emulator) Customer(customerID string) (Customer, bool) {
	id, ok := canonicalGUID(customerID)
	if !ok {
		return Customer{}, false
	}
	e.lock()
	defer e.unlock()
	c := e.w.customers[id]
	if c == nil {
		return Customer{}, false
	}
	out := c.Customer
	out.PartnerTenantIDs = slices.Clone(c.PartnerTenantIDs)
	out.Subscriptions = e.w.customerSubscriptions(c)
	return out, true
}

// SetSubscriptionOutcome decides how the subscription's line ends when a
// transfer containing it is processed (checked at processing time, so it
// may be set after the submit). A zero Outcome succeeds.
func (e *Emulator) SetSubscriptionOutcome(subscriptionID string, o Outcome) {
	id, ok := canonicalGUID(subscriptionID)
	if !ok {
		id = strings.ToLower(subscriptionID)
	}
	e.lock()
	defer e.unlock()
	if !o.Fail && o.FailuresBeforeSuccess == 0 {
		delete(e.w.outcomes, id)
		return
	}
	e.w.outcomes[id] = outcomeWithDefaults(o)
}

// SetCompletionDelay sets the InProgress duration for transfers submitted
// from now on (a transfer's own override wins).
func (e *Emulator) SetCompletionDelay(d time.Duration) {
	if d < 0 {
		d = 0
	}
	e.lock()
	defer e.unlock()
	e.completionDelay = d
}

// CompletionDelay returns the delay applied to new submits.
func (e *Emulator) CompletionDelay() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.completionDelay
}

// SetTransferCompletionDelay overrides one transfer's InProgress duration.
// For a Pending transfer it applies when submitted; for an InProgress one
// the completion moves to submit time + d (possibly completing it now).
func (e *Emulator) SetTransferCompletionDelay(transferID string, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("completion delay must not be negative, got %s", d)
	}
	id, _ := canonicalGUID(transferID)
	e.lock()
	defer e.unlock()
	rec := e.w.transferByID[id]
	if rec == nil {
		return fmt.Errorf("transfer %q not found", transferID)
	}
	switch rec.Status {
	case statusPending:
		rec.CompletionDelay = &d
	case statusInProgress:
		rec.CompletionDelay = &d
		rec.CompleteAt = rec.SubmittedTime.Add(d)
		e.scheduleLocked(rec)
		e.settleLocked(e.clock.Now().Truncate(100 * time.Nanosecond))
	default:
		return fmt.Errorf("transfer %s is %s; only Pending or InProgress transfers can be delayed", rec.ID, rec.Status)
	}
	return nil
}

// SetFaults replaces the fault list (no arguments clears it). It panics on
// an invalid fault: faults are set by tests and tools, where a typo must not
// silently disable the fault.
func (e *Emulator) SetFaults(f ...Fault) {
	for _, fault := range f {
		if err := fault.validate(); err != nil {
			panic("emulator: " + err.Error())
		}
	}
	e.faults.set(f)
}

// Faults returns the active fault list.
func (e *Emulator) Faults() []Fault { return e.faults.list() }

// SetRateLimit replaces the per-partner budget (zero = unlimited) and
// refills every bucket.
func (e *Emulator) SetRateLimit(r RateLimit) {
	if r.validate() != nil {
		r = RateLimit{}
	}
	e.limiter.set(r)
}

// Stats returns request counters.
func (e *Emulator) Stats() Stats { return e.stats.snapshot(e.entra.TokensIssued()) }

// ResetStats zeroes the counters.
func (e *Emulator) ResetStats() { e.stats.reset(e.entra.TokensIssued()) }

// Transfers returns every transfer (server view: transferDirection 0,
// partnertenantid the target), sorted by created time.
func (e *Emulator) Transfers() []Transfer {
	return e.transfersOf("")
}

func (e *Emulator) transfersOf(customerID string) []Transfer {
	e.lock()
	defer e.unlock()
	var out []Transfer
	for _, rec := range e.w.transfers {
		if customerID == "" || rec.CustomerTenantID == customerID {
			out = append(out, rec.view())
		}
	}
	return out
}

// Transfer returns one transfer (server view).
func (e *Emulator) Transfer(customerID, transferID string) (Transfer, bool) {
	c, _ := canonicalGUID(customerID)
	t, _ := canonicalGUID(transferID)
	e.lock()
	defer e.unlock()
	rec := e.w.transferByID[t]
	if rec == nil || rec.CustomerTenantID != c {
		return Transfer{}, false
	}
	return rec.view(), true
}

// Reset returns to the seed (seeded transfers included): partners and
// customers added at run time, other transfers, outcomes, faults, remembered MS-RequestIds and stats are
// dropped and the completion delay and rate limit return to the Options.
// The virtual clock keeps running (time never goes backwards) and issued
// tokens stay valid.
func (e *Emulator) Reset() {
	w, err := worldFromSeed(e.opts.Seed)
	if err != nil {
		panic(err) // The seed was validated by New.
	}
	e.mu.Lock()
	e.w = w
	e.completionDelay = e.opts.CompletionDelay
	e.listEpoch++
	e.scheduleAllLocked()
	e.mu.Unlock()
	e.faults.set(nil)
	e.limiter.set(e.opts.RateLimit)
	e.idem.clear()
	e.ResetStats()
	for _, hook := range e.resetHooks {
		hook()
	}
}

// onReset registers a hook that Reset runs last (for extension state).
func (e *Emulator) onReset(hook func()) { e.resetHooks = append(e.resetHooks, hook) }

func (e *Emulator) logf(format string, args ...any) {
	if e.opts.Logf != nil {
		e.opts.Logf(format, args...)
	}
}

// Handler serves the API (/v1/), webhooks (/webhooks/), audit records by id
// (/auditactivity/), the admin API
// (/_emulator/) and, on every other path, the fake Entra ID.
func (e *Emulator) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/_emulator/"):
			e.serveAdmin(w, r)
		case strings.HasPrefix(p, "/v1/"), strings.HasPrefix(p, "/webhooks/"), strings.HasPrefix(p, "/auditactivity/"):
			e.serveAPI(w, r)
		default:
			e.serveEntra(w, r)
		}
	})
}
