// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// Scans read this many customers at a time unless Query.Concurrency says
// otherwise. Every request still waits for the client's throttling budget,
// so this only bounds requests in flight (and customers held in memory).
const (
	DefaultConcurrency = 8
	MaxConcurrency     = 64
)

// Filter keeps the transfers that match every field set; the zero Filter
// matches everything. Partner Center has no filter parameters: a filter is
// applied while the pages are read.
type Filter struct {
	// Status is compared without case (the decoder already gave every
	// spelling of a status one form).
	Status Status
	// Direction is the caller's side: Incoming or Outgoing.
	Direction    Direction
	TransferType int
	// The partners' tenant IDs are compared without case.
	SourcePartnerTenantID string
	TargetPartnerTenantID string
}

// Matches reports whether t passes every condition of f.
func (f Filter) Matches(t *partnercenter.Transfer) bool {
	switch {
	case f.Status != "" && !strings.EqualFold(t.Status, string(f.Status)):
		return false
	case f.Direction != "" && DirectionOf(t) != f.Direction:
		return false
	case f.TransferType != 0 && t.TransferType != f.TransferType:
		return false
	case f.SourcePartnerTenantID != "" && !strings.EqualFold(t.SourcePartnerTenantID, f.SourcePartnerTenantID):
		return false
	case f.TargetPartnerTenantID != "" && !strings.EqualFold(t.TargetPartnerTenantID, f.TargetPartnerTenantID):
		return false
	}
	return true
}

// MatchesButDirection reports a transfer that f's direction alone leaves
// out (false when f has no direction).
func (f Filter) MatchesButDirection(t *partnercenter.Transfer) bool {
	if f.Direction == "" || f.Matches(t) {
		return false
	}
	others := f
	others.Direction = ""
	return others.Matches(t)
}

// DirectionOf is the caller's side of t; "" when the service gives none.
func DirectionOf(t *partnercenter.Transfer) Direction {
	switch t.TransferDirection {
	case partnercenter.DirectionIncoming:
		return Incoming
	case partnercenter.DirectionOutgoing:
		return Outgoing
	}
	return ""
}

// Query says which transfers List reads.
type Query struct {
	// CustomerIDs are the customers read, in this order, each once (the
	// first spelling of an ID wins; IDs are compared without case). Nil
	// reads every customer of the partner, in the order the service lists
	// them.
	CustomerIDs []string
	Filter      Filter
	// Concurrency is how many customers are read at the same time: 0
	// means DefaultConcurrency.
	Concurrency int
	// WithoutLineItems drops each match's line items as it is read.
	WithoutLineItems bool
	// OtherDirection, when set, counts the transfers that only
	// Filter.Direction left out: found when nothing matched, they say the
	// caller is most likely the other partner of these transfers.
	OtherDirection *atomic.Int64
}

// Listed is one transfer found by List and the customer it was listed
// under (the service's customerTenantId may be empty).
type Listed struct {
	CustomerID string
	Transfer   *Transfer
}

// CustomerError is a customer whose transfers could not be read.
type CustomerError struct {
	CustomerID string
	Err        error
}

func (e *CustomerError) Error() string {
	return fmt.Sprintf("cannot read the transfers of customer %s: %v", e.CustomerID, e.Err)
}

func (e *CustomerError) Unwrap() error { return e.Err }

// List streams the transfers of q's customers that match q.Filter: the
// customers in order, each customer's transfers in the order the service
// lists them. Up to q.Concurrency customers are read ahead of the one being
// yielded; the customer being yielded streams page by page.
//
// When the consumer stops, nothing more is requested: customers not yet
// started are never read, and the ones under way stop before their next
// page. A customer that cannot be read ends the results: every failure
// among the customers under way is then yielded as a *CustomerError, in
// customer order (or, when the only failures are cancellations, the first
// of them). A failure to list the partner's customers is yielded as is.
func (s *Service) List(ctx context.Context, q Query) iter.Seq2[Listed, error] {
	return func(yield func(Listed, error) bool) {
		sc := newScan(ctx, s.client, q)
		defer sc.stop()
		sc.wg.Add(1)
		go sc.dispatch()
		for slot := range sc.order {
			if !sc.drain(slot, yield) {
				return
			}
			sc.release()
		}
		sc.wg.Wait()
		switch {
		case sc.failed():
			for _, err := range sc.errors() {
				if !yield(Listed{}, err) {
					return
				}
			}
		case ctx.Err() != nil: // Ended between two customers.
			yield(Listed{}, ctx.Err())
		}
	}
}

