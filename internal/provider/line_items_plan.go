// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// The source partner's submit plan: what will move is read from the
// customer's subscriptions (one list per customer and plan, shared by every
// transfer of that customer) and shown in the plan; the checks are
// transfers.PlanSubmit's, reported on line_items["<id>"]. The transfer
// resource and the acceptance resource both plan their submit here.

// subscriptionLists caches one subscription list per customer for the
// lifetime of a provider process (one plan or one apply).
type subscriptionLists struct {
	mu    sync.Mutex
	lists map[string]*subscriptionList
}

type subscriptionList struct {
	once sync.Once
	subs []partnercenter.Subscription
	err  error
}

// subscriptionsOf returns the customer's subscriptions, listing them once.
func (d *providerData) subscriptionsOf(ctx context.Context, customerID string) ([]partnercenter.Subscription, error) {
	d.subscriptions.mu.Lock()
	if d.subscriptions.lists == nil {
		d.subscriptions.lists = map[string]*subscriptionList{}
	}
	key := strings.ToLower(customerID)
	l := d.subscriptions.lists[key]
	if l == nil {
		l = &subscriptionList{}
		d.subscriptions.lists[key] = l
	}
	d.subscriptions.mu.Unlock()
	l.once.Do(func() { l.subs, l.err = listCustomerSubscriptions(ctx, d.client, customerID) })
	return l.subs, l.err
}

// planSubmitLineItems fills the planned line items of the transfer
// resource's submit with what will move and reports the checks.
func (r *transferResource) planSubmitLineItems(ctx context.Context, config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	in := transfers.SubmitPlan{CustomerID: state.CustomerID.ValueString(), Status: state.Status.ValueString(), Now: time.Now()}
	if !state.TargetProductTypes.IsNull() && !state.TargetProductTypes.IsUnknown() {
		resp.Diagnostics.Append(state.TargetProductTypes.ElementsAs(ctx, &in.TargetProductTypes, false)...)
		sort.Strings(in.TargetProductTypes)
	}
	if exp, err := time.Parse(time.RFC3339, state.ExpirationTime.ValueString()); err == nil {
		in.ExpirationTime = &exp
	}
	if planned, ok := r.data.planLineItems(ctx, config.LineItems, in, &resp.Diagnostics); ok {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("line_items"), planned)...)
		summary := submitSummary(planned, state.CustomerName, state.TargetPartnerName, state.TargetPartnerTenantID)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("submission_summary"), types.StringValue(summary))...)
		addSubmitWarning(&resp.Diagnostics, summary, state.ID.ValueString(), path.Root("submission_summary"))
	}
}

// submitSummary is the plan's one-sentence account of a submit, from the
// planned line items.
func submitSummary(planned types.Map, customerName, targetName, targetTenant types.String) string {
	items := make([]transfers.SubmitItem, 0, len(planned.Elements()))
	for _, id := range sortedKeys(planned.Elements()) {
		it := transfers.SubmitItem{SubscriptionID: id}
		if obj, ok := planned.Elements()[id].(types.Object); ok {
			if q, ok := obj.Attributes()["quantity"].(types.Int64); ok && !q.IsUnknown() {
				it.Seats = q.ValueInt64()
			}
			if a, ok := obj.Attributes()["add_ons"].(types.List); ok {
				it.AddOns = len(a.Elements())
			}
		}
		items = append(items, it)
	}
	return transfers.SubmitSummary(items, customerName.ValueString(), targetName.ValueString(), targetTenant.ValueString())
}

// addSubmitWarning repeats the summary as a warning's first line, which
// -compact-warnings keeps.
func addSubmitWarning(diags *diag.Diagnostics, summary, transferID string, at path.Path) {
	which := "this transfer"
	if transferID != "" {
		which = "transfer " + transferID
	}
	diags.AddAttributeWarning(at, summary,
		fmt.Sprintf("Applying this plan submits %s: Partner Center moves the subscriptions to the target partner and no API "+
			"or apply can take them back. Review line_items above before approving.", which))
}

// planLineItems checks the configured line items of a submit against the
// customer's subscriptions (in carries what is known of the request) and
// returns line_items as the plan shows them; ok is false when nothing can
// be planned yet (an unknown product type, a failed list: warned).
func (d *providerData) planLineItems(ctx context.Context, configuredItems types.Map, in transfers.SubmitPlan, diags *diag.Diagnostics) (types.Map, bool) {
	var configured map[string]lineItemModel
	diags.Append(configuredItems.ElementsAs(ctx, &configured, false)...)
	if diags.HasError() {
		return types.Map{}, false
	}
	for _, id := range sortedKeys(configured) {
		pt := configured[id].ProductType
		if pt.IsUnknown() {
			return types.Map{}, false // decided at apply; nothing to check yet
		}
		in.Items = append(in.Items, partnercenter.SubmitLineItem{SubscriptionID: id, ProductType: pt.ValueString()})
	}
	subs, err := d.subscriptionsOf(ctx, in.CustomerID)
	if err != nil {
		diags.AddAttributeWarning(path.Root("line_items"), "Line items not checked before apply",
			"Listing the customer's subscriptions failed, so the plan cannot show what will move nor check the line items; "+
				"Partner Center checks them when the transfer is submitted. Cause: "+err.Error())
		return types.Map{}, false
	}
	in.Subscriptions = subs
	details, findings := transfers.PlanSubmit(in)
	for _, f := range findings {
		addFinding(diags, f)
	}
	planned, dd := plannedLineItems(in.Items, details)
	diags.Append(dd...)
	return planned, !dd.HasError()
}

