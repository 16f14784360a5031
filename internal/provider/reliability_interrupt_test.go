// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// interruptScenarios are the interruptions RELIABILITY.md counts; each is
// a subtest of TestAccReliabilityInterrupt.
var interruptScenarios = []struct {
	name, description string
	run               func(t *testing.T)
}{
	{"create", "SIGINT while creates are in flight: one create's answer was lost after the server committed it and its retry is stalled, another is stalled before reaching the server", interruptDuringCreate},
	{"wait", "SIGINT while `terraform apply` waits for submitted transfers to complete", interruptDuringWait},
}

// A Ctrl+C (SIGINT) in the middle of an apply loses nothing: Terraform asks
// the providers to stop, the provider records what exists on the server,
// and the next apply finishes the job without duplicating anything.
func TestAccReliabilityInterrupt(t *testing.T) {
	for _, sc := range interruptScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t)
		})
	}
}

// interruptGrace bounds how long the CLI may take to stop after SIGINT.
const interruptGrace = 90 * time.Second

func interruptDuringCreate(t *testing.T) { //nolint:thelper // A test body: failures should point into it.
	const requests = 3
	f := newFleet(t, requests)
	cli := newTFCLI(t, f.providerBlock("target", f.target)+f.requests(requests, ""))
	cli.init()

	// Of the three parallel creates, the first is committed but its answer
	// is lost (the provider then looks for it instead of sending it again);
	// the second hangs before reaching the server; the third goes through.
	f.emu.SetFaults(
		emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropAfterCommit, Count: 1},
		emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultLatency, Latency: 10 * time.Minute, Every: 2},
	)
	run := cli.startApply()
	waitFor(t, time.Minute, "a create to be lost, another to hang and the third to commit", func() bool {
		return f.emu.Stats().FaultsInjected >= 2 && len(f.transfers()) >= 2
	})
	out, err := run.interrupt(interruptGrace)
	if err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out)
	}
	// Two transfers exist: the lost one, found by the provider's check,
	// and the third. The state must hold both.
	if got := len(f.transfers()); got != 2 {
		t.Fatalf("the server holds %d transfers after the interrupt, want the 2 it committed", got)
	}
	// The CLIs wrap diagnostics at different widths: compare words.
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "was found on Partner Center") {
		t.Errorf("the lost create was not recovered:\n%s", out)
	}
	if err := compareStateWithServer(stateTransfers(cli.state()), f.transfers(), "request", true); err != nil {
		t.Fatalf("after the interrupt: %v\n%s", err, out)
	}

	// The next apply creates only what is missing.
	f.emu.SetFaults()
	if out, err := cli.apply(); err != nil {
		t.Fatalf("apply after the interrupt: %v\n%s", err, out)
	}
	if err := compareStateWithServer(stateTransfers(cli.state()), f.transfers(), "request", true); err != nil {
		t.Fatalf("after the second apply: %v", err)
	}
	counts, err := f.ledger.check(f.transfers())
	if err != nil {
		t.Error(err)
	}
	if counts.created != requests {
		t.Errorf("the server created %d transfers for %d requests", counts.created, requests)
	}
}

func interruptDuringWait(t *testing.T) { //nolint:thelper // A test body: failures should point into it.
	const requests = 3
	f := newFleet(t, requests, func(o *emulator.Options) { o.Speed = 1; o.CompletionDelay = time.Hour })
	target := f.providers() + f.requests(requests, "")
	cli := newTFCLI(t, target)
	cli.init()
	if out, err := cli.apply(); err != nil {
		t.Fatalf("creating the requests: %v\n%s", err, out)
	}

	cli.setConfig(target + f.adoptions(requests, ""))
	run := cli.startApply()
	var polls int
	waitFor(t, time.Minute, "every transfer to be submitted", func() bool {
		polls = f.emu.Stats().Count(emulator.RouteGet, "GET")
		return f.ledger.submitted() == requests
	})
	waitFor(t, time.Minute, "the wait to poll", func() bool {
		return f.emu.Stats().Count(emulator.RouteGet, "GET") >= polls+requests
	})
	out, err := run.interrupt(interruptGrace)
	if err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out)
	}
	if !strings.Contains(out, "Wait for the transfer was interrupted") {
		t.Errorf("no interrupted-wait diagnostic:\n%s", out)
	}
	held := stateTransfers(cli.state())
	if err := compareStateWithServer(held, f.transfers(), "request", false); err != nil {
		t.Fatalf("after the interrupt: %v\n%s", err, out)
	}
	adopted := 0
	for _, st := range held {
		if st.name == "adopted" {
			adopted++
			if st.status != partnercenter.StatusInProgress {
				t.Errorf("%s is %q in state, want the true InProgress", st.address, st.status)
			}
		}
	}
	if adopted != requests {
		t.Fatalf("state holds %d adopted transfers, want %d", adopted, requests)
	}

	// Partner Center finishes the transfers about ten seconds from now,
	// after the next apply's refresh on a loaded machine; that apply
	// resumes the wait instead of submitting again.
	f.emu.SetSpeed(360)
	out, err = cli.apply()
	if err != nil {
		t.Fatalf("apply after the interrupt: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Apply will resume waiting") {
		t.Errorf("the apply did not plan to resume the wait:\n%s", out)
	}
	if out, err := cli.apply("-refresh-only"); err != nil {
		t.Fatalf("refresh: %v\n%s", err, out)
	}
	held = stateTransfers(cli.state())
	if err := compareStateWithServer(held, f.transfers(), "request", true); err != nil {
		t.Fatalf("after the resumed wait: %v", err)
	}
	if got := statusCounts(f.transfers()); got[partnercenter.StatusComplete] != requests {
		t.Errorf("server statuses %v, want %d Complete", got, requests)
	}
	counts, err := f.ledger.check(f.transfers())
	if err != nil {
		t.Error(err)
	}
	if counts.created != requests || counts.submitted != requests {
		t.Errorf("the server created %d and submitted %d transfers, want %d each", counts.created, counts.submitted, requests)
	}
}
