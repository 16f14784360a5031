// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// admin calls the admin API without a token and decodes the answer into out.
func (h *harness) admin(method, path string, body any, out any) int {
	h.t.Helper()
	res := h.do(call{method: method, path: "/_emulator/" + path, body: body})
	if out != nil && res.status < 300 {
		if err := json.Unmarshal(res.body, out); err != nil {
			h.t.Fatalf("admin %s %s: %v\n%s", method, path, err, res.body)
		}
	}
	return res.status
}

func TestAdminClock(t *testing.T) {
	h := newHarness(t)
	var clock struct {
		Now   time.Time `json:"now"`
		Speed float64   `json:"speed"`
	}
	if st := h.admin(http.MethodPost, "clock/advance", map[string]string{"duration": "2h"}, &clock); st != 200 || !clock.Now.Equal(testStart.Add(2*time.Hour)) {
		t.Fatalf("advance: HTTP %d now %v", st, clock.Now)
	}
	if st := h.admin(http.MethodPost, "clock/speed", map[string]float64{"speed": 600}, &clock); st != 200 || clock.Speed != 600 {
		t.Fatalf("speed: HTTP %d %v", st, clock.Speed)
	}
	h.real.Advance(time.Second)
	if got := h.e.Now(); !got.Equal(testStart.Add(2*time.Hour + 10*time.Minute)) {
		t.Errorf("after 1 real second at 600x: %v", got)
	}
	for _, body := range []string{`{}`, `{"duration":"-1h"}`, `{"duration":"soon"}`, `{"duration":"1h","extra":1}`, ``} {
		if st := h.admin(http.MethodPost, "clock/advance", body, nil); st != http.StatusBadRequest {
			t.Errorf("advance %q: HTTP %d, want 400", body, st)
		}
	}
	if st := h.admin(http.MethodPost, "clock/speed", `{"speed":-1}`, nil); st != http.StatusBadRequest {
		t.Errorf("negative speed: HTTP %d", st)
	}
}

func TestAdminStateStatsAndReset(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.submit(tr.ID, item(subE3, nce))
	h.e.Advance(DefaultCompletionDelay)

	var st State
	if code := h.admin(http.MethodGet, "state?customer="+strings.ToUpper(customerID), nil, &st); code != 200 {
		t.Fatalf("state: HTTP %d", code)
	}
	if len(st.Transfers) != 1 || st.Transfers[0].Status != statusComplete || len(st.Customers) != 1 ||
		st.Customers[0].Subscriptions[0].TransferredTo == "" || len(st.Partners) != 2 ||
		st.Customers[0].Subscriptions[len(st.Customers[0].Subscriptions)-1].OwnerPartnerTenantID != targetTenant {
		t.Fatalf("state = %s", describe(st))
	}
	raw := h.do(call{method: http.MethodGet, path: "/_emulator/state"})
	if strings.Contains(string(raw.body), "emulator-secret") {
		t.Error("the admin state leaks client secrets")
	}
	if code := h.admin(http.MethodGet, "state?customer=c3c3c3c3-0000-4000-8000-000000000099", nil, &st); code != 200 || len(st.Transfers) != 0 {
		t.Errorf("state of another customer = %s", describe(st.Transfers))
	}

	var stats Stats
	h.admin(http.MethodGet, "stats", nil, &stats)
	if stats.Count(RouteCreate, http.MethodPost) != 1 || stats.Count(RouteSubmit, http.MethodPatch) != 1 {
		t.Errorf("stats = %s", describe(stats))
	}
	if stats.Total != 4 { // Two tokens, create, submit.
		t.Errorf("admin calls must not be counted: total %d", stats.Total)
	}
	h.admin(http.MethodPost, "stats/reset", nil, &stats)
	if stats.Total != 0 {
		t.Errorf("after stats/reset total = %d", stats.Total)
	}

	if code := h.admin(http.MethodPost, "reset", nil, nil); code != 200 {
		t.Fatalf("reset: HTTP %d", code)
	}
	if n := len(h.e.Transfers()); n != 0 {
		t.Errorf("%d transfers after reset", n)
	}
	if h.owner(subE3) != sourceTenant {
		t.Error("reset did not restore subscription owners")
	}
	if !h.e.Now().After(testStart) {
		t.Error("reset moved the clock back")
	}
}

