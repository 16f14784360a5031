// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// fleet is an emulator world for bulk runs: the target partner opens one
// request per subscription of a customer whose subscriptions the source
// partner owns; the source adopts and submits some of them. Its ledger
// records every change the emulator made, so a test can prove that nothing
// was created, submitted or cancelled twice.
type fleet struct {
	*accWorld
	// subs are the fleet's license subscriptions, one per request.
	subs   []string
	ledger *transferLedger
}

// newFleet starts an emulator with size extra subscriptions owned by the
// source partner.
func newFleet(t *testing.T, size int, tune ...func(*emulator.Options)) *fleet {
	t.Helper()
	subs := make([]string, size)
	for i := range subs {
		subs[i] = uuid.NewString()
	}
	addSubs := func(o *emulator.Options) {
		// Owned by the source partner, like the world's other subscriptions.
		c := &o.Seed.Customers[0]
		for i, id := range subs {
			c.Subscriptions = append(c.Subscriptions, emulator.Subscription{
				ID: id, OwnerPartnerTenantID: c.Subscriptions[0].OwnerPartnerTenantID, ProductType: partnercenter.ProductOnlineServicesNCE,
				FriendlyName: fmt.Sprintf("Fleet seat %d", i), Quantity: 1 + i%7,
			})
		}
	}
	w := newAccWorld(t, append([]func(*emulator.Options){addSubs}, tune...)...)
	f := &fleet{accWorld: w, subs: subs, ledger: &transferLedger{}}
	t.Cleanup(w.emu.Subscribe(f.ledger.record))
	return f
}

// requests is the target partner's configuration: n requests by count.
func (f *fleet) requests(n int, extra string) string {
	return fmt.Sprintf(`
locals {
  customer_id   = %q
  subscriptions = %s
}

resource "partnercenter_transfer" "request" {
  count                    = %d
  provider                 = partnercenter.target
  customer_id              = local.customer_id
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "it@northwind.example"
  customer_name            = "Northwind Traders"
%s
}
`, f.customerID, hclList(f.subs), n, f.source.TenantID, f.source.Name, extra)
}

// adoptions is the source partner's configuration: it adopts the first n
// requests with a for_each import block and submits subscription i in
// request i. Numeric indexes keep the state readable by the test harness,
// whose state shim does not support string instance keys.
func (f *fleet) adoptions(n int, extra string) string {
	return fmt.Sprintf(`
import {
  for_each = { for i in range(%[1]d) : tostring(i) => i }
  provider = partnercenter.source
  to       = partnercenter_transfer.adopted[each.value]
  id       = "${local.customer_id}/${partnercenter_transfer.request[each.value].id}"
}

resource "partnercenter_transfer" "adopted" {
  count       = %[1]d
  provider    = partnercenter.source
  customer_id = local.customer_id
  line_items = {
    (local.subscriptions[count.index]) = { product_type = "OnlineServicesNCE" }
  }
%[2]s
}
`, n, extra)
}

func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// transferLedger records the emulator's transfer events: what the server
// actually did, whatever the clients retried.
type transferLedger struct {
	mu       sync.Mutex
	created  map[string]int
	submits  map[string][][]string // transfer -> the line items of each submit
	canceled map[string]int
}

func (l *transferLedger) record(ev emulator.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.created == nil {
		l.created, l.submits, l.canceled = map[string]int{}, map[string][][]string{}, map[string]int{}
	}
	switch ev.Cause {
	case emulator.CauseCreate:
		l.created[ev.TransferID]++
	case emulator.CauseSubmit:
		var items []string
		for _, li := range ev.Transfer.LineItems {
			items = append(items, strings.ToLower(li.SubscriptionID))
		}
		l.submits[ev.TransferID] = append(l.submits[ev.TransferID], items)
	case emulator.CauseCancel:
		l.canceled[ev.TransferID]++
	}
}

// ledgerCounts are the totals of a ledger check.
type ledgerCounts struct {
	created, submitted, canceled int
}

