// SPDX-License-Identifier: MPL-2.0

package fakeentra_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestOpenIDConfiguration(t *testing.T) {
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA}}})

	resp := e.do(t, http.MethodGet, e.http.URL+"/"+tenantA+"/v2.0/.well-known/openid-configuration", nil)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.raw)
	}
	want := map[string]string{
		"issuer":                 e.http.URL + "/" + tenantA + "/v2.0",
		"token_endpoint":         e.tokenURLv2(tenantA),
		"authorization_endpoint": e.http.URL + "/" + tenantA + "/oauth2/v2.0/authorize",
	}
	for k, v := range want {
		if resp.body[k] != v {
			t.Errorf("%s = %v, want %s", k, resp.body[k], v)
		}
	}

	resp = e.do(t, http.MethodGet, e.http.URL+"/"+tenantB+"/v2.0/.well-known/openid-configuration", nil)
	if resp.status != http.StatusBadRequest || resp.errorCode() != "invalid_request" {
		t.Errorf("unknown tenant: %d %s", resp.status, resp.raw)
	}
}

func TestInstanceDiscoveryAndUnknownPaths(t *testing.T) {
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{{TenantID: tenantA, ClientID: clientA}}})
	u, err := url.Parse(e.http.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"api-version": {"1.1"}, "authorization_endpoint": {e.http.URL + "/" + tenantA + "/oauth2/v2.0/authorize"}}
	resp := e.do(t, http.MethodGet, e.http.URL+"/common/discovery/instance?"+q.Encode(), nil)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d", resp.status)
	}
	if got := resp.body["tenant_discovery_endpoint"]; got != e.http.URL+"/"+tenantA+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("tenant_discovery_endpoint = %v", got)
	}
	meta, _ := resp.body["metadata"].([]any)
	var first map[string]any
	if len(meta) == 1 {
		first, _ = meta[0].(map[string]any)
	}
	if first["preferred_network"] != u.Host {
		t.Errorf("metadata = %v", resp.body["metadata"])
	}

	resp = e.do(t, http.MethodGet, e.http.URL+"/nothing/here", nil)
	if resp.status != http.StatusNotFound || resp.errorCode() != "invalid_request" {
		t.Errorf("unknown path: %d %s", resp.status, resp.raw)
	}
}
