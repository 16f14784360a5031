// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The source partner's submit plan shows what will move, read from one
// subscription list of the customer, and the apply writes exactly that.
func TestAccTransfer_submitPlanShowsWhatWillMove(t *testing.T) {
	addOn := uuid.NewString()
	w := newAccWorld(t, func(o *emulator.Options) { o.Seed.Customers[0].Subscriptions[0].AddOns[0].ID = addOn })
	target := w.providers() + w.targetRequest("")
	both := target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1]))
	var listsBefore int
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			{
				PreConfig: func() { listsBefore = w.emu.Stats().Count(emulator.RouteListSubscriptions, "GET") },
				Config:    both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #1")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "offer_id"), knownvalue.StringExact("CFQ7TTC0LFLZ:0001")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "quantity"), knownvalue.Int64Exact(10)),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "billing_cycle"), knownvalue.StringExact("monthly")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "product_type"), knownvalue.StringExact("OnlineServicesNCE")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons").AtSliceIndex(0).AtMapKey("subscription_id"), knownvalue.StringExact(addOn)),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons").AtSliceIndex(0).AtMapKey("friendly_name"), knownvalue.StringExact("Teams Phone")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons").AtSliceIndex(0).AtMapKey("quantity"), knownvalue.Int64Exact(10)),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[1], "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #2")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[1], "quantity"), knownvalue.Int64Exact(11)),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[1], "add_ons"), knownvalue.ListSizeExact(0)),
					// What Partner Center assigns during the transfer stays unknown.
					plancheck.ExpectUnknownValue(adoptedAddr, lineItemAttr(w.subs[0], "status")),
					plancheck.ExpectUnknownValue(adoptedAddr, lineItemAttr(w.subs[0], "target_subscription_id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #1")),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons").AtSliceIndex(0).AtMapKey("status"), knownvalue.NotNull()),
				},
			},
			{Config: both, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
	// The submit's plan and apply each list the customer's subscriptions
	// at most once (one list per customer, not one read per item); the
	// plans after the submit list nothing.
	if n := w.emu.Stats().Count(emulator.RouteListSubscriptions, "GET") - listsBefore; n < 1 || n > 2 {
		t.Errorf("the submit plans listed the customer's subscriptions %d times, want 1 or 2 (plan and apply's plan, once each)", n)
	}
}

// Each bad line item fails the plan on its line_items["<id>"], before any
// submit reaches Partner Center.
func TestAccTransfer_submitPlanChecksLineItems(t *testing.T) {
	suspended, missing := uuid.NewString(), uuid.NewString()
	w := newAccWorld(t, func(o *emulator.Options) {
		c := &o.Seed.Customers[0]
		c.Subscriptions = append(c.Subscriptions, emulator.Subscription{ID: suspended, OwnerPartnerTenantID: o.Seed.Partners[1].TenantID,
			ProductType: partnercenter.ProductOnlineServicesNCE, FriendlyName: "Suspended E5", Quantity: 4, Status: "suspended"})
	})
	target := w.providers() + w.targetRequest(`  target_product_types = ["OnlineServicesNCE"]`)
	item := func(id, productType string) string {
		return fmt.Sprintf("  line_items = {\n    %q = { product_type = %q }\n  }\n", id, productType)
	}
	// atItem matches the summary and Terraform's pointer at the item's
	// configuration (the diagnostic's attribute path line_items["<id>"]).
	atItem := func(summary, id string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)` + regexp.QuoteMeta(summary) + `.*` + regexp.QuoteMeta(`"`+id+`" = {`))
	}
	plan := func(body string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{Config: target + w.adoptedRequest(body), PlanOnly: true, ExpectError: want}
	}
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			plan(item(missing, "OnlineServicesNCE"), atItem("Subscription not found for this customer", missing)),
			plan(item(suspended, "OnlineServicesNCE"), atItem("Subscription is not active", suspended)),
			plan(item(w.subs[0], "AzureSubscription"), atItem("Product type does not match the subscription", w.subs[0])),
			plan(item(w.azureSub, "AzureSubscription"), atItem("The request does not allow this product type", w.azureSub)),
			{
				PreConfig:   func() { w.emu.Advance(31 * 24 * time.Hour) },
				Config:      target + w.adoptedRequest(item(w.subs[0], "OnlineServicesNCE")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)The transfer request can no longer be\s+submitted.*line_items`),
			},
		},
	})
	if n := w.emu.Stats().Count(emulator.RouteSubmit, "PATCH"); n != 0 {
		t.Errorf("the emulator saw %d submits, want none: every check runs at plan", n)
	}
}
