// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// everyCompatibleVariant plays all documented shapes at once (one choice of
// line item ids and transfer type).
const everyCompatibleVariant = "doc-example,pascal-case,completed-status,extra-members,transfer-type-5"

// TestAccTransfer_wireVariants runs the whole lifecycle through the real
// CLI, create -> refresh -> adopt (import by the source) -> submit ->
// complete -> refresh -> destroy, with the emulator answering in each
// documented wire shape (issue 14): the apply must never report an
// inconsistent result, and no plan may show a diff.
func TestAccTransfer_wireVariants(t *testing.T) {
	// The input-echo forms only change create inputs, which
	// TestAccTransfer_echoMatrix covers on its own.
	names := slices.DeleteFunc(emulator.WireVariantNames(), func(n string) bool { return strings.HasPrefix(n, "input-echo-") })
	for _, name := range matrixCases(t, append(names, everyCompatibleVariant), "doc-example", everyCompatibleVariant) {
		t.Run(name, func(t *testing.T) {
			variants, err := emulator.ParseWireVariants(name)
			if err != nil {
				t.Fatal(err)
			}
			runWireVariantLifecycle(t, variants)
		})
	}
}

func runWireVariantLifecycle(t *testing.T, v emulator.WireVariants) {
	t.Helper()
	w := newAccWorld(t, func(o *emulator.Options) { o.Wire = v })

	// The configured transfer type is the one the server does not echo.
	configuredType := int64(3)
	if v.TransferTypeEcho == 3 {
		configuredType = 5
	}
	extra := fmt.Sprintf("  target_partner_email = \"crm-ref-42\"\n  transfer_type        = %d\n", configuredType)
	target := w.providers() + w.targetRequest(extra)
	both := target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1]))

	// Every spelling of Complete is decoded as Complete.
	complete := "Complete"
	// What the target, which never configured line items, sees: the
	// product type as Partner Center sends it.
	targetProductType := "OnlineServicesNCE"
	if v.ProductTypeNumbers {
		targetProductType = "5"
	}
	// Items are submitted sorted by subscription id; the emulator numbers
	// them in that order, and "zero" repeats 0 as Microsoft's examples do.
	second := max(w.subs[0], w.subs[1])
	lineID := "1"
	if v.LineItemIDs == emulator.LineItemIDsZero {
		lineID = "0"
	}
	kept := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(requestAddr, attrPath("customer_email"), knownvalue.StringExact("it@northwind.example")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("target_partner_email"), knownvalue.StringExact("crm-ref-42")),
		statecheck.ExpectKnownValue(requestAddr, attrPath("transfer_type"), knownvalue.Int64Exact(configuredType)),
		statecheck.ExpectKnownValue(requestAddr, attrPath("source_partner_name"), knownvalue.StringExact(w.source.Name)),
		statecheck.ExpectKnownValue(requestAddr, attrPath("target_partner_name"), knownvalue.StringExact(w.target.Name)),
	}
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		CheckDestroy: func(*terraform.State) error {
			ts := w.transfers()
			if len(ts) != 1 || ts[0].Status != "Complete" {
				return fmt.Errorf("after destroy the emulator holds %+v, want the one completed transfer untouched", ts)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// Create: the answer may echo inputs emptier or changed.
				Config: target,
				ConfigStateChecks: append(kept,
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue(requestAddr, attrPath("transfer_direction"), knownvalue.StringExact("incoming")),
					statecheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.Null()),
					statecheck.ExpectKnownValue(requestAddr, attrPath("completed_time"), knownvalue.Null()),
				),
			},
			{
				// Refresh: still nothing to do.
				Config:           target,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// The source adopts the request by import and submits; the
				// wait runs to completion.
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(requestAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact(complete)),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("transfer_direction"), knownvalue.StringExact("outgoing")),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("completed_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "product_type"), knownvalue.StringExact("OnlineServicesNCE")),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "status"), knownvalue.StringExact(complete)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "quantity"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(second, "line_item_id"), knownvalue.StringExact(lineID)),
					statecheck.CompareValuePairs(requestAddr, attrPath("id"), adoptedAddr, attrPath("id"), compare.ValuesSame()),
				},
			},
			{
				// Refresh both sides: the target now sees the moved items.
				Config:           both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(kept,
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact(complete)),
					statecheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(requestAddr, lineItemAttr(w.subs[1], "product_type"), knownvalue.StringExact(targetProductType)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[1], "product_type"), knownvalue.StringExact("OnlineServicesNCE")),
				),
			},
		},
	})
	if n := w.emu.Stats().Count("submit", "PATCH"); n != 1 {
		t.Errorf("the emulator saw %d submits, want exactly 1", n)
	}
	if n := w.emu.Stats().Count("create", "POST"); n != 1 {
		t.Errorf("the emulator saw %d creates, want exactly 1", n)
	}
}

// A target partner that adopts its own request by import (after losing its
// state, say) gets the state from Partner Center's echo, where
// customerEmailId is "": the plan updates
// the state in place instead of cancelling the request and sending another.
func TestAccTransfer_targetImportsEchoedRequest(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.Wire = emulator.WireVariants{EmptyCustomerEmail: true} })
	id := createRequest(t, w, partnerAPIClient(t, w, w.target), w.source, 3)
	cfg := w.providerBlock("target", w.target) + fmt.Sprintf(`
import {
  provider = partnercenter.target
  to       = partnercenter_transfer.request
  id       = "%s/%s"
}
`, w.customerID, id) + w.targetRequest("")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if ts := w.transfers(); len(ts) != 1 || ts[0].ID != id || ts[0].Status != "Canceled" {
				return fmt.Errorf("want only the adopted request, cancelled by destroy: %+v", ts)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(requestAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(requestAddr, attrPath("customer_email"), knownvalue.StringExact("it@northwind.example")),
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact("Pending")),
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	if n := w.emu.Stats().Count("create", "POST"); n != 1 {
		t.Errorf("the emulator saw %d creates, want only the original one", n)
	}
}
