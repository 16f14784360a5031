// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

var (
	_ resource.Resource                   = (*transferAcceptanceResource)(nil)
	_ resource.ResourceWithConfigure      = (*transferAcceptanceResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*transferAcceptanceResource)(nil)
	_ resource.ResourceWithValidateConfig = (*transferAcceptanceResource)(nil)
)

// NewTransferAcceptanceResource returns partnercenter_transfer_acceptance:
// the source partner's acceptance (submit) of a transfer request, named
// after Microsoft's "Accept a transfer" operation.
func NewTransferAcceptanceResource() resource.Resource { return &transferAcceptanceResource{} }

type transferAcceptanceResource struct {
	data *providerData
}

type transferAcceptanceModel struct {
	ID                types.String   `tfsdk:"id"`
	CustomerID        types.String   `tfsdk:"customer_id"`
	TransferID        types.String   `tfsdk:"transfer_id"`
	LineItems         types.Map      `tfsdk:"line_items"`
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
	Status            types.String   `tfsdk:"status"`
	CompletedTime     types.String   `tfsdk:"completed_time"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

func (r *transferAcceptanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer_acceptance"
}

func (r *transferAcceptanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	shared := transferResourceSchema().Attributes
	items, ok := shared["line_items"].(schema.MapNestedAttribute)
	if !ok {
		panic("partnercenter_transfer's line_items is no longer a map nested attribute")
	}
	items.Optional, items.Computed, items.Required = false, false, true
	items.PlanModifiers = nil
	items.MarkdownDescription = "Subscriptions to transfer, keyed by subscription ID (GUID), each with its `product_type`: the same map as " +
		"`partnercenter_transfer`'s, checked the same way at plan (the customer's subscriptions are listed once per customer; the plan shows " +
		"`friendly_name`, `offer_id`, `quantity`, `billing_cycle`, `add_ons`, and fails on `line_items[\"<id>\"]` for a subscription the " +
		"customer does not have with this partner, one that is not active, of another product type, or excluded by the request's " +
		"`target_product_types`). Choose them from `data.partnercenter_customer_subscriptions`. They cannot change after the submission: " +
		"a changed map is a plan error, never a second submission."
	nested := maps.Clone(items.NestedObject.Attributes)
	pt, ok := nested["product_type"].(schema.StringAttribute)
	if !ok {
		panic("partnercenter_transfer's line_items product_type is no longer a string attribute")
	}
	pt.Optional, pt.Computed, pt.Required = false, false, true
	nested["product_type"] = pt
	items.NestedObject.Attributes = nested
	replaced := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Required: true, MarkdownDescription: desc,
			Validators: []validator.String{guidValidator()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The **source** (losing) partner's acceptance of a transfer request: it submits `line_items` once and waits for " +
			"Partner Center to move them (Microsoft calls this operation \"Accept a transfer\"). `transfer_id` may come from a " +
			"`partnercenter_transfer` of the target partner in the same configuration (another provider configuration), so one plan " +
			"shows both sides of a migration, or from `data.partnercenter_transfers` (direction `outgoing`, status `Pending`), so a source " +
			"partner accepts without import blocks.\n\n" +
			"A submission cannot be undone: destroying this resource only removes it from state. An apply killed after the submit " +
			"records the submission on the next apply without sending it again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The transfer's id (equal to `transfer_id`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"customer_id": replaced("Customer tenant ID (GUID). Changing it accepts another transfer (the submitted one is untouched)."),
			"transfer_id": schema.StringAttribute{Required: true,
				MarkdownDescription: "ID of the transfer request to accept, usually `partnercenter_transfer.<name>.id` of the target partner or " +
					"an `id` from `data.partnercenter_transfers`. It may be unknown at plan (the request is created in the same apply); the " +
					"line items are then checked from the customer's subscriptions. Changing it accepts another transfer.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			"line_items": items,
			"wait_for_completion": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the apply waits until Partner Center finishes the transfer (`Complete`, `Failed`). Default `true`. " +
					"A wait cut short by `timeouts.create` or an interrupt is resumed by the next apply; nothing is submitted twice."},
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: shared["status"].GetMarkdownDescription()},
			"completed_time": schema.StringAttribute{Computed: true,
				MarkdownDescription: shared["completed_time"].GetMarkdownDescription()},
			"timeouts": describedTimeouts(ctx, timeouts.Opts{
				Create: true, Read: true, Update: true,
				CreateDescription: "How long submitting and waiting for completion may take (default `2h`). Go duration syntax: `90m`, `72h`.",
				ReadDescription:   "How long one refresh of the transfer may take (default `5m`).",
				UpdateDescription: "How long a resumed wait may take (default `2h`).",
			}),
		},
	}
}