// check proves the no-duplicate invariants against the server's records:
// every transfer created once and present on the server, none submitted or
// cancelled twice, every submitted item sent exactly once, and no
// subscription in two transfers. It returns the totals.
func (l *transferLedger) check(server []emulator.Transfer) (ledgerCounts, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	onServer := map[string]emulator.Transfer{}
	for _, t := range server {
		onServer[t.ID] = t
	}
	if len(l.created) != len(onServer) {
		errs = append(errs, fmt.Errorf("the emulator created %d transfers but holds %d", len(l.created), len(onServer)))
	}
	for id, n := range l.created {
		if _, ok := onServer[id]; !ok || n != 1 {
			errs = append(errs, fmt.Errorf("transfer %s: %d create events, on server: %v", id, n, ok))
		}
	}
	owner := map[string]string{} // subscription -> transfer
	for _, id := range sortedKeys(l.submits) {
		submits := l.submits[id]
		if len(submits) != 1 {
			errs = append(errs, fmt.Errorf("transfer %s was submitted %d times", id, len(submits)))
		}
		seen := map[string]bool{}
		for _, sub := range submits[0] {
			if seen[sub] {
				errs = append(errs, fmt.Errorf("transfer %s: subscription %s submitted twice", id, sub))
			}
			seen[sub] = true
		}
		var onServerItems []string
		for _, li := range onServer[id].LineItems {
			sub := strings.ToLower(li.SubscriptionID)
			onServerItems = append(onServerItems, sub)
			if other, dup := owner[sub]; dup && other != id {
				errs = append(errs, fmt.Errorf("subscription %s is in transfers %s and %s", sub, other, id))
			}
			owner[sub] = id
		}
		sort.Strings(onServerItems)
		sent := append([]string(nil), submits[0]...)
		sort.Strings(sent)
		if strings.Join(sent, ",") != strings.Join(onServerItems, ",") {
			errs = append(errs, fmt.Errorf("transfer %s: submitted %v but the server holds %v", id, sent, onServerItems))
		}
	}
	for id, n := range l.canceled {
		if n != 1 {
			errs = append(errs, fmt.Errorf("transfer %s was cancelled %d times", id, n))
		}
	}
	return ledgerCounts{created: len(l.created), submitted: len(l.submits), canceled: len(l.canceled)}, errors.Join(errs...)
}

// extraSubmits counts line items the server received more than once:
// repeated submits of a transfer and repeated items within one.
func (l *transferLedger) extraSubmits() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	extra := 0
	for _, submits := range l.submits {
		seen := map[string]bool{}
		for _, items := range submits {
			for _, sub := range items {
				if seen[sub] {
					extra++
				}
				seen[sub] = true
			}
		}
	}
	return extra
}

// submitted returns how many transfers have been submitted so far.
func (l *transferLedger) submitted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.submits)
}

// stateTransfer is one partnercenter_transfer instance of a Terraform state.
type stateTransfer struct {
	address, name, id, status string
	lineItems                 []string
}

// legacyStateTransfers extracts the partnercenter_transfer instances of the
// test harness's state (flatmap attributes).
func legacyStateTransfers(s *terraform.State) []stateTransfer {
	var out []stateTransfer
	for addr, rs := range s.RootModule().Resources {
		if rs.Type != "partnercenter_transfer" || rs.Primary == nil {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(addr, "partnercenter_transfer."), ".")
		st := stateTransfer{address: addr, name: name, id: rs.Primary.ID, status: rs.Primary.Attributes["status"]}
		for key := range rs.Primary.Attributes {
			if sub, ok := strings.CutSuffix(strings.TrimPrefix(key, "line_items."), ".product_type"); ok && strings.HasPrefix(key, "line_items.") {
				st.lineItems = append(st.lineItems, strings.ToLower(sub))
			}
		}
		sort.Strings(st.lineItems)
		out = append(out, st)
	}
	return out
}

