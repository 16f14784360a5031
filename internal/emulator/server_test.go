// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

func TestServerServesHTTPSTrustedByItsCA(t *testing.T) {
	ca, err := NewCA()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{Seed: DefaultSeed()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(e, "127.0.0.1:0", ca)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") || srv.Emulator != e {
		t.Fatalf("URL = %s", srv.URL)
	}

	// A client trusting only the written PEM file reaches the token endpoint and the API.
	pemPath := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(pemPath); err != nil {
		t.Fatal(err)
	}
	pemBytes, err := os.ReadFile(pemPath)
	if err != nil {
		t.Fatal(err)
	}
	if block, _ := pem.Decode(pemBytes); block == nil || block.Type != "CERTIFICATE" {
		t.Fatal("WritePEM did not write a certificate")
	}
	if strings.Contains(string(pemBytes), "PRIVATE KEY") {
		t.Fatal("the CA key was written")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"b2b2b2b2-0000-4000-8000-0000000000b2"},
		"client_secret": {"fabrikam-emulator-secret"}, "scope": {fakeentra.Scope}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/"+targetTenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("token over TLS: %v", err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tok)
	_ = res.Body.Close()
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+transfersPath(customerID), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || res.ProtoMajor != 1 {
		t.Fatalf("list over TLS: HTTP %d %s", res.StatusCode, res.Proto)
	}

	// An untrusting client fails the handshake.
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+transfersPath(customerID), nil)
	if res, err := (&http.Client{Transport: &http.Transport{}}).Do(req); err == nil {
		_ = res.Body.Close()
		t.Fatal("a client without the CA connected")
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestServerPlainHTTPAndDrops(t *testing.T) {
	e, err := New(Options{Seed: DefaultSeed()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(e, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL = %s", srv.URL)
	}
	e.SetFaults(Fault{Route: "instance-discovery", Kind: FaultDropBeforeCommit})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/common/discovery/instance", nil)
	if res, err := srv.Client().Do(req); err == nil {
		_ = res.Body.Close()
		t.Fatal("a dropped request got a response")
	}
	if _, err := Start(e, "256.0.0.1:0", nil); err == nil {
		t.Error("an invalid listen address was accepted")
	}
}
