// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, plan, config, resp)
		return
	}
	var state transferResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
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
	if config.LineItems.IsNull() {
		empty, d := flattenLineItems(ctx, nil, nil)
		resp.Diagnostics.Append(d...)
		plan.LineItems = empty
	}
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

func (r *transferResource) planUpdate(ctx context.Context, plan, config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	known := transferFromState(state)
	status := known.Status

	// A request the target can no longer use is replaced by a fresh one.
	if known.Direction() == transfers.Incoming && known.State().Dead() {
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Transfer request will be replaced",
			fmt.Sprintf("Transfer %s is %s (it expired after 30 days without submission, or was cancelled outside Terraform). "+
				"It can no longer be submitted, so Terraform plans a new request for the same customer and source partner.",
				state.ID.ValueString(), status))
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		return
	}

	if known.Direction() == transfers.Outgoing {
		r.checkSourceDoesNotSetCreateInputs(ctx, config, state, resp)
	}

	wanted, d := lineItemProductTypes(ctx, config.LineItems)
	resp.Diagnostics.Append(d...)
	have, d := lineItemProductTypes(ctx, state.LineItems)
	resp.Diagnostics.Append(d...)
	if config.LineItems.IsUnknown() || wanted == nil || transfers.SameLineItems(wanted, have) {
		if known.Direction() == transfers.Outgoing && known.State() == transfers.InProgress && len(have) > 0 && plan.WaitForCompletion.ValueBool() {
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
			r.planSubmitLineItems(ctx, config, state, resp)
		}
	case transfers.SubmitDead:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "The transfer request can no longer be submitted",
			fmt.Sprintf("Transfer %s is %s, so its line items cannot be submitted. Ask the target partner for a new request and adopt that one; "+
				"remove this resource from the configuration (it is only removed from state, the request itself is untouched).", state.ID.ValueString(), status))
	case transfers.SubmitNotSource:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "Only the source partner can submit line items",
			"This provider configuration is the target partner of the transfer (transfer_direction = \"incoming\"). Line items are chosen and "+
				"submitted by the source partner; remove line_items here and let the source partner adopt the request with an import block.")
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
