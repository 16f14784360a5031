// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// issueFederatedToken signs an ID token the way a CI platform's OIDC issuer
// does: its issuer and subject, Entra's federation audience, minutes of life.
// fakeentra is told to trust exactly this token as a client assertion.
func issueFederatedToken(t *testing.T, issuer, subject string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	token, err := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{FederatedTokenAudience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute)),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// envConfig is a provider configuration from the environment only, as CI
// pipelines set it, with the fake Entra ID as authority.
func (e *entra) envConfig(env map[string]string) (Config, map[string]string) {
	cfg := Config{AuthorityHost: e.http.URL + "/"}
	sources := ApplyEnv(&cfg, func(name string) string { return env[name] })
	return cfg, sources
}

// mustAuthenticate gets a Partner Center token with cfg and checks that
// fakeentra issued it to the test app (not to another app of the tenant).
func (e *entra) mustAuthenticate(t *testing.T, cfg Config) {
	t.Helper()
	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	token, err := p.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if id := e.mustAccept(t, token); id.ClientID != testClient || id.TenantID != testTenant {
		t.Errorf("token issued to %s/%s, want %s/%s", id.TenantID, id.ClientID, testTenant, testClient)
	}
}

// HCP Terraform / Terraform Enterprise dynamic credentials, default
// configuration: with TFC_AZURE_PROVIDER_AUTH=true the run gets
// ARM_USE_OIDC, ARM_CLIENT_ID (TFC_AZURE_RUN_CLIENT_ID) and ARM_OIDC_TOKEN,
// which azurerm reads; the workspace sets ARM_TENANT_ID.
func TestWorkloadIdentityHCPTerraformDefault(t *testing.T) {
	federated := issueFederatedToken(t, "https://app.terraform.io",
		"organization:contoso:project:partners:workspace:transfers:run_phase:apply")
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{federated}})
	cfg, sources := e.envConfig(map[string]string{
		"ARM_USE_OIDC": "true", "ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient, "ARM_OIDC_TOKEN": federated,
	})
	if cfg.Method() != MethodOIDC || sources[AttrOIDCToken] != "ARM_OIDC_TOKEN" {
		t.Fatalf("method %q, sources %v; want oidc from ARM_OIDC_TOKEN", cfg.Method(), sources)
	}
	e.mustAuthenticate(t, cfg)
}

// HCP Terraform dynamic credentials for an aliased configuration
// (TFC_AZURE_PROVIDER_AUTH_PARTNERCENTER): the provider block names the files
// of var.tfc_azure_dynamic_credentials.aliases["PARTNERCENTER"]. Those beat
// the default configuration's ARM_CLIENT_ID and ARM_OIDC_TOKEN, which belong
// to another app (the azurerm provider's).
func TestWorkloadIdentityHCPTerraformAliasFiles(t *testing.T) {
	const azurermApp = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
	aliasToken := issueFederatedToken(t, "https://app.terraform.io",
		"organization:contoso:project:partners:workspace:transfers:run_phase:plan")
	defaultToken := issueFederatedToken(t, "https://app.terraform.io", "organization:contoso:workspace:other")
	e := startEntra(t,
		fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{aliasToken}},
		fakeentra.App{TenantID: testTenant, ClientID: azurermApp, FederatedTokens: []string{defaultToken}},
	)
	dir := t.TempDir()
	clientIDFile, tokenFile := filepath.Join(dir, "azure_PARTNERCENTER_client_id"), filepath.Join(dir, "azure_PARTNERCENTER_token")
	writeFile(t, clientIDFile, []byte(testClient+"\n"))
	writeFile(t, tokenFile, []byte(aliasToken))

	cfg := Config{AuthorityHost: e.http.URL + "/", UseOIDC: true, ClientIDFilePath: clientIDFile, OIDCTokenFilePath: tokenFile}
	sources := ApplyEnv(&cfg, func(name string) string {
		return map[string]string{"ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": azurermApp, "ARM_OIDC_TOKEN": defaultToken, "ARM_USE_OIDC": "true"}[name]
	})
	if cfg.ClientID != "" || cfg.OIDCToken != "" || sources[AttrClientID] != "" || sources[AttrOIDCToken] != "" {
		t.Fatalf("the default configuration's variables were applied over the configured files: %+v, sources %v", cfg, sources)
	}
	e.mustAuthenticate(t, cfg)

	// A client_id written in the configuration must agree with the file.
	cfg.ClientID = azurermApp
	problems := cfg.Validate()
	if len(problems) != 1 || !strings.Contains(problems[0].Detail, "differs from the client ID in client_id_file_path") {
		t.Fatalf("want one mismatch problem, got %+v", problems)
	}
	if problems[0].Attributes[0] != AttrClientIDFilePath {
		t.Errorf("problem names %v, want client_id_file_path", problems[0].Attributes)
	}
}

