// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/snapshot"
)

// runMainEnv makes the test binary act as the command, so the tests run the
// real main (flags, environment, signals, exit code) in a separate process.
const runMainEnv = "PARTNERCENTER_SNAPSHOT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// partnerEmulator serves one partner with n generated customers over HTTPS.
type partnerEmulator struct {
	emu                      *emulator.Emulator
	srv                      *emulator.Server
	caFile                   string
	tenant, client, secret   string
	otherTenant, otherClient string
	customers                int
}

func startEmulator(t *testing.T, n int) *partnerEmulator {
	t.Helper()
	p := &partnerEmulator{tenant: uuid.NewString(), client: uuid.NewString(), secret: "s-" + uuid.NewString(),
		otherTenant: uuid.NewString(), otherClient: uuid.NewString(), customers: n}
	emu, err := emulator.New(emulator.Options{Seed: emulator.Seed{Partners: []emulator.Partner{
		{TenantID: p.tenant, Name: "Contoso Old Partner", Apps: []fakeentra.App{{ClientID: p.client, ClientSecret: p.secret}}},
		{TenantID: p.otherTenant, Name: "Fabrikam New Partner", Apps: []fakeentra.App{{ClientID: p.otherClient, ClientSecret: "other"}}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := emu.GenerateCustomers(emulator.GenerateCustomers{Count: n, OwnerPartnerTenantID: p.tenant}); err != nil {
		t.Fatal(err)
	}
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	p.caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(p.caFile); err != nil {
		t.Fatal(err)
	}
	if p.srv, err = emulator.Start(emu, "127.0.0.1:0", ca); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.srv.Close() })
	p.emu = emu
	return p
}

// command is the snapshot command signed in as the partner through the
// provider's environment variables.
func (p *partnerEmulator) command(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...) // #nosec G204 G702 -- runs the test binary itself.
	env := []string{runMainEnv + "=1", "SSL_CERT_FILE=" + p.caFile,
		"PARTNERCENTER_ENDPOINT=" + p.srv.URL, "PARTNERCENTER_AUTHORITY_HOST=" + p.srv.URL + "/",
		"ARM_TENANT_ID=" + p.tenant, "ARM_CLIENT_ID=" + p.client, "ARM_CLIENT_SECRET=" + p.secret}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARTNERCENTER_") && !strings.HasPrefix(kv, "ARM_") && !strings.HasPrefix(kv, "SSL_CERT_") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd, &stderr
}

var progressLine = regexp.MustCompile(`snapshot: customers (\d+)/(\d+) \(\d+%\), (\d+) requests, (\d+) throttled, \S+ elapsed, ETA \S+`)

func TestCommandWritesASnapshotWithGETsOnly(t *testing.T) {
	p := startEmulator(t, 40)
	out := filepath.Join(t.TempDir(), "partner.json")
	p.emu.ResetStats()
	cmd, stderr := p.command(t, "-o", out, "-anonymize", "-progress-interval", "10ms")
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	lines := progressLine.FindAllStringSubmatch(stderr.String(), -1)
	if len(lines) == 0 {
		t.Fatalf("no progress line on stderr:\n%s", stderr)
	}
	last := lines[len(lines)-1]
	if last[1] != "40" || last[2] != "40" || last[3] != "81" || last[4] != "0" {
		t.Fatalf("last progress line %q, want 40/40 customers, 81 requests, 0 throttled", last[0])
	}
	stats := p.emu.Stats()
	for key := range stats.Requests {
		if key != "token POST" && !strings.HasSuffix(key, " GET") {
			t.Errorf("the command sent %q requests", key)
		}
	}
	if stats.Count("listCustomers", "GET") != 1 || stats.Count("listSubscriptions", "GET") != 40 || stats.Count("list", "GET") != 40 {
		t.Errorf("requests = %v, want 1 customers page, 40 subscription lists, 40 transfer lists", stats.Requests)
	}
	s, err := emulator.LoadSeed(out)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Snapshot.Anonymized || len(s.Customers) != 40 || strings.Contains(s.Customers[0].Name, "Customer 00001") {
		t.Fatalf("snapshot header %+v, first customer %q", *s.Snapshot, s.Customers[0].Name)
	}
	key, err := os.Stat(out + ".key")
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, key)
	}
	if _, err := os.Stat(out + snapshot.PartialSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("partial file left after success: %v", err)
	}
}

func TestKilledSnapshotLeavesNoCompleteFileAndResumes(t *testing.T) {
	p := startEmulator(t, 60)
	p.emu.SetFaults(emulator.Fault{Route: emulator.RouteListSubscriptions, Kind: emulator.FaultLatency, Latency: 30 * time.Millisecond})
	dir := t.TempDir()
	out := filepath.Join(dir, "partner.json")
	partial := out + snapshot.PartialSuffix
	cmd, stderr := p.command(t, "-o", out, "-concurrency", "1", "-checkpoint-interval", "20ms")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if s, err := snapshot.ReadPartial(partial); err == nil && s != nil && s.Snapshot.CustomersRead >= 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no partial file with 5 customers after 20s:\n%s", stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	// Nothing in the directory loads as a snapshot.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if _, err := emulator.LoadSeed(filepath.Join(dir, e.Name())); err == nil {
			t.Errorf("%s loads as a complete snapshot after kill -9", e.Name())
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("output exists after kill -9: %v", err)
	}
	if _, err := emulator.LoadSeed(partial); !errors.Is(err, emulator.ErrIncompleteSnapshot) {
		t.Fatalf("LoadSeed(partial) = %v, want ErrIncompleteSnapshot", err)
	}

	p.emu.SetFaults()
	cmd, stderr = p.command(t, "-o", out)
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`continuing .*partner\.json\.partial: \d+ of 60 customers already read`).MatchString(stderr.String()) {
		t.Fatalf("the rerun does not say it continues:\n%s", stderr)
	}
	s, err := emulator.LoadSeed(out)
	if err != nil || len(s.Customers) != 60 {
		t.Fatalf("resumed snapshot: %v", err)
	}
	if _, err := os.Stat(partial); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("partial file left after the resumed run: %v", err)
	}
	// A rerun with -restart says it starts again.
	cmd, stderr = p.command(t, "-o", out, "-restart")
	if err := snapshot.WriteFile(partial, emulator.Seed{Snapshot: &emulator.SnapshotInfo{Format: 1, PartnerTenantID: p.tenant}}); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Run(); err != nil || !strings.Contains(stderr.String(), "starting again (-restart)") {
		t.Fatalf("-restart: %v\n%s", err, stderr)
	}
}

func TestCommandRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"-o", "x", "-concurrency", "0"}, {"-o", "x", "-anonymize-key-file", "k"}, {"-o", "x", "extra"}} {
		if _, err := parseFlags(args, &bytes.Buffer{}, func(string) string { return "" }); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	if _, err := parseFlags([]string{"-o", "x"}, &bytes.Buffer{}, func(string) string { return "fast" }); err == nil ||
		!strings.Contains(err.Error(), maxRateEnv) {
		t.Errorf("a bad %s: %v", maxRateEnv, err)
	}
	c, err := parseFlags([]string{"-o", "x", "-anonymize"}, &bytes.Buffer{}, func(string) string { return "2.5" })
	if err != nil || c.maxRate != 2.5 || c.keyFile != "x.key" {
		t.Errorf("defaults: %+v %v", c, err)
	}
}
