// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// The demo takes every role and credential from the example seed; a seed
// change that breaks the roles must fail here, not in `make demo`.
func TestEnvPicksRolesFromExampleSeed(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"env", "../../../examples/emulator/seed.json"}, &out); err != nil {
		t.Fatal(err)
	}
	vars := parseShellAssignments(t, out.String())
	want := map[string]string{
		"DEMO_CUSTOMER_ID":      "c3c3c3c3-0000-4000-8000-000000000003",
		"DEMO_SOURCE_NAME":      "Contoso Old Partner",
		"DEMO_SOURCE_TENANT_ID": "a1a1a1a1-0000-4000-8000-000000000001",
		"DEMO_TARGET_NAME":      "Fabrikam New Partner",
		"DEMO_TARGET_TENANT_ID": "b2b2b2b2-0000-4000-8000-000000000002",
		"DEMO_TARGET_CLIENT_ID": "b2b2b2b2-0000-4000-8000-0000000000b2",
	}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("%s = %q, want %q", k, vars[k], v)
		}
	}
	for _, k := range []string{"DEMO_CUSTOMER_EMAIL", "DEMO_SOURCE_CLIENT_SECRET", "DEMO_TARGET_CLIENT_SECRET"} {
		if vars[k] == "" {
			t.Errorf("%s is empty", k)
		}
	}
	// License and Azure subscriptions of the source; never the reservation.
	subs := vars["DEMO_SUBSCRIPTIONS"]
	for _, s := range []string{`"d4d4d4d4-0000-4000-8000-000000000001" = "OnlineServicesNCE"`, `"d4d4d4d4-0000-4000-8000-000000000003" = "AzureSubscription"`} {
		if !strings.Contains(subs, s) {
			t.Errorf("DEMO_SUBSCRIPTIONS = %s, want it to contain %s", subs, s)
		}
	}
	if strings.Contains(subs, "AzureReservation") {
		t.Errorf("DEMO_SUBSCRIPTIONS = %s includes a reservation", subs)
	}
}

func TestEnvRejectsSeedWithoutTwoPartners(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Partners = seed.Partners[:1]
	if _, err := demoVars(seed); err == nil {
		t.Fatal("demoVars accepted a seed with one partner")
	}
}

// The values go through eval in the demo script, so quoting must survive
// a real shell, quotes and $ included.
func TestShellQuoteRoundTripsThroughSh(t *testing.T) {
	for _, s := range []string{"plain", "it's", `a "b" $HOME ${x} \n`, ""} {
		cmd := exec.CommandContext(t.Context(), "sh", "-c", "V="+shellQuote(s)+"; printf '%s' \"$V\"")
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("sh: %v", err)
		}
		if string(got) != s {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	}
}

// parseShellAssignments evaluates KEY='value' lines with a real shell and
// returns the values.
func parseShellAssignments(t *testing.T, lines string) map[string]string {
	t.Helper()
	script := lines + "\nset | grep '^DEMO_' || true\n"
	cmd := exec.CommandContext(t.Context(), "bash", "-c", "set -eu\n"+script)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash rejected the env output: %v\n%s", err, lines)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		vars[k] = strings.Trim(v, "'")
	}
	return vars
}

// stats and status read the running emulator's admin API over real HTTP.
func TestStatsAndStatusReadAdminAPI(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Seed: emulator.DefaultSeed()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emu, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	admin := srv.URL + "/_emulator/"

	// One counted API call: an unauthenticated list is answered 401.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/v1/customers/c3c3c3c3-0000-4000-8000-000000000003/transfers", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	var out bytes.Buffer
	if err := run([]string{"stats", admin}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "unauthorized 1") || !strings.Contains(out.String(), "total 1,") {
		t.Errorf("stats output does not show the one unauthorized request:\n%s", out.String())
	}

	out.Reset()
	err = run([]string{"status", admin, "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11"}, &out)
	if err == nil || !strings.Contains(err.Error(), "no transfer 2f6b1f7e") {
		t.Errorf("status of an unknown transfer: err = %v, want 'no transfer'", err)
	}
}

// democtl only ever talks to an emulator on this machine.
func TestAdminCallsRefuseRemoteHosts(t *testing.T) {
	err := run([]string{"stats", "https://203.0.113.7/_emulator/"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "not a local emulator") {
		t.Errorf("stats against a remote host: err = %v, want a refusal", err)
	}
}
