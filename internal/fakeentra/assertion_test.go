// SPDX-License-Identifier: MPL-2.0

package fakeentra_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func signAssertion(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	signed, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func TestCertificateAssertion(t *testing.T) {
	cert := newTestCert(t)
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{{TenantID: tenantA, ClientID: clientA, CertificatePEM: string(cert.certPEM)}}})
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(overrides map[string]any) jwt.MapClaims {
		c := jwt.MapClaims{
			"aud": e.tokenURLv2(tenantA), "iss": clientA, "sub": clientA,
			"exp": now.Add(10 * time.Minute).Unix(), "nbf": now.Unix(), "jti": "1",
		}
		for k, v := range overrides {
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
		}
		return c
	}

	tests := []struct {
		name       string
		assertion  string
		wantStatus int
		wantAADSTS string
	}{
		{"PS256 signed by the certificate key", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(nil)), 200, ""},
		{"RS256 signed by the certificate key", signAssertion(t, jwt.SigningMethodRS256, cert.key, claims(nil)), 200, ""},
		{"aud is the v1 endpoint", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(map[string]any{"aud": e.tokenURLv1(tenantA)})), 200, ""},
		{"signed by another key", signAssertion(t, jwt.SigningMethodPS256, otherKey, claims(nil)), 401, "AADSTS700027"},
		{"HS256 is not accepted", signAssertion(t, jwt.SigningMethodHS256, []byte("k"), claims(nil)), 401, "AADSTS700027"},
		{"wrong audience", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(map[string]any{"aud": "https://login.microsoftonline.com/x/oauth2/v2.0/token"})), 401, "AADSTS700212"},
		{"expired", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(map[string]any{"exp": now.Add(-time.Hour).Unix()})), 401, "AADSTS700024"},
		{"no exp", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(map[string]any{"exp": nil})), 401, "AADSTS700024"},
		{"iss is another client", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(map[string]any{"iss": clientB})), 401, "AADSTS700021"},
		{"sub is another client", signAssertion(t, jwt.SigningMethodPS256, cert.key, claims(map[string]any{"sub": clientB})), 401, "AADSTS700021"},
		{"malformed", "not-a-jwt", 400, "AADSTS50027"},
	}
	issued := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), assertionForm(clientA, tt.assertion))
			if resp.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.wantStatus, resp.raw)
			}
			if tt.wantStatus == http.StatusOK {
				issued++
				return
			}
			if !strings.HasPrefix(resp.description(), tt.wantAADSTS+":") {
				t.Errorf("description %q, want %s", resp.description(), tt.wantAADSTS)
			}
			if strings.Contains(resp.raw, tt.assertion) {
				t.Error("error echoes the assertion")
			}
		})
	}
	if got := e.server.TokensIssued(); got != issued {
		t.Errorf("TokensIssued = %d, want %d", got, issued)
	}
}

func TestFederatedTokenAssertion(t *testing.T) {
	const federated = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWYifQ.c2ln"
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{{TenantID: tenantA, ClientID: clientA, FederatedTokens: []string{federated}}}})

	resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), assertionForm(clientA, federated))
	if resp.status != http.StatusOK {
		t.Fatalf("federated token rejected: %d %s", resp.status, resp.raw)
	}

	for _, other := range []string{federated + "x", "opaque"} {
		resp = e.do(t, http.MethodPost, e.tokenURLv2(tenantA), assertionForm(clientA, other))
		if resp.status != http.StatusBadRequest || !strings.HasPrefix(resp.description(), "AADSTS70021:") {
			t.Errorf("unregistered token %q: %d %s", other, resp.status, resp.raw)
		}
		if strings.Contains(resp.raw, federated) {
			t.Error("error echoes the federated token")
		}
	}
}

func TestAssertionWithoutRegisteredCredential(t *testing.T) {
	e := startEntra(t, fakeentra.Options{})
	// AddApp tolerates an unusable certificate; logins then explain why they fail.
	e.server.AddApp(fakeentra.App{TenantID: tenantA, ClientID: clientA, CertificatePEM: "garbage"})
	e.server.AddApp(fakeentra.App{TenantID: tenantA, ClientID: clientB, ClientSecret: secretA})
	for _, client := range []string{clientA, clientB} {
		resp := e.do(t, http.MethodPost, e.tokenURLv2(tenantA), assertionForm(client, "a.b.c"))
		if resp.status != http.StatusUnauthorized || !strings.HasPrefix(resp.description(), "AADSTS700027:") {
			t.Errorf("client %s: %d %s", client, resp.status, resp.raw)
		}
	}
}
