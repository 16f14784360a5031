// SPDX-License-Identifier: MPL-2.0

package fakeentra_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

const (
	tenantA  = "11111111-1111-1111-1111-111111111111"
	tenantB  = "22222222-2222-2222-2222-222222222222"
	clientA  = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
	clientB  = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
	secretA  = "s3cr3t-value-A~never-echo"
	pcScope  = "https://api.partnercenter.microsoft.com/.default"
	resource = "https://api.partnercenter.microsoft.com"
)

// fakeClock is a manually advanced clock shared with the server under test.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type testEntra struct {
	server *fakeentra.Server
	http   *httptest.Server
}

func startEntra(t *testing.T, opts fakeentra.Options) *testEntra {
	t.Helper()
	s, err := fakeentra.New(opts)
	if err != nil {
		t.Fatalf("fakeentra.New: %v", err)
	}
	ts := httptest.NewTLSServer(s.Handler())
	t.Cleanup(ts.Close)
	return &testEntra{server: s, http: ts}
}

func (e *testEntra) tokenURLv2(tenant string) string {
	return e.http.URL + "/" + tenant + "/oauth2/v2.0/token"
}
func (e *testEntra) tokenURLv1(tenant string) string {
	return e.http.URL + "/" + tenant + "/oauth2/token"
}

type response struct {
	status int
	raw    string
	body   map[string]any
}

func (r response) errorCode() string {
	s, _ := r.body["error"].(string)
	return s
}

// accessToken returns the access_token of a successful token response.
func (r response) accessToken(t *testing.T) string {
	t.Helper()
	token, ok := r.body["access_token"].(string)
	if !ok || token == "" {
		t.Fatalf("no access_token in %d response: %s", r.status, r.raw)
	}
	return token
}

func (r response) description() string {
	s, _ := r.body["error_description"].(string)
	return s
}

func (e *testEntra) do(t *testing.T, method, target string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := response{status: resp.StatusCode, raw: string(raw)}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

// secretForm is a v2 client-secret request for clientA, with the extra scopes MSAL adds.
func secretForm(secret string) url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {clientA},
		"client_secret": {secret},
		"scope":         {pcScope + " openid profile offline_access"},
	}
}

func assertionForm(clientID, assertion string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"client_id":             {clientID},
		"client_assertion_type": {fakeentra.ClientAssertionType},
		"client_assertion":      {assertion},
		"scope":                 {pcScope},
	}
}

// testCert is a generated certificate with its parsed key.
type testCert struct {
	certPEM, keyPEM []byte
	key             *rsa.PrivateKey
}

func newTestCert(t *testing.T) testCert {
	t.Helper()
	certPEM, keyPEM, err := fakeentra.GenerateCertificate("fakeentra-test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(keyPEM)
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("generated key is %T, want RSA", parsed)
	}
	return testCert{certPEM: certPEM, keyPEM: keyPEM, key: key}
}

func bearerRequest(t *testing.T, token string) *http.Request {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/v1/customers", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

func cloudFor(authorityHost string) cloud.Configuration {
	return cloud.Configuration{ActiveDirectoryAuthorityHost: authorityHost, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}}
}
