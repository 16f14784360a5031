// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	files := writeCertFiles(t)
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	writeFile(t, garbage, []byte("not a certificate"))
	tokenFile := filepath.Join(dir, "oidc-token")
	writeFile(t, tokenFile, []byte("federated"))
	missing := filepath.Join(dir, "missing")

	const secret = "super-secret~value.1234567890abcdefghijkl"
	app := Config{TenantID: testTenant, ClientID: testClient}
	with := func(mutate func(*Config)) Config {
		c := app
		mutate(&c)
		return c
	}

	tests := []struct {
		name        string
		cfg         Config
		wantSummary string // empty: no problems expected
		wantAttrs   []string
		wantDetail  []string
	}{
		{"client secret", with(func(c *Config) { c.ClientSecret = secret }), "", nil, nil},
		{"certificate", with(func(c *Config) {
			c.ClientCertificatePath = files.modernPFX
			c.ClientCertificatePassword = files.pfxPassword
		}), "", nil, nil},
		{"oidc file", with(func(c *Config) { c.UseOIDC = true; c.OIDCTokenFilePath = tokenFile }), "", nil, nil},
		{"oidc github", with(func(c *Config) {
			c.UseOIDC = true
			c.OIDCRequestURL = "https://gh.example/idtoken"
			c.OIDCRequestToken = secret
		}), "", nil, nil},
		{"access token alone", Config{AccessToken: secret}, "", nil, nil},
		{"cli without ids", Config{UseCLI: true}, "", nil, nil},
		{"loopback http emulator", with(func(c *Config) {
			c.ClientSecret = secret
			c.Endpoint = "http://127.0.0.1:8080"
			c.AuthorityHost = "http://localhost:8080/"
		}), "", nil, nil},

		{"nothing configured", Config{}, "No Partner Center credentials configured",
			[]string{AttrClientSecret, AttrUseOIDC, AttrAccessToken}, []string{"ARM_CLIENT_SECRET", "PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "ARM_USE_MSI"}},
		{"oidc token without use_oidc", with(func(c *Config) { c.OIDCToken = secret }), "No Partner Center credentials configured",
			[]string{AttrUseOIDC}, []string{"use_oidc is false", "ARM_USE_OIDC"}},
		{"secret and certificate", with(func(c *Config) { c.ClientSecret = secret; c.ClientCertificatePath = files.pemPath }), "Conflicting Partner Center credentials",
			[]string{AttrClientSecret, AttrClientCertificatePath}, []string{"ARM_CLIENT_SECRET", "ARM_CLIENT_CERTIFICATE_PATH"}},
		{"access token and cli", Config{AccessToken: secret, UseCLI: true}, "Conflicting Partner Center credentials",
			[]string{AttrAccessToken, AttrUseCLI}, []string{"PARTNERCENTER_ACCESS_TOKEN", "ARM_USE_CLI"}},
		{"use_oidc without source", with(func(c *Config) { c.UseOIDC = true }), "No OIDC token source",
			[]string{AttrUseOIDC, AttrOIDCToken}, []string{"ARM_OIDC_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL"}},
		{"use_oidc with request url only", with(func(c *Config) { c.UseOIDC = true; c.OIDCRequestURL = "https://gh.example/idtoken" }), "No OIDC token source",
			[]string{AttrOIDCRequestToken}, []string{"id-token: write"}},
		{"oidc token file missing", with(func(c *Config) { c.UseOIDC = true; c.OIDCTokenFilePath = missing }), "OIDC token file unreadable",
			[]string{AttrOIDCTokenFilePath}, []string{"ARM_OIDC_TOKEN_FILE_PATH", "no such file"}},
		{"oidc request url over http", with(func(c *Config) {
			c.UseOIDC = true
			c.OIDCRequestURL = "http://gh.example/idtoken"
			c.OIDCRequestToken = secret
		}), "Invalid oidc_request_url",
			[]string{AttrOIDCRequestURL}, []string{"plain http is refused", "ACTIONS_ID_TOKEN_REQUEST_URL"}},
		{"missing tenant", Config{ClientID: testClient, ClientSecret: secret}, "Missing tenant_id",
			[]string{AttrTenantID}, []string{"PARTNERCENTER_TENANT_ID", "ARM_TENANT_ID"}},
		{"missing client id", Config{TenantID: testTenant, UseOIDC: true, OIDCToken: secret}, "Missing client_id",
			[]string{AttrClientID}, []string{"ARM_CLIENT_ID"}},
		{"malformed tenant", with(func(c *Config) { c.ClientSecret = secret; c.TenantID = "1111-2222" }), "Invalid tenant_id",
			[]string{AttrTenantID}, []string{`"1111-2222"`, "ARM_TENANT_ID"}},
		{"secret pasted as client id", with(func(c *Config) { c.UseCLI = true; c.ClientID = secret }), "Invalid client_id",
			[]string{AttrClientID}, []string{"not shown"}},
		{"unknown environment", with(func(c *Config) { c.ClientSecret = secret; c.Environment = "usgovernment" }), "Unknown environment",
			[]string{AttrEnvironment}, []string{"ARM_ENVIRONMENT", `"china"`}},
		{"http endpoint", with(func(c *Config) { c.ClientSecret = secret; c.Endpoint = "http://api.example.com" }), "Invalid endpoint",
			[]string{AttrEndpoint}, []string{"plain http is refused", "PARTNERCENTER_ENDPOINT"}},
		{"endpoint with credentials", with(func(c *Config) { c.ClientSecret = secret; c.Endpoint = "https://user:" + secret + "@api.example.com" }), "Invalid endpoint",
			[]string{AttrEndpoint}, []string{"credentials in the URL"}},
		{"endpoint without host", with(func(c *Config) { c.ClientSecret = secret; c.Endpoint = "api.example.com" }), "Invalid endpoint",
			[]string{AttrEndpoint}, []string{"no host"}},
		{"http authority host", with(func(c *Config) { c.ClientSecret = secret; c.AuthorityHost = "http://10.0.0.5/" }), "Invalid authority_host",
			[]string{AttrAuthorityHost}, []string{"PARTNERCENTER_AUTHORITY_HOST"}},
		{"ftp authority host", with(func(c *Config) { c.ClientSecret = secret; c.AuthorityHost = "ftp://127.0.0.1/" }), "Invalid authority_host",
			[]string{AttrAuthorityHost}, []string{`unsupported scheme "ftp"`}},
		{"certificate missing", with(func(c *Config) { c.ClientCertificatePath = missing }), "Client certificate file unreadable",
			[]string{AttrClientCertificatePath}, []string{"ARM_CLIENT_CERTIFICATE_PATH", "no such file"}},
		{"certificate garbage", with(func(c *Config) { c.ClientCertificatePath = garbage }), "Client certificate could not be loaded",
			[]string{AttrClientCertificatePath, AttrClientCertificatePassword}, []string{"ARM_CLIENT_CERTIFICATE_PASSWORD"}},
		{"certificate wrong password", with(func(c *Config) { c.ClientCertificatePath = files.legacyPFX; c.ClientCertificatePassword = secret }), "Client certificate could not be loaded",
			[]string{AttrClientCertificatePath}, []string{"password is incorrect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := tt.cfg.Validate()
			if tt.wantSummary == "" {
				if len(problems) != 0 {
					t.Fatalf("unexpected problems: %+v", problems)
				}
				return
			}
			if len(problems) != 1 {
				t.Fatalf("want exactly one problem %q, got %+v", tt.wantSummary, problems)
			}
			p := problems[0]
			if p.Summary != tt.wantSummary {
				t.Errorf("Summary = %q, want %q", p.Summary, tt.wantSummary)
			}
			for _, attr := range tt.wantAttrs {
				if !slices.Contains(p.Attributes, attr) {
					t.Errorf("Attributes %v lack %s", p.Attributes, attr)
				}
			}
			for _, s := range tt.wantDetail {
				if !strings.Contains(p.Detail, s) {
					t.Errorf("Detail lacks %q:\n%s", s, p.Detail)
				}
			}
			if strings.Contains(p.Summary+p.Detail, secret) || strings.Contains(p.Detail, files.pfxPassword) {
				t.Errorf("problem text contains a secret:\n%s", p.Detail)
			}
		})
	}
}

func TestValidateReportsAllProblemsAtOnce(t *testing.T) {
	cfg := Config{TenantID: "bad", ClientSecret: "s", ClientCertificatePath: "/nonexistent/cert.pem", Environment: "mars", Endpoint: "http://example.com"}
	var summaries []string
	for _, p := range cfg.Validate() {
		summaries = append(summaries, p.Summary)
	}
	want := []string{
		"Conflicting Partner Center credentials", "Invalid tenant_id", "Missing client_id",
		"Unknown environment", "Invalid endpoint", "Client certificate file unreadable",
	}
	if !slices.Equal(summaries, want) {
		t.Errorf("summaries = %q\nwant %q", summaries, want)
	}
}