// countUnheld counts server transfers no resource named owner holds.
func countUnheld(held []stateTransfer, server []emulator.Transfer, owner string) int {
	ids := map[string]bool{}
	for _, st := range held {
		if st.name == owner {
			ids[st.id] = true
		}
	}
	n := 0
	for _, t := range server {
		if !ids[t.ID] {
			n++
		}
	}
	return n
}

// stateTransfers extracts the partnercenter_transfer instances of a state.
func stateTransfers(s *tfjson.State) []stateTransfer {
	var out []stateTransfer
	if s == nil || s.Values == nil || s.Values.RootModule == nil {
		return nil
	}
	for _, r := range s.Values.RootModule.Resources {
		if r.Mode != tfjson.ManagedResourceMode || r.Type != "partnercenter_transfer" {
			continue
		}
		st := stateTransfer{address: r.Address, name: r.Name}
		st.id, _ = r.AttributeValues["id"].(string)
		st.status, _ = r.AttributeValues["status"].(string)
		if items, ok := r.AttributeValues["line_items"].(map[string]any); ok {
			for sub := range items {
				st.lineItems = append(st.lineItems, strings.ToLower(sub))
			}
			sort.Strings(st.lineItems)
		}
		out = append(out, st)
	}
	return out
}

// compareStateWithServer proves that the state and the server agree:
// every transfer on the server is held by exactly one resource named
// owner, with its true status when checkStatus is set; every other
// resource (the adopting side) points at a server transfer and holds its
// true status and line items.
func compareStateWithServer(held []stateTransfer, server []emulator.Transfer, owner string, checkStatus bool) error {
	var errs []error
	onServer := map[string]emulator.Transfer{}
	for _, t := range server {
		onServer[t.ID] = t
	}
	owned := map[string]string{}
	for _, st := range held {
		t, ok := onServer[st.id]
		if !ok {
			errs = append(errs, fmt.Errorf("%s holds transfer %q, which the server does not have", st.address, st.id))
			continue
		}
		if st.name == owner {
			if other, dup := owned[st.id]; dup {
				errs = append(errs, fmt.Errorf("%s and %s hold the same transfer %s", other, st.address, st.id))
			}
			owned[st.id] = st.address
			if !checkStatus {
				continue
			}
		}
		if st.status != t.Status {
			errs = append(errs, fmt.Errorf("%s: status %q in state, %q on the server", st.address, st.status, t.Status))
		}
		if st.name != owner {
			var items []string
			for _, li := range t.LineItems {
				items = append(items, strings.ToLower(li.SubscriptionID))
			}
			sort.Strings(items)
			if strings.Join(items, ",") != strings.Join(st.lineItems, ",") {
				errs = append(errs, fmt.Errorf("%s: line items %v in state, %v on the server", st.address, st.lineItems, items))
			}
		}
	}
	for id := range onServer {
		if _, ok := owned[id]; !ok {
			errs = append(errs, fmt.Errorf("transfer %s (%s) exists on the server but no %s resource holds it", id, onServer[id].Status, owner))
		}
	}
	return errors.Join(errs...)
}

// stateAgreesWithServer is compareStateWithServer as a state check.
type stateAgreesWithServer struct {
	w           *accWorld
	owner       string
	checkStatus bool
}

func (c stateAgreesWithServer) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = compareStateWithServer(stateTransfers(req.State), c.w.transfers(), c.owner, c.checkStatus)
}

// statusCounts counts server transfers by status.
func statusCounts(ts []emulator.Transfer) map[string]int {
	out := map[string]int{}
	for _, t := range ts {
		out[t.Status]++
	}
	return out
}

// waitFor polls cond until it holds or timeout passes. It paces a test
// against a subprocess (when to send a signal); it is never how a test
// decides an outcome.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

// tfCLI runs the Terraform-compatible CLI (TF_ACC_TERRAFORM_PATH) on a root
// module of its own, as a user does, for what terraform-plugin-testing
// cannot do: interrupt an apply, or collect TF_LOG output and the text of
// every diagnostic. The provider comes from the filesystem mirror that
// externalProviders fills (TestMain's TF_CLI_CONFIG_FILE points at it).
type tfCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string

	mu sync.Mutex
	// output holds every command's stdout and stderr.
	output bytes.Buffer
}

