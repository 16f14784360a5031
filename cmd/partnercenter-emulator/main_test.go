// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// runMainEnv makes the test binary act as the command, so the tests run the
// real main (flags, signals, exit code) in a separate process.
const runMainEnv = "PARTNERCENTER_EMULATOR_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Seed ids (examples/emulator/seed.json).
const (
	targetTenant = "b2b2b2b2-0000-4000-8000-000000000002"
	sourceTenant = "a1a1a1a1-0000-4000-8000-000000000001"
	customerID   = "c3c3c3c3-0000-4000-8000-000000000003"
)

// process is the command running in a child process.
type process struct {
	cmd    *exec.Cmd
	lines  map[string]string
	stderr *bytes.Buffer
	client *http.Client
}

func startCommand(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...) // #nosec G204 G702 -- runs the test binary itself.
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, lines: map[string]string{}, stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), "=")
		if !ok {
			t.Fatalf("stdout line %q is not KEY=VALUE", scanner.Text())
		}
		p.lines[key] = value
		if key == "PARTNERCENTER_EMULATOR_READY" {
			break
		}
	}
	if p.lines["PARTNERCENTER_EMULATOR_READY"] != "1" {
		t.Fatalf("the command did not get ready; stderr:\n%s", p.stderr)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	p.client = &http.Client{Timeout: 10 * time.Second}
	if pemFile := p.lines["SSL_CERT_FILE"]; pemFile != "" {
		pemBytes, err := os.ReadFile(pemFile) // #nosec G304 -- the file the command just printed.
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			t.Fatal("SSL_CERT_FILE holds no certificate")
		}
		p.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v; stderr:\n%s", err, p.stderr)
	}
}