func TestAdminFaultsRateLimitAndDelay(t *testing.T) {
	h := newHarness(t)
	var faults []Fault
	if code := h.admin(http.MethodPost, "faults", `[{"route":"get","kind":"latency","latency":"5ms"},{"route":"create","kind":"status","status":503,"count":1}]`, &faults); code != 200 || len(faults) != 2 {
		t.Fatalf("faults: HTTP %d %s", code, describe(faults))
	}
	if code := h.admin(http.MethodPost, "faults", `[{"kind":"nope"}]`, nil); code != http.StatusBadRequest {
		t.Errorf("invalid fault: HTTP %d", code)
	}
	if len(h.e.Faults()) != 2 {
		t.Error("an invalid fault list replaced the valid one")
	}
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant)})
	if res.status != 503 {
		t.Errorf("create with the admin-set fault: HTTP %d", res.status)
	}
	h.admin(http.MethodPost, "faults", `[]`, &faults)
	if len(h.e.Faults()) != 0 {
		t.Error("faults not cleared")
	}

	var rl RateLimit
	if code := h.admin(http.MethodPost, "ratelimit", `{"requests":50,"per":"1s"}`, &rl); code != 200 || rl != (RateLimit{Requests: 50, Per: time.Second}) {
		t.Fatalf("ratelimit: HTTP %d %s", code, describe(rl))
	}
	raw := h.do(call{method: http.MethodGet, path: "/_emulator/ratelimit"})
	if !strings.Contains(string(raw.body), `"per":"1s"`) {
		t.Errorf("ratelimit JSON = %s", raw.body)
	}

	var delay map[string]string
	if code := h.admin(http.MethodPost, "completion-delay", `{"duration":"10m"}`, &delay); code != 200 || h.e.CompletionDelay() != 10*time.Minute {
		t.Fatalf("completion-delay: HTTP %d %v", code, delay)
	}
	tr := h.create()
	if code := h.admin(http.MethodPost, "completion-delay", map[string]string{"duration": "1h", "transferId": tr.ID}, nil); code != 200 {
		t.Fatalf("per-transfer delay: HTTP %d", code)
	}
	h.submit(tr.ID, item(subE3, nce))
	h.e.Advance(30 * time.Minute)
	if got := h.get(targetTenant, tr.ID).Status; got != statusInProgress {
		t.Errorf("per-transfer delay ignored: %s", got)
	}
	if code := h.admin(http.MethodPost, "completion-delay", `{"duration":"1h","transferId":"nope"}`, nil); code != http.StatusBadRequest {
		t.Errorf("unknown transfer: HTTP %d", code)
	}
}

