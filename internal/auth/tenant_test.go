// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"encoding/base64"
	"testing"
)

func TestPartnerTenantID(t *testing.T) {
	jwtWith := func(payload string) string {
		return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
	}
	tests := map[string]struct {
		cfg  Config
		want string
	}{
		"tenant_id wins":          {Config{TenantID: testTenant, AccessToken: jwtWith(`{"tid":"22222222-2222-2222-2222-222222222222"}`)}, testTenant},
		"tid of the access token": {Config{AccessToken: jwtWith(`{"tid":"22222222-2222-2222-2222-222222222222"}`)}, "22222222-2222-2222-2222-222222222222"},
		"tid not a GUID":          {Config{AccessToken: jwtWith(`{"tid":"contoso"}`)}, ""},
		"not a JWT":               {Config{AccessToken: "opaque-token"}, ""},
		"payload not JSON":        {Config{AccessToken: jwtWith(`tid`)}, ""},
		"nothing":                 {Config{}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.cfg.PartnerTenantID(); got != tt.want {
				t.Errorf("PartnerTenantID() = %q, want %q", got, tt.want)
			}
		})
	}
}
