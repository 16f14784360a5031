// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestClientSecretProvider(t *testing.T) {
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret})
	cfg := e.config()
	cfg.ClientSecret = testSecret

	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	token, err := p.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if id := e.mustAccept(t, token); id.TenantID != testTenant || id.ClientID != testClient {
		t.Errorf("identity = %+v", id)
	}
}

func TestClientCertificateProvider(t *testing.T) {
	files := writeCertFiles(t)
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, CertificatePEM: string(files.certPEM)})
	tests := []struct {
		name, path, password string
	}{
		{"PEM", files.pemPath, ""},
		{"PEM with an unrelated password from the environment", files.pemPath, "ignored"},
		{"legacy PKCS#12", files.legacyPFX, files.pfxPassword},
		{"AES PKCS#12", files.modernPFX, files.pfxPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := e.config()
			cfg.ClientCertificatePath = tt.path
			cfg.ClientCertificatePassword = tt.password
			p, err := NewTokenProvider(t.Context(), cfg, e.client())
			if err != nil {
				t.Fatal(err)
			}
			token, err := p.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			e.mustAccept(t, token)
		})
	}

	t.Run("wrong PKCS#12 password", func(t *testing.T) {
		cfg := e.config()
		cfg.ClientCertificatePath = files.modernPFX
		cfg.ClientCertificatePassword = "wrong-password"
		_, err := NewTokenProvider(t.Context(), cfg, e.client())
		if err == nil || !strings.Contains(err.Error(), "password is incorrect") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "wrong-password") {
			t.Error("error contains the password")
		}
	})
}

func TestOIDCStaticToken(t *testing.T) {
	const federated = "federated.jwt.static"
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{federated}})
	cfg := e.config()
	cfg.UseOIDC = true
	cfg.OIDCToken = federated
	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	token, err := p.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.mustAccept(t, token)
}

func TestOIDCTokenFileIsReadOnEveryRequest(t *testing.T) {
	app := fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{"federated.first"}}
	e := startEntra(t, app)
	path := filepath.Join(t.TempDir(), "token")
	writeFile(t, path, []byte("federated.first\n"))

	cfg := e.config()
	cfg.UseOIDC = true
	cfg.OIDCTokenFilePath = path
	clock := newTestClock()
	p, err := newTokenProvider(t.Context(), cfg, e.client(), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Token(t.Context()); err != nil {
		t.Fatal(err)
	}

	// The platform rotates the projected token and the old one stops working.
	writeFile(t, path, []byte("federated.second"))
	app.FederatedTokens = []string{"federated.second"}
	e.server.AddApp(app)
	clock.Advance(shortLifetime + time.Second)
	token, err := p.Token(t.Context())
	if err != nil {
		t.Fatalf("token after rotation: %v", err)
	}
	e.mustAccept(t, token)
	if got := e.server.TokensIssued(); got != 2 {
		t.Errorf("TokensIssued = %d, want 2", got)
	}
}

