// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// mergerWorld is an emulator with an acquirer (target) and an acquired
// (source) partner and generated customers whose subscriptions (two each)
// the acquired partner holds, and a CLI root module holding the merger
// example with its CSV of those customers.
type mergerWorld struct {
	*accWorld
	customers []string
	// moving is how many subscriptions the example moves: every
	// new-commerce base subscription of the customers.
	moving int
	ledger *transferLedger
	cli    *tfCLI
}

// newMergerWorld generates n customers and prepares examples/merger for
// them. Transfers complete one virtual millisecond after their submit, so
// each wait polls exactly once.
func newMergerWorld(t *testing.T, n int) *mergerWorld {
	t.Helper()
	w := newAccWorld(t)
	w.emu.SetCompletionDelay(time.Millisecond)
	customers, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: n, SubscriptionsPerCustomer: 2,
		PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID}, OwnerPartnerTenantID: w.source.TenantID})
	if err != nil {
		t.Fatal(err)
	}
	m := &mergerWorld{accWorld: w, customers: customers, ledger: &transferLedger{}}
	for _, id := range customers {
		c, _ := w.emu.Customer(id)
		for _, s := range c.Subscriptions {
			if s.ProductType == partnercenter.ProductOnlineServicesNCE {
				m.moving++
			}
		}
	}
	t.Cleanup(w.emu.Subscribe(m.ledger.record))
	t.Setenv("PARTNERCENTER_POLL_INITIAL_INTERVAL", "200ms")
	t.Setenv("PARTNERCENTER_POLL_MAX_INTERVAL", "1s")
	m.cli = newTFCLI(t, "")
	for _, name := range []string{"main.tf", "variables.tf", "outputs.tf"} {
		if err := os.WriteFile(filepath.Join(m.cli.dir, name), exampleFile(t, "merger/"+name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	m.writeCustomers(t, customers)
	vars := fmt.Sprintf(`{"acquired_name": %q, "endpoint": %q, "authority_host": %q,
  "acquirer_tenant_id": %q, "acquirer_client_id": %q, "acquirer_client_secret": %q,
  "acquired_tenant_id": %q, "acquired_client_id": %q, "acquired_client_secret": %q}`,
		w.source.Name, w.server.URL, w.server.URL+"/", w.target.TenantID, w.target.ClientID, w.target.ClientSecret,
		w.source.TenantID, w.source.ClientID, w.source.ClientSecret)
	if err := os.WriteFile(filepath.Join(m.cli.dir, "terraform.tfvars.json"), []byte(vars), 0o600); err != nil {
		t.Fatal(err)
	}
	return m
}

// writeCustomers writes the example's CSV, with the committed file's
// columns, for the generated customers: the first half in wave-1, the rest
// in wave-2.
func (m *mergerWorld) writeCustomers(t *testing.T, ids []string) {
	t.Helper()
	header, _, _ := strings.Cut(string(exampleFile(t, "merger/customers.csv")), "\n")
	if header != "customer_id,customer_name,customer_email,wave" {
		t.Fatalf("examples/merger/customers.csv has the columns %q; the test writes customer_id,customer_name,customer_email,wave", header)
	}
	rows := []string{header}
	for i, id := range ids {
		wave := 1 + 2*i/len(ids)
		rows = append(rows, fmt.Sprintf("%s,Customer %05d,it@customer%d.example,wave-%d", strings.ToUpper(id), i+1, i+1, wave))
	}
	if err := os.WriteFile(filepath.Join(m.cli.dir, "customers.csv"), []byte(strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkMerged proves every customer got one request, submitted once with
// its new-commerce subscriptions, and Complete.
func (m *mergerWorld) checkMerged(t *testing.T, customers int) {
	t.Helper()
	counts, err := m.ledger.check(m.transfers())
	if err != nil {
		t.Error(err)
	}
	if counts.created != customers || counts.submitted != customers || m.ledger.extraSubmits() != 0 {
		t.Errorf("created %d, submitted %d (%d items twice); want %d requests each submitted once", counts.created, counts.submitted,
			m.ledger.extraSubmits(), customers)
	}
	items := 0
	for _, tr := range m.transfers() {
		items += len(tr.LineItems)
		if tr.Status != partnercenter.StatusComplete {
			t.Errorf("transfer %s of customer %s is %s, want Complete", tr.ID, tr.CustomerTenantID, tr.Status)
		}
	}
	if want := m.moving; items != want {
		t.Errorf("%d line items moved, want every active new-commerce subscription: %d", items, want)
	}
}

// The merger example, as written, for 10 customers: one plan shows every
// request and every line item with its details; its apply creates each
// request with the acquirer's provider configuration and accepts it with
// the acquired partner's, each once; the next plan is empty. Every command
// sends exactly the requests counted here.
func TestAccExampleMerger(t *testing.T) {
	const customers = 10
	m := newMergerWorld(t, customers)
	m.cli.init()

	m.emu.ResetStats()
	plan := m.cli.mustRun("plan", "-out=merger.tfplan", "-input=false", "-no-color")
	if !strings.Contains(plan, fmt.Sprintf("Plan: %d to add, 0 to change, 0 to destroy", 2*customers)) {
		t.Errorf("the plan does not add one request and one acceptance per customer:\n%s", plan)
	}
	for _, want := range []string{`+ resource "partnercenter_transfer_acceptance" "accept"`, `"Microsoft 365 E3"`, `"annual"`, `"CFQ7TTC0LFLZ:0001"`, "Microsoft Teams Phone Standard", "transfer_id         = (known after apply)"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan does not show %q:\n%s", want, plan)
		}
	}
	// The plan, per customer: the acquired partner lists the customer's
	// subscriptions once (the data source and the acceptance's checks
	// share the list) and its transfers once (what was already accepted,
	// the import of live requests); the acquirer lists the customer's
	// requests once (a Pending request with the same inputs no resource
	// holds is named at plan) and reads the customer once (a relationship
	// with it, or Partner Center's 20002 at apply). Each of the two provider processes
	// configures (configureRequestsPer).
	checkBudget(t, "merger plan", m.emu.Stats(), withRequests(configureRequestsPer(2), map[string]int{
		"listSubscriptions GET": customers, "list GET": 2 * customers, "getCustomer GET": customers,
	}))

	m.emu.ResetStats()
	if out, err := m.cli.run("apply", "-input=false", "-no-color", "merger.tfplan"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	// The apply, per customer: Terraform plans the create again (the
	// acquirer lists the customer's requests and reads the customer) and
	// creates one; then, with the request's id known, the acceptance's
	// final plan lists the subscriptions and reads the request, the submit
	// is one PATCH and the wait one poll.
	checkBudget(t, "merger apply", m.emu.Stats(), withRequests(configureRequestsPer(2), map[string]int{
		"list GET": customers, "create POST": customers, "listSubscriptions GET": customers, "get GET": 2 * customers,
		"submit PATCH": customers, "getCustomer GET": customers,
	}))
	m.checkMerged(t, customers)

	m.emu.ResetStats()
	if out, err := m.cli.apply(); err != nil || !strings.Contains(out, "No changes.") {
		t.Fatalf("apply after the merger must change nothing: %v\n%s", err, out)
	}
	// The acquirer's refresh reads each request once and finds it
	// Complete; the data sources list subscriptions and transfers. The
	// plan starts both providers; Terraform starts them again for an apply
	// with no changes, OpenTofu does not (2 or 4 connection checks).
	processes := configuringProcesses(m.emu.Stats())
	if processes != 2 && processes != 4 {
		t.Errorf("apply after the merger: %d provider processes configured, want 2 or 4", processes)
	}
	checkBudget(t, "apply after the merger", m.emu.Stats(), withRequests(configureRequestsPer(processes), map[string]int{
		"get GET": customers, "list GET": customers, "listSubscriptions GET": customers,
	}))
	m.emu.ResetStats()
	if out, err := m.cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("plan after the merger must be empty: %v\n%s", err, out)
	}
	// Finished transfers are never read again: only the data sources read.
	checkBudget(t, "plan after the merger", m.emu.Stats(), withRequests(configureRequestsPer(2), map[string]int{
		"list GET": customers, "listSubscriptions GET": customers,
	}))
}
