// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

const (
	planBase     = "a4c1340d-6911-4758-bba3-0c4c6007d161"
	planAddOn    = "5e0f2f8e-1a2b-4c3d-9e8f-001122334455"
	planCustomer = "d8202a51-69f9-4228-b900-d0e081af17d7"
)

// planSubscriptions is a base subscription with one add-on.
func planSubscriptions() []partnercenter.Subscription {
	nce := &partnercenter.SubscriptionType{ID: "OnlineServicesNCE"}
	return []partnercenter.Subscription{
		{ID: planBase, FriendlyName: "Microsoft 365 Business Basic", OfferID: "CFQ7TTC0LH18:0001:CFQ7TTC0K971", ProductType: nce,
			Quantity: 15, BillingCycle: "monthly", Status: "active"},
		{ID: planAddOn, FriendlyName: "Teams Phone", OfferID: "CFQ7TTC0J1FV:0001", ProductType: nce, Quantity: 15,
			BillingCycle: "monthly", Status: "active", ParentSubscriptionID: planBase},
	}
}

func TestAddFindingUsesTheLineItemPath(t *testing.T) {
	var diags diag.Diagnostics
	addFinding(&diags, transfers.Finding{SubscriptionID: planBase, Summary: "s", Detail: "d"})
	addFinding(&diags, transfers.Finding{Warning: true, Summary: "w", Detail: "d"})
	if diags.ErrorsCount() != 1 || diags.WarningsCount() != 1 {
		t.Fatalf("diags = %v", diags)
	}
	withPath, ok := diags.Errors()[0].(diag.DiagnosticWithPath)
	if !ok || !withPath.Path().Equal(path.Root("line_items").AtMapKey(planBase)) {
		t.Fatalf("error path = %v", diags.Errors()[0])
	}
}

// A submit whose answer is emptier than the subscription list (no friendly
// name, no add-ons, zero seats) still writes what the plan showed, so the
// apply is consistent with its plan; status and the target subscription come
// from the answer.
func TestKeepPlannedLineItemDetailsOverAnEmptierAnswer(t *testing.T) {
	ctx := t.Context()
	items := []partnercenter.SubmitLineItem{{SubscriptionID: planBase, ProductType: "OnlineServicesNCE"}}
	enriched, findings := transfers.PlanSubmit(transfers.SubmitPlan{CustomerID: planCustomer, Subscriptions: planSubscriptions(), Items: items})
	if len(findings) != 0 {
		t.Fatalf("findings = %v", findings)
	}
	planned, diags := plannedLineItems(items, enriched)
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
