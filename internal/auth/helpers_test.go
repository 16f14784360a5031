// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

const (
	testTenant = "11111111-1111-1111-1111-111111111111"
	testClient = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
	testSecret = "client-secret-value~do-not-leak"
)

// testClock is the provider cache's clock; it starts at real time because the
// SDK computes expiry from the real clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type entra struct {
	server *fakeentra.Server
	http   *httptest.Server
	// tokenRequests counts every token endpoint call, failed ones included.
	tokenRequests atomic.Int64
}

// shortLifetime keeps tokens under MSAL's 5-minute cache threshold, so every
// miss in the provider's cache really reaches the server.
const shortLifetime = 2 * time.Minute

// startEntra serves fakeentra over TLS, issuing shortLifetime tokens.
func startEntra(t *testing.T, apps ...fakeentra.App) *entra {
	t.Helper()
	s, err := fakeentra.New(fakeentra.Options{Apps: apps, TokenLifetime: shortLifetime})
	if err != nil {
		t.Fatal(err)
	}
	e := &entra{server: s}
	handler := s.Handler()
	e.http = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			e.tokenRequests.Add(1)
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(e.http.Close)
	return e
}

func (e *entra) config() Config {
	return Config{TenantID: testTenant, ClientID: testClient, AuthorityHost: e.http.URL + "/"}
}

func (e *entra) client() *http.Client { return e.http.Client() }

func (e *entra) mustAccept(t *testing.T, token string) fakeentra.Identity {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/v1/customers", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	id, err := e.server.Authenticate(req)
	if err != nil {
		t.Fatalf("fakeentra rejected the token: %v", err)
	}
	return id
}

type certFiles struct {
	certPEM     []byte
	pemPath     string // certificate and key in one PEM file
	legacyPFX   string // PKCS#12 readable by azidentity itself
	modernPFX   string // AES/SHA-256 PKCS#12 (OpenSSL 3 default)
	pfxPassword string
}

func writeCertFiles(t *testing.T) certFiles {
	t.Helper()
	certPEM, keyPEM, err := fakeentra.GenerateCertificate("auth-test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	certBlock, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	keyBlock, _ := pem.Decode(keyPEM)
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	const password = "pfx-password~do-not-leak"
	legacy, err := pkcs12.LegacyDES.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	modern, err := pkcs12.Modern2023.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := certFiles{
		certPEM:     certPEM,
		pemPath:     filepath.Join(dir, "client.pem"),
		legacyPFX:   filepath.Join(dir, "legacy.pfx"),
		modernPFX:   filepath.Join(dir, "modern.pfx"),
		pfxPassword: password,
	}
	writeFile(t, files.pemPath, append(append([]byte{}, certPEM...), keyPEM...))
	writeFile(t, files.legacyPFX, legacy)
	writeFile(t, files.modernPFX, modern)
	return files
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
