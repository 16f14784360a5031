// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Partner Center echoes some inputs emptier or in another form than they
// were sent: its documented create response returns customerEmailId as "",
// line items may come back with a productType number instead of the name
// that was submitted, and a server may answer transferType 5 for 3 (the
// pages call both new commerce). None of these inputs can change after the
// request exists, so the value in the plan or prior state is the truth and
// the echo must not replace it: otherwise the apply fails with "Provider
// produced inconsistent result" and every later plan proposes a
// replacement. Values Partner Center does change (status, times, line item
// details, the partners' names it fills in, transfer_direction) always come
// from the answer.

// echoedEmptierNote is appended to the description of every attribute the
// rule below keeps.
const echoedEmptierNote = " Partner Center cannot change it once the request exists, so the state keeps the value you configured " +
	"even when Partner Center echoes it empty, in another letter case or in another form (its documented create response " +
	"returns `customerEmailId` as `\"\"`); a source partner that adopts the request sees Partner Center's value. " +
	"When the state only holds such an echo (a request adopted by import), configuring the value updates the state in place instead of replacing the request."

// keepConfiguredInputs returns flat (decoded from Partner Center) with each
// create-time input replaced by prior's value when prior holds one. prior
// is the plan during create and update, the state during read.
func keepConfiguredInputs(ctx context.Context, prior, flat transferModel) (transferModel, diag.Diagnostics) {
	for _, f := range []struct{ prior, flat *types.String }{
		{&prior.SourcePartnerTenantID, &flat.SourcePartnerTenantID},
		{&prior.SourcePartnerName, &flat.SourcePartnerName},
		{&prior.CustomerEmail, &flat.CustomerEmail},
		{&prior.CustomerName, &flat.CustomerName},
		{&prior.TargetPartnerTenantID, &flat.TargetPartnerTenantID},
		{&prior.TargetPartnerEmail, &flat.TargetPartnerEmail},
		{&prior.PartnerOfRecord, &flat.PartnerOfRecord},
		{&prior.TransactionResellerID, &flat.TransactionResellerID},
	} {
		if known(*f.prior) {
			*f.flat = *f.prior
		}
	}
	if !prior.TransferType.IsNull() && !prior.TransferType.IsUnknown() && prior.TransferType.ValueInt64() != 0 {
		flat.TransferType = prior.TransferType
	}
	if !prior.TargetProductTypes.IsNull() && !prior.TargetProductTypes.IsUnknown() {
		flat.TargetProductTypes = prior.TargetProductTypes
	}
	items, diags := keepSubmittedProductTypes(ctx, prior.LineItems, flat.LineItems)
	flat.LineItems = items
	return flat, diags
}

// keepSubmittedProductTypes keeps the product type the source partner
// submitted for each line item it already knows; Partner Center's answer
// may carry an undocumented number ("5") or another spelling. Line items
// only Partner Center knows (the target's view) show its value as sent.
// Keys already match prior keys (flattenLineItems keeps their letter case).
func keepSubmittedProductTypes(ctx context.Context, prior, flat types.Map) (types.Map, diag.Diagnostics) {
	if prior.IsNull() || prior.IsUnknown() || flat.IsNull() || flat.IsUnknown() || len(prior.Elements()) == 0 {
		return flat, nil
	}
	var before, after map[string]lineItemModel
	diags := prior.ElementsAs(ctx, &before, false)
	diags.Append(flat.ElementsAs(ctx, &after, false)...)
	if diags.HasError() {
		return flat, diags
	}
	changed := false
	for id, li := range after {
		if was, ok := before[id]; ok && known(was.ProductType) && was.ProductType != li.ProductType {
			li.ProductType = was.ProductType
			after[id] = li
			changed = true
		}
	}
	if !changed {
		return flat, diags
	}
	out, d := types.MapValueFrom(ctx, lineItemObjectType, after)
	diags.Append(d...)
	return out, diags
}

// known reports whether v holds a non-empty value.
func known(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown() && v.ValueString() != ""
}

// sameEcho reports whether echoed may be Partner Center's rendering of
// sent: equal ignoring case, or echoed empty (the documented create
// response returns customerEmailId as ""). Searches for a request this
// partner sent use it instead of an exact comparison.
func sameEcho(sent, echoed string) bool {
	return echoed == "" || equalFoldTrim(sent, echoed)
}

func equalFoldTrim(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// Descriptions of line item members whose wire form varies.
const (
	productTypeAsSentTail = "shown as Partner Center sends them: a documented name in another letter case gets the documented spelling; " +
		"a number, which Microsoft's examples show (`\"productType\": 5`) but no page maps to a name, appears as its text, for example `\"5\"`."
	productTypeAsSentNote = "Values are " + productTypeAsSentTail
	productTypeEchoNote   = "For items you configured the state keeps your value, whatever form Partner Center echoes. " +
		"Items you did not configure (the target partner's view) are " + productTypeAsSentTail
	lineItemIDDescription = "Line item ID assigned by Partner Center, as text (examples send numbers such as `0`, sometimes repeated; " +
		"items are keyed by subscription ID, never by this)."
)

// replaceUnlessEchoed is RequiresReplaceIfConfigured for a create input,
// except when the state holds Partner Center's emptier or differently
// cased echo of the configured value (a request adopted by import, whose
// state came from the echo): that is the same request, so the plan updates
// the state in place instead of cancelling the request and creating another.
func replaceUnlessEchoed() planmodifier.String { return replaceUnlessEchoedModifier{} }

type replaceUnlessEchoedModifier struct{}

func (replaceUnlessEchoedModifier) Description(context.Context) string {
	return "Changing the configured value replaces the request, unless the state only holds Partner Center's empty or differently cased echo of it."
}

func (m replaceUnlessEchoedModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (replaceUnlessEchoedModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || sameEcho(req.ConfigValue.ValueString(), req.StateValue.ValueString()) {
		return
	}
	resp.RequiresReplace = true
}
