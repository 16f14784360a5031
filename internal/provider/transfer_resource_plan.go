// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// ValidateConfig checks rules that involve more than one attribute.
func (r *transferResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg transferResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateLineItemKeys(ctx, cfg.LineItems, &resp.Diagnostics)
	validateTimeouts(ctx, cfg.Timeouts, &resp.Diagnostics)
	// Rules between create inputs are the domain's (transfers.CheckCreate),
	// checked at plan.
}

// validateLineItemKeys refuses the same subscription twice (GUIDs in
// another case) and a configured line item without product_type.
func validateLineItemKeys(ctx context.Context, lineItems types.Map, diags *diag.Diagnostics) {
	if lineItems.IsNull() || lineItems.IsUnknown() {
		return
	}
	var items map[string]lineItemModel
	diags.Append(lineItems.ElementsAs(ctx, &items, false)...)
	seen := map[string]string{}
	for _, id := range sortedKeys(items) {
		if first, dup := seen[strings.ToLower(id)]; dup {
			diags.AddAttributeError(path.Root("line_items").AtMapKey(id), "Duplicate subscription in line_items",
				fmt.Sprintf("%q and %q are the same subscription (GUIDs are not case-sensitive); keep one of them.", first, id))
		}
		seen[strings.ToLower(id)] = id
		if items[id].ProductType.IsNull() {
			diags.AddAttributeError(path.Root("line_items").AtMapKey(id).AtName("product_type"), "Missing product_type",
				fmt.Sprintf("Line item %q needs product_type, one of %s; license-based subscriptions are \"OnlineServicesNCE\".", id, strings.Join(partnercenter.ProductTypes, ", ")))
		}
	}
}

// maxTimeout bounds every timeout: a pending request expires after 30 days,
// so no single operation can usefully wait longer.
const maxTimeout = 30 * 24 * time.Hour

// validateTimeouts rejects timeouts the timeouts module accepts but that
// cannot work: zero or negative, or longer than a request can live.
func validateTimeouts(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) {
	if t.IsNull() || t.IsUnknown() {
		return
	}
	for name, get := range map[string]func(context.Context, time.Duration) (time.Duration, diag.Diagnostics){
		"create": t.Create, "update": t.Update, "delete": t.Delete,
	} {
		d, got := get(ctx, time.Minute)
		if got.HasError() {
			// The timeouts module's own message does not say which timeout.
			diags.AddAttributeError(path.Root("timeouts").AtName(name), "Invalid timeout",
				fmt.Sprintf("timeouts.%s is not a Go duration. Use a number with a unit such as \"45m\" or \"72h\"; days (\"3d\") are not accepted.", name))
			continue
		}
		if d <= 0 || d > maxTimeout {
			diags.AddAttributeError(path.Root("timeouts").AtName(name), "Impossible timeout",
				fmt.Sprintf("timeouts.%s is %s; it must be a positive duration of at most %s, such as \"30m\" or \"72h\".", name, d, maxTimeout))
		}
	}
}

// ModifyPlan enforces the transfer lifecycle at plan time, so problems show
// in the plan a reviewer reads rather than half way through an apply.
func (r *transferResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.warnDestroy(ctx, req, resp)
		return
	}
	if !req.State.Raw.IsNull() && r.data != nil {
		// The plan of a resource in state tells the lifecycle which
		// request it holds, with or without a refresh.
		var id types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		defer r.data.lifecycle().InState(id.ValueString(), false)()
	}
	var plan, config transferResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Raw, req.Plan.Schema.Type(), req.Plan.Get, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.Config.Raw, req.Config.Schema.Type(), req.Config.Get, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, plan, config, resp)
		return
	}
	var state transferResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, req.State.Schema.Type(), req.State.Get, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.planUpdate(ctx, plan, config, state, resp)
}

