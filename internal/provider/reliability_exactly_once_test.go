// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// exactlyOnceFleet is how many target requests (count = N) each scenario
// creates. CI uses 10 on its two shared cores; PARTNERCENTER_RELIABILITY_N
// sets another size (RELIABILITY.md states the N = 50 run and how it ran).
func exactlyOnceFleet() int {
	if n, err := strconv.Atoi(os.Getenv("PARTNERCENTER_RELIABILITY_N")); err == nil && n > 0 {
		return n
	}
	return ciExactlyOnceFleet
}

// ciExactlyOnceFleet is the N of CI's runs; reliabilityParallelism the
// -parallelism of every apply and destroy of the exactly-once scenarios.
const (
	ciExactlyOnceFleet     = 10
	reliabilityParallelism = 10
)

// killHangEvery: in the +kill scenarios every killHangEvery-th create hangs
// in the emulator before its commit, so the kill lands mid-create.
const killHangEvery = 3

// exactlyOnceFaults loses the answer of every 2nd committed create and
// cancel: the server applied the request, the client saw the connection
// close.
func exactlyOnceFaults() []emulator.Fault {
	return []emulator.Fault{
		{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultDropAfterCommit, Every: 2},
		{Route: emulator.RouteCancel, Method: "PATCH", Kind: emulator.FaultDropAfterCommit, Every: 2},
	}
}

// exactlyOnceFigures is what one exactly-once scenario measured.
type exactlyOnceFigures struct {
	N                    int
	AnswersLost          int // faults injected: committed creates and cancels whose answer was lost
	Orphans, Adopted     int // left by kill -9, adopted by the next apply
	OnServer, InState    int // transfers after apply
	Duplicated, Lost     int
	Canceled             int // by destroy
	Replayed, Conflicted int // the emulator's answers to a repeated MS-RequestId
}

// exactlyOnceRun is one scenario's run: the figures a correct run must
// measure, and what depends on timing (how many creates were in flight when
// the kill landed).
type exactlyOnceRun struct {
	Scenario    string             `json:"scenario"`
	Figures     exactlyOnceFigures `json:"figures"`
	CreatePOSTs int                `json:"createPosts"` // create POSTs the server received
}

// exactlyOnceScenarios are the rows of RELIABILITY.md's exactly-once
// table: every MS-RequestId mode, plain and after a kill -9 mid-create.
func exactlyOnceScenarios() []string {
	var out []string
	for _, mode := range emulator.RequestIDModes {
		out = append(out, mode, mode+"+kill")
	}
	return out
}

// Whatever the server does with a repeated MS-RequestId, count = N target
// requests with every 2nd committed answer lost give exactly N requests on
// the server and N in state, and destroy cancels all N. The same holds when
// terraform and its provider are killed (SIGKILL) mid-create: the next plan
// names each orphan (nothing is taken over silently), and once they are
// imported the apply leaves exactly N.
func TestAccReliabilityExactlyOnce(t *testing.T) {
	for _, scenario := range exactlyOnceScenarios() {
		t.Run(scenario, func(t *testing.T) { runExactlyOnce(t, scenario, exactlyOnceFleet()) })
	}
}

func runExactlyOnce(t *testing.T, scenario string, n int) exactlyOnceRun { //nolint:thelper // A test body: failures should point into it.
	mode, kill := strings.CutSuffix(scenario, "+kill")
	f := newFleet(t, n, func(o *emulator.Options) { o.RequestIDMode = mode })
	cli := newTFCLI(t, f.providerBlock("target", f.target)+f.requests(n, `  timeouts = { create = "2m", delete = "2m" }`))
	cli.init()
	got := exactlyOnceFigures{N: n}
	f.emu.SetFaults(exactlyOnceFaults()...)
	var orphans map[string]bool

	if kill {
		// Creates hang after the first few commit: kill -9 lands between
		// the server's commit and Terraform's state write.
		f.emu.SetFaults(append(exactlyOnceFaults(),
			emulator.Fault{Route: emulator.RouteCreate, Method: "POST", Kind: emulator.FaultLatency, Latency: 10 * time.Minute, Every: killHangEvery})...)
		run := cli.startApplyInGroup()
		waitFor(t, 2*time.Minute, "some creates to commit", func() bool { return len(f.transfers()) >= 3 })
		run.killGroup()
		orphans = unheldIDs(stateTransfers(cli.state()), f.transfers())
		got.Orphans = len(orphans)
		if got.Orphans < 1 {
			t.Fatalf("the kill left no orphan (%d on the server, all in state): nothing to prove", len(f.transfers()))
		}
		f.emu.SetFaults(exactlyOnceFaults()...)
		importOrphans(t, cli, f, n, orphans)
	}
	parallelism := fmt.Sprintf("-parallelism=%d", reliabilityParallelism)
	out, err := cli.apply(parallelism)
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	held := stateTransfers(cli.state())
	for _, st := range held {
		if orphans[strings.ToLower(st.id)] {
			got.Adopted++
		}
	}
	got.OnServer, got.InState = len(f.transfers()), len(held)
	got.Duplicated = max(0, got.OnServer-n)
	got.Lost = countUnheld(held, f.transfers(), "request")
	if err := compareStateWithServer(held, f.transfers(), "request", true); err != nil {
		t.Error(err)
	}

	if out, err := cli.run("destroy", "-auto-approve", "-input=false", "-no-color", parallelism); err != nil {
		t.Fatalf("destroy: %v\n%s", err, out)
	}
	got.Canceled = statusCounts(f.transfers())[partnercenter.StatusCanceled]
	stats := f.emu.Stats()
	got.AnswersLost = stats.FaultsInjected
	if kill {
		got.AnswersLost = -1 // latency faults count too and depend on the kill's timing
	}
	got.Replayed, got.Conflicted = stats.Replayed, stats.RepeatsRefused
	t.Logf("%s: %+v; requests %s", scenario, got, routeCounts(stats))

	want := exactlyOnceExpected(n, kill)
	want.Orphans, want.Adopted = got.Orphans, got.Orphans // every orphan adopted, however many the kill left
	if got != want {
		t.Errorf("%s measured %+v, want %+v", scenario, got, want)
	}
	// Without a kill every create is POSTed once: a lost answer is
	// followed by a read, never by a second POST.
	posts := stats.Count(emulator.RouteCreate, "POST")
	if !kill && posts != n {
		t.Errorf("%s: the server received %d create POSTs, want %d", scenario, posts, n)
	}
	return exactlyOnceRun{Scenario: scenario, Figures: got, CreatePOSTs: posts}
}

