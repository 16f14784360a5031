// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// A submit whose answer is emptier than the subscription list (no friendly
// name, no add-ons, zero seats) still writes what the plan showed, so the
// apply is consistent with its plan; status and the target subscription come
// from the answer.
func TestKeepPlannedLineItemDetailsOverAnEmptierAnswer(t *testing.T) {
	ctx := t.Context()
	enriched, checks := planSubmit(submitPlanInput{CustomerID: planCustomer, Subscriptions: planSubscriptions(),
		Items: []plannedLineItem{{SubscriptionID: planBase, ProductType: "OnlineServicesNCE"}}})
	if len(checks) != 0 {
		t.Fatalf("checks = %v", findings(checks))
	}
	planned, diags := plannedLineItems([]plannedLineItem{{SubscriptionID: planBase, ProductType: "OnlineServicesNCE"}}, enriched)
	if diags.HasError() {
		t.Fatal(diags)
	}
	answer, diags := flattenLineItems(ctx, []partnercenter.TransferLineItem{{SubscriptionID: planBase, ProductType: "OnlineServicesNCE",
		Status: "Complete", TargetSubscriptionID: "new-id"}}, []string{planBase})
	if diags.HasError() {
		t.Fatal(diags)
	}
	kept, diags := keepPlannedLineItemDetails(ctx, planned, answer)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var got map[string]lineItemModel
	if d := kept.ElementsAs(ctx, &got, false); d.HasError() {
		t.Fatal(d)
	}
	li := got[planBase]
	if li.FriendlyName.ValueString() != "Microsoft 365 Business Basic" || li.Quantity.ValueInt64() != 15 || li.BillingCycle.ValueString() != "monthly" ||
		li.OfferID.ValueString() != "CFQ7TTC0LH18:0001:CFQ7TTC0K971" {
		t.Errorf("planned details not kept: %+v", li)
	}
	if li.Status.ValueString() != "Complete" || li.TargetSubscriptionID.ValueString() != "new-id" {
		t.Errorf("answered details lost: %+v", li)
	}
	var addOns []addOnModel
	if d := li.AddOns.ElementsAs(ctx, &addOns, false); d.HasError() {
		t.Fatal(d)
	}
	if len(addOns) != 1 || addOns[0].SubscriptionID.ValueString() != planAddOn || addOns[0].Quantity.ValueInt64() != 15 ||
		!addOns[0].Status.IsNull() || addOns[0].Status.IsUnknown() {
		t.Errorf("planned add-ons not kept (status null when the answer has none): %+v", addOns)
	}
}
