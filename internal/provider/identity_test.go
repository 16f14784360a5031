// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// Resource identity needs Terraform 1.12+ or OpenTofu 1.12+; CI's
// Terraform >= 1.14 leg (make testacc-next) fails if these tests skip.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// The identity of a transfer is its customer and ID; import blocks work with
// the identity and, as before, with the string ID.
func TestAccTransfer_importByIdentity(t *testing.T) {
	w := newAccWorld(t)
	cfg := w.providerBlock("target", w.target) + w.targetRequest("")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(requestAddr, map[string]knownvalue.Check{
						"customer_id": knownvalue.StringExact(w.customerID),
						"id":          knownvalue.StringRegexp(guidPattern),
					}),
					statecheck.ExpectIdentityValueMatchesState(requestAddr, attrPath("id")),
					statecheck.ExpectIdentityValueMatchesState(requestAddr, attrPath("customer_id")),
				},
			},
			// terraform-plugin-testing's generated import-block steps cannot
			// resolve the in-process provider on OpenTofu (it looks the
			// provider up on registry.opentofu.org); OpenTofu's identity import
			// is tested with written import blocks in
			// TestAccTransfer_sourceAdoptsByIdentity and
			// TestAccWebhookRegistration_importByIdentity.
			{
				Config:          cfg,
				SkipFunc:        runningOpenTofu,
				ResourceName:    requestAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config:          cfg,
				SkipFunc:        runningOpenTofu,
				ResourceName:    requestAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return w.customerID + "/" + s.RootModule().Resources[requestAddr].Primary.ID, nil
				},
			},
		},
	})
}

// The source partner adopts the target's request with an identity import
// block, the form `terraform query -generate-config-out` writes.
func TestAccTransfer_sourceAdoptsByIdentity(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	adopt := func(customerID string) string {
		return target + fmt.Sprintf(`
import {
  provider = partnercenter.source
  to       = partnercenter_transfer.adopted
  identity = {
    customer_id = %q
    id          = partnercenter_transfer.request.id
  }
}

resource "partnercenter_transfer" "adopted" {
  provider    = partnercenter.source
  customer_id = %q
%s
}
`, customerID, w.customerID, lineItems(w.subs[0]))
	}
	resource.Test(t, resource.TestCase{
		ExternalProviders:      externalProviders(t),
		TerraformVersionChecks: identityCLIs,
		Steps: []resource.TestStep{
			{Config: target},
			{
				Config:      adopt("not-a-guid"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid import identity`),
			},
			{
				Config: adopt(w.customerID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact("Complete")),
					statecheck.CompareValuePairs(requestAddr, attrPath("id"), adoptedAddr, attrPath("id"), compare.ValuesSame()),
					statecheck.ExpectIdentityValueMatchesState(adoptedAddr, attrPath("id")),
					statecheck.ExpectIdentityValue(adoptedAddr, attrPath("customer_id"), knownvalue.StringExact(w.customerID)),
				},
			},
		},
	})
}

// The webhook registration's identity is the partner tenant: an existing
// registration is imported with an identity import block, and importing
// another tenant's registration is refused at plan time.
func TestAccWebhookRegistration_importByIdentity(t *testing.T) {
	w := newWebhookWorld(t)
	existing, err := w.emu.SetWebhookRegistration(w.target.TenantID, emulator.WebhookRegistration{
		WebhookURL: "https://old.fabrikam.example/hook", WebhookEvents: []string{"create-transfer"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := w.providerBlock("target", w.target) + webhookRegistration("events", "target", "https://hooks.fabrikam.example/pc", "complete-transfer")
	importBlock := func(tenantID string) string {
		return fmt.Sprintf(`
import {
  provider = partnercenter.target
  to       = %s
  identity = { tenant_id = %q }
}
`, webhookAddr, tenantID)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{
				Config:      cfg + importBlock(uuid.NewString()),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Import identity names another partner`),
			},
			{
				Config:      cfg + importBlock("not-a-tenant"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`must be the partner's tenant ID`),
			},
			{
				Config: cfg + importBlock(strings.ToUpper(w.target.TenantID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, attrPath("subscriber_id"), knownvalue.StringExact(existing.SubscriberID)),
					// Recorded as the provider spells the tenant, so refreshes keep it.
					statecheck.ExpectIdentity(webhookAddr, map[string]knownvalue.Check{"tenant_id": knownvalue.StringExact(w.target.TenantID)}),
				},
				Check: w.expectRegistration("https://hooks.fabrikam.example/pc", "complete-transfer"),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// runningOpenTofu is a TestStep.SkipFunc for steps OpenTofu cannot run.
func runningOpenTofu() (bool, error) {
	return strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu"), nil
}
