// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// A source partner alone, with the resource's documentation example: it
// accepts the target's request found by data.partnercenter_transfers with
// for_each, no import block, with exact request counts; the next plan is
// empty; changed line items are a plan error naming line_items; destroy
// only forgets.
func TestAccTransferAcceptance_sourceAlone(t *testing.T) {
	w := newExampleWorld(t)
	w.emu.SetCompletionDelay(time.Millisecond) // one poll per wait
	w.actAs(t, w.target)
	target := newTFCLI(t, fmt.Sprintf(`
provider "partnercenter" {}

resource "partnercenter_transfer" "request" {
  customer_id              = %q
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "it-admin@northwind.example"
  customer_name            = "Northwind Traders"
}
`, w.customer.ID, w.source.TenantID, w.source.Name))
	target.init()
	if out, err := target.apply(); err != nil {
		t.Fatalf("target apply: %v\n%s", err, out)
	}
	transfers := w.emu.Transfers()
	if len(transfers) != 1 {
		t.Fatalf("%d transfers after the target's apply, want 1", len(transfers))
	}
	transferID := transfers[0].ID

	w.actAs(t, w.source)
	example := exampleFile(t, "resources/partnercenter_transfer_acceptance/resource.tf")
	source := newTFCLI(t, "provider \"partnercenter\" {}\n"+string(example))
	source.init()
	w.emu.ResetStats()
	plan := source.mustRun("plan", "-input=false", "-no-color")
	for _, want := range []string{`partnercenter_transfer_acceptance.this["` + transferID + `"] will be created`, "Plan: 1 to add, 0 to change, 0 to destroy"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan does not show %q:\n%s", want, plan)
		}
	}
	// The plan: the transfers of the customer (one list), its subscriptions
	// (one list, shared by the data source and the checks), the request
	// (one read).
	checkBudget(t, "source plan", w.emu.Stats(), withRequests(configureRequestsPer(1), map[string]int{
		"list GET": 1, "listSubscriptions GET": 1, "get GET": 1,
	}))

	w.emu.ResetStats()
	if out, err := source.apply(); err != nil {
		t.Fatalf("source apply: %v\n%s", err, out)
	}
	// apply = plan (the same three reads) + the apply walk, which plans
	// the acceptance once more (subscriptions, request), submits once and
	// polls once.
	checkBudget(t, "source apply", w.emu.Stats(), withRequests(configureRequestsPer(2), map[string]int{
		"list GET": 1, "listSubscriptions GET": 2, "get GET": 3, "submit PATCH": 1,
	}))
	if got := w.transferStatus(transferID); got != partnercenter.StatusComplete {
		t.Fatalf("transfer is %s after the source's apply, want Complete", got)
	}
	if n := len(w.emu.Transfers()[0].LineItems); n == 0 {
		t.Fatal("the transfer was completed without line items")
	}

	w.emu.ResetStats()
	if out, err := source.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("plan after the acceptance must be empty: %v\n%s", err, out)
	}
	// A finished acceptance is not read again; only the data source lists.
	checkBudget(t, "plan after the acceptance", w.emu.Stats(), withRequests(configureRequestsPer(1), map[string]int{"list GET": 1}))

	// Changed line items: a plan error on line_items, nothing sent.
	source.setConfig(fmt.Sprintf(`
provider "partnercenter" {}

resource "partnercenter_transfer_acceptance" "this" {
  for_each    = { %[1]q = %[2]q }
  customer_id = each.value
  transfer_id = each.key
  line_items  = { "99999999-0000-4000-8000-000000000009" = { product_type = "OnlineServicesNCE" } }
}
`, transferID, w.customer.ID))
	w.emu.ResetStats()
	out, err := source.run("plan", "-input=false", "-no-color")
	if err == nil || !strings.Contains(out, "Line items cannot change after submission") || !strings.Contains(out, "line_items") {
		t.Errorf("changed line items after submission must be a plan error on line_items: %v\n%s", err, out)
	}
	if s := w.emu.Stats(); s.Count("submit", "PATCH") != 0 {
		t.Errorf("a plan with changed line items sent %d submits", s.Count("submit", "PATCH"))
	}

	// Destroy forgets: a warning, no request but the data source's list
	// (and each provider process's configure).
	source.setConfig("provider \"partnercenter\" {}\n" + string(example))
	w.emu.ResetStats()
	out, err = source.run("destroy", "-auto-approve", "-input=false", "-no-color")
	if err != nil || !strings.Contains(out, "Acceptance removed from state only") {
		t.Fatalf("destroy must only forget, with a warning: %v\n%s", err, out)
	}
	checkBudget(t, "destroy", w.emu.Stats(), withRequests(configureRequestsPer(3), map[string]int{"list GET": 1}))
	if got := w.transferStatus(transferID); got != partnercenter.StatusComplete {
		t.Errorf("transfer is %s after destroying its acceptance, want Complete", got)
	}
}
