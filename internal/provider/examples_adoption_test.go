package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// publishedSource is the provider address the examples declare.
const publishedSource = `source = "partnercenter-terraform/partnercenter"`

// exampleConfig reads every .tf file of an example directory as one
// configuration. The published source address is swapped for the one the
// test harness serves the in-process provider under, which is the only
// change made to the example.
func exampleConfig(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s (%v)", dir, err)
	}
	var b strings.Builder
	for _, f := range files {
		src, err := os.ReadFile(f) // #nosec G304 -- the example files of this repository.
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "# ---- %s\n%s\n", filepath.Base(f), src)
	}
	cfg := b.String()
	if strings.Count(cfg, publishedSource) != 1 {
		t.Fatalf("%s should declare %s exactly once", dir, publishedSource)
	}
	namespace := "hashicorp"
	if v := os.Getenv(resource.EnvTfAccProviderNamespace); v != "" {
		namespace = v
	}
	source := namespace + "/partnercenter"
	if host := os.Getenv(resource.EnvTfAccProviderHost); host != "" {
		source = strings.TrimSuffix(host, "/") + "/" + source
	}
	return strings.Replace(cfg, publishedSource, fmt.Sprintf("source = %q", source), 1)
}

// The documented source-partner workflow, run as written: the target sends
// a request; the example discovers it, adopts it and submits it in one
// apply, leaving alone an expired request of the same target and a request
// of another target partner; the next plan is empty.
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

	target := partnerProviderBlock(w, targetProvider, w.target) + targetRequestVia(w, targetProvider, "")
	example := target + exampleConfig(t, filepath.Join("..", "..", "examples", "adoption"))
	vars := config.Variables{
		"customer_id":              config.StringVariable(w.customerID),
		"target_partner_tenant_id": config.StringVariable(strings.ToUpper(w.target.TenantID)),
		"subscriptions": config.MapVariable(map[string]config.Variable{
			w.subs[0]: config.StringVariable(partnercenter.ProductOnlineServicesNCE),
			w.subs[1]: config.StringVariable(partnercenter.ProductOnlineServicesNCE),
		}),
		"tenant_id":      config.StringVariable(w.source.TenantID),
		"client_id":      config.StringVariable(w.source.ClientID),
		"client_secret":  config.StringVariable(w.source.ClientSecret),
		"endpoint":       config.StringVariable(w.server.URL),
		"authority_host": config.StringVariable(w.server.URL + "/"),
	}

	var requestID string
	transferStatus := oneTransfer{id: &requestID, value: knownvalue.StringExact("Complete")}
	lineItemStatuses := oneTransfer{id: &requestID, value: knownvalue.MapExact(map[string]knownvalue.Check{
		w.subs[0]: knownvalue.StringExact("Complete"),
		w.subs[1]: knownvalue.StringExact("Complete"),
	})}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: partnerProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
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
					importsAndSubmitsOnly{id: &requestID},
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

// importsAndSubmitsOnly checks that the plan imports exactly one transfer,
// the recorded one, as partnercenter_transfer.adopted["<id>"] and updates it
// (the submit), and changes nothing else.
type importsAndSubmitsOnly struct{ id *string }

func (c importsAndSubmitsOnly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	want := fmt.Sprintf("partnercenter_transfer.adopted[%q]", *c.id)
	var found bool
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil || rc.Mode != "managed" {
			continue
		}
		noop := rc.Change.Actions.NoOp()
		switch {
		case rc.Address == want:
			found = true
			if rc.Change.Importing == nil || !rc.Change.Actions.Update() {
				resp.Error = fmt.Errorf("%s: want an import and an update, got actions %v (importing: %v)", rc.Address, rc.Change.Actions, rc.Change.Importing != nil)
				return
			}
		case !noop:
			resp.Error = fmt.Errorf("unexpected change %v to %s", rc.Change.Actions, rc.Address)
			return
		}
	}
	if !found {
		resp.Error = fmt.Errorf("the plan does not adopt %s", want)
	}
}
