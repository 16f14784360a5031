// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// openIDConfiguration holds the fields MSAL validates (issuer, token and
// authorization endpoints) plus a few that real clients commonly read.
type openIDConfiguration struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
}

// baseURL is derived from the request so the same Server works behind any
// httptest listener or emulator port.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func normalizeTenant(tenant string) string {
	return strings.ToLower(strings.TrimSpace(tenant))
}

func tokenEndpointV2(r *http.Request, tenant string) string {
	return baseURL(r) + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"
}

func tokenEndpointV1(r *http.Request, tenant string) string {
	return baseURL(r) + "/" + url.PathEscape(tenant) + "/oauth2/token"
}

func (s *Server) serveOpenIDConfiguration(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusMethodNotAllowed, "invalid_request", 900561,
			fmt.Sprintf("The endpoint only accepts GET requests. Received a %s request.", r.Method))
		return
	}
	tenant := r.PathValue("tenant")
	if !s.tenantKnown(tenant) {
		terr := tenantNotFound(tenant)
		writeError(w, terr.status, terr.code, terr.aadsts, terr.description)
		return
	}
	base := baseURL(r)
	escaped := url.PathEscape(tenant)
	writeJSON(w, http.StatusOK, openIDConfiguration{
		Issuer:                            base + "/" + escaped + "/v2.0",
		AuthorizationEndpoint:             base + "/" + escaped + "/oauth2/v2.0/authorize",
		TokenEndpoint:                     tokenEndpointV2(r, tenant),
		JWKSURI:                           base + "/" + escaped + "/discovery/v2.0/keys",
		CloudInstanceName:                 r.Host,
		ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
		GrantTypesSupported:               []string{"client_credentials"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_post", "private_key_jwt"},
	})
}

// serveInstanceDiscovery answers MSAL's instance discovery for clients that do
// not disable it, declaring this host as its own (only) alias.
func (s *Server) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	authorization := r.URL.Query().Get("authorization_endpoint")
	tenant := "common"
	if u, err := url.Parse(authorization); err == nil {
		if first, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/"); first != "" {
			tenant = first
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": baseURL(r) + "/" + url.PathEscape(tenant) + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{
			"preferred_network": host,
			"preferred_cache":   host,
			"aliases":           []string{host},
		}},
	})
}

func tenantNotFound(tenant string) *tokenError {
	return badRequest("invalid_request", 90002,
		"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant)
}