// scan is one List in progress: a dispatcher starting one worker per
// customer, at most concurrency of them started and not yet yielded.
type scan struct {
	ctx    context.Context
	cancel context.CancelFunc
	client *partnercenter.Client
	q      Query

	// order receives each customer's slot in customer order.
	order chan *slot
	// room holds one token per customer started and not yet yielded.
	room chan struct{}
	wg   sync.WaitGroup

	mu          sync.Mutex
	slots       []*slot
	listErr     error
	anyFailure  bool
	stopped     bool
	failureSeen chan struct{}
}

// slot is one customer's results as its worker reads them.
type slot struct {
	customerID string
	mu         sync.Mutex
	items      []Listed
	done       bool
	err        error
	// ready is signalled when items grow or the worker ends.
	ready chan struct{}
	// waiting is set while the consumer has yielded every item and wants
	// more: only then is the customer's next page requested. more is
	// signalled when it is set.
	waiting bool
	more    chan struct{}
}

func newScan(ctx context.Context, client *partnercenter.Client, q Query) *scan {
	workers := q.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	ctx, cancel := context.WithCancel(ctx)
	return &scan{
		ctx: ctx, cancel: cancel, client: client, q: q,
		order:       make(chan *slot, workers),
		room:        make(chan struct{}, workers),
		failureSeen: make(chan struct{}),
	}
}

// dispatch starts a worker per customer, in order, while there is room.
func (sc *scan) dispatch() {
	defer sc.wg.Done()
	defer close(sc.order)
	start := func(customerID string) error {
		select {
		case sc.room <- struct{}{}:
		case <-sc.ctx.Done():
			return sc.ctx.Err()
		}
		if err := sc.ctx.Err(); err != nil {
			return err
		}
		sl := &slot{customerID: customerID, ready: make(chan struct{}, 1), more: make(chan struct{}, 1)}
		sc.mu.Lock()
		sc.slots = append(sc.slots, sl)
		sc.mu.Unlock()
		sc.wg.Add(1)
		go sc.read(sl)
		sc.order <- sl // Never blocks: order has room for every started slot.
		return nil
	}
	if sc.q.CustomerIDs != nil {
		seen := make(map[string]bool, len(sc.q.CustomerIDs))
		for _, id := range sc.q.CustomerIDs {
			if key := strings.ToLower(id); !seen[key] {
				seen[key] = true
				if start(id) != nil {
					return
				}
			}
		}
		return
	}
	err := sc.client.ListCustomers(sc.ctx, 0, func(c partnercenter.Customer) error { return start(c.TenantID()) })
	if err == nil {
		return
	}
	sc.mu.Lock()
	if !sc.anyFailure && !sc.stopped { // Not a stop this scan asked for.
		sc.listErr = fmt.Errorf("cannot list the partner's customers to read their transfers: %w", err)
	}
	sc.mu.Unlock()
	sc.fail()
}

