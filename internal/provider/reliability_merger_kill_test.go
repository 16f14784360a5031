// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// The merger example killed half-way: terraform and both provider
// processes get SIGKILL once the requests were created and some accepted,
// while other submits hang. The next apply finishes the
// migration: every customer has exactly one request, submitted exactly
// once, and the plan after it is empty.
func TestAccReliabilityMergerKilled(t *testing.T) {
	const customers = 10
	m := newMergerWorld(t, customers)
	m.cli.init()
	// Terraform creates every request before it accepts any (the
	// acceptances depend on the request resource as a whole); every third
	// submit hangs, so the kill lands with some accepted and some not.
	m.emu.SetFaults(emulator.Fault{Route: emulator.RouteSubmit, Method: "PATCH", Kind: emulator.FaultLatency, Latency: 10 * time.Minute, Every: 3})
	run := m.cli.startApplyInGroup()
	waitFor(t, 2*time.Minute, "every request to be created and some accepted", func() bool {
		return m.ledger.submitted() >= customers/2 && m.emu.Stats().FaultsInjected >= 2
	})
	run.killGroup()
	created, submitted := len(m.transfers()), m.ledger.submitted()
	if submitted == created {
		t.Fatalf("the kill came too late (%d created, %d submitted): nothing left half-way", created, submitted)
	}
	t.Logf("killed with %d of %d requests created and %d accepted", created, customers, submitted)

	m.emu.SetFaults()
	out, err := m.cli.apply("-parallelism=10")
	if err != nil {
		t.Fatalf("apply after the kill: %v\n%s", err, out)
	}
	m.checkMerged(t, customers)
	if out, err := m.cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("plan after the recovered merger must be empty: %v\n%s", err, out)
	}
	if strings.Contains(out, "Error") {
		t.Errorf("the recovering apply reported an error:\n%s", out)
	}
}
