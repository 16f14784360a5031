// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestUnauthenticatedCallsGet401(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.TokenLifetime = time.Hour })
	valid := h.token(targetTenant)
	tests := []struct {
		name          string
		authorization string
		mentions      string
	}{
		{"no token", "", "No bearer"},
		{"not a JWT", "Bearer not-a-token", "invalid"},
		{"wrong scheme", "Basic " + valid, "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			headers := map[string]string{}
			if tc.authorization != "" {
				headers["Authorization"] = tc.authorization
			}
			res := h.do(call{method: http.MethodGet, path: transfersPath(customerID), headers: headers})
			res.expectError(t, http.StatusUnauthorized, "401", tc.mentions)
			if got := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "OAuth realm=urn:cpsvc:cpid:") {
				t.Errorf("WWW-Authenticate = %q", got)
			}
			if strings.Contains(string(res.body), valid) {
				t.Error("the token was echoed")
			}
		})
	}
	// Tokens expire on the real clock.
	h.real.Advance(time.Hour + time.Minute)
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)}).
		expectError(t, http.StatusUnauthorized, "401", "expired")
	if s := h.e.Stats(); s.Unauthorized != 4 {
		t.Errorf("stats unauthorized = %d, want 4", s.Unauthorized)
	}
}

func TestTokenOfANonPartnerTenantIsForbidden(t *testing.T) {
	h := newHarness(t)
	const tenant = "abababab-0000-4000-8000-00000000abab"
	h.e.entra.AddApp(fakeentra.App{TenantID: tenant, ClientID: "abababab-0000-4000-8000-0000000000ab", ClientSecret: "x"})
	h.secrets[tenant] = [2]string{"abababab-0000-4000-8000-0000000000ab", "x"}
	h.do(call{tenant: tenant, method: http.MethodGet, path: transfersPath(customerID)}).
		expectError(t, http.StatusForbidden, codePartnerNotEnabled, tenant)
}

func TestUnknownRoutes(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	tests := []struct {
		name   string
		method string
		path   string
		status int
	}{
		{"singular transfer path", http.MethodGet, "/v1/customers/" + customerID + "/transfer/" + tr.ID, http.StatusNotFound},
		{"legacy accept", http.MethodPost, transferPath(customerID, tr.ID) + "/accept", http.StatusNotFound},
		{"trailing slash", http.MethodGet, transfersPath(customerID) + "/", http.StatusNotFound},
		{"unknown API", http.MethodGet, "/v1/customers/" + customerID + "/orders", http.StatusNotFound},
		{"legacy withdraw", http.MethodDelete, transferPath(customerID, tr.ID), http.StatusMethodNotAllowed},
		{"PUT on collection", http.MethodPut, transfersPath(customerID), http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(call{tenant: targetTenant, method: tc.method, path: tc.path, body: "{}"})
			res.expectError(t, tc.status, strconv.Itoa(tc.status))
			if tc.status == http.StatusMethodNotAllowed && res.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
	if got := h.e.Stats().Count("unknown", ""); got != len(tests) {
		t.Errorf("unknown route count = %d, want %d", got, len(tests))
	}
}

func TestRequestIDsAreGeneratedWhenAbsent(t *testing.T) {
	h := newHarness(t)
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	if _, ok := canonicalGUID(res.header.Get("MS-RequestId")); !ok {
		t.Errorf("MS-RequestId = %q, want a generated GUID", res.header.Get("MS-RequestId"))
	}
	if _, ok := canonicalGUID(res.header.Get("MS-CorrelationId")); !ok {
		t.Errorf("MS-CorrelationId = %q", res.header.Get("MS-CorrelationId"))
	}
	if res.header.Get("X-Locale") != "en-US" {
		t.Errorf("X-Locale = %q", res.header.Get("X-Locale"))
	}
}

func TestRepeatedRequestIDReplaysTheFirstResponse(t *testing.T) {
	h := newHarness(t)
	events := recordEvents(h.e)
	rid := map[string]string{"MS-RequestId": "0f8fad5b-d9cb-469f-a165-70867728950e"}
	first := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant), headers: rid})
	h.e.Advance(time.Hour)
	second := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant), headers: rid})
	if first.status != http.StatusCreated || second.status != first.status || string(second.body) != string(first.body) {
		t.Fatalf("replay differs:\n%d %s\n%d %s", first.status, first.body, second.status, second.body)
	}
	if n := len(h.e.Transfers()); n != 1 {
		t.Fatalf("%d transfers after a replayed create, want 1", n)
	}
	// The same GUID from another partner is a different request.
	other := h.do(call{tenant: sourceTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(targetTenant), headers: rid})
	if other.status != http.StatusCreated || other.transfer(t).ID == first.transfer(t).ID {
		t.Fatalf("other partner with the same MS-RequestId: HTTP %d %s", other.status, other.body)
	}
	if got := causes(events()); got != "create:create-transfer,create:create-transfer" {
		t.Errorf("events = %s; a replay must not emit", got)
	}
	if s := h.e.Stats(); s.Replayed != 1 {
		t.Errorf("stats replayed = %d", s.Replayed)
	}
}

func TestReplayReturnsTheOriginalAnswerEvenAfterLaterChanges(t *testing.T) {
	h := newHarness(t)
	tr := h.create()
	rid := map[string]string{"MS-RequestId": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}
	patch := call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: submitBody(tr.ID, item(subE3, nce)), headers: rid}
	first := h.do(patch)
	h.e.Advance(DefaultCompletionDelay)
	again := h.do(patch)
	if again.status != http.StatusOK || string(again.body) != string(first.body) || again.transfer(t).Status != statusInProgress {
		t.Fatalf("replayed submit = %d %s", again.status, again.body)
	}
	// Errors are replayed too: the same id cannot be reused for a fixed request.
	bad := call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: map[string]any{},
		headers: map[string]string{"MS-RequestId": "6fa459ea-ee8a-3ca4-894e-db77e160355e"}}
	h.do(bad).expectError(t, http.StatusBadRequest, codeInvalidInput)
	bad.body = createBodyFor(sourceTenant)
	h.do(bad).expectError(t, http.StatusBadRequest, codeInvalidInput)
	// GETs are never replayed.
	get := call{tenant: targetTenant, method: http.MethodGet, path: transferPath(customerID, tr.ID), headers: rid}
	if h.do(get).transfer(t).Status != statusComplete {
		t.Error("a GET with a used MS-RequestId got a stored answer")
	}
}

func TestIdempotencyMemoryIsBounded(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.IdempotencyKeys = 2 })
	post := func(rid string) string {
		res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant),
			headers: map[string]string{"MS-RequestId": rid}})
		return res.transfer(t).ID
	}
	a := post("a")
	post("b")
	if post("b") == a || post("a") != a {
		t.Fatal("keys within the bound must replay")
	}
	post("c") // Evicts "a".
	if post("a") == a {
		t.Error("the oldest key was not forgotten")
	}
	if n := h.e.idem.len(); n != 2 {
		t.Errorf("store holds %d keys, want 2", n)
	}
}
