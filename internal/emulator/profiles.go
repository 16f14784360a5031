// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
)

// Route names of the partner profile reads.
const (
	RouteOrganizationProfile = "organizationProfile"
	RouteMpnProfile          = "mpnProfile"
)

// codeAppOnlyNotSupported is Partner Center's 403 for a resource that does
// not accept app-only tokens (transfer reference, error codes).
const codeAppOnlyNotSupported = "900329"

// wireOrganizationProfile is GET /v1/profiles/organization's body, in the
// shape of Microsoft Learn's "Get an organization profile" example and the
// REST reference's OrganizationProfile (id, companyName, defaultAddress,
// tenantId, domain, email, language, culture, links, attributes).
type wireOrganizationProfile struct {
	ID             string            `json:"id"`
	CompanyName    string            `json:"companyName"`
	DefaultAddress map[string]string `json:"defaultAddress"`
	TenantID       string            `json:"tenantId"`
	Domain         string            `json:"domain"`
	Email          string            `json:"email"`
	Language       string            `json:"language"`
	Culture        string            `json:"culture"`
	Links          map[string]any    `json:"links"`
	Attributes     map[string]string `json:"attributes"`
}

// wireMpnProfile is GET /v1/profiles/mpn's body ("Get partner profile":
// partnerName, mpnId, links, attributes.objectType MpnProfile).
type wireMpnProfile struct {
	PartnerName string            `json:"partnerName"`
	MpnID       string            `json:"mpnId"`
	Links       map[string]any    `json:"links"`
	Attributes  map[string]string `json:"attributes"`
}

// addProfileRoutes registers the two profile reads; New calls it.
func (e *Emulator) addProfileRoutes() {
	e.addRoute(http.MethodGet, "/v1/profiles/organization", RouteOrganizationProfile, e.handleOrganizationProfile)
	e.addRoute(http.MethodGet, "/v1/profiles/mpn", RouteMpnProfile, e.handleMpnProfile)
}

// profilePartner returns the caller's seeded partner, or the answer that
// refuses the read: Microsoft documents both profiles for App+User
// credentials only, and every emulator token is app-only, so with
// Options.ProfilesNeedAppUser the emulator answers as Partner Center does
// for app-only callers of such resources.
func (e *Emulator) profilePartner(req *apiRequest) (Partner, *apiResponse) {
	e.lock()
	defer e.unlock()
	if e.opts.ProfilesNeedAppUser {
		res := errorResponse(http.StatusForbidden, codeAppOnlyNotSupported, "The resource does not support app-only authentication.")
		return Partner{}, &res
	}
	p, ok := e.w.partners[req.partner]
	if !ok {
		res := errorResponse(http.StatusNotFound, "404", "No partner profile exists for this tenant.")
		return Partner{}, &res
	}
	return *p, nil
}

func (e *Emulator) handleOrganizationProfile(req *apiRequest) apiResponse {
	p, refused := e.profilePartner(req)
	if refused != nil {
		return *refused
	}
	return jsonResponse(http.StatusOK, wireOrganizationProfile{
		ID:             p.TenantID,
		CompanyName:    p.Name,
		DefaultAddress: map[string]string{"country": "US"},
		TenantID:       p.TenantID,
		Domain:         customerDomain(Customer{ID: p.TenantID, Name: p.Name}),
		Email:          p.EmailID,
		Language:       "en",
		Culture:        "en-US",
		Links:          map[string]any{"self": map[string]any{"uri": "/profiles/organization", "method": "GET", "headers": []any{}}},
		Attributes:     map[string]string{"objectType": "OrganizationProfile"},
	})
}

func (e *Emulator) handleMpnProfile(req *apiRequest) apiResponse {
	p, refused := e.profilePartner(req)
	if refused != nil {
		return *refused
	}
	if p.MpnID == "" {
		return errorResponse(http.StatusNotFound, "404", "The partner has no Partner Network profile.")
	}
	return jsonResponse(http.StatusOK, wireMpnProfile{
		PartnerName: p.Name,
		MpnID:       p.MpnID,
		Links:       map[string]any{"self": map[string]any{"uri": "/profiles/mpn?mpnId=" + p.MpnID, "method": "GET", "headers": []any{}}},
		Attributes:  map[string]string{"objectType": "MpnProfile"},
	})
}
