// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestDropAfterCommitThenRetryGetsTheStoredResponse(t *testing.T) {
	h := newHarness(t)
	h.token(targetTenant) // Fetch before the fault so only the API call is dropped.
	h.e.SetFaults(Fault{Route: RouteCreate, Kind: FaultDropAfterCommit, Count: 1})
	c := call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant),
		headers: map[string]string{"MS-RequestId": "9b2f4c1e-7e0e-4c8e-9a55-7a1c0c1d2e3f"}}
	if _, err := h.try(c); err == nil {
		t.Fatal("the client got a response; want a connection error")
	}
	all := h.e.Transfers()
	if len(all) != 1 {
		t.Fatalf("%d transfers after drop-after-commit, want 1 (the change happened)", len(all))
	}
	res := h.do(c)
	if res.status != http.StatusCreated || res.transfer(t).ID != all[0].ID {
		t.Fatalf("retry: HTTP %d %s; want the stored 201 for %s", res.status, res.body, all[0].ID)
	}
	if n := len(h.e.Transfers()); n != 1 {
		t.Errorf("%d transfers after the retry", n)
	}
	if s := h.e.Stats(); s.FaultsInjected != 1 || s.Replayed != 1 || s.Count(RouteCreate, http.MethodPost) != 2 {
		t.Errorf("stats = %s", describe(s))
	}
}

func TestDropBeforeCommitChangesNothing(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.e.SetFaults(Fault{Route: RouteSubmit, Method: http.MethodPatch, Kind: FaultDropBeforeCommit, Count: 1})
	c := call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: submitBody(tr.ID, item(subE3, nce)),
		headers: map[string]string{"MS-RequestId": "2c1d6a0e-8f5b-4b7e-bd5d-2f7e1f9c3a11"}}
	if _, err := h.try(c); err == nil {
		t.Fatal("the client got a response; want a connection error")
	}
	if got, _ := h.e.Transfer(customerID, tr.ID); got.Status != statusPending {
		t.Fatalf("status after drop-before = %s", got.Status)
	}
	if res := h.do(c); res.status != http.StatusOK || res.transfer(t).Status != statusInProgress {
		t.Fatalf("retry: HTTP %d %s", res.status, res.body)
	}
}

func TestStatusFaultsHonourCountEveryRouteAndMethod(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		want  []int
	}{
		{"first two", Fault{Route: RouteGet, Kind: FaultStatus, Count: 2}, []int{503, 503, 200, 200}},
		{"every second", Fault{Route: RouteGet, Kind: FaultStatus, Status: 500, Every: 2}, []int{200, 500, 200, 500}},
		{"every second, once", Fault{Route: RouteGet, Kind: FaultStatus, Status: 502, Every: 2, Count: 1}, []int{200, 502, 200, 200}},
		{"any route", Fault{Route: "*", Kind: FaultStatus, Status: 504, Count: 1}, []int{504, 200, 200, 200}},
		{"other method", Fault{Route: RouteGet, Method: http.MethodPost, Kind: FaultStatus}, []int{200, 200, 200, 200}},
		{"other route", Fault{Route: RouteList, Kind: FaultStatus}, []int{200, 200, 200, 200}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tr := h.create()
			h.e.SetFaults(tc.fault)
			var got []int
			for range tc.want {
				res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transferPath(customerID, tr.ID)})
				got = append(got, res.status)
				if res.status >= 500 {
					res.expectError(t, res.status, strconv.Itoa(res.status), "Injected fault")
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("statuses = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestThrottleFaultUsesTheThrottleBody(t *testing.T) {
	h := newHarness(t)
	h.e.SetFaults(Fault{Route: RouteList, Kind: FaultStatus, Status: 429, RetryAfter: 7, Count: 1})
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	var body throttleBody
	if err := json.Unmarshal(res.body, &body); err != nil || res.status != 429 || body.StatusCode != 429 ||
		body.Message != "Rate limit is exceeded. Try again in 7 seconds." || res.header.Get("Retry-After") != "7" {
		t.Fatalf("HTTP %d Retry-After %q %s", res.status, res.header.Get("Retry-After"), res.body)
	}
	if s := h.e.Stats(); s.Throttled != 1 || s.FaultsInjected != 1 {
		t.Errorf("stats = %s", describe(s))
	}
}

func TestLatencyFaultDelaysThenServes(t *testing.T) {
	h := newHarness(t)
	h.token(targetTenant)
	const latency = 40 * time.Millisecond
	h.e.SetFaults(Fault{Route: RouteList, Kind: FaultLatency, Latency: latency}, Fault{Route: RouteList, Kind: FaultStatus, Status: 503, Count: 1})
	started := time.Now()
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	if elapsed := time.Since(started); elapsed < latency {
		t.Errorf("answered after %s, want at least %s", elapsed, latency)
	}
	if res.status != 503 {
		t.Errorf("latency and status faults combine: got HTTP %d", res.status)
	}
	if res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)}); res.status != http.StatusOK {
		t.Errorf("after the status fault ran out: HTTP %d", res.status)
	}
	if s := h.e.Stats(); s.FaultsInjected != 3 {
		t.Errorf("faults injected = %d, want 3 (two latencies, one status)", s.FaultsInjected)
	}
}