func (r *transferAcceptanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *transferAcceptanceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg transferAcceptanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateLineItemKeys(ctx, cfg.LineItems, &resp.Diagnostics)
	validateTimeouts(ctx, cfg.Timeouts, &resp.Diagnostics)
}

// ModifyPlan checks the line items before anything is sent and refuses a
// change of line items after the submission.
func (r *transferAcceptanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() {
			resp.Diagnostics.AddWarning("Destroy only forgets the acceptance",
				"A submitted transfer cannot be undone: destroying partnercenter_transfer_acceptance removes it from Terraform state and sends nothing.")
		}
		return
	}
	if r.data == nil {
		return
	}
	var plan, config transferAcceptanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.planAccept(ctx, config, resp)
		return
	}
	var state transferAcceptanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || config.LineItems.IsUnknown() {
		return
	}
	wanted, d := lineItemProductTypes(ctx, config.LineItems)
	resp.Diagnostics.Append(d...)
	submitted, d := expandSubmitLineItems(ctx, state.LineItems)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if have, _ := lineItemProductTypes(ctx, state.LineItems); !transfers.SameLineItems(have, wanted) && !plan.TransferID.IsUnknown() && plan.TransferID.Equal(state.TransferID) {
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "Line items cannot change after submission",
			fmt.Sprintf("Transfer %s was submitted with line items %s and Partner Center does not allow changing them. Restore line_items to "+
				"the submitted items; to move other subscriptions, ask the target partner for a new transfer request and accept that one.",
				state.TransferID.ValueString(), describeItems(submitted)))
		return
	}
	status := state.Status.ValueString()
	if plan.WaitForCompletion.ValueBool() && transfers.Status(status) == transfers.InProgress {
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Apply will resume waiting for the transfer",
			fmt.Sprintf("Transfer %s was submitted and is still InProgress; apply waits for it to finish (wait_for_completion = true). "+
				"Nothing is submitted again.", state.TransferID.ValueString()))
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("completed_time"), types.StringUnknown())...)
	}
}

// planAccept plans a new acceptance: the line items are checked against the
// customer's subscriptions and, when transfer_id is known, against the
// request (its side, status, expiry and target_product_types).
func (r *transferAcceptanceResource) planAccept(ctx context.Context, config transferAcceptanceModel, resp *resource.ModifyPlanResponse) {
	if config.CustomerID.IsUnknown() || config.LineItems.IsUnknown() {
		return
	}
	in := transfers.SubmitPlan{CustomerID: config.CustomerID.ValueString(), Now: time.Now()}
	if !config.TransferID.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), config.TransferID)...)
		known, ok := r.readForPlan(ctx, config, &resp.Diagnostics)
		if !ok {
			return
		}
		if known != nil {
			wanted, d := expandSubmitLineItems(ctx, config.LineItems)
			resp.Diagnostics.Append(d...)
			recorded := known.Submitted() && known.HasItems(wanted) // submitted by an earlier apply: recorded, not refused
			if reason := transfers.AcceptBlocker(known, wanted); reason != "" && !recorded {
				resp.Diagnostics.AddAttributeError(path.Root("transfer_id"), "The transfer cannot be accepted", reason+". "+acceptFix(known))
				return
			}
			if known.Submitted() {
				// The items may have moved already: nothing to check against
				// the subscriptions the source partner still holds.
				resp.Diagnostics.AddAttributeWarning(path.Root("transfer_id"), "Already submitted: apply records it",
					fmt.Sprintf("Transfer %s was already submitted with these line items (an earlier apply may have been interrupted before it "+
						"saved its state). Apply records it: Partner Center refuses a second submit, the transfer is read back, and nothing is submitted twice.", known.ID))
				return
			}
			in.Status, in.ExpirationTime = known.Status, known.ExpirationTime
			in.TargetProductTypes = append([]string(nil), known.TargetProductTypes...)
			sort.Strings(in.TargetProductTypes)
		}
	}
	if planned, ok := r.data.planLineItems(ctx, config.LineItems, in, &resp.Diagnostics); ok {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("line_items"), planned)...)
		// An acceptance is a submit: the plan says so as plainly as the
		// transfer resource's (the target is known only by its request).
		summary := submitSummary(planned, types.StringNull(), types.StringNull(), types.StringNull())
		addSubmitWarning(&resp.Diagnostics, summary, config.TransferID.ValueString(), path.Root("line_items"))
	}
}

