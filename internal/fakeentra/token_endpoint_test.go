// SPDX-License-Identifier: MPL-2.0

package fakeentra_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestClientSecretTokenV2(t *testing.T) {
	clock := newFakeClock()
	e := startEntra(t, fakeentra.Options{
		Apps:          []fakeentra.App{{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA}},
		TokenLifetime: 10 * time.Minute,
		Now:           clock.Now,
	})

	resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), secretForm(secretA))
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.raw)
	}
	if resp.body["token_type"] != "Bearer" || resp.body["expires_in"] != float64(600) || resp.body["ext_expires_in"] != float64(600) {
		t.Errorf("unexpected token response fields: %s", resp.raw)
	}
	token := resp.accessToken(t)
	id, err := e.server.Authenticate(bearerRequest(t, token))
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if id.TenantID != tenantA || id.ClientID != clientA || id.ObjectID == "" {
		t.Errorf("identity = %+v", id)
	}
	if want := clock.Now().Add(10 * time.Minute); !id.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", id.ExpiresAt, want)
	}
	if got := e.server.TokensIssued(); got != 1 {
		t.Errorf("TokensIssued = %d, want 1", got)
	}

	// The object id is stable for the app, even on another server instance.
	other := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA}}})
	resp2 := other.do(t, http.MethodPost, other.tokenURLv2(tenantA), secretForm(secretA))
	id2, err := other.server.Authenticate(bearerRequest(t, resp2.accessToken(t)))
	if err != nil {
		t.Fatal(err)
	}
	if id2.ObjectID != id.ObjectID {
		t.Errorf("object id not stable: %s vs %s", id.ObjectID, id2.ObjectID)
	}
	// But tokens are signed with a per-server key.
	if _, err := other.server.Authenticate(bearerRequest(t, token)); err == nil {
		t.Error("a token from one server must not validate on another")
	}
}

func TestClientSecretTokenV1(t *testing.T) {
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA}}, TokenLifetime: time.Hour})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientA}, "client_secret": {secretA}, "resource": {resource}}
	resp := e.do(t, http.MethodPost, e.tokenURLv1(tenantA), form)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.raw)
	}
	if resp.body["expires_in"] != "3600" || resp.body["resource"] != resource || resp.body["expires_on"] == "" {
		t.Errorf("unexpected v1 response: %s", resp.raw)
	}
	if _, err := e.server.Authenticate(bearerRequest(t, resp.accessToken(t))); err != nil {
		t.Errorf("v1 token rejected: %v", err)
	}

	form.Set("resource", "https://graph.windows.net")
	resp = e.do(t, http.MethodPost, e.tokenURLv1(tenantA), form)
	if resp.status != http.StatusBadRequest || resp.errorCode() != "invalid_resource" {
		t.Errorf("wrong resource: status %d body %s", resp.status, resp.raw)
	}
}

