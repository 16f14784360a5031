// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"strings"
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

// The plan a reviewer approves shows only what changes: turning the wait
// back on for a transfer that finished meanwhile plans that one argument,
// with every value Partner Center reported kept.
func TestAccTransferPlan_waitChangeOnFinishedTransfer(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	noWait := target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1])+"  wait_for_completion = false\n")
	withWait := target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1]))
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			{
				Config: noWait,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusInProgress)),
				},
			},
			{
				PreConfig: func() { w.emu.Advance(time.Hour) },
				Config:    withWait,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("last_modified_time"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("completed_time"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #1")),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "quantity"), knownvalue.Int64Exact(10)),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "order_id"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons"), knownvalue.ListSizeExact(1)),
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("wait_for_completion"), knownvalue.Bool(true)),
				}},
			},
			{Config: withWait, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			// Importing the finished transfer again (into a state that
			// forgot it) plans the import and nothing else.
			{Config: target + forgetAdopted},
			{
				Config: withWait,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

// forgetAdopted drops partnercenter_transfer.adopted from state without
// touching the transfer.
const forgetAdopted = `
removed {
  from = partnercenter_transfer.adopted
  lifecycle {
    destroy = false
  }
}
`

// A target's create plan shows what a new request is known to be, and no
// source-side arguments; a source's submit plan names what moves, to whom,
// and that it cannot be undone.
func TestAccTransferPlan_createAndSubmitPlansSayWhatHappens(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	both := target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1]))
	summary := fmt.Sprintf("Moves 2 subscriptions and 1 add-on (21 seats) of Northwind Traders to Fabrikam New Partner (tenant %s). "+
		"Submitting cannot be undone.", w.target.TenantID)
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{
				Config: target,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusPending)),
					plancheck.ExpectKnownValue(requestAddr, attrPath("transfer_direction"), knownvalue.StringExact("incoming")),
					plancheck.ExpectKnownValue(requestAddr, attrPath("completed_time"), knownvalue.Null()),
					plancheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.Null()),
					plancheck.ExpectKnownValue(requestAddr, attrPath("wait_for_completion"), knownvalue.Null()),
					plancheck.ExpectKnownValue(requestAddr, attrPath("submission_summary"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.Null()),
				},
			},
			{
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("submission_summary"), knownvalue.StringExact(summary)),
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("expiration_time"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(adoptedAddr, attrPath("transfer_type"), knownvalue.Int64Exact(3)),
					plancheck.ExpectUnknownValue(adoptedAddr, attrPath("status")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("submission_summary"), knownvalue.StringExact(summary)),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusComplete)),
				},
			},
			// The target sees the submitted items on refresh and plans nothing.
			{Config: both, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// An expired request is re-requested (a new e-mail to the customer) only
// when the configuration says so.
func TestAccTransferPlan_expiredRequestNeedsConsent(t *testing.T) {
	w := newAccWorld(t)
	cfg := w.providers() + w.targetRequest("")
	consent := w.providers() + w.targetRequest("  recreate_expired_request = true\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { w.emu.Advance(31 * 24 * time.Hour) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusExpired)),
				},
			},
			{
				Config: consent,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(requestAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact(partnercenter.StatusPending)),
				},
			},
		},
	})
	if n := len(w.transfers()); n != 2 {
		t.Fatalf("the emulator holds %d requests, want the expired one and the one recreate_expired_request asked for", n)
	}
}

// Plan-time checks of what Partner Center would refuse at apply: a target
// without a relationship with the customer (20002), and two requests of
// the same customer submitting the same subscription.
func TestAccTransferPlan_refusalsFailAtPlan(t *testing.T) {
	stranger := uuid.NewString()
	w := newAccWorld(t, func(o *emulator.Options) {
		o.Seed.Customers = append(o.Seed.Customers, emulator.Customer{ID: stranger, Name: "Stranger Ltd", PartnerTenantIDs: []string{o.Seed.Partners[1].TenantID}})
	})
	unrelated := w.providers() + fmt.Sprintf(`
resource "partnercenter_transfer" "request" {
  provider                 = partnercenter.target
  customer_id              = %q
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "it@stranger.example"
}
`, stranger, w.source.TenantID, w.source.Name)
	two := w.providers() + w.targetRequest("") + fmt.Sprintf(`
resource "partnercenter_transfer" "second" {
  provider                 = partnercenter.target
  customer_id              = %q
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "finance@northwind.example"
}
`, w.customerID, w.source.TenantID, w.source.Name)
	bothSubmit := two + w.adoptedRequest(lineItems(w.subs[0])) + fmt.Sprintf(`
import {
  provider = partnercenter.source
  to       = partnercenter_transfer.adopted_second
  id       = "%[1]s/${partnercenter_transfer.second.id}"
}

resource "partnercenter_transfer" "adopted_second" {
  provider    = partnercenter.source
  customer_id = %[1]q
%[2]s
}
`, w.customerID, lineItems(w.subs[0], w.subs[1]))
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: unrelated, PlanOnly: true, ExpectError: regexp.MustCompile(`No relationship with this customer(?s:.*)20002`)},
			{Config: two},
			{Config: bothSubmit, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Subscription submitted by two transfer requests.*` + w.subs[0])},
		},
	})
	if n := w.emu.Stats().Count(emulator.RouteSubmit, "PATCH"); n != 0 {
		t.Errorf("the emulator saw %d submits, want none", n)
	}
	if n := w.emu.Stats().Count(emulator.RouteCreate, "POST"); n != 2 {
		t.Errorf("the emulator saw %d creates, want the 2 of the related customer", n)
	}
}

// The source partner's configuration run with the target's credentials
// says so at plan, before anything is sent.
func TestAccTransferPlan_otherPartnersCredentials(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	wrong := strings.ReplaceAll(w.adoptedRequest(lineItems(w.subs[0])), "partnercenter.source", "partnercenter.target")
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			{Config: target + wrong, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)Only the source partner can submit.*credentials look like the\s+other partner's`)},
		},
	})
	if n := w.emu.Stats().Count(emulator.RouteSubmit, "PATCH"); n != 0 {
		t.Errorf("the emulator saw %d submits, want none", n)
	}
}