func (r *transferResource) planCreate(ctx context.Context, plan, config transferResourceModel, resp *resource.ModifyPlanResponse) {
	// Every check comes before anything else the plan does, so bad input
	// never reaches Partner Center.
	for _, in := range transfers.CreateInputs {
		if in.Required && inputOf(&config.transferModel, in.Attribute).IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root(in.Attribute), "Missing argument for a new transfer request",
				fmt.Sprintf("%s is required when the target partner creates a transfer request. If you are the source partner adopting an "+
					"existing request, add an import block with id = \"<customer_id>/<transfer_id>\" instead of creating one.", in.Attribute))
		}
	}
	callerTenant := ""
	if r.data != nil {
		callerTenant = r.data.tenantID
	}
	values, d := knownInputs(ctx, config.transferModel)
	resp.Diagnostics.Append(d...)
	addInputProblems(&resp.Diagnostics, transfers.CheckCreate(values, callerTenant))
	if !config.LineItems.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "line_items cannot be set on a new transfer request",
			"Only the source partner submits line items, after the target partner has created the request. Remove line_items from the "+
				"target partner's configuration; the source partner adopts the request with an import block and sets line_items there.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// One write of the whole plan: each SetAttribute transforms the entire
	// planned object, which shows at hundreds of resources. An input left
	// unset shows what it becomes (transfers.Unset): null when it is sent
	// as nothing, not "(known after apply)"; only an input Partner Center
	// fills in (customer_name) stays unknown.
	for _, in := range transfers.CreateInputs {
		if !inputOf(&config.transferModel, in.Attribute).IsNull() {
			continue
		}
		var v transfers.Value
		switch in.Unset {
		case transfers.UnsetFilled:
			continue
		case transfers.UnsetCallerTenant:
			if callerTenant == "" {
				continue
			}
			v = transfers.Value{callerTenant}
		case transfers.UnsetDefault:
			v = in.Default
		}
		tv, d := terraformValue(ctx, inputOf(&plan.transferModel, in.Attribute), v)
		resp.Diagnostics.Append(d...)
		setInput(&plan.transferModel, in.Attribute, tv)
	}
	// What a new request is known to be, so the plan shows only what the
	// apply will learn: nobody has submitted it, and this partner made it.
	plan.LineItems = types.MapNull(lineItemObjectType)
	plan.Status = types.StringValue(partnercenter.StatusPending)
	plan.TransferDirection = types.StringValue(string(transfers.Incoming))
	plan.CompletedTime = types.StringNull()
	plan.SubmissionSummary = types.StringNull()
	if config.WaitForCompletion.IsNull() {
		plan.WaitForCompletion = types.BoolNull()
	}
	r.checkCustomerRelationship(ctx, config, resp)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		r.checkExistingRequests(ctx, plan, config, resp)
	}
}

// checkExistingRequests reports the customer's Pending requests this
// partner made with the same inputs that no resource in this state is known
// to hold (transfers.Service.CheckCreate has the rule): an error when the
// plan refreshed the state, a warning when it could not tell, a warning
// naming the request that will be adopted with adopt_orphaned_request.
func (r *transferResource) checkExistingRequests(ctx context.Context, plan, config transferResourceModel, resp *resource.ModifyPlanResponse) {
	if r.data == nil || r.data.transfers == nil {
		return // not configured (validation only)
	}
	for _, v := range []types.String{config.CustomerID, config.SourcePartnerTenantID, config.SourcePartnerName, config.CustomerEmail,
		config.TargetPartnerEmail, config.PartnerOfRecord} {
		if v.IsUnknown() {
			return // known at apply only: Create never adopts without adopt_orphaned_request
		}
	}
	body, d := expandCreateRequest(ctx, plan.transferModel)
	resp.Diagnostics.Append(d...)
	if d.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	customerID := config.CustomerID.ValueString()
	check, err := r.data.lifecycle().CheckCreate(ctx, customerID, body)
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Root("customer_id"), "Cannot check the customer's existing transfer requests", err)
		return
	}
	if len(check.Unheld) == 0 {
		return
	}
	text := transfers.UnheldExplanation(customerID, body, check.Unheld)
	switch {
	case plan.AdoptOrphanedRequest.ValueBool():
		resp.Diagnostics.AddAttributeWarning(path.Root("adopt_orphaned_request"), "Apply will adopt an existing transfer request",
			fmt.Sprintf("adopt_orphaned_request = true: the apply adopts transfer %s instead of creating a request.\n\n%s", check.Unheld[0].ID, text))
	case check.Conclusive:
		resp.Diagnostics.AddAttributeError(path.Root("customer_id"), "A Pending transfer request with the same inputs already exists", text)
	default:
		resp.Diagnostics.AddAttributeWarning(path.Root("customer_id"), "A Pending transfer request with the same inputs may already exist",
			text+"\n\nThis run could not tell whether a resource of this configuration holds it: Terraform shows a provider what state "+
				"holds only while refreshing during a plan, and there was no refresh (an empty state, -refresh=false, or the apply, which "+
				"plans again without refreshing). The apply creates a new request; it never takes this one over.")
	}
}

