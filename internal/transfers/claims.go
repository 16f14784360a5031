// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"strings"
	"sync"
)

// claims is one Service's record of the transfers its creates hold and of
// the creates that hold none yet. Parallel creates with identical inputs
// (count, for_each) all match the same search; claims make each adopt a
// different transfer, and keep the extras check from touching a transfer
// another create is about to claim.
type claims struct {
	mu      sync.Mutex
	held    map[string]bool // lower-case transfer IDs
	pending map[string]int  // lower-case customer ID -> creates without a transfer
	posting map[string]int  // lower-case customer ID -> POSTs awaiting an answer
	changed chan struct{}   // closed on every change of pending or posting
}

func newClaims() *claims {
	return &claims{held: map[string]bool{}, pending: map[string]int{}, posting: map[string]int{}}
}

func (c *claims) notifyLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// begin counts a create of the customer that holds no transfer yet.
func (c *claims) begin(customerID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[strings.ToLower(customerID)]++
}

// done ends a create; transferID, when not empty, becomes held.
func (c *claims) done(customerID, transferID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[strings.ToLower(customerID)]--
	if transferID != "" {
		c.held[strings.ToLower(transferID)] = true
	}
	c.notifyLocked()
}

// posted brackets one POST: posting(+1) before, posting(-1) after, with
// the transfer it returned (held at once, before anyone can search).
func (c *claims) posted(customerID string, delta int, transferID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posting[strings.ToLower(customerID)] += delta
	if transferID != "" {
		c.held[strings.ToLower(transferID)] = true
	}
	c.notifyLocked()
}

// claim takes transferID unless a create already holds it.
func (c *claims) claim(transferID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := strings.ToLower(transferID)
	if c.held[id] {
		return false
	}
	c.held[id] = true
	return true
}

// isHeld reports a transfer a create of this Service holds.
func (c *claims) isHeld(transferID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held[strings.ToLower(transferID)]
}

// settle waits until quiet reports true for the customer's counters, or
// ctx ends; it reports whether quiet was reached.
func (c *claims) settle(ctx context.Context, customerID string, quiet func(pending, posting int) bool) bool {
	key := strings.ToLower(customerID)
	for {
		c.mu.Lock()
		if quiet(c.pending[key], c.posting[key]) {
			c.mu.Unlock()
			return true
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return false
		}
	}
}

// claimFirstIfQuiet claims the first of ids no create holds, but only
// while quiet holds for the customer's counters: a POST still awaiting its
// answer may have made one of ids, and its answer holds it. quiet reports
// false when the counters said wait; the caller settles and lists again.
func (c *claims) claimFirstIfQuiet(customerID string, ids []string, quiet func(pending, posting int) bool) (claimed string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := strings.ToLower(customerID)
	if !quiet(c.pending[key], c.posting[key]) {
		return "", false
	}
	for _, id := range ids {
		if lower := strings.ToLower(id); !c.held[lower] {
			c.held[lower] = true
			return id, true
		}
	}
	return "", true
}