func TestAdminAddsCustomersPartnersAndOutcomes(t *testing.T) {
	h := newHarness(t)
	partner := `{"tenantId":"f6f6f6f6-0000-4000-8000-000000000006","name":"Tailspin","apps":[{"clientId":"f6f6f6f6-0000-4000-8000-0000000000f6","clientSecret":"tailspin-secret"}]}`
	if code := h.admin(http.MethodPost, "partners", partner, nil); code != http.StatusCreated {
		t.Fatalf("partners: HTTP %d", code)
	}
	if code := h.admin(http.MethodPost, "partners", partner, nil); code != http.StatusBadRequest {
		t.Errorf("duplicate partner: HTTP %d", code)
	}
	customer := map[string]any{
		"id": "c3c3c3c3-0000-4000-8000-0000000000aa", "name": "Adatum", "partnerTenantIds": []string{outsiderTenant, targetTenant},
		"subscriptions": []map[string]any{{"id": "d4d4d4d4-0000-4000-8000-0000000000aa", "ownerPartnerTenantId": outsiderTenant, "productType": "OnlineServicesNCE"}},
	}
	var added Customer
	if code := h.admin(http.MethodPost, "customers", customer, &added); code != http.StatusCreated || added.Subscriptions[0].Quantity != 1 {
		t.Fatalf("customers: HTTP %d %s", code, describe(added))
	}
	if code := h.admin(http.MethodPost, "customers", `{"id":"x","name":"Bad"}`, nil); code != http.StatusBadRequest {
		t.Errorf("invalid customer: HTTP %d", code)
	}
	if code := h.admin(http.MethodPost, "outcomes", `{"subscriptionId":"d4d4d4d4-0000-4000-8000-0000000000aa","fail":true,"message":"Region mismatch."}`, nil); code != 200 {
		t.Fatalf("outcomes: HTTP %d", code)
	}
	if code := h.admin(http.MethodPost, "outcomes", `[{"subscriptionId":"nope","fail":true}]`, nil); code != http.StatusBadRequest {
		t.Errorf("invalid outcome: HTTP %d", code)
	}
	// The new partner can log in and act as source of the new customer's transfer.
	h.secrets[outsiderTenant] = [2]string{"f6f6f6f6-0000-4000-8000-0000000000f6", "tailspin-secret"}
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(added.ID), body: createBodyFor(outsiderTenant)})
	tr := res.transfer(t)
	res = h.do(call{tenant: outsiderTenant, method: http.MethodPatch, path: transferPath(added.ID, tr.ID),
		body: submitBody(tr.ID, item("d4d4d4d4-0000-4000-8000-0000000000aa", nce))})
	if res.status != http.StatusOK {
		t.Fatalf("submit by the added partner: HTTP %d %s", res.status, res.body)
	}
	h.e.Advance(DefaultCompletionDelay)
	if got, _ := h.e.Transfer(added.ID, tr.ID); got.Status != statusFailed || got.LineItems[0].TransferError != "Region mismatch." {
		t.Errorf("admin outcome ignored: %s", describe(got))
	}
}

func TestAdminRouting(t *testing.T) {
	h := newHarness(t)
	if code := h.admin(http.MethodGet, "nope", nil, nil); code != http.StatusNotFound {
		t.Errorf("unknown admin path: HTTP %d", code)
	}
	res := h.do(call{method: http.MethodDelete, path: "/_emulator/state"})
	if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != http.MethodGet {
		t.Errorf("wrong method: HTTP %d Allow %q", res.status, res.header.Get("Allow"))
	}
}

func TestResetReturnsToTheSeed(t *testing.T) {
	h := newHarness(t)
	h.addOutsider()
	tr := h.create()
	h.submit(tr.ID, item(subE3, nce))
	h.e.SetFaults(Fault{Route: RouteGet, Kind: FaultStatus})
	h.e.SetRateLimit(RateLimit{Requests: 1, Per: time.Hour})
	h.e.SetCompletionDelay(time.Hour)
	h.e.SetSubscriptionOutcome(subBusiness, Outcome{Fail: true})
	resetHook := 0
	h.e.onReset(func() { resetHook++ })
	h.e.Reset()

	if len(h.e.Transfers()) != 0 || len(h.e.Faults()) != 0 || h.e.CompletionDelay() != DefaultCompletionDelay || resetHook != 1 {
		t.Fatal("reset left state behind")
	}
	if h.e.limiter.get() != (RateLimit{}) {
		t.Error("rate limit not restored")
	}
	// The run-time partner is gone; its still-valid token is refused.
	h.do(call{tenant: outsiderTenant, method: http.MethodGet, path: transfersPath(customerID)}).
		expectError(t, http.StatusForbidden, codePartnerNotEnabled)
	// Locks and outcomes are gone too: the subscriptions transfer normally.
	tr = h.create()
	h.submit(tr.ID, item(subE3, nce), item(subBusiness, nce))
	h.e.Advance(DefaultCompletionDelay)
	if got := h.get(targetTenant, tr.ID); got.Status != statusComplete {
		t.Errorf("after reset: %s", got.Status)
	}
}