// checkCustomerRelationship fails the plan of a request Partner Center
// would refuse with 20002: the target partner has no relationship with the
// customer. One read per customer and provider process.
func (r *transferResource) checkCustomerRelationship(ctx context.Context, config transferResourceModel, resp *resource.ModifyPlanResponse) {
	if r.data == nil || config.CustomerID.IsUnknown() || config.CustomerID.IsNull() {
		return
	}
	customerID := config.CustomerID.ValueString()
	err := r.data.lifecycle().CheckCustomer(ctx, customerID)
	switch {
	case err == nil:
	case errors.Is(err, transfers.ErrNoRelationship):
		resp.Diagnostics.AddAttributeError(path.Root("customer_id"), "No relationship with this customer",
			fmt.Sprintf("Customer %s is not a customer of the partner these credentials sign in as (tenant %s), so Partner Center would refuse "+
				"the request (error 20002). The customer must first accept the target partner's reseller relationship invitation; check "+
				"customer_id, and that the provider block uses the target (gaining) partner's credentials.", customerID, r.data.tenantID))
	default:
		resp.Diagnostics.AddAttributeWarning(path.Root("customer_id"), "Customer relationship not checked before apply",
			"Reading the customer failed, so the plan cannot check that this partner has a relationship with it; Partner Center checks it "+
				"when the request is created. Cause: "+describeError(err))
	}
}

func (r *transferResource) planUpdate(ctx context.Context, plan, config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	known := transferFromState(state)
	status := known.Status

	// A request the target can no longer use is replaced by a fresh one,
	// which e-mails the customer again: only when the configuration says so.
	if known.Direction() == transfers.Incoming && known.State().Dead() {
		if config.RecreateExpired.ValueBool() {
			resp.Diagnostics.AddAttributeWarning(path.Root("recreate_expired_request"), "Transfer request will be replaced",
				fmt.Sprintf("Transfer %s is %s. recreate_expired_request = true, so Terraform plans a new request for the same customer and "+
					"source partner; Partner Center e-mails the customer again.", state.ID.ValueString(), status))
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
			return
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), fmt.Sprintf("Transfer request %s is %s and will not be re-requested", state.ID.ValueString(), status),
			fmt.Sprintf("Transfer %s is %s (it expired after 30 days without submission, or was cancelled) and can no longer be submitted. "+
				"A new request e-mails the customer again, so Terraform makes one only when asked: set recreate_expired_request = true, "+
				"or run terraform apply -replace=<this resource's address> once.", state.ID.ValueString(), status))
	}
	r.planKeepsState(ctx, config, state, resp)

	if known.Direction() == transfers.Outgoing {
		r.checkSourceDoesNotSetCreateInputs(ctx, config, state, resp)
	}

	wanted, d := lineItemProductTypes(ctx, config.LineItems)
	resp.Diagnostics.Append(d...)
	have, d := lineItemProductTypes(ctx, state.LineItems)
	resp.Diagnostics.Append(d...)
	if config.LineItems.IsUnknown() || wanted == nil || transfers.SameLineItems(wanted, have) {
		if known.ResumesWait(waitsForCompletion(plan.WaitForCompletion)) {
			// A wait that was cut short: plan an update that resumes it.
			resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Apply will resume waiting for the transfer",
				fmt.Sprintf("Transfer %s was submitted and is still InProgress; apply waits for it to finish (wait_for_completion = true). "+
					"Nothing is submitted again.", state.ID.ValueString()))
			for _, name := range []string{"status", "last_modified_time", "completed_time", "expiration_time"} {
				resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
			}
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("line_items"), unknownLineItemDetails(have))...)
		}
		return
	}

	// Who may submit is the domain's rule; the plan only words it.
	switch known.SubmitBlocker() {
	case transfers.SubmitAllowed:
		if len(have) == 0 {
			// What the submit changes; the rest keeps the state's values.
			for _, name := range []string{"status", "last_modified_time", "completed_time"} {
				resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
			}
			r.checkSubmitClaims(state, wanted, resp)
			r.planSubmitLineItems(ctx, config, state, resp)
		}
	case transfers.SubmitDead:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "The transfer request can no longer be submitted",
			fmt.Sprintf("Transfer %s is %s, so its line items cannot be submitted. Ask the target partner for a new request and adopt that one; "+
				"remove this resource from the configuration (it is only removed from state, the request itself is untouched).", state.ID.ValueString(), status))
	case transfers.SubmitNotSource:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "Only the source partner can submit line items",
			"This provider configuration is the target partner of the transfer (transfer_direction = \"incoming\"). Line items are chosen and "+
				"submitted by the source partner. If this configuration is the source partner's, its credentials look like the other partner's: "+
				"check tenant_id, client_id and the secret (or their PARTNERCENTER_* variables). Otherwise remove line_items here and let the "+
				"source partner adopt the request.")
	case transfers.SubmitDone:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "Line items cannot change after submission",
			fmt.Sprintf("Transfer %s is %s: its line items were already submitted (%s) and Partner Center does not allow changing them. "+
				"Restore line_items to the submitted items; to move other subscriptions, ask the target partner for a new transfer request.",
				state.ID.ValueString(), status, strings.Join(sortedKeys(have), ", ")))
	}
}

