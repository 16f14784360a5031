// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

const (
	requestAddr = "partnercenter_transfer.request"
	adoptedAddr = "partnercenter_transfer.adopted"
)

func attrPath(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func lineItemAttr(sub, name string) tfjsonpath.Path {
	return tfjsonpath.New("line_items").AtMapKey(sub).AtMapKey(name)
}

// The whole job: the target creates the request, the source adopts it by
// import and submits line items, the wait runs to Complete, the next plan
// is empty, and destroy leaves the completed transfer untouched.
func TestAccTransfer_createAdoptSubmitComplete(t *testing.T) {
	w := newAccWorld(t)
	target := w.providers() + w.targetRequest("")
	both := target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1]))
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		CheckDestroy: func(*terraform.State) error {
			ts := w.transfers()
			if len(ts) != 1 || ts[0].Status != partnercenter.StatusComplete {
				return fmt.Errorf("after destroy the emulator holds %d transfers (want the 1 completed one untouched): %+v", len(ts), ts)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: target,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue(requestAddr, attrPath("transfer_direction"), knownvalue.StringExact("incoming")),
					statecheck.ExpectKnownValue(requestAddr, attrPath("transfer_type"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(requestAddr, attrPath("target_partner_tenant_id"), knownvalue.StringExact(w.target.TenantID)),
					statecheck.ExpectKnownValue(requestAddr, attrPath("target_partner_name"), knownvalue.StringExact(w.target.Name)),
					statecheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.Null()),
					statecheck.ExpectKnownValue(requestAddr, attrPath("expiration_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(requestAddr, attrPath("completed_time"), knownvalue.Null()),
				},
			},
			{
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(requestAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact("Complete")),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("transfer_direction"), knownvalue.StringExact("outgoing")),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("source_partner_tenant_id"), knownvalue.StringExact(w.source.TenantID)),
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("completed_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "status"), knownvalue.StringExact("Complete")),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "friendly_name"), knownvalue.StringExact("Microsoft 365 E3 #1")),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "quantity"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[0], "add_ons"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[1], "status"), knownvalue.StringExact("Complete")),
					statecheck.ExpectKnownValue(adoptedAddr, lineItemAttr(w.subs[1], "order_id"), knownvalue.NotNull()),
					statecheck.CompareValuePairs(requestAddr, attrPath("id"), adoptedAddr, attrPath("id"), compare.ValuesSame()),
				},
			},
			{
				// Refresh brings the target's view to Complete; nothing to do.
				Config:           both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(requestAddr, attrPath("status"), knownvalue.StringExact("Complete")),
					statecheck.ExpectKnownValue(requestAddr, attrPath("line_items"), knownvalue.MapSizeExact(2)),
				},
			},
			{
				Config:      target + w.adoptedRequest(lineItems(w.subs[0], w.subs[2])),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Line items cannot change after submission`),
			},
		},
	})
	if n := w.emu.Stats().Count("submit", "PATCH"); n != 1 {
		t.Errorf("the emulator saw %d submits, want exactly 1", n)
	}
}

func TestAccTransfer_destroyCancelsPendingRequest(t *testing.T) {
	w := newAccWorld(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			ts := w.transfers()
			if len(ts) != 1 || ts[0].Status != partnercenter.StatusCanceled {
				return fmt.Errorf("want the one transfer Canceled after destroy, got %+v", ts)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: w.providers() + w.targetRequest(`  target_product_types = ["OnlineServicesNCE", "AzureSubscription"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(requestAddr, attrPath("target_product_types"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("OnlineServicesNCE"), knownvalue.StringExact("AzureSubscription"),
				})),
			},
		}},
	})
}

func TestAccTransfer_vanishedRequestIsRecreated(t *testing.T) {
	w := newAccWorld(t)
	cfg := w.providers() + w.targetRequest("")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// The emulator forgets every transfer: Read finds nothing,
				// removes it from state and the plan creates a new one.
				PreConfig:          func() { w.emu.Reset() },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccTransfer_waitTimeoutThenResume(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.Speed = 1; o.CompletionDelay = time.Hour })
	target := w.providers() + w.targetRequest("")
	adopt := func(timeout string) string {
		return target + w.adoptedRequest(lineItems(w.subs[0])+fmt.Sprintf("  timeouts = { update = %q }\n", timeout))
	}
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			{
				Config:      adopt("3s"),
				ExpectError: regexp.MustCompile(`Timed out waiting for the transfer to complete`),
			},
			{
				// The failed wait left the true status in state; the next
				// apply resumes waiting without submitting again.
				PreConfig: func() {
					ts := w.transfers()
					if len(ts) != 1 || ts[0].Status != partnercenter.StatusInProgress {
						t.Fatalf("after the timeout the transfer should be InProgress, got %+v", ts)
					}
					w.emu.Advance(2 * time.Hour)
				},
				Config: adopt("1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(adoptedAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact("Complete")),
				},
			},
			{
				Config:           adopt("1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	if n := w.emu.Stats().Count("submit", "PATCH"); n != 1 {
		t.Errorf("the emulator saw %d submits, want exactly 1", n)
	}
}

func TestAccTransfer_asyncSubmitDoesNotWait(t *testing.T) {
	w := newAccWorld(t, func(o *emulator.Options) { o.Speed = 1; o.CompletionDelay = time.Hour })
	target := w.providers() + w.targetRequest("")
	cfg := target + w.adoptedRequest(lineItems(w.subs[0])+"  wait_for_completion = false\n")
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adoptedAddr, attrPath("status"), knownvalue.StringExact("InProgress")),
				},
			},
			{
				// Still in progress and not waiting: nothing to do.
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccTransfer_failedLineItemsAreReported(t *testing.T) {
	w := newAccWorld(t)
	w.emu.SetSubscriptionOutcome(w.subs[1], emulator.Outcome{Fail: true, Code: "900103", Message: "Transfer order was not successful."})
	target := w.providers() + w.targetRequest("")
	resource.Test(t, resource.TestCase{
		ExternalProviders: externalProviders(t),
		Steps: []resource.TestStep{
			{Config: target},
			{
				Config:      target + w.adoptedRequest(lineItems(w.subs[0], w.subs[1])),
				ExpectError: regexp.MustCompile(`(?s)Line item failed to transfer.*` + w.subs[1] + `.*900103`),
			},
		},
	})
	ts := w.transfers()
	if len(ts) != 1 || ts[0].Status != partnercenter.StatusFailed {
		t.Fatalf("want one Failed transfer, got %+v", ts)
	}
}

func TestAccTransfer_importVerify(t *testing.T) {
	w := newAccWorld(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: w.providers() + w.targetRequest(`  target_partner_email = "ops@fabrikam.example"`)},
			{
				ResourceName:      requestAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// An import cannot tell an unset wait_for_completion from
				// its meaning, true, and records true.
				ImportStateVerifyIgnore: []string{"wait_for_completion"},
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return w.customerID + "/" + s.RootModule().Resources[requestAddr].Primary.ID, nil
				},
			},
			{
				ResourceName:  requestAddr,
				ImportState:   true,
				ImportStateId: "not-a-customer/also-bad",
				ExpectError:   regexp.MustCompile(`must be "<customer_id>/<transfer_id>"`),
			},
		},
	})
}