func TestTokenEndpointFaults(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {h.secrets[targetTenant][0]},
		"client_secret": {h.secrets[targetTenant][1]}, "scope": {fakeentra.Scope}}
	post := func() (response, error) {
		return h.try(call{method: http.MethodPost, path: "/" + targetTenant + "/oauth2/v2.0/token", body: form.Encode(),
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	}
	h.e.SetFaults(Fault{Route: RouteToken, Kind: FaultStatus, Status: 503, RetryAfter: 2, Count: 1},
		Fault{Route: RouteToken, Kind: FaultDropAfterCommit, Every: 2, Count: 1})
	res, err := post()
	if err != nil || res.status != 503 || res.header.Get("Retry-After") != "2" || !strings.Contains(string(res.body), "temporarily_unavailable") {
		t.Fatalf("first token call: %v HTTP %d %s", err, res.status, res.body)
	}
	if _, err := post(); err == nil {
		t.Fatal("second token call was not dropped")
	}
	res, err = post()
	if err != nil || res.status != http.StatusOK || !strings.Contains(string(res.body), "access_token") {
		t.Fatalf("third token call: %v HTTP %d", err, res.status)
	}
	s := h.e.Stats()
	if s.TokensIssued != 2 || s.Count(RouteToken, http.MethodPost) != 3 {
		t.Errorf("stats = %s; the dropped call still issued a token", describe(s))
	}
}

func TestSetFaultsRejectsInvalidFaults(t *testing.T) {
	h := newHarness(t)
	for _, f := range []Fault{{Kind: "explode"}, {Kind: FaultLatency}, {Kind: FaultStatus, Status: 200}, {Kind: FaultStatus, Count: -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetFaults(%s) did not panic", describe(f))
				}
			}()
			h.e.SetFaults(f)
		}()
	}
	if len(h.e.Faults()) != 0 {
		t.Error("an invalid fault was stored")
	}
}

func TestFaultJSONUsesDurationStrings(t *testing.T) {
	var f Fault
	if err := json.Unmarshal([]byte(`{"route":"get","kind":"latency","latency":"250ms","count":3}`), &f); err != nil {
		t.Fatal(err)
	}
	if f.Latency != 250*time.Millisecond || f.Route != RouteGet || f.Count != 3 {
		t.Errorf("decoded %s", describe(f))
	}
	b, _ := json.Marshal(f)
	if !strings.Contains(string(b), `"latency":"250ms"`) {
		t.Errorf("encoded %s", b)
	}
	if err := json.Unmarshal([]byte(`{"kind":"latency","latency":"soon"}`), &f); err == nil {
		t.Error("an invalid duration was accepted")
	}
}