// newTFCLI prepares a root module whose configuration is config; extraEnv
// adds environment variables (NAME=value) to every command.
func newTFCLI(t *testing.T, config string, extraEnv ...string) *tfCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run the Terraform CLI")
	}
	externalProviders(t) // Builds the provider into the mirror.
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}
	env := []string{}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_ACC") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_INPUT=0")
	c := &tfCLI{t: t, bin: bin, dir: t.TempDir(), env: append(env, extraEnv...)}
	c.setConfig(config)
	return c
}

// setConfig replaces the root module's configuration.
func (c *tfCLI) setConfig(config string) {
	c.t.Helper()
	header := fmt.Sprintf(`
terraform {
  required_providers {
    partnercenter = {
      source  = %q
      version = %q
    }
  }
}
`, providerSource, mirrorVersion)
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(header+config), 0o600); err != nil { // #nosec G703 -- c.dir is the test's own TempDir.
		c.t.Fatal(err)
	}
}

// command builds one CLI invocation; the test's context kills it (SIGKILL)
// only if it is still running when the test ends.
func (c *tfCLI) command(args ...string) (*exec.Cmd, *syncBuffer) {
	cmd := exec.CommandContext(c.t.Context(), c.bin, args...) // #nosec G204 -- the CLI the test run was configured with.
	cmd.Dir = c.dir
	cmd.Env = c.env
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second
	return cmd, out
}

func (c *tfCLI) keep(args []string, out *syncBuffer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(&c.output, "$ %s\n%s\n", strings.Join(args, " "), out.String())
}

// run runs one command to its end and returns its combined output.
func (c *tfCLI) run(args ...string) (string, error) {
	c.t.Helper()
	cmd, out := c.command(args...)
	err := cmd.Run()
	c.keep(args, out)
	return out.String(), err
}

// mustRun runs a command that has to succeed.
func (c *tfCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("%s %s: %v\n%s", filepath.Base(c.bin), strings.Join(args, " "), err, out)
	}
	return out
}

// init runs terraform init against the mirror.
func (c *tfCLI) init() { c.mustRun("init", "-input=false", "-no-color") }

// apply runs apply -auto-approve and returns its output and error.
func (c *tfCLI) apply(extra ...string) (string, error) {
	return c.run(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)...)
}

// state returns terraform show -json.
func (c *tfCLI) state() *tfjson.State {
	c.t.Helper()
	out, err := c.run("show", "-json", "-no-color")
	if err != nil {
		c.t.Fatalf("show -json: %v\n%s", err, out)
	}
	var s tfjson.State
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		c.t.Fatalf("decoding show -json: %v\n%s", err, out)
	}
	return &s
}

// outputs returns every command's output so far.
func (c *tfCLI) outputs() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.output.String()
}

// runningCLI is a command in progress.
type runningCLI struct {
	cli  *tfCLI
	args []string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan error
}

// start runs apply -auto-approve without waiting for it.
func (c *tfCLI) startApply(extra ...string) *runningCLI {
	c.t.Helper()
	args := append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)
	cmd, out := c.command(args...)
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	r := &runningCLI{cli: c, args: args, cmd: cmd, out: out, done: make(chan error, 1)}
	go func() { r.done <- cmd.Wait() }()
	return r
}

// interrupt sends SIGINT, as Ctrl+C or a CI cancel does, and waits for the
// CLI to shut down gracefully.
func (r *runningCLI) interrupt(timeout time.Duration) (string, error) {
	t := r.cli.t
	t.Helper()
	if err := r.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatalf("sending SIGINT: %v", err)
	}
	select {
	case err := <-r.done:
		r.cli.keep(r.args, r.out)
		return r.out.String(), err
	case <-time.After(timeout):
		t.Fatalf("the CLI did not stop within %s of SIGINT:\n%s", timeout, r.out.String())
		return "", nil
	}
}

// syncBuffer is an output buffer a running command writes to while the
// test may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