// exactlyOnceExpected is what a correct run measures, orphans aside: no
// write is ever sent again after a lost answer (the check finds it), so
// the server never sees a repeated MS-RequestId.
func exactlyOnceExpected(n int, kill bool) exactlyOnceFigures {
	lost := n/2 + n/2 // every 2nd of n creates, then of n cancels
	if kill {
		lost = -1
	}
	return exactlyOnceFigures{N: n, AnswersLost: lost, OnServer: n, InState: n, Canceled: n}
}

// importOrphans checks that the plan after a kill names every orphan, then
// adopts them with import blocks into the instances state lacks, as the
// plan's message tells the user to.
func importOrphans(t *testing.T, cli *tfCLI, f *fleet, n int, orphans map[string]bool) {
	t.Helper()
	out, err := cli.run("plan", "-input=false", "-no-color", "-parallelism=10")
	words := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(words, "with the same inputs") {
		t.Fatalf("the plan after the kill does not report the orphans (err %v):\n%s", err, out)
	}
	if len(stateTransfers(cli.state())) > 0 && err == nil {
		t.Errorf("the plan after the kill refreshed resources in state, yet did not fail on the orphans:\n%s", out)
	}
	for id := range orphans {
		if !strings.Contains(strings.ToLower(out), id) {
			t.Errorf("the plan does not name orphan %s:\n%s", id, out)
		}
	}
	free := []int{}
	inState := map[string]bool{}
	for _, st := range stateTransfers(cli.state()) {
		inState[st.address] = true
	}
	for i := range n {
		if !inState[fmt.Sprintf("partnercenter_transfer.request[%d]", i)] {
			free = append(free, i)
		}
	}
	var imports strings.Builder
	i := 0
	for id := range orphans {
		fmt.Fprintf(&imports, "import {\n  to = partnercenter_transfer.request[%d]\n  id = \"%s/%s\"\n}\n", free[i], f.customerID, id)
		i++
	}
	cli.setConfig(f.providerBlock("target", f.target) + f.requests(n, `  timeouts = { create = "2m", delete = "2m" }`) + imports.String())
}

// startApplyInGroup starts apply in its own process group, so that the
// provider processes Terraform starts can be killed with it.
func (c *tfCLI) startApplyInGroup() *runningCLI {
	c.t.Helper()
	args := []string{"apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", reliabilityParallelism)}
	cmd, out := c.command(args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	r := &runningCLI{cli: c, args: args, cmd: cmd, out: out, done: make(chan error, 1)}
	go func() { r.done <- cmd.Wait() }()
	return r
}

// killGroup sends SIGKILL to terraform and every provider process it
// started, as an OOM kill or a vanished CI runner would, and waits for the
// CLI to be gone.
func (r *runningCLI) killGroup() {
	t := r.cli.t
	t.Helper()
	if err := syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9: %v", err)
	}
	select {
	case err := <-r.done:
		t.Logf("killed apply ended: %v", err)
		r.cli.keep(r.args, r.out)
	case <-time.After(30 * time.Second):
		t.Fatal("terraform did not die after SIGKILL")
	}
}

// unheldIDs are the server's transfers no state entry holds.
func unheldIDs(held []stateTransfer, server []emulator.Transfer) map[string]bool {
	out := map[string]bool{}
	for _, tr := range server {
		out[strings.ToLower(tr.ID)] = true
	}
	for _, st := range held {
		delete(out, strings.ToLower(st.id))
	}
	return out
}