func TestRateLimitPerPartner(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.RateLimit = RateLimit{Requests: 2, Per: time.Second} })
	list := func(tenant string) response {
		return h.do(call{tenant: tenant, method: http.MethodGet, path: transfersPath(customerID)})
	}
	if first, second := list(targetTenant).status, list(targetTenant).status; first != 200 || second != 200 {
		t.Fatal("requests within the budget were refused")
	}
	res := list(targetTenant)
	var body throttleBody
	if err := json.Unmarshal(res.body, &body); err != nil || res.status != 429 || res.header.Get("Retry-After") != "1" ||
		body.Message != "Rate limit is exceeded. Try again in 1 seconds." {
		t.Fatalf("over budget: HTTP %d Retry-After %q %s", res.status, res.header.Get("Retry-After"), res.body)
	}
	if list(sourceTenant).status != 200 {
		t.Error("one partner's budget throttled another")
	}
	h.real.Advance(500 * time.Millisecond) // One token refilled.
	if got := list(targetTenant).status; got != 200 {
		t.Errorf("after refill: HTTP %d", got)
	}
	if got := list(targetTenant).status; got != 429 {
		t.Errorf("refill gave more than one request: HTTP %d", got)
	}
	h.e.SetRateLimit(RateLimit{})
	for range 5 {
		if got := list(targetTenant).status; got != 200 {
			t.Fatalf("unlimited: HTTP %d", got)
		}
	}
	if s := h.e.Stats(); s.Throttled != 2 {
		t.Errorf("throttled = %d, want 2", s.Throttled)
	}
}

func TestRateLimitRetryAfterRoundsUp(t *testing.T) {
	wall := &fakeRealClock{now: time.Unix(0, 0)}
	l := newRateLimiter(RateLimit{Requests: 1, Per: 10 * time.Second}, wall.Now)
	if ok, _ := l.allow("p"); !ok {
		t.Fatal("first request refused")
	}
	wall.Advance(2500 * time.Millisecond)
	ok, retry := l.allow("p")
	if ok || retry != 8 {
		t.Errorf("allow = %v, retry after %d; want refused, 8 s (7.5 rounded up)", ok, retry)
	}
}

func TestStatsCountRoutesByName(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	h.get(targetTenant, tr.ID)
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	h.submit(tr.ID, item(subE3, nce))
	other := h.create()
	h.do(call{tenant: targetTenant, method: http.MethodPatch, path: transferPath(customerID, other.ID), body: `{"status":"Cancel"}`})
	s := h.e.Stats()
	want := map[string]int{"create POST": 2, "get GET": 1, "list GET": 1, "submit PATCH": 1, "cancel PATCH": 1, "token POST": 2}
	for k, v := range want {
		if s.Requests[k] != v {
			t.Errorf("%s = %d, want %d (all: %v)", k, s.Requests[k], v, s.Requests)
		}
	}
	if s.Total != 8 || s.TokensIssued != 2 || s.Count(RouteCreate, "") != 2 {
		t.Errorf("total %d tokens %d", s.Total, s.TokensIssued)
	}
	h.e.ResetStats()
	if s := h.e.Stats(); s.Total != 0 || s.TokensIssued != 0 || len(s.Requests) != 0 {
		t.Errorf("after reset: %s", describe(s))
	}
}

// A token replaced on a connection that keeps working is a renewal; the
// first token of a connection, and another app's token, are not.
func TestStatsCountTokenRenewals(t *testing.T) {
	h := newHarness(t)
	get := func(tenant, token string, client *http.Client) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.srv.URL+transfersPath(customerID), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", tenant, res.StatusCode)
		}
	}
	conn := h.srv.Client()
	first, second := h.fetchToken(targetTenant), h.fetchToken(targetTenant)
	get(targetTenant, first, conn)
	get(targetTenant, first, conn)
	get(sourceTenant, h.fetchToken(sourceTenant), conn) // another app on the same connection
	if got := h.e.Stats().TokenRenewals; got != 0 {
		t.Fatalf("renewals = %d before any token was replaced", got)
	}
	get(targetTenant, second, conn)
	other := &http.Client{Transport: &http.Transport{}} // a new process: a new connection
	get(targetTenant, first, other)
	if got := h.e.Stats().TokenRenewals; got != 1 {
		t.Fatalf("renewals = %d, want 1", got)
	}
	h.e.ResetStats()
	if got := h.e.Stats().TokenRenewals; got != 0 {
		t.Fatalf("renewals after reset = %d", got)
	}
}
