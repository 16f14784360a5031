// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"net/http"
	"testing"
)

// The documented example bodies decode into the fields the provider uses.
func TestProfilesDecodeTheDocumentedShapes(t *testing.T) {
	srv, log := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
		switch r.URL.Path {
		case "/v1/profiles/organization":
			writeRaw(w, http.StatusOK, "application/json", `{"id":"0b0b0b0b-0000-4000-8000-00000000000b","companyName":"Fabrikam New Partner",
				"defaultAddress":{"country":"US","city":"Redmond"},"tenantId":"b2b2b2b2-0000-4000-8000-000000000002","domain":"fabrikam.onmicrosoft.com",
				"email":"admin@fabrikam.example","language":"en","culture":"en-US",
				"links":{"self":{"uri":"/profiles/organization","method":"GET","headers":[]}},"attributes":{"objectType":"OrganizationProfile"}}`)
		case "/v1/profiles/mpn":
			writeRaw(w, http.StatusOK, "application/json", `{"partnerName":"Fabrikam New Partner","mpnId":"4847383",
				"links":{"self":{"uri":"/profiles/mpn?mpnId=4847383","method":"GET","headers":[]}},"attributes":{"objectType":"MpnProfile"}}`)
		default:
			pcError(w, http.StatusNotFound, "404", "not found")
		}
	})
	c, _ := newTestClient(t, srv)
	org, err := c.GetOrganizationProfile(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if org.TenantID != "b2b2b2b2-0000-4000-8000-000000000002" || org.CompanyName != "Fabrikam New Partner" || org.Domain != "fabrikam.onmicrosoft.com" {
		t.Fatalf("organization profile = %+v", org)
	}
	mpn, err := c.GetMpnProfile(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if mpn.MpnID != "4847383" || mpn.PartnerName != "Fabrikam New Partner" {
		t.Fatalf("MPN profile = %+v", mpn)
	}
	if reqs := log.all(); len(reqs) != 2 || reqs[0].Method != http.MethodGet {
		t.Fatalf("requests = %d, want one GET each", len(reqs))
	}
}
