// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The MS-RequestId modes: a repeated create after a lost answer is
// replayed, refused with 409 900104, or processed as a new request.
func TestRequestIDModes(t *testing.T) {
	cases := []struct {
		mode          string
		status        int
		code          string
		transfers     int
		replayed, ref int
	}{
		{RequestIDReplay, http.StatusCreated, "", 1, 1, 0},
		{RequestIDConflict, http.StatusConflict, codeProcessedElsewhere, 1, 0, 1},
		{RequestIDNone, http.StatusCreated, "", 2, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.RequestIDMode = tc.mode })
			h.token(targetTenant)
			h.e.SetFaults(Fault{Route: RouteCreate, Kind: FaultDropAfterCommit, Count: 1})
			c := call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant),
				headers: map[string]string{"MS-RequestId": "5d0c3e9a-1b7f-4f6e-8a2d-3c4b5a697881"}}
			if _, err := h.try(c); err == nil {
				t.Fatal("want the answer lost")
			}
			res := h.do(c)
			if res.status != tc.status {
				t.Fatalf("repeat: HTTP %d %s, want %d", res.status, res.body, tc.status)
			}
			if tc.code != "" {
				res.expectError(t, tc.status, tc.code)
			}
			s := h.e.Stats()
			if n := len(h.e.Transfers()); n != tc.transfers || s.Replayed != tc.replayed || s.RepeatsRefused != tc.ref {
				t.Errorf("%d transfers, stats %s; want %d transfers, %d replayed, %d refused", n, describe(s), tc.transfers, tc.replayed, tc.ref)
			}
		})
	}
	if _, err := New(Options{RequestIDMode: "sometimes"}); err == nil || !strings.Contains(err.Error(), "request ID mode") {
		t.Errorf("an unknown mode: %v", err)
	}
}

// A line item that fails k times shows Failed with its code while the
// transfer stays InProgress, then succeeds.
func TestLineItemFailsThenSucceeds(t *testing.T) {
	h := newHarness(t)
	sub := subBusiness
	h.e.SetSubscriptionOutcome(sub, Outcome{FailuresBeforeSuccess: 2, Code: "900103"})
	tr := h.create()
	h.submit(tr.ID, item(sub, "OnlineServicesNCE"))
	delay := h.e.CompletionDelay()
	for round := 1; round <= 2; round++ {
		h.e.Advance(delay)
		raw := h.do(call{tenant: sourceTenant, method: http.MethodGet, path: transferPath(customerID, tr.ID)}).raw(t)
		items, _ := raw["lineItems"].([]any)
		li, _ := items[0].(map[string]any)
		if raw["status"] != "InProgress" || li["status"] != "Failed" || li["transferErrorCode"] != "900103" {
			t.Fatalf("round %d: transfer %v, line %v; want InProgress with the line Failed 900103", round, raw["status"], li)
		}
	}
	h.e.Advance(delay + time.Second)
	raw := h.do(call{tenant: sourceTenant, method: http.MethodGet, path: transferPath(customerID, tr.ID)}).raw(t)
	if raw["status"] != "Complete" {
		t.Errorf("after the retries the transfer is %v, want Complete", raw["status"])
	}
}