func (p *process) do(t *testing.T, method, path, token string, body io.Reader, contentType string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, p.lines["PARTNERCENTER_ENDPOINT"]+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := p.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

func (p *process) token(t *testing.T, tenant, clientID, secret string) string {
	t.Helper()
	authority := p.lines["PARTNERCENTER_AUTHORITY_HOST"]
	if !strings.HasSuffix(authority, "/") {
		t.Fatalf("authority host %q must end with /", authority)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "scope": {fakeentra.Scope}}
	status, body := p.do(t, http.MethodPost, "/"+tenant+"/oauth2/v2.0/token", "", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || status != http.StatusOK {
		t.Fatalf("token: HTTP %d %s", status, body)
	}
	return tok.AccessToken
}

func TestCommandServesOverTLSAndResumesFromItsStateFile(t *testing.T) {
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "state.json")
	p := startCommand(t, "-state-file", stateFile, "-completion-delay", "1h", "-log-requests")
	endpoint := p.lines["PARTNERCENTER_ENDPOINT"]
	if !strings.HasPrefix(endpoint, "https://127.0.0.1:") || p.lines["PARTNERCENTER_AUTHORITY_HOST"] != endpoint+"/" {
		t.Fatalf("printed lines = %v", p.lines)
	}
	caFile := p.lines["SSL_CERT_FILE"]

	target := p.token(t, targetTenant, "b2b2b2b2-0000-4000-8000-0000000000b2", "fabrikam-emulator-secret")
	create := `{"sourcePartnerTenantId":"` + sourceTenant + `","customerEmailId":"it@northwind.example","transferType":3}`
	status, body := p.do(t, http.MethodPost, "/v1/customers/"+customerID+"/transfers", target, strings.NewReader(create), "application/json")
	var tr partnercenter.Transfer
	if err := json.Unmarshal(body, &tr); err != nil || status != http.StatusCreated || tr.Status != partnercenter.StatusPending {
		t.Fatalf("create: HTTP %d %s", status, body)
	}
	status, body = p.do(t, http.MethodGet, "/_emulator/state", "", nil, "")
	if status != http.StatusOK || !strings.Contains(string(body), tr.ID) {
		t.Fatalf("admin state: HTTP %d %s", status, body)
	}
	p.stop(t)
	if strings.Contains(p.stderr.String(), "fabrikam-emulator-secret") || strings.Contains(p.stderr.String(), target) {
		t.Error("a secret or token reached the log")
	}
	if !strings.Contains(p.stderr.String(), "POST /v1/customers/"+customerID+"/transfers -> 201") {
		t.Errorf("request log missing; stderr:\n%s", p.stderr)
	}
	if _, err := os.Stat(caFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary CA file was left behind: %v", err)
	}

	// A second run resumes the saved transfer; plain HTTP prints no CA file.
	p = startCommand(t, "-state-file", stateFile, "-tls=false", "-list-shape", "array")
	if _, ok := p.lines["SSL_CERT_FILE"]; ok || !strings.HasPrefix(p.lines["PARTNERCENTER_ENDPOINT"], "http://") {
		t.Fatalf("plain HTTP lines = %v", p.lines)
	}
	source := p.token(t, sourceTenant, "a1a1a1a1-0000-4000-8000-0000000000a1", "contoso-emulator-secret")
	status, body = p.do(t, http.MethodGet, "/v1/customers/"+customerID+"/transfers", source, nil, "")
	var list []partnercenter.Transfer
	if err := json.Unmarshal(body, &list); err != nil || status != http.StatusOK || len(list) != 1 || list[0].ID != tr.ID ||
		list[0].TransferDirection != partnercenter.DirectionOutgoing {
		t.Fatalf("list after restart: HTTP %d %s", status, body)
	}
	p.stop(t)
}

func TestCommandWritesTheCAFileWhereAsked(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "emulator-ca.pem")
	p := startCommand(t, "-ca-file", caFile, "-rate-limit", "1/h")
	if p.lines["SSL_CERT_FILE"] != caFile {
		t.Fatalf("SSL_CERT_FILE = %q", p.lines["SSL_CERT_FILE"])
	}
	target := p.token(t, targetTenant, "b2b2b2b2-0000-4000-8000-0000000000b2", "fabrikam-emulator-secret")
	codes := []int{}
	for range 2 {
		status, _ := p.do(t, http.MethodGet, "/v1/customers/"+customerID+"/transfers", target, nil, "")
		codes = append(codes, status)
	}
	if codes[0] != http.StatusOK || codes[1] != http.StatusTooManyRequests {
		t.Errorf("statuses with -rate-limit 1/h = %v", codes)
	}
	p.stop(t)
	if _, err := os.Stat(caFile); err != nil {
		t.Errorf("an explicit -ca-file must be kept: %v", err)
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-speed", "600", "-page-size", "5", "-rate-limit", "50/s", "-start", "2025-03-01T00:00:00Z", "-token-lifetime", "5m"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := emulator.RateLimit{Requests: 50, Per: time.Second}
	if c.opts.Speed != 600 || c.opts.PageSize != 5 || c.opts.RateLimit != want || c.opts.TokenLifetime != 5*time.Minute ||
		!c.opts.Start.Equal(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) || !c.useTLS || c.listen != "127.0.0.1:0" {
		t.Errorf("parsed %+v", c)
	}
	for _, args := range [][]string{
		{"-rate-limit", "fast"}, {"-rate-limit", "0/1s"}, {"-rate-limit", "5/never"}, {"-speed", "0"},
		{"-start", "yesterday"}, {"-bogus"}, {"extra"}, {"-wire", "camel-case"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestParseFlagsWireVariants(t *testing.T) {
	c, err := parseFlags([]string{"-wire", "pascal-case, product-type-numbers,transfer-type-5"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := emulator.WireVariants{PascalCase: true, ProductTypeNumbers: true, TransferTypeEcho: 5}
	if c.opts.Wire != want {
		t.Errorf("-wire parsed as %+v, want %+v", c.opts.Wire, want)
	}
}

func TestParseFlagsRequestIDMode(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.opts.RequestIDMode != emulator.RequestIDReplay {
		t.Errorf("default -request-id-mode = %q, want %q", c.opts.RequestIDMode, emulator.RequestIDReplay)
	}
	for _, mode := range emulator.RequestIDModes {
		c, err := parseFlags([]string{"-request-id-mode", mode}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if c.opts.RequestIDMode != mode {
			t.Errorf("-request-id-mode %s parsed as %q", mode, c.opts.RequestIDMode)
		}
	}
}

func TestRunFailsFastOnBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(bad, []byte(`{"partners":[{"tenantId":"x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"invalid seed":        {"-seed", bad},
		"missing seed":        {"-seed", filepath.Join(dir, "none.json")},
		"bad list shape":      {"-list-shape", "table"},
		"bad request-id mode": {"-request-id-mode", "sometimes"},
		"bad listen addr":     {"-listen", "256.1.1.1:0"},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			var stdout bytes.Buffer
			if err := run(ctx, args, &stdout, io.Discard); err == nil {
				t.Error("run succeeded")
			}
			if strings.Contains(stdout.String(), "READY") {
				t.Error("printed READY before failing")
			}
		})
	}
}

// snapshotFile writes a snapshot of the source partner with one customer
// and one pending request from the target; complete says whether the run
// that wrote it finished.
func snapshotFile(t *testing.T, complete bool) string {
	t.Helper()
	created := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	expires := created.Add(30 * 24 * time.Hour)
	read := 1
	if !complete {
		read = 0
	}
	s := emulator.Seed{
		Snapshot: &emulator.SnapshotInfo{Format: emulator.SnapshotFormat, Complete: complete, PartnerTenantID: sourceTenant,
			ClientID: "a1a1a1a1-0000-4000-8000-0000000000a1", StartedAt: created, CustomersTotal: 1, CustomersRead: read},
		Partners: []emulator.Partner{{TenantID: sourceTenant, Name: "Contoso"}, {TenantID: targetTenant, Name: "Fabrikam"}},
		Customers: []emulator.Customer{{ID: customerID, Name: "Northwind", PartnerTenantIDs: []string{sourceTenant},
			Subscriptions: []emulator.Subscription{{ID: "d4d4d4d4-0000-4000-8000-000000000001", OwnerPartnerTenantID: sourceTenant, ProductType: "OnlineServicesNCE"}}}},
		Transfers: []emulator.Transfer{{ID: "f6f6f6f6-0000-4000-8000-000000000006", Status: "Pending", TransferType: 3, CustomerTenantID: customerID,
			SourcePartnerTenantID: sourceTenant, TargetPartnerTenantID: targetTenant, CreatedTime: &created, ExpirationTime: &expires}},
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "partner.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCommandServesASnapshotWithTheOtherPartner(t *testing.T) {
	p := startCommand(t, "-snapshot", snapshotFile(t, true), "-snapshot-client-secret", "rehearsal",
		"-other-partner-client-secret", "other-side")
	// The snapshot's partner signs in with the snapshot's client id and the
	// rehearsal secret, and sees its request.
	source := p.token(t, sourceTenant, "a1a1a1a1-0000-4000-8000-0000000000a1", "rehearsal")
	status, body := p.do(t, http.MethodGet, "/v1/customers/"+customerID+"/transfers", source, nil, "")
	if status != http.StatusOK || !strings.Contains(string(body), "f6f6f6f6-0000-4000-8000-000000000006") {
		t.Fatalf("source lists: HTTP %d %s", status, body)
	}
	// The other partner (the one the request names) signs in and can
	// create a request: it was given a relationship with the customer.
	target := p.token(t, targetTenant, emulator.DefaultOtherPartnerClientID, "other-side")
	create := `{"sourcePartnerTenantId":"` + sourceTenant + `","customerEmailId":"it@northwind.example","transferType":3}`
	if status, body := p.do(t, http.MethodPost, "/v1/customers/"+customerID+"/transfers", target, strings.NewReader(create), "application/json"); status != http.StatusCreated {
		t.Fatalf("other partner creates: HTTP %d %s", status, body)
	}
	p.stop(t)
	if strings.Contains(p.stderr.String(), "rehearsal") || strings.Contains(p.stderr.String(), "other-side") {
		t.Error("a secret reached the log")
	}
}

func TestRunRefusesAnIncompleteSnapshot(t *testing.T) {
	var stdout bytes.Buffer
	err := run(t.Context(), []string{"-snapshot", snapshotFile(t, false)}, &stdout, io.Discard)
	if !errors.Is(err, emulator.ErrIncompleteSnapshot) || !strings.Contains(err.Error(), "read 0 of 1 customers") {
		t.Fatalf("run(incomplete snapshot) = %v", err)
	}
	if strings.Contains(stdout.String(), "READY") {
		t.Error("printed READY before failing")
	}
	if err := run(t.Context(), []string{"-snapshot", snapshotFile(t, true), "-seed", "x.json"}, &stdout, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "exclude each other") {
		t.Fatalf("-snapshot with -seed: %v", err)
	}
}
