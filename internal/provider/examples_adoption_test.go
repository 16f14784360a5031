// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// exampleConfig reads every .tf file of an example directory (relative to
// examples/), unchanged, as one configuration.
func exampleConfig(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(examplesDir, filepath.FromSlash(dir), "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in examples/%s (%v)", dir, err)
	}
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "# ---- %s\n%s\n", filepath.Base(f), exampleFile(t, dir+"/"+filepath.Base(f)))
	}
	return b.String()
}

// The documented source-partner workflow, run exactly as written: the
// target sends a request; the example discovers it, adopts it and submits
// it in one apply, leaving alone an expired request of the same target and
// a request of another target partner; the next plan is empty.
func TestAccExampleAdoption(t *testing.T) {
	// Short waits between status polls keep the test fast; the example
	// itself keeps the provider's defaults.
	t.Setenv("PARTNERCENTER_POLL_INITIAL_INTERVAL", "200ms")
	t.Setenv("PARTNERCENTER_POLL_MAX_INTERVAL", "1s")
	other := newPartner("Litware Other Target")
	w := newAccWorld(t, func(o *emulator.Options) {
		o.Seed.Partners = append(o.Seed.Partners, other.seed())
		o.Seed.Customers[0].PartnerTenantIDs = append(o.Seed.Customers[0].PartnerTenantIDs, other.TenantID)
	})

	// Requests the example must not touch.
	expired := createRequest(t, w, partnerAPIClient(t, w, w.target), w.source, partnercenter.TransferTypeNewCommerce)
	w.emu.Advance(31 * 24 * time.Hour)
	foreign := createRequest(t, w, partnerAPIClient(t, w, other), w.source, partnercenter.TransferTypeNewCommerce)

	// The target partner's own configuration, applied in the same runs.
	target := w.providerBlock("target", w.target) + w.targetRequest("")
	example := target + exampleConfig(t, "adoption")
	// variables are the example's inputs, selecting the requests of the
	// partner with tenant ID targetTenant.
	variables := func(targetTenant string) config.Variables {
		return config.Variables{
			"customer_id":              config.StringVariable(w.customerID),
			"target_partner_tenant_id": config.StringVariable(targetTenant),
			// Narrow the eligible subscriptions (every active license and
			// Azure plan) to two of them; upper case: the example compares
			// lower-cased IDs.
			"subscription_ids": config.SetVariable(config.StringVariable(strings.ToUpper(w.subs[0])), config.StringVariable(w.subs[1])),
			"tenant_id":        config.StringVariable(w.source.TenantID),
			"client_id":        config.StringVariable(w.source.ClientID),
			"client_secret":    config.StringVariable(w.source.ClientSecret),
			"endpoint":         config.StringVariable(w.server.URL),
			"authority_host":   config.StringVariable(w.server.URL + "/"),
		}
	}
	// Upper case: the example compares tenant IDs case-insensitively.
	vars := variables(strings.ToUpper(w.target.TenantID))

	var requestID string
	transferStatus := oneTransfer{id: &requestID, value: knownvalue.StringExact("Complete")}
	lineItemStatuses := oneTransfer{id: &requestID, value: knownvalue.MapExact(map[string]knownvalue.Check{
		w.subs[0]: knownvalue.StringExact("Complete"),
		w.subs[1]: knownvalue.StringExact("Complete"),
	})}
	resource.Test(t, resource.TestCase{
		// The example's plain provider block (the source) and the target's
		// aliased one need a provider process each, and the example runs
		// unchanged under its published source address.
		ExternalProviders:      externalProviders(t),
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{
				Config: target,
				Check: func(s *terraform.State) error {
					requestID = s.RootModule().Resources[targetRequestAddr].Primary.ID
					return nil
				},
			},
			{
				Config:          example,
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					adoptedOnlyChange{id: &requestID, want: "import and update"},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("transfer_statuses", transferStatus),
					statecheck.ExpectKnownOutputValue("line_item_statuses", lineItemStatuses),
					statecheck.ExpectKnownOutputValue("failed_line_items", knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
			{
				Config:           example,
				ConfigVariables:  vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Selecting a target partner without requests drops the
				// adopted transfer from state; the source cannot cancel, so
				// Partner Center keeps it. (This also leaves no for_each
				// instance in state, which the test harness cannot read.)
				Config:          example,
				ConfigVariables: variables(uuid.NewString()),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					adoptedOnlyChange{id: &requestID, want: "delete"},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("transfer_statuses", knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
		},
	})

	if n := w.emu.Stats().Count(emulator.RouteSubmit, "PATCH"); n != 1 {
		t.Errorf("the emulator saw %d submits, want exactly 1", n)
	}
	for id, want := range map[string]string{requestID: partnercenter.StatusComplete, expired: partnercenter.StatusExpired, foreign: partnercenter.StatusPending} {
		got, ok := w.emu.Transfer(w.customerID, id)
		if !ok || got.Status != want {
			t.Errorf("transfer %s: status %q, want %q", id, got.Status, want)
		}
	}
}

// oneTransfer checks a map output keyed by transfer ID that holds only the
// transfer whose ID an earlier step recorded.
type oneTransfer struct {
	id    *string
	value knownvalue.Check
}

func (c oneTransfer) CheckValue(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("expected a map keyed by transfer ID, got %T", v)
	}
	got, ok := m[*c.id]
	if !ok || len(m) != 1 {
		return fmt.Errorf("expected only transfer %s, got %v", *c.id, m)
	}
	return c.value.CheckValue(got)
}

func (c oneTransfer) String() string { return fmt.Sprintf("{%s: %s}", *c.id, c.value) }

// adoptedOnlyChange checks that the only managed resource the plan changes
// is partnercenter_transfer.adopted["<id>"] of the recorded transfer, and
// how: "import and update" (adopt and submit) or "delete" (forget).
type adoptedOnlyChange struct {
	id   *string
	want string
}

func (c adoptedOnlyChange) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	want := fmt.Sprintf("partnercenter_transfer.adopted[%q]", *c.id)
	found := false
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil || rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if rc.Address != want {
			if !rc.Change.Actions.NoOp() {
				resp.Error = fmt.Errorf("unexpected change %v to %s", rc.Change.Actions, rc.Address)
				return
			}
			continue
		}
		found = true
		var got string
		switch {
		case rc.Change.Importing != nil && rc.Change.Actions.Update():
			got = "import and update"
		case rc.Change.Importing == nil && rc.Change.Actions.Delete():
			got = "delete"
		default:
			got = fmt.Sprintf("%v (importing: %v)", rc.Change.Actions, rc.Change.Importing != nil)
		}
		if got != c.want {
			resp.Error = fmt.Errorf("%s: want %s, got %s", want, c.want, got)
			return
		}
	}
	if !found {
		resp.Error = fmt.Errorf("the plan has no change for %s (want %s)", want, c.want)
	}
}