func TestTokenRequestErrors(t *testing.T) {
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{
		{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA},
		{TenantID: tenantB, ClientID: clientB, ClientSecret: "other"},
	}})
	with := func(f url.Values, key, value string) url.Values {
		c := url.Values{}
		for k, v := range f {
			c[k] = append([]string(nil), v...)
		}
		if value == "" {
			c.Del(key)
		} else {
			c.Set(key, value)
		}
		return c
	}
	good := secretForm(secretA)
	tests := []struct {
		name       string
		method     string
		tenant     string
		form       url.Values
		wantStatus int
		wantError  string
		wantAADSTS string
	}{
		{"wrong secret", http.MethodPost, tenantA, with(good, "client_secret", "wrong-secret-value"), 401, "invalid_client", "AADSTS7000215"},
		{"unknown tenant", http.MethodPost, "33333333-3333-3333-3333-333333333333", good, 400, "invalid_request", "AADSTS90002"},
		{"app registered in another tenant", http.MethodPost, tenantB, good, 400, "unauthorized_client", "AADSTS700016"},
		{"unknown client", http.MethodPost, tenantA, with(good, "client_id", clientB), 400, "unauthorized_client", "AADSTS700016"},
		{"wrong scope", http.MethodPost, tenantA, with(good, "scope", "https://graph.microsoft.com/.default"), 400, "invalid_scope", "AADSTS1002012"},
		{"only oidc scopes", http.MethodPost, tenantA, with(good, "scope", "openid profile"), 400, "invalid_request", "AADSTS900144"},
		{"missing grant type", http.MethodPost, tenantA, with(good, "grant_type", ""), 400, "invalid_request", "AADSTS900144"},
		{"unsupported grant", http.MethodPost, tenantA, with(good, "grant_type", "password"), 400, "unsupported_grant_type", "AADSTS70003"},
		{"missing client id", http.MethodPost, tenantA, with(good, "client_id", ""), 400, "invalid_request", "AADSTS900144"},
		{"no credential", http.MethodPost, tenantA, with(good, "client_secret", ""), 401, "invalid_client", "AADSTS7000218"},
		{"secret and assertion", http.MethodPost, tenantA, with(good, "client_assertion", "x.y.z"), 400, "invalid_request", "AADSTS90015"},
		{"assertion with wrong type", http.MethodPost, tenantA, with(with(good, "client_secret", ""), "client_assertion", "x.y.z"), 400, "invalid_request", "AADSTS900144"},
		{"GET not allowed", http.MethodGet, tenantA, nil, 400, "invalid_request", "AADSTS900561"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.do(t, tt.method, e.tokenURLv2(tt.tenant), tt.form)
			if resp.status != tt.wantStatus || resp.errorCode() != tt.wantError || !strings.HasPrefix(resp.description(), tt.wantAADSTS+":") {
				t.Errorf("got %d %q %q, want %d %q %s", resp.status, resp.errorCode(), resp.description(), tt.wantStatus, tt.wantError, tt.wantAADSTS)
			}
			codes, _ := resp.body["error_codes"].([]any)
			if len(codes) != 1 || resp.body["trace_id"] == "" || resp.body["correlation_id"] == "" {
				t.Errorf("error body lacks Entra fields: %s", resp.raw)
			}
			for _, secret := range []string{secretA, "wrong-secret-value", "other"} {
				if strings.Contains(resp.raw, secret) {
					t.Errorf("response echoes a secret: %s", resp.raw)
				}
			}
		})
	}
	if got := e.server.TokensIssued(); got != 0 {
		t.Errorf("TokensIssued = %d after only failures", got)
	}
}

func TestAddAppRegistersAndReplaces(t *testing.T) {
	e := startEntra(t, fakeentra.Options{})
	if resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), secretForm(secretA)); resp.status != http.StatusBadRequest {
		t.Fatalf("before AddApp: status %d", resp.status)
	}
	e.server.AddApp(fakeentra.App{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA})
	if resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), secretForm(secretA)); resp.status != http.StatusOK {
		t.Fatalf("after AddApp: status %d %s", resp.status, resp.raw)
	}
	// Tenant and client ids are case-insensitive, and re-adding rotates the secret.
	e.server.AddApp(fakeentra.App{TenantID: strings.ToUpper(tenantA), ClientID: strings.ToUpper(clientA), ClientSecret: "rotated"})
	if resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), secretForm(secretA)); resp.status != http.StatusUnauthorized {
		t.Errorf("old secret after rotation: status %d", resp.status)
	}
	if resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), secretForm("rotated")); resp.status != http.StatusOK {
		t.Errorf("new secret: status %d %s", resp.status, resp.raw)
	}
}

func TestNewRejectsInvalidApps(t *testing.T) {
	tests := map[string]fakeentra.App{
		"missing tenant":  {ClientID: clientA},
		"missing client":  {TenantID: tenantA},
		"bad certificate": {TenantID: tenantA, ClientID: clientA, CertificatePEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
		"no certificate":  {TenantID: tenantA, ClientID: clientA, CertificatePEM: "not pem"},
	}
	for name, app := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := fakeentra.New(fakeentra.Options{Apps: []fakeentra.App{app}}); err == nil {
				t.Error("New accepted an invalid app")
			}
		})
	}
}
