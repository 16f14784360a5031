// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"errors"
	"strings"
	"testing"
)

// A refused token request is summarised as its AADSTS code, what it means
// and the attribute to fix; nothing else of the raw answer survives.
func TestDescribeTokenFailure(t *testing.T) {
	secret := Config{TenantID: "b2b2b2b2-0000-4000-8000-000000000002", ClientID: "b2b2b2b2-0000-4000-8000-0000000000b2", ClientSecret: "s3cr3t"}
	oidc := Config{TenantID: secret.TenantID, ClientID: secret.ClientID, UseOIDC: true, OIDCTokenFilePath: "/var/run/token"}
	raw := func(code string) error {
		return errors.New("ClientSecretCredential authentication failed\nPOST https://login.example/token\nRESPONSE 401\n" +
			`{"error":"invalid_client","error_description":"AADSTS` + code + `: details. Trace ID: 1 Correlation ID: 2"}`)
	}
	tests := []struct {
		name      string
		cfg       Config
		err       error
		attribute string
		code      string
		meaning   string
	}{
		{"wrong secret", secret, raw("7000215"), AttrClientSecret, "7000215", "invalid client secret"},
		{"expired secret", secret, raw("7000222"), AttrClientSecret, "7000222", "expired"},
		{"unknown app", secret, raw("700016"), AttrClientID, "700016", "no application"},
		{"unknown tenant", secret, raw("90002"), AttrTenantID, "90002", "tenant does not exist"},
		{"federation mismatch", oidc, raw("70021"), AttrOIDCTokenFilePath, "70021", "federated identity"},
		{"undocumented code", secret, raw("123456"), AttrClientSecret, "123456", "error?code=123456"},
		{"no code", secret, errors.New("reading the OIDC token file: permission denied\nmore"), AttrClientSecret, "", "permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.cfg.DescribeTokenFailure(tt.err)
			if f.Attribute != tt.attribute || f.Code != tt.code || !strings.Contains(f.Meaning, tt.meaning) {
				t.Fatalf("got %+v, want attribute %s, code %q, meaning containing %q", f, tt.attribute, tt.code, tt.meaning)
			}
			for _, leak := range []string{"RESPONSE", "Trace ID", "s3cr3t", "\n"} {
				if strings.Contains(f.Meaning, leak) {
					t.Errorf("meaning %q contains %q", f.Meaning, leak)
				}
			}
		})
	}
}