// checkSourceDoesNotSetCreateInputs rejects create-time inputs in an adopted
// (source-side) configuration that differ from the request: the source
// cannot recreate the target's request.
func (r *transferResource) checkSourceDoesNotSetCreateInputs(ctx context.Context, config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	echo := &partnercenter.Transfer{TargetPartnerTenantID: state.TargetPartnerTenantID.ValueString()}
	for _, in := range transfers.CreateInputs {
		c, _, d := domainValue(ctx, inputOf(&config.transferModel, in.Attribute))
		resp.Diagnostics.Append(d...)
		s, _, d := domainValue(ctx, inputOf(&state.transferModel, in.Attribute))
		resp.Diagnostics.Append(d...)
		if c == nil || slices.Equal(c, s) || (len(c) == 1 && len(s) == 1 && in.Echoes(c[0], s[0], echo)) {
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root(in.Attribute), "Argument belongs to the target partner",
			fmt.Sprintf("%s is set by the target partner when it creates the request (it is %q on Partner Center). As the source partner you "+
				"cannot change it; remove %s from this configuration.", in.Attribute, strings.Join(s, ", "), in.Attribute))
	}
}

func (r *transferResource) warnDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state transferResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if reason := transferFromState(state).CancelBlocker(); reason != "" {
		resp.Diagnostics.AddWarning("Destroy will not cancel this transfer",
			fmt.Sprintf("Transfer %s will only be removed from Terraform state, because %s. The transfer itself is untouched.", state.ID.ValueString(), reason))
	}
}

// planKeepsState plans, for a transfer already in state, the values this
// apply leaves as they are: Partner Center changes a transfer only when it
// is submitted or while a wait runs, and the plan marks those itself
// afterwards. Without this, any change of a Terraform-side argument
// (wait_for_completion, timeouts) would show every computed value as
// "(known after apply)".
func (r *transferResource) planKeepsState(ctx context.Context, config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	var plan transferResourceModel
	resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Status, plan.LastModifiedTime, plan.ExpirationTime, plan.CompletedTime = state.Status, state.LastModifiedTime, state.ExpirationTime, state.CompletedTime
	plan.SubmissionSummary = state.SubmissionSummary
	if config.LineItems.IsNull() {
		plan.LineItems = state.LineItems
	} else if items, ok := lineItemsKeyedAs(config.LineItems, state.LineItems); ok {
		plan.LineItems = items
	}
	// Unset means true: removing "wait_for_completion = false" plans
	// "false -> true", and a state that says true (as imports and earlier
	// versions write it) or nothing plans no change.
	if config.WaitForCompletion.IsNull() {
		plan.WaitForCompletion = types.BoolNull()
		if !state.WaitForCompletion.IsNull() {
			plan.WaitForCompletion = types.BoolValue(true)
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// lineItemsKeyedAs is have's line items under want's keys (subscription
// IDs compared without case), when both hold the same subscriptions with
// the same product types.
func lineItemsKeyedAs(want, have types.Map) (types.Map, bool) {
	if want.IsUnknown() || have.IsNull() || have.IsUnknown() || len(want.Elements()) != len(have.Elements()) {
		return have, false
	}
	elems := make(map[string]attr.Value, len(want.Elements()))
	for key, w := range want.Elements() {
		var found attr.Value
		for hk, h := range have.Elements() {
			if strings.EqualFold(key, hk) {
				found = h
			}
		}
		wo, wok := w.(types.Object)
		ho, hok := found.(types.Object)
		if !wok || !hok || !wo.Attributes()["product_type"].Equal(ho.Attributes()["product_type"]) {
			return have, false
		}
		elems[key] = ho
	}
	m, d := types.MapValue(lineItemObjectType, elems)
	return m, !d.HasError()
}

// checkSubmitClaims fails the plan when another request of the same
// customer is planned to submit one of these subscriptions.
func (r *transferResource) checkSubmitClaims(state transferResourceModel, wanted map[string]string, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	transferID := state.ID.ValueString()
	ids := sortedKeys(wanted)
	conflicts := r.data.lifecycle().ClaimSubmit(state.CustomerID.ValueString(), transferID, ids)
	for _, id := range ids {
		if other, ok := conflicts[id]; ok {
			resp.Diagnostics.AddAttributeError(path.Root("line_items").AtMapKey(id), "Subscription submitted by two transfer requests",
				transfers.SubmitConflict(id, transferID, other))
		}
	}
}
