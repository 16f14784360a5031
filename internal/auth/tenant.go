// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// PartnerTenantID is the tenant the provider acts as: tenant_id when set,
// else the tid claim of a pre-acquired access_token (Entra ID tokens are
// JWTs; the claim is read, not verified: Partner Center verifies the token).
// Empty when neither says.
func (c Config) PartnerTenantID() string {
	if c.TenantID != "" {
		return c.TenantID
	}
	parts := strings.Split(c.AccessToken, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		TenantID string `json:"tid"`
	}
	if json.Unmarshal(payload, &claims) != nil || !guidPattern.MatchString(claims.TenantID) {
		return ""
	}
	return claims.TenantID
}
