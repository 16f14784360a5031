// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Each partner reads its own profiles, in the documented shapes.
func TestProfilesAreTheCallersOwn(t *testing.T) {
	h := newHarness(t)
	for _, p := range DefaultSeed().Partners {
		res := h.do(call{tenant: p.TenantID, method: http.MethodGet, path: "/v1/profiles/organization"})
		var org map[string]any
		if res.status != http.StatusOK || json.Unmarshal(res.body, &org) != nil {
			t.Fatalf("organization profile: HTTP %d %s", res.status, res.body)
		}
		attrs, _ := org["attributes"].(map[string]any)
		if org["tenantId"] != p.TenantID || org["companyName"] != p.Name || attrs["objectType"] != "OrganizationProfile" {
			t.Errorf("organization profile of %s = %s", p.Name, res.body)
		}
		res = h.do(call{tenant: p.TenantID, method: http.MethodGet, path: "/v1/profiles/mpn"})
		var mpn map[string]any
		if res.status != http.StatusOK || json.Unmarshal(res.body, &mpn) != nil {
			t.Fatalf("MPN profile: HTTP %d %s", res.status, res.body)
		}
		if mpn["mpnId"] != p.MpnID || mpn["partnerName"] != p.Name {
			t.Errorf("MPN profile of %s = %s", p.Name, res.body)
		}
	}
	if n := h.e.Stats().Count(RouteOrganizationProfile, http.MethodGet); n != 2 {
		t.Errorf("organization profile reads counted %d, want 2", n)
	}
}

// With ProfilesNeedAppUser, app-only callers get Partner Center's 403 900329.
func TestProfilesCanRefuseAppOnlyTokens(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.ProfilesNeedAppUser = true })
	tenant := DefaultSeed().Partners[0].TenantID
	for _, path := range []string{"/v1/profiles/organization", "/v1/profiles/mpn"} {
		h.do(call{tenant: tenant, method: http.MethodGet, path: path}).expectError(t, http.StatusForbidden, codeAppOnlyNotSupported)
	}
}