// read lists one customer's transfers into its slot.
func (sc *scan) read(sl *slot) {
	defer sc.wg.Done()
	// The first page is read ahead; each further page waits until the
	// consumer has yielded the previous ones and asks for more. So a
	// consumer that stops sends no further request, and a customer read
	// ahead holds at most one page.
	ctx := partnercenter.BeforeNextPage(sc.ctx, func(ctx context.Context) error {
		for {
			sl.mu.Lock()
			wanted := sl.waiting && len(sl.items) == 0
			sl.mu.Unlock()
			if wanted {
				return nil
			}
			select {
			case <-sl.more:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	err := sc.client.ListTransfers(ctx, sl.customerID, func(t partnercenter.Transfer) error {
		if !sc.q.Filter.Matches(&t) {
			if sc.q.OtherDirection != nil && sc.q.Filter.MatchesButDirection(&t) {
				sc.q.OtherDirection.Add(1)
			}
			return nil
		}
		if sc.q.WithoutLineItems {
			t.LineItems = nil
		}
		sl.mu.Lock()
		sl.items = append(sl.items, Listed{CustomerID: sl.customerID, Transfer: &Transfer{Transfer: t}})
		sl.mu.Unlock()
		sl.signal()
		return nil
	})
	if err != nil {
		sc.fail() // Before done: the consumer must not yield past a failure.
	}
	sl.mu.Lock()
	sl.done, sl.err = true, err
	sl.mu.Unlock()
	sl.signal()
}

func (sl *slot) signal() {
	select {
	case sl.ready <- struct{}{}:
	default:
	}
}

// fail stops starting customers after the first failure, so a broken scan
// does not spend the throttling budget.
func (sc *scan) fail() {
	sc.mu.Lock()
	first := !sc.anyFailure
	sc.anyFailure = true
	sc.mu.Unlock()
	if first {
		sc.cancel() // First: the dispatcher checks it once the consumer makes room.
		close(sc.failureSeen)
	}
}

func (sc *scan) failed() bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.anyFailure
}

// drain yields a slot's items as they arrive until its worker ends. It
// returns false when the consumer stopped or a customer failed.
func (sc *scan) drain(sl *slot, yield func(Listed, error) bool) bool {
	for {
		sl.mu.Lock()
		batch, done := sl.items, sl.done
		sl.items = nil // Yielded items are the consumer's alone.
		sl.waiting = len(batch) == 0 && !done
		sl.mu.Unlock()
		for _, it := range batch {
			if sc.failed() {
				return true // Drop the rest: the caller gets the failures instead.
			}
			if !yield(it, nil) {
				return false
			}
		}
		if done {
			return true
		}
		if len(batch) == 0 {
			select {
			case sl.more <- struct{}{}:
			default:
			}
		} else {
			continue // Look again before waiting: more may have come.
		}
		select {
		case <-sl.ready:
		case <-sc.failureSeen:
			return true
		}
	}
}

// release frees the room of the customer just yielded.
func (sc *scan) release() { <-sc.room }

// stop cancels what is under way and waits for it: after List returns, no
// request of it is in flight.
func (sc *scan) stop() {
	sc.mu.Lock()
	sc.stopped = true
	sc.mu.Unlock()
	sc.cancel()
	sc.wg.Wait()
}

// errors are the failures to report, in customer order: every one that is
// not a cancellation, else the first cancellation (the caller's context
// ended).
func (sc *scan) errors() []error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.listErr != nil {
		return []error{sc.listErr}
	}
	var out []error
	var firstCancel error
	for _, sl := range sc.slots {
		if sl.err == nil {
			continue
		}
		if errors.Is(sl.err, context.Canceled) {
			if firstCancel == nil {
				firstCancel = &CustomerError{CustomerID: sl.customerID, Err: sl.err}
			}
			continue
		}
		out = append(out, &CustomerError{CustomerID: sl.customerID, Err: sl.err})
	}
	if len(out) == 0 && firstCancel != nil {
		out = append(out, firstCancel)
	}
	return out
}

// Key is what orders a complete result: created time (unknown first),
// then customer (without case), then id.
type Key struct {
	Created    *time.Time
	CustomerID string
	ID         string
}

// Key is l's place in a complete result.
func (l Listed) Key() Key {
	return Key{Created: l.Transfer.CreatedTime, CustomerID: l.CustomerID, ID: l.Transfer.ID}
}

// CompareKeys orders two keys (for slices.SortFunc).
func CompareKeys(a, b Key) int {
	switch {
	case a.Created == nil && b.Created != nil:
		return -1
	case a.Created != nil && b.Created == nil:
		return 1
	case a.Created != nil:
		if c := a.Created.Compare(*b.Created); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(strings.ToLower(a.CustomerID), strings.ToLower(b.CustomerID)); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