// fakeActionsOIDC is the GitHub Actions ID-token endpoint.
func fakeActionsOIDC(t *testing.T, requestToken, federated string) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var audiences []string
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+requestToken {
			http.Error(w, `{"message":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("api-version") != "2.0" {
			http.Error(w, "the request URL's own query must be kept", http.StatusBadRequest)
			return
		}
		mu.Lock()
		audiences = append(audiences, r.URL.Query().Get("audience"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"count": 1, "value": federated})
	}))
	t.Cleanup(ts.Close)
	return ts, &audiences
}

func TestOIDCGitHubActionsRequest(t *testing.T) {
	const requestToken = "actions-request-token~do-not-leak"
	const federated = "federated.from.github"
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, FederatedTokens: []string{federated}})
	actions, audiences := fakeActionsOIDC(t, requestToken, federated)

	cfg := e.config()
	cfg.UseOIDC = true
	cfg.OIDCRequestURL = actions.URL + "/idtoken?api-version=2.0"
	cfg.OIDCRequestToken = requestToken
	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	token, err := p.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.mustAccept(t, token)
	if len(*audiences) != 1 || (*audiences)[0] != FederatedTokenAudience {
		t.Errorf("audiences requested = %v", *audiences)
	}

	t.Run("rejected request token", func(t *testing.T) {
		bad := cfg
		bad.OIDCRequestToken = "stale-request-token"
		p, err := NewTokenProvider(t.Context(), bad, e.client())
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Token(t.Context())
		if err == nil || !strings.Contains(err.Error(), "HTTP 401") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "stale-request-token") {
			t.Error("error contains the request token")
		}
	})
}

func TestWrongSecretErrorIsClearAndRedacted(t *testing.T) {
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret})
	cfg := e.config()
	cfg.ClientSecret = "wrong-secret~do-not-leak"
	p, err := NewTokenProvider(t.Context(), cfg, e.client())
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Token(t.Context())
	if err == nil {
		t.Fatal("expected an error")
	}
	msg := err.Error()
	for _, want := range []string{"client_secret", "AADSTS7000215", "Invalid client secret"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "wrong-secret~do-not-leak") || strings.Contains(msg, testSecret) {
		t.Errorf("error contains a secret: %s", msg)
	}
}

func TestManyCallersShareOneTokenRequest(t *testing.T) {
	e := startEntra(t, fakeentra.App{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret})
	cfg := e.config()
	cfg.ClientSecret = testSecret
	p, err := newTokenProvider(t.Context(), cfg, e.client(), newTestClock().Now)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	tokens := make([]string, 40)
	errs := make([]error, len(tokens))
	for i := range tokens {
		wg.Go(func() { tokens[i], errs[i] = p.Token(t.Context()) })
	}
	wg.Wait()
	for i := range tokens {
		if errs[i] != nil || tokens[i] != tokens[0] {
			t.Fatalf("caller %d: token differs or err %v", i, errs[i])
		}
	}
	for range 10 {
		if tok, err := p.Token(t.Context()); err != nil || tok != tokens[0] {
			t.Fatalf("sequential call: %v", err)
		}
	}
	if got := e.tokenRequests.Load(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	app := fakeentra.App{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret}
	e := startEntra(t, app)
	cfg := e.config()
	cfg.ClientSecret = testSecret
	clock := newTestClock()
	p, err := newTokenProvider(t.Context(), cfg, e.client(), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	first, err := p.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	// A 2-minute token is refreshed after half its lifetime.
	clock.Advance(50 * time.Second)
	if tok, _ := p.Token(t.Context()); tok != first || e.server.TokensIssued() != 1 {
		t.Fatalf("refreshed too early (issued %d)", e.server.TokensIssued())
	}
	clock.Advance(15 * time.Second)
	second, err := p.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if second == first || e.server.TokensIssued() != 2 {
		t.Fatalf("not refreshed in the refresh window (issued %d)", e.server.TokensIssued())
	}

	t.Run("failed refresh keeps the still-valid token, then fails after expiry", func(t *testing.T) {
		app.ClientSecret = "rotated"
		e.server.AddApp(app)
		// The SDK derives expiry from the real clock, so the second token
		// expires about 120s after the test clock's start, and its refresh
		// window opens about halfway between its issue (65s) and expiry.
		clock.Advance(40 * time.Second)
		tok, err := p.Token(t.Context())
		if err != nil || tok != second {
			t.Fatalf("got err %v; want the still-valid token", err)
		}
		if got := e.tokenRequests.Load(); got != 3 {
			t.Fatalf("token requests = %d, want 3 (the failed refresh was not attempted)", got)
		}
		clock.Advance(20 * time.Second) // now expired
		if _, err := p.Token(t.Context()); err == nil || !strings.Contains(err.Error(), "AADSTS7000215") {
			t.Fatalf("err = %v, want the refresh failure", err)
		}
	})
}

func TestAccessTokenIsUsedAsIs(t *testing.T) {
	p, err := NewTokenProvider(t.Context(), Config{AccessToken: "pre.acquired.token"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := p.Token(t.Context()); err != nil || tok != "pre.acquired.token" {
		t.Fatalf("Token = %q, %v", tok, err)
	}
}

func TestCLIAndMSISelection(t *testing.T) {
	tests := []struct {
		name       string
		cfg        Config
		wantMethod string
		check      func(any) bool
	}{
		{"cli", Config{UseCLI: true, TenantID: testTenant}, MethodCLI, func(c any) bool { _, ok := c.(*azidentity.AzureCLICredential); return ok }},
		{"system-assigned msi", Config{UseMSI: true}, MethodMSI, func(c any) bool { _, ok := c.(*azidentity.ManagedIdentityCredential); return ok }},
		{"user-assigned msi", Config{UseMSI: true, ClientID: testClient}, MethodMSI, func(c any) bool { _, ok := c.(*azidentity.ManagedIdentityCredential); return ok }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if problems := tt.cfg.Validate(); len(problems) != 0 {
				t.Fatalf("unexpected problems: %+v", problems)
			}
			if got := tt.cfg.Method(); got != tt.wantMethod {
				t.Errorf("Method = %q", got)
			}
			cred, err := tt.cfg.newCredential(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cred) {
				t.Errorf("credential type %T", cred)
			}
			if _, err := NewTokenProvider(t.Context(), tt.cfg, nil); err != nil {
				t.Errorf("NewTokenProvider: %v", err)
			}
		})
	}
}

func TestNewTokenProviderRefusesInvalidConfig(t *testing.T) {
	_, err := NewTokenProvider(t.Context(), Config{ClientSecret: testSecret, AccessToken: "tok~do-not-leak"}, nil)
	if err == nil || !strings.Contains(err.Error(), "Conflicting Partner Center credentials") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "tok~do-not-leak") {
		t.Error("error contains a secret")
	}
}