// fakeAzureDevOpsOIDC is the Azure Pipelines OIDC endpoint
// (System.OidcRequestUri): it answers the service connection's ID token to a
// POST bearing System.AccessToken.
func fakeAzureDevOpsOIDC(t *testing.T, accessToken, connectionID, federated string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case r.Method != http.MethodPost:
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
		case r.Header.Get("Authorization") != "Bearer "+accessToken:
			http.Error(w, "bad System.AccessToken", http.StatusUnauthorized)
		case q.Get("api-version") != "7.1" || q.Get("serviceConnectionId") != connectionID:
			http.Error(w, "unknown service connection", http.StatusNotFound)
		default:
			_ = json.NewEncoder(w).Encode(map[string]string{"oidcToken": federated})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Azure DevOps workload identity federation: the AzureCLI@2 step of the
// guide exports ARM_USE_OIDC, ARM_TENANT_ID, ARM_CLIENT_ID,
// ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID, SYSTEM_ACCESSTOKEN and
// SYSTEM_OIDCREQUESTURI, the names azurerm 4.x reads.
func TestWorkloadIdentityAzureDevOps(t *testing.T) {
	const (
		accessToken  = "system-access-token~do-not-leak"
		connectionID = "5f0c0c6e-1111-4c1a-9d6a-7a2c4b9f0e01"
	)
	federated := issueFederatedToken(t, "https://vstoken.dev.azure.com/00000000-0000-0000-0000-00000000c0de",
		"sc://contoso/partners/partnercenter-transfers")
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{federated}})
	ado := fakeAzureDevOpsOIDC(t, accessToken, connectionID, federated)
	env := map[string]string{
		"ARM_USE_OIDC": "true", "ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient,
		"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID": connectionID,
		"SYSTEM_ACCESSTOKEN":                     accessToken,
		"SYSTEM_OIDCREQUESTURI":                  ado.URL + "/contoso/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
	}
	cfg, sources := e.envConfig(env)
	if sources[AttrADOServiceConnectionID] != "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID" || sources[AttrOIDCRequestURL] != "SYSTEM_OIDCREQUESTURI" ||
		sources[AttrOIDCRequestToken] != "SYSTEM_ACCESSTOKEN" {
		t.Fatalf("sources = %v", sources)
	}
	e.mustAuthenticate(t, cfg)

	// The azapi spelling of the connection variable works too.
	delete(env, "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID")
	env["ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"] = connectionID
	cfg, _ = e.envConfig(env)
	e.mustAuthenticate(t, cfg)

	// A wrong connection ID is reported with what to check, and the
	// access token stays out of the message.
	env["ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"] = "00000000-0000-0000-0000-000000000bad"
	cfg, _ = e.envConfig(env)
	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Token(t.Context())
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") || !strings.Contains(err.Error(), AttrADOServiceConnectionID) {
		t.Fatalf("want an HTTP 404 error naming %s, got %v", AttrADOServiceConnectionID, err)
	}
	if strings.Contains(err.Error(), accessToken) {
		t.Fatal("the error contains System.AccessToken")
	}

	// Without SYSTEM_ACCESSTOKEN mapped into the step, validation says how.
	delete(env, "SYSTEM_ACCESSTOKEN")
	cfg, _ = e.envConfig(env)
	problems := cfg.Validate()
	found := false
	for _, p := range problems {
		if strings.Contains(p.Detail, "SYSTEM_ACCESSTOKEN: $(System.AccessToken)") {
			found = true
		}
	}
	if !found {
		t.Fatalf("want a problem telling to map System.AccessToken, got %+v", problems)
	}
}

// GitLab CI id_tokens: the job declares
//
//	id_tokens:
//	  ARM_OIDC_TOKEN:
//	    aud: api://AzureADTokenExchange
//
// so GitLab exposes the signed token as ARM_OIDC_TOKEN, azurerm's variable.
func TestWorkloadIdentityGitLabIDTokens(t *testing.T) {
	federated := issueFederatedToken(t, "https://gitlab.example.com", "project_path:contoso/partner-transfers:ref_type:branch:ref:main")
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{federated}})
	cfg, sources := e.envConfig(map[string]string{
		"ARM_USE_OIDC": "true", "ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient, "ARM_OIDC_TOKEN": federated,
	})
	if sources[AttrOIDCToken] != "ARM_OIDC_TOKEN" {
		t.Fatalf("sources = %v", sources)
	}
	e.mustAuthenticate(t, cfg)

	// A token for another audience or project is refused by Entra ID.
	cfg.OIDCToken = issueFederatedToken(t, "https://gitlab.example.com", "project_path:contoso/other:ref_type:branch:ref:main")
	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Token(t.Context()); err == nil {
		t.Fatal("a token fakeentra does not trust was accepted")
	}
}
