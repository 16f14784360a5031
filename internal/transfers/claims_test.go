// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"context"
	"testing"
	"time"
)

// A POST's answer holds its transfer, a claim is exclusive, and settle
// waits until no POST of the customer awaits its answer.
func TestClaims(t *testing.T) {
	c := newClaims()
	c.posted("CUSTOMER", +1, "")
	c.posted("customer", +1, "")
	settled := make(chan struct{})
	go func() {
		c.settle(t.Context(), "Customer", func(_, posting int) bool { return posting == 0 })
		close(settled)
	}()
	c.posted("customer", -1, "TRANSFER-1")
	select {
	case <-settled:
		t.Fatal("settle returned while a POST still awaited its answer")
	case <-time.After(50 * time.Millisecond):
	}
	c.posted("CUSTOMER", -1, "")
	select {
	case <-settled:
	case <-time.After(10 * time.Second):
		t.Fatal("settle did not return once every POST had its answer")
	}
	if c.claim("transfer-1") {
		t.Error("a search claimed a transfer another create holds")
	}
	if !c.claim("transfer-2") || c.claim("TRANSFER-2") {
		t.Error("a free transfer must be claimable exactly once")
	}
	// A cancelled wait gives up.
	c.begin("other")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if c.settle(ctx, "other", func(pending, _ int) bool { return pending == 0 }) {
		t.Error("settle reported quiet while a create was pending")
	}
}
