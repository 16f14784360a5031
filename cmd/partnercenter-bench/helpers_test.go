// SPDX-License-Identifier: MPL-2.0

package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                    "0s",
		time.Minute:                          "1m",
		time.Hour:                            "1h",
		72 * time.Hour:                       "72h",
		10 * time.Minute:                     "10m",
		2*time.Minute + 30*time.Second:       "2m30s",
		time.Hour + 5*time.Minute:            "1h5m",
		1500 * time.Microsecond:              "1.5ms",
		5*time.Minute + 53*time.Second:       "5m53s",
		9*time.Minute + 400*time.Millisecond: "9m",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%s) = %q, want %q", d, got, want)
		}
	}
	if got := seconds(1234 * time.Millisecond); got != "1.23 s" {
		t.Errorf("seconds = %q", got)
	}
	if got := megabytes(150_000_000); got != "150.0 MB" {
		t.Errorf("megabytes = %q", got)
	}
}

func TestLateAllowed(t *testing.T) {
	for after, want := range map[time.Duration]time.Duration{
		time.Minute:    30 * time.Second,
		time.Hour:      9 * time.Minute,
		72 * time.Hour: 10 * time.Minute,
	} {
		if got := lateAllowed(after); got != want {
			t.Errorf("lateAllowed(%s) = %s, want %s", after, got, want)
		}
	}
}

func TestRequestCounts(t *testing.T) {
	got := countsOf(emulator.Stats{Requests: map[string]int{"create POST": 3, "get GET": 0, "token POST": 1}})
	want := requestCounts{"create POST": 3}.plus(requestCounts{"token POST": 1})
	if !got.equal(want) {
		t.Errorf("%v != %v", got, want)
	}
	if got.equal(requestCounts{"create POST": 3, "token POST": 1, "get GET": 1}) {
		t.Error("an extra request must make counts differ")
	}
	if s := authRequests(2).String(); s != "openid-configuration GET 2, token POST 2" {
		t.Errorf("String = %q (want sorted keys)", s)
	}
	if s := (requestCounts{}).String(); s != "none" {
		t.Errorf("empty counts = %q", s)
	}
}

func TestRequestRowFailsOnThrottlingEvenWithExactCounts(t *testing.T) {
	stats := emulator.Stats{Requests: map[string]int{"get GET": 2}}
	if r := requestRow("s", "x", stats, requestCounts{"get GET": 2}, ""); r.Verdict != Pass {
		t.Errorf("exact counts: %s", r.Verdict)
	}
	stats.Throttled = 1
	if r := requestRow("s", "x", stats, requestCounts{"get GET": 2}, ""); r.Verdict != Fail || !strings.Contains(r.Value, "throttled 1") {
		t.Errorf("throttled: %+v", r)
	}
}

func TestTokenRowsBound(t *testing.T) {
	r := waitResult{status: "Complete", realTime: 6 * time.Second,
		requests: emulator.Stats{TokensIssued: 4, Requests: map[string]int{"get GET": 455}}}
	// 6 s with 4 s tokens refreshed every 2 s: at most 3 + 1.
	if rows := tokenRows(r); rows[0].Verdict != Pass {
		t.Errorf("4 tokens in 6 s should pass: %+v", rows[0])
	}
	r.requests.TokensIssued = 5
	if rows := tokenRows(r); rows[0].Verdict != Fail {
		t.Errorf("5 tokens in 6 s should fail: %+v", rows[0])
	}
}

func TestCleanEnvDropsSettingsThatChangeTheMeasurement(t *testing.T) {
	got := cleanEnv([]string{"PATH=/bin", "TF_LOG=trace", "TF_CLI_ARGS_apply=-refresh=false", "PARTNERCENTER_CLIENT_SECRET=x",
		"ARM_CLIENT_ID=y", "SSL_CERT_FILE=/ca", "HOME=/root"})
	if !slices.Equal(got, []string{"PATH=/bin", "HOME=/root"}) {
		t.Errorf("cleanEnv = %v", got)
	}
}

func TestFindTerraformHonoursTERRAFORM(t *testing.T) {
	dir := t.TempDir()
	cli := filepath.Join(dir, "my-terraform")
	if err := os.WriteFile(cli, []byte("#!/bin/sh\n"), 0o700); err != nil { // #nosec G306 -- an executable stub.
		t.Fatal(err)
	}
	got, err := findTerraform(func(k string) string { return map[string]string{"TERRAFORM": cli}[k] })
	if err != nil || got != cli {
		t.Errorf("findTerraform = %q, %v; want %q", got, err, cli)
	}
	if _, err := findTerraform(func(string) string { return filepath.Join(dir, "missing") }); err == nil {
		t.Error("a TERRAFORM that does not exist must be an error, not a silent fallback")
	}
}

func TestConfigsKeepSecretsOut(t *testing.T) {
	w := &world{target: newPartner("T"), source: newPartner("S"), srv: &emulator.Server{URL: "https://127.0.0.1:1"}, caFile: "/ca.pem"}
	cs := []customer{{ID: "11111111-1111-1111-1111-111111111111", Name: "A", Email: "a@example.com"}}
	for name, cfg := range map[string]string{"transfer": transferConfig(w), "baseline": baselineConfig(w), "list": listConfig(w, cs[0])} {
		if strings.Contains(cfg, w.target.ClientSecret) || strings.Contains(cfg, w.source.ClientSecret) {
			t.Errorf("%s configuration contains a client secret", name)
		}
	}
	if !strings.Contains(transferConfig(w), `"partnercenter_transfer" "bench"`) || !strings.Contains(baselineConfig(w), `"terraform_data" "bench"`) {
		t.Error("configurations lost their resources")
	}
	if env := w.env(w.target); !slices.Contains(env, "PARTNERCENTER_CLIENT_SECRET="+w.target.ClientSecret) || !slices.Contains(env, "SSL_CERT_FILE=/ca.pem") {
		t.Errorf("env = %v", env)
	}
	vars, err := customersVars(cs)
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Customers map[string]struct{ Name, Email string } `json:"customers"`
	}
	if err := json.Unmarshal([]byte(vars), &decoded); err != nil || decoded.Customers[cs[0].ID].Email != "a@example.com" {
		t.Errorf("tfvars %s: %v", vars, err)
	}
}

func TestParseOptions(t *testing.T) {
	o, err := parseOptions([]string{"-only", "wait, list", "-throttle-parallelism", "5,20"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !o.selected("wait") || !o.selected("list") || o.selected("apply") {
		t.Errorf("selection %v", o.only)
	}
	if !slices.Equal(o.throttleParallelism, []int{5, 20}) || o.parallelism != 10 {
		t.Errorf("options %+v", o)
	}
	all, err := parseOptions(nil, io.Discard)
	if err != nil || !all.selected("startup") || !slices.Equal(all.throttleParallelism, []int{10, 30}) {
		t.Errorf("defaults %+v, %v", all, err)
	}
	for _, bad := range [][]string{{"-only", "nope"}, {"-throttle-parallelism", "0"}, {"-parallelism", "0"}, {"extra"}} {
		if _, err := parseOptions(bad, io.Discard); err == nil {
			t.Errorf("%v should be rejected", bad)
		}
	}
}
