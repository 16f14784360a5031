// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"sync"
)

// createClaims is this provider process's record of the transfers Create
// has put in state and of the creates still waiting for an answer.
var createClaims = &claimRegistry{}

// claimRegistry lets the search for a lost create claim only a transfer
// that no other resource of the same apply holds: without it, parallel
// identical requests that lose their answers (an interrupt, a timeout) all
// record the same transfer and leave the others orphaned.
type claimRegistry struct {
	mu       sync.Mutex
	claimed  map[string]bool // lower-case transfer IDs
	inflight map[string]int  // lower-case customer ID -> creates awaiting an answer
	answered chan struct{}   // closed when a create gets its answer
}

// begin counts a create of the customer as waiting for its answer.
func (r *claimRegistry) begin(customerID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight == nil {
		r.inflight, r.claimed = map[string]int{}, map[string]bool{}
	}
	r.inflight[strings.ToLower(customerID)]++
}

// end records a create's answer; transferID, when not empty, is claimed.
func (r *claimRegistry) end(customerID, transferID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inflight[strings.ToLower(customerID)]--
	if transferID != "" {
		r.claimed[strings.ToLower(transferID)] = true
	}
	if r.answered != nil {
		close(r.answered)
		r.answered = nil
	}
}

// settle waits until no create of the customer awaits an answer, or ctx ends.
func (r *claimRegistry) settle(ctx context.Context, customerID string) {
	for {
		r.mu.Lock()
		if r.inflight[strings.ToLower(customerID)] <= 0 {
			r.mu.Unlock()
			return
		}
		if r.answered == nil {
			r.answered = make(chan struct{})
		}
		answered := r.answered
		r.mu.Unlock()
		select {
		case <-answered:
		case <-ctx.Done():
			return
		}
	}
}

// claim takes transferID unless a create already holds it.
func (r *claimRegistry) claim(transferID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := strings.ToLower(transferID)
	if r.claimed == nil {
		r.claimed = map[string]bool{}
	}
	if r.claimed[id] {
		return false
	}
	r.claimed[id] = true
	return true
}