// addFinding adds a check's finding as a diagnostic on line_items["<id>"]
// (or line_items when it is about the request).
func addFinding(diags *diag.Diagnostics, f transfers.Finding) {
	at := path.Root("line_items")
	if f.SubscriptionID != "" {
		at = at.AtMapKey(f.SubscriptionID)
	}
	if f.Warning {
		diags.AddAttributeWarning(at, f.Summary, f.Detail)
		return
	}
	diags.AddAttributeError(at, f.Summary, f.Detail)
}

// plannedLineItems is line_items as the plan shows them: the configured
// product type, what the subscription list says will move, and unknown for
// what Partner Center assigns during the transfer.
func plannedLineItems(items []partnercenter.SubmitLineItem, enriched map[string]transfers.ItemDetails) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make(map[string]attr.Value, len(items))
	for _, it := range items {
		attrs := make(map[string]attr.Value, len(lineItemAttrTypes))
		for name, typ := range lineItemAttrTypes {
			attrs[name] = unknownOf(typ)
		}
		attrs["product_type"] = types.StringValue(it.ProductType)
		if e, ok := enriched[it.SubscriptionID]; ok {
			attrs["friendly_name"] = optionalString(e.FriendlyName)
			attrs["offer_id"] = optionalString(e.OfferID)
			attrs["quantity"] = types.Int64Value(e.Quantity)
			attrs["billing_cycle"] = optionalString(e.BillingCycle)
			addOns := make([]attr.Value, 0, len(e.AddOns))
			for _, a := range e.AddOns {
				obj, d := types.ObjectValue(addOnAttrTypes, map[string]attr.Value{
					"subscription_id": types.StringValue(a.SubscriptionID), "friendly_name": optionalString(a.FriendlyName),
					"quantity": types.Int64Value(a.Quantity), "billing_cycle": optionalString(a.BillingCycle),
					"offer_id": optionalString(a.OfferID), "status": types.StringUnknown(), "target_subscription_id": types.StringUnknown(),
				})
				diags.Append(d...)
				addOns = append(addOns, obj)
			}
			list, d := types.ListValue(addOnObjectType, addOns)
			diags.Append(d...)
			attrs["add_ons"] = list
		}
		obj, d := types.ObjectValue(lineItemAttrTypes, attrs)
		diags.Append(d...)
		elems[it.SubscriptionID] = obj
	}
	m, d := types.MapValue(lineItemObjectType, elems)
	diags.Append(d...)
	return m, diags
}

// keepPlannedLineItemDetails makes the state of a submit match its plan:
// the values the plan showed from the subscription list stay, whatever
// Partner Center echoes (an emptier line item, a seat count changed since
// the plan); the next refresh shows Partner Center's values. Add-ons keep
// the planned list; their status and target subscription come from the
// answer.
func keepPlannedLineItemDetails(ctx context.Context, planned, flat types.Map) (types.Map, diag.Diagnostics) {
	if planned.IsNull() || planned.IsUnknown() || flat.IsNull() || flat.IsUnknown() {
		return flat, nil
	}
	var before, after map[string]lineItemModel
	diags := planned.ElementsAs(ctx, &before, false)
	diags.Append(flat.ElementsAs(ctx, &after, false)...)
	if diags.HasError() {
		return flat, diags
	}
	for id, li := range after {
		was, ok := before[id]
		if !ok {
			continue
		}
		for _, f := range []struct{ was, now *types.String }{
			{&was.FriendlyName, &li.FriendlyName}, {&was.OfferID, &li.OfferID}, {&was.BillingCycle, &li.BillingCycle},
		} {
			if !f.was.IsUnknown() && !f.was.IsNull() {
				*f.now = *f.was
			}
		}
		if !was.Quantity.IsUnknown() && !was.Quantity.IsNull() {
			li.Quantity = was.Quantity
		}
		if !was.AddOns.IsUnknown() && !was.AddOns.IsNull() {
			addOns, d := keepPlannedAddOns(ctx, was.AddOns, li.AddOns)
			diags.Append(d...)
			li.AddOns = addOns
		}
		after[id] = li
	}
	out, d := types.MapValueFrom(ctx, lineItemObjectType, after)
	diags.Append(d...)
	return out, diags
}

func keepPlannedAddOns(ctx context.Context, planned, flat types.List) (types.List, diag.Diagnostics) {
	var before, answered []addOnModel
	diags := planned.ElementsAs(ctx, &before, false)
	if !flat.IsNull() && !flat.IsUnknown() {
		diags.Append(flat.ElementsAs(ctx, &answered, false)...)
	}
	out := make([]addOnModel, 0, len(before))
	for _, p := range before {
		a := addOnModel{SubscriptionID: p.SubscriptionID, FriendlyName: p.FriendlyName, Quantity: p.Quantity, BillingCycle: p.BillingCycle,
			OfferID: p.OfferID, Status: types.StringNull(), TargetSubscriptionID: types.StringNull()}
		for _, got := range answered {
			if strings.EqualFold(got.SubscriptionID.ValueString(), p.SubscriptionID.ValueString()) {
				a.Status, a.TargetSubscriptionID = got.Status, got.TargetSubscriptionID
			}
		}
		out = append(out, a)
	}
	list, d := types.ListValueFrom(ctx, addOnObjectType, out)
	diags.Append(d...)
	return list, diags
}
