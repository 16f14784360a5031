// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	grantClientCredentials = "client_credentials"
	// ClientAssertionType is the only client_assertion_type Entra accepts.
	ClientAssertionType  = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	maxTokenRequestBytes = 64 << 10
)

// oidcScopes are added by MSAL to every request and ignored by Entra for the
// client-credentials grant.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "offline_access": true}

// tokenError is a rejected token request, rendered as Entra's error body.
type tokenError struct {
	status      int
	code        string
	aadsts      int
	description string
}

func badRequest(code string, aadsts int, format string, args ...any) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: code, aadsts: aadsts, description: fmt.Sprintf(format, args...)}
}

func invalidClient(aadsts int, format string, args ...any) *tokenError {
	return &tokenError{status: http.StatusUnauthorized, code: "invalid_client", aadsts: aadsts, description: fmt.Sprintf(format, args...)}
}

func missingParameter(name string) *tokenError {
	return badRequest("invalid_request", 900144, "The request body must contain the following parameter: '%s'.", name)
}

type tokenResponseV2 struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// tokenResponseV1 mirrors the v1 endpoint, which returns numbers as strings.
type tokenResponseV1 struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    string `json:"expires_in"`
	ExtExpiresIn string `json:"ext_expires_in"`
	ExpiresOn    string `json:"expires_on"`
	NotBefore    string `json:"not_before"`
	Resource     string `json:"resource"`
	AccessToken  string `json:"access_token"`
}

func (s *Server) serveTokenV2(w http.ResponseWriter, r *http.Request) {
	app, terr := s.authenticateClient(w, r)
	if terr == nil {
		terr = checkScope(r.PostForm.Get("scope"))
	}
	if terr != nil {
		writeError(w, terr.status, terr.code, terr.aadsts, terr.description)
		return
	}
	issued := s.issueAccessToken(app)
	seconds := int64(issued.lifetime.Seconds())
	writeJSON(w, http.StatusOK, tokenResponseV2{
		TokenType:    "Bearer",
		ExpiresIn:    seconds,
		ExtExpiresIn: seconds,
		AccessToken:  issued.token,
	})
}

func (s *Server) serveTokenV1(w http.ResponseWriter, r *http.Request) {
	app, terr := s.authenticateClient(w, r)
	if terr == nil {
		terr = checkResource(r.PostForm.Get("resource"), r.PathValue("tenant"))
	}
	if terr != nil {
		writeError(w, terr.status, terr.code, terr.aadsts, terr.description)
		return
	}
	issued := s.issueAccessToken(app)
	seconds := strconv.FormatInt(int64(issued.lifetime.Seconds()), 10)
	writeJSON(w, http.StatusOK, tokenResponseV1{
		TokenType:    "Bearer",
		ExpiresIn:    seconds,
		ExtExpiresIn: seconds,
		ExpiresOn:    strconv.FormatInt(issued.expiresAt.Unix(), 10),
		NotBefore:    strconv.FormatInt(issued.issuedAt.Unix(), 10),
		Resource:     Audience,
		AccessToken:  issued.token,
	})
}

// authenticateClient checks everything a client-credentials request has in
// common between v1 and v2: method, tenant, grant, app and its credential.
func (s *Server) authenticateClient(w http.ResponseWriter, r *http.Request) (*registeredApp, *tokenError) {
	if r.Method != http.MethodPost {
		return nil, badRequest("invalid_request", 900561,
			"The endpoint only accepts POST, OPTIONS requests. Received a %s request.", r.Method)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBytes)
	if err := r.ParseForm(); err != nil {
		return nil, badRequest("invalid_request", 900144, "The request body must be a valid application/x-www-form-urlencoded form.")
	}
	tenant := r.PathValue("tenant")
	if !s.tenantKnown(tenant) {
		return nil, tenantNotFound(tenant)
	}
	form := r.PostForm
	switch grant := form.Get("grant_type"); grant {
	case "":
		return nil, missingParameter("grant_type")
	case grantClientCredentials:
	default:
		return nil, badRequest("unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", grant)
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		return nil, missingParameter("client_id")
	}
	app := s.lookupApp(tenant, clientID)
	if app == nil {
		return nil, badRequest("unauthorized_client", 700016,
			"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
			clientID, tenant)
	}
	secret, assertion := form.Get("client_secret"), form.Get("client_assertion")
	switch {
	case secret != "" && assertion != "":
		return nil, badRequest("invalid_request", 90015, "Only one of 'client_secret' and 'client_assertion' may be sent.")
	case secret != "":
		return app, checkSecret(app, secret)
	case assertion != "":
		if t := form.Get("client_assertion_type"); t != ClientAssertionType {
			return nil, badRequest("invalid_request", 900144,
				"The 'client_assertion_type' parameter must be '%s'.", ClientAssertionType)
		}
		return app, checkAssertion(app, assertion, []string{tokenEndpointV2(r, tenant), tokenEndpointV1(r, tenant)})
	default:
		return nil, invalidClient(7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	}
}

func checkSecret(app *registeredApp, secret string) *tokenError {
	if app.ClientSecret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) != 1 {
		return invalidClient(7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.",
			app.ClientID)
	}
	return nil
}

func checkScope(scope string) *tokenError {
	var requested []string
	for _, sc := range strings.Fields(scope) {
		if !oidcScopes[strings.ToLower(sc)] {
			requested = append(requested, sc)
		}
	}
	if len(requested) == 0 {
		return missingParameter("scope")
	}
	if len(requested) != 1 || !strings.EqualFold(requested[0], Scope) {
		return badRequest("invalid_scope", 1002012,
			"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI); this fake only grants '%s'.",
			strings.Join(requested, " "), Scope)
	}
	return nil
}

func checkResource(resource, tenant string) *tokenError {
	if resource == "" {
		return missingParameter("resource")
	}
	if !strings.EqualFold(strings.TrimSuffix(resource, "/"), Audience) {
		return badRequest("invalid_resource", 500011,
			"The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
			resource, tenant)
	}
	return nil
}
