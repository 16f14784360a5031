// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"regexp"
	"strings"
)

// CredentialAttribute is the provider attribute that holds the credential
// of the configured method (the one to check when Entra ID refuses it).
func (c Config) CredentialAttribute() string {
	switch c.Method() {
	case MethodClientSecret:
		return AttrClientSecret
	case MethodClientCertificate:
		return AttrClientCertificatePath
	case MethodOIDC:
		switch {
		case c.OIDCToken != "":
			return AttrOIDCToken
		case c.OIDCTokenFilePath != "":
			return AttrOIDCTokenFilePath
		default:
			return AttrOIDCRequestURL
		}
	case MethodMSI:
		return AttrUseMSI
	case MethodCLI:
		return AttrUseCLI
	case MethodAccessToken:
		return AttrAccessToken
	}
	return AttrClientSecret
}

// TokenFailure is a summary of why no token could be obtained: which
// attribute to check and what the identity platform said, without its raw
// response (which repeats ids, trace data and request details).
type TokenFailure struct {
	// Attribute is the provider attribute most likely wrong.
	Attribute string
	// Code is the AADSTS error code, e.g. "7000215"; empty when the error
	// carried none.
	Code string
	// Meaning says what the code means and what to check.
	Meaning string
}

var aadstsCode = regexp.MustCompile(`AADSTS(\d+)`)

// aadstsMeanings are the Entra ID error codes of wrong provider settings
// (Microsoft Learn, "Microsoft Entra authentication and authorization error
// codes"); credential marks codes about the credential itself.
var aadstsMeanings = map[string]struct {
	attribute string // "" means the credential attribute
	meaning   string
}{
	"7000215": {"", "invalid client secret: the value is not a secret of this app (a secret's ID instead of its value, or another app's secret)"},
	"7000222": {"", "the client secret has expired: create a new one for the app"},
	"7000218": {"", "the token request carried no client secret or assertion"},
	"700027":  {"", "the client assertion's signature does not match a certificate registered for the app"},
	"700024":  {"", "the client assertion is not within its valid time range (an expired OIDC token?)"},
	"70021":   {"", "no federated identity credential of the app matches the OIDC token (issuer, subject and audience must match)"},
	"700211":  {"", "no federated identity credential of the app has the OIDC token's issuer"},
	"700212":  {"", "the client assertion's audience is not this tenant's token endpoint"},
	"50027":   {"", "the OIDC token or client assertion is invalid or malformed"},
	"700016":  {AttrClientID, "no application with this client ID exists in the tenant: check client_id and tenant_id"},
	"700021":  {AttrClientID, "the client assertion was issued for another application than client_id"},
	"7000112": {AttrClientID, "the application is disabled"},
	"90002":   {AttrTenantID, "the tenant does not exist: check tenant_id"},
	"900023":  {AttrTenantID, "tenant_id is not a valid tenant identifier"},
	"500011":  {AttrTenantID, "the Partner Center API is not available in this tenant: the tenant is not a Partner Center partner, or the app was not consented there"},
}

// DescribeTokenFailure summarises a failed token request for c.
func (c Config) DescribeTokenFailure(err error) TokenFailure {
	f := TokenFailure{Attribute: c.CredentialAttribute()}
	text := err.Error()
	m := aadstsCode.FindStringSubmatch(text)
	if m == nil {
		f.Meaning = firstLine(text)
		return f
	}
	f.Code = m[1]
	if known, ok := aadstsMeanings[f.Code]; ok {
		f.Meaning = known.meaning
		if known.attribute != "" {
			f.Attribute = known.attribute
		}
		return f
	}
	f.Meaning = "see https://login.microsoftonline.com/error?code=" + f.Code
	return f
}

// firstLine keeps an error without an AADSTS code short: its first line, at
// most 300 characters.
func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