// readForPlan reads the transfer to accept. A transfer that is gone is an
// error (ok false); a failed read is a warning and the transfer stays
// unknown (nil, ok): the submit at apply reconciles as always.
func (r *transferAcceptanceResource) readForPlan(ctx context.Context, config transferAcceptanceModel, diags *diag.Diagnostics) (*transfers.Transfer, bool) {
	t, err := r.data.lifecycle().Get(ctx, config.CustomerID.ValueString(), config.TransferID.ValueString())
	switch {
	case transfers.IsGone(err):
		diags.AddAttributeError(path.Root("transfer_id"), "Transfer request not found",
			fmt.Sprintf("Customer %s has no transfer %s visible to this partner (404, code 900100). Check transfer_id and that this resource "+
				"uses the source partner's provider configuration.", config.CustomerID.ValueString(), config.TransferID.ValueString()))
		return nil, false
	case err != nil:
		diags.AddAttributeWarning(path.Root("transfer_id"), "Transfer request not checked before apply",
			"Reading the transfer request failed, so the plan cannot check its status; apply reads it before submitting. Cause: "+err.Error())
		return nil, true
	}
	return t, true
}

func (r *transferAcceptanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan transferAcceptanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Create, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	customerID, transferID := plan.CustomerID.ValueString(), plan.TransferID.ValueString()
	items, d := expandSubmitLineItems(ctx, plan.LineItems)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Submit reconciles before it re-sends: a transfer an earlier apply
	// submitted (killed before its state write) is refused by Partner
	// Center, read back and recorded, never submitted twice.
	accepted, err := r.data.lifecycle().Submit(ctx, customerID, transferID, items)
	if err != nil {
		addSubmitError(&resp.Diagnostics, err, items)
		return
	}
	submittedAt := time.Now()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSubmittedAt, []byte(strconv.Quote(submittedAt.UTC().Format(time.RFC3339Nano))))...)
	tflog.Info(ctx, "accepted transfer", map[string]any{"transfer_id": transferID, "line_items": len(items), "status": accepted.Status})
	// Record the submission before waiting: a wait cut short is resumed by
	// the next apply, never submitted again.
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, accepted, plan, true)...)
	if resp.Diagnostics.HasError() || !plan.WaitForCompletion.ValueBool() || accepted.State().EndsWait() {
		return
	}
	// A wait cut short is a warning here, not an error: an error would
	// taint the acceptance and plan a replacement of a submission.
	var waitDiags diag.Diagnostics
	current := waitForTransfer(ctx, r.data, customerID, transferID, accepted, accepted.Status, submittedAt, timeout, &waitDiags)
	for _, w := range waitDiags {
		if w.Severity() == diag.SeverityError {
			resp.Diagnostics.AddWarning(w.Summary(), w.Detail())
		} else {
			resp.Diagnostics.Append(w)
		}
	}
	if current != nil {
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, current, plan, true)...)
		if current.State() == transfers.Failed {
			addFailedLineItems(&resp.Diagnostics, &current.Transfer, sortedKeys(lineItemKeys(items)))
		}
	}
}

