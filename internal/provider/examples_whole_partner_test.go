// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// wholePartnerCustomers is the number of generated customers the test adds
// to the example seed; the first wholePartnerWave1 of them are in batch
// wave-1 (with the seed's Northwind Traders), the rest in wave-2.
const (
	wholePartnerCustomers = 6
	wholePartnerWave1     = 4
)

// The whole-partner example, run as written: the target applies batch
// wave-1 of a CSV (the example's own customers.csv plus generated
// customers), the source scans every customer, adopts every request with
// one import block and submits each customer's eligible subscriptions; its
// next plan is empty; customers outside the batch get no request.
func TestAccExampleWholePartner(t *testing.T) {
	w := newExampleWorld(t)
	generated, err := w.emu.GenerateCustomers(emulator.GenerateCustomers{Count: wholePartnerCustomers,
		PartnerTenantIDs: []string{w.source.TenantID, w.target.TenantID}, OwnerPartnerTenantID: w.source.TenantID})
	if err != nil {
		t.Fatal(err)
	}
	csv := exampleFile(t, "whole-partner/target/customers.csv")
	rows := strings.TrimRight(string(csv), "\n")
	for i, id := range generated {
		batch := "wave-1"
		if i >= wholePartnerWave1 {
			batch = "wave-2"
		}
		// Upper case: the example lower-cases customer IDs.
		rows += fmt.Sprintf("\n%s,Customer %d,it@customer%d.example,%s", strings.ToUpper(id), i+1, i+1, batch)
	}
	csvPath := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(csvPath, []byte(rows+"\n"), 0o600); err != nil { // #nosec G703 -- the test's own temp directory.
		t.Fatal(err)
	}
	creds := func(p testPartner, vars config.Variables) config.Variables {
		vars["tenant_id"] = config.StringVariable(p.TenantID)
		vars["client_id"] = config.StringVariable(p.ClientID)
		vars["client_secret"] = config.StringVariable(p.ClientSecret)
		vars["endpoint"] = config.StringVariable(w.server.URL)
		vars["authority_host"] = config.StringVariable(w.server.URL + "/")
		return vars
	}
	targetVars := func(batch string) config.Variables {
		return creds(w.target, config.Variables{
			"customers_csv":            config.StringVariable(csvPath),
			"batch":                    config.StringVariable(batch),
			"source_partner_tenant_id": config.StringVariable(w.source.TenantID),
			"source_partner_name":      config.StringVariable(w.source.Name),
		})
	}
	sourceVars := func(target string) config.Variables {
		return creds(w.source, config.Variables{"target_partner_tenant_id": config.StringVariable(target)})
	}
	targetDir := exampleDirectory(t, "whole-partner/target")
	sourceDir := exampleDirectory(t, "whole-partner/source")
	wave1 := 1 + wholePartnerWave1

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          targetDir,
				ConfigVariables:          targetVars("wave-1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("request_ids", knownvalue.MapSizeExact(wave1)),
				},
			},
			{
				PreConfig: func() {
					t.Run("source", func(t *testing.T) { runWholePartnerSource(t, w, sourceDir, sourceVars, wave1) })
				},
				// The target's refresh sees its requests completed.
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          targetDir,
				ConfigVariables:          targetVars("wave-1"),
				ConfigPlanChecks:         resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// A batch with no rows: every request leaves the configuration;
				// completed transfers are only forgotten.
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          targetDir,
				ConfigVariables:          targetVars("no-such-batch"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("request_ids", knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
		},
	})

	// Wave-2 customers got no request; wave-1 subscriptions now live at the
	// target under new IDs.
	for i, id := range generated {
		n := 0
		for _, tr := range w.emu.Transfers() {
			if tr.CustomerTenantID == id {
				n++
				if tr.Status != partnercenter.StatusComplete {
					t.Errorf("customer %s: transfer %s is %s", id, tr.ID, tr.Status)
				}
			}
		}
		if want := map[bool]int{true: 1, false: 0}[i < wholePartnerWave1]; n != want {
			t.Errorf("customer %d (%s) has %d transfers, want %d", i+1, id, n, want)
		}
	}
}

// runWholePartnerSource applies the source directory: everything adopted and
// Complete, then an empty plan, then (another target partner) everything
// forgotten, so the test harness ends without for_each instances in state.
func runWholePartnerSource(t *testing.T, w *exampleWorld, dir config.TestStepConfigFunc, vars func(string) config.Variables, requests int) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars(w.target.TenantID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("customers_by_status", knownvalue.MapExact(map[string]knownvalue.Check{
						partnercenter.StatusComplete: knownvalue.Int64Exact(int64(requests)),
					})),
					statecheck.ExpectKnownOutputValue("transfer_statuses", knownvalue.MapSizeExact(requests)),
					statecheck.ExpectKnownOutputValue("failed_line_items", knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars(w.target.TenantID),
				ConfigPlanChecks:         resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ProtoV6ProviderFactories: testProviderFactories,
				ConfigDirectory:          dir,
				ConfigVariables:          vars(uuid.NewString()),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("transfer_statuses", knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
			},
		},
	})
}