// Read re-reads the transfer, except one in a final state, which Partner
// Center never changes again: a refresh sends nothing.
func (r *transferAcceptanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state transferAcceptanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if transfers.Status(state.Status.ValueString()).Final() && !r.data.refreshFinal {
		return
	}
	ctx, cancel, _, ok := operationContext(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	t, err := r.data.lifecycle().Get(ctx, state.CustomerID.ValueString(), state.TransferID.ValueString())
	switch {
	case transfers.IsGone(err):
		resp.Diagnostics.AddWarning("Transfer no longer exists",
			fmt.Sprintf("Partner Center answered that transfer %s of customer %s does not exist (404, code 900100); the acceptance has been removed from state.",
				state.TransferID.ValueString(), state.CustomerID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot read the transfer (state kept)", err)
		return
	}
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, t, state, false)...)
}

// Update resumes a wait cut short; otherwise it only records Terraform-side
// arguments (line items cannot change: ModifyPlan refuses it).
func (r *transferAcceptanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state transferAcceptanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	out := state
	out.WaitForCompletion, out.Timeouts = plan.WaitForCompletion, plan.Timeouts
	status := state.Status.ValueString()
	if plan.WaitForCompletion.ValueBool() && transfers.Status(status) == transfers.InProgress {
		submittedAt := time.Now()
		if raw, d := req.Private.GetKey(ctx, privateSubmittedAt); !d.HasError() && len(raw) > 2 {
			if at, err := time.Parse(time.RFC3339Nano, strings.Trim(string(raw), `"`)); err == nil {
				submittedAt = at
			}
		}
		current := waitForTransfer(ctx, r.data, state.CustomerID.ValueString(), state.TransferID.ValueString(), nil, status,
			submittedAt, timeout, &resp.Diagnostics)
		if current != nil {
			resp.Diagnostics.Append(r.setState(ctx, &resp.State, current, out, false)...)
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

// Delete forgets the acceptance: a submission cannot be undone.
func (r *transferAcceptanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state transferAcceptanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Acceptance removed from state only",
		fmt.Sprintf("Transfer %s stays submitted (a submission cannot be undone); it has been removed from Terraform state and nothing was sent.",
			state.TransferID.ValueString()))
}

// setState writes t into state. planned keeps what the plan showed of the
// line items (keepPlannedLineItemDetails); the configured keys and product
// types always stay.
func (r *transferAcceptanceResource) setState(ctx context.Context, st stateSetter, t *transfers.Transfer, model transferAcceptanceModel, planned bool) diag.Diagnostics {
	var diags diag.Diagnostics
	prior, d := lineItemProductTypes(ctx, model.LineItems)
	diags.Append(d...)
	flat, d := flattenLineItems(ctx, t.LineItems, sortedKeys(prior))
	diags.Append(d...)
	if planned {
		flat, d = keepPlannedLineItemDetails(ctx, model.LineItems, flat)
		diags.Append(d...)
	}
	items, d := configuredLineItems(ctx, model.LineItems, flat)
	diags.Append(d...)
	out := model
	out.ID = types.StringValue(model.TransferID.ValueString())
	out.LineItems = items
	out.Status = optionalString(t.Status)
	out.CompletedTime = timeValue(t.CompletedTime)
	if out.WaitForCompletion.IsNull() || out.WaitForCompletion.IsUnknown() {
		out.WaitForCompletion = types.BoolValue(true)
	}
	diags.Append(st.Set(ctx, &out)...)
	return diags
}

// configuredLineItems is the answered line items restricted to the
// configured keys, with the configured product types; a configured item the
// answer lacks keeps what it had, its unknowns null.
func configuredLineItems(ctx context.Context, configured, answered types.Map) (types.Map, diag.Diagnostics) {
	var want, got map[string]lineItemModel
	diags := configured.ElementsAs(ctx, &want, false)
	if !answered.IsNull() && !answered.IsUnknown() {
		diags.Append(answered.ElementsAs(ctx, &got, false)...)
	}
	if diags.HasError() {
		return configured, diags
	}
	out := make(map[string]lineItemModel, len(want))
	for id, w := range want {
		li, ok := got[id]
		if !ok {
			li = nullUnknowns(w)
		}
		li.ProductType = w.ProductType
		out[id] = li
	}
	m, d := types.MapValueFrom(ctx, lineItemObjectType, out)
	diags.Append(d...)
	return m, diags
}

// nullUnknowns turns a planned line item's unknown values into nulls.
func nullUnknowns(li lineItemModel) lineItemModel {
	for _, s := range []*types.String{&li.LineItemID, &li.Status, &li.FriendlyName, &li.BillingCycle, &li.OfferID,
		&li.TransferGroupID, &li.OrderID, &li.TargetSubscriptionID, &li.ErrorCode, &li.ErrorMessage} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	if li.Quantity.IsUnknown() {
		li.Quantity = types.Int64Null()
	}
	if li.AddOns.IsUnknown() {
		li.AddOns = types.ListValueMust(addOnObjectType, nil)
	}
	return li
}

func lineItemKeys(items []partnercenter.SubmitLineItem) map[string]bool {
	out := make(map[string]bool, len(items))
	for _, it := range items {
		out[it.SubscriptionID] = true
	}
	return out
}

func describeItems(items []partnercenter.SubmitLineItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, it.SubscriptionID+" ("+it.ProductType+")")
	}
	return strings.Join(parts, ", ")
}

// acceptFix says what to do about a transfer that cannot be accepted.
func acceptFix(t *transfers.Transfer) string {
	switch {
	case t.TransferDirection == partnercenter.DirectionIncoming:
		return "Use the source partner's provider configuration for this resource (provider = partnercenter.<source alias>)."
	case t.Submitted():
		return "Restore line_items to the submitted items, or ask the target partner for a new request to move other subscriptions."
	}
	return "Ask the target partner for a new request and accept that one."
}
