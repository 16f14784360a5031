// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

var (
	_ resource.Resource                   = (*transferResource)(nil)
	_ resource.ResourceWithConfigure      = (*transferResource)(nil)
	_ resource.ResourceWithImportState    = (*transferResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*transferResource)(nil)
	_ resource.ResourceWithValidateConfig = (*transferResource)(nil)
)

// Default timeouts: creating, reading and cancelling are single requests
// (with retries); a submit waits for completion, which usually takes
// minutes but may take days, so its default stays well under CI and TFE
// apply limits and longer transfers are resumed by the next apply.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 2 * time.Hour
	defaultDeleteTimeout = 10 * time.Minute
	// recoveryTimeout bounds the read-back done after an interruption, on
	// a context that is no longer cancelled.
	recoveryTimeout = 30 * time.Second
	// privateSubmittedAt records when this provider submitted the transfer,
	// so a resumed wait keeps the long poll intervals of its age.
	privateSubmittedAt = "submitted_at"
)

// NewTransferResource returns the partnercenter_transfer resource.
func NewTransferResource() resource.Resource { return &transferResource{} }

type transferResource struct {
	data *providerData
}

type transferResourceModel struct {
	transferModel
	WaitForCompletion    types.Bool     `tfsdk:"wait_for_completion"`
	SubmissionSummary    types.String   `tfsdk:"submission_summary"`
	RecreateExpired      types.Bool     `tfsdk:"recreate_expired_request"`
	AdoptOrphanedRequest types.Bool     `tfsdk:"adopt_orphaned_request"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func (r *transferResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer"
}

// Schema is in transfer_resource_schema.go, the plan-time rules
// (ValidateConfig, ModifyPlan) in transfer_resource_plan.go and the
// lifecycle itself in internal/transfers.

func (r *transferResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *transferResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer func() { resp.Diagnostics.Append(setTransferIdentity(ctx, resp.State, resp.Identity)...) }()
	var plan transferResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _, ok := operationContext(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	body, diags := expandCreateRequest(ctx, plan.transferModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	customerID := plan.CustomerID.ValueString()
	// Adoption of a request this apply did not make only when asked for.
	adopt := plan.AdoptOrphanedRequest.ValueBool()
	created, err := r.data.lifecycle().Create(ctx, customerID, body, transfers.CreateOptions{AdoptOrphans: adopt})
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot create the transfer request", err)
		return
	}
	for _, w := range created.Warnings {
		resp.Diagnostics.AddWarning("Transfer request recovered, adopted or deduplicated", w)
	}
	tflog.Info(ctx, "created transfer request", map[string]any{
		"customer_id": customerID, "transfer_id": created.Transfer.ID, "status": created.Transfer.Status, "adopted": created.Adopted,
	})
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, &created.Transfer.Transfer, plan)...)
}

// Read re-reads the transfer, except one in a final state (Complete,
// Expired, Canceled), which Partner Center never changes again: a refresh
// over a finished migration sends no request. The provider's
// refresh_final_transfers forces the read; an import always reads (its state has no status yet).
func (r *transferResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// A removed resource keeps the identity of the state it had: the
	// framework (v1.19) refuses a read that returns no identity at all.
	defer func() {
		resp.Diagnostics.Append(setTransferIdentity(ctx, stateOrPrior(resp.State, req.State), resp.Identity)...)
	}()
	var state transferResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Raw, req.State.Schema.Type(), req.State.Get, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A refresh tells the lifecycle which request this resource holds: a
	// new resource's plan check never reports it.
	defer r.data.lifecycle().InState(state.ID.ValueString(), true)()
	if transfers.Status(state.Status.ValueString()).Final() && !r.data.refreshFinal {
		tflog.Debug(ctx, "transfer is final: not re-read", map[string]any{"transfer_id": state.ID.ValueString(), "status": state.Status.ValueString()})
		return
	}
	if known := transferFromState(state); known.SourcePartnerTenantID != "" && known.TargetPartnerTenantID != "" && !known.Involves(r.data.tenantID) {
		addNotInvolvedError(&resp.Diagnostics, r.data.tenantID, known)
		return
	}
	ctx, cancel, _, ok := operationContext(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	customerID, transferID := state.CustomerID.ValueString(), state.ID.ValueString()
	t, err := r.data.lifecycle().Get(ctx, customerID, transferID)
	switch {
	case transfers.IsGone(err):
		resp.Diagnostics.AddWarning("Transfer no longer exists",
			fmt.Sprintf("Partner Center answered that transfer %s of customer %s does not exist (404, code 900100); it has been removed from state.",
				transferID, customerID))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		// Any other failure, a 404 without that code included, says nothing
		// about the transfer: the state is kept.
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot read the transfer (state kept)", err)
		return
	}
	if !t.Involves(r.data.tenantID) {
		addNotInvolvedError(&resp.Diagnostics, r.data.tenantID, t)
		return
	}
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, &t.Transfer, state)...)
}

func (r *transferResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer func() { resp.Diagnostics.Append(setTransferIdentity(ctx, resp.State, resp.Identity)...) }()
	var plan, state transferResourceModel
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

	// The state was refreshed by the plan, so it decides what to do without
	// another read; a stale state only makes the service refuse the submit.
	customerID, transferID := state.CustomerID.ValueString(), state.ID.ValueString()
	submittedItems, d := lineItemProductTypes(ctx, state.LineItems)
	resp.Diagnostics.Append(d...)
	wanted, d := lineItemProductTypes(ctx, plan.LineItems)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	var current *transfers.Transfer
	submittedAt := submittedTime(ctx, req.Private, state)
	if len(wanted) > 0 && len(submittedItems) == 0 && transferFromState(state).SubmitBlocker() == transfers.SubmitAllowed {
		items, d := expandSubmitLineItems(ctx, plan.LineItems)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		submitted, err := r.data.lifecycle().Submit(ctx, customerID, transferID, items)
		if err != nil {
			addSubmitError(&resp.Diagnostics, err, items)
			return
		}
		submittedAt = time.Now()
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSubmittedAt, []byte(strconv.Quote(submittedAt.UTC().Format(time.RFC3339Nano))))...)
		tflog.Info(ctx, "submitted transfer", map[string]any{"transfer_id": transferID, "line_items": len(items), "status": submitted.Status})
		current = submitted
		// Record the submission before waiting: if the wait is cut short,
		// the next apply resumes it instead of submitting again.
		resp.Diagnostics.Append(r.setSubmittedState(ctx, &resp.State, &current.Transfer, plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	// What the refreshed state and this apply's submit know; the submit's
	// answer may be emptier than the request (no direction, no items).
	known := transferFromState(state)
	if current != nil {
		known.Status = current.Status
		for id := range wanted {
			if len(submittedItems) == 0 {
				known.LineItems = append(known.LineItems, partnercenter.TransferLineItem{SubscriptionID: id})
			}
		}
	}
	if known.ResumesWait(waitsForCompletion(plan.WaitForCompletion)) {
		current = waitForTransfer(ctx, r.data, customerID, transferID, current, known.Status, submittedAt, timeout, &resp.Diagnostics)
	}
	if current == nil {
		// Nothing was sent: only Terraform-side arguments changed, or the
		// configuration fills in an input Partner Center echoed emptier.
		// The plan kept the state's values (planKeepsState).
		out := state
		out.WaitForCompletion, out.AdoptOrphanedRequest, out.Timeouts = plan.WaitForCompletion, plan.AdoptOrphanedRequest, plan.Timeouts
		out.RecreateExpired = plan.RecreateExpired
		out.transferModel, d = keepInputs(ctx, plan.transferModel, state.transferModel)
		resp.Diagnostics.Append(d...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
		return
	}
	resp.Diagnostics.Append(r.setSubmittedState(ctx, &resp.State, &current.Transfer, plan)...)
	if current.State() == transfers.Failed {
		addFailedLineItems(&resp.Diagnostics, &current.Transfer, sortedKeys(wanted))
	}
}

func (r *transferResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state transferResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, _, ok := operationContext(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// The destroy plan has just refreshed the state: decide from it without
	// another read. The lifecycle checks the truth if the cancel fails.
	transferID := state.ID.ValueString()
	_, err := r.data.lifecycle().Cancel(ctx, state.CustomerID.ValueString(), transferFromState(state))
	switch {
	case err == nil:
		tflog.Info(ctx, "cancelled transfer", map[string]any{"transfer_id": transferID})
	case errors.Is(err, transfers.ErrCannotCancel):
		resp.Diagnostics.AddWarning("Transfer removed from state only",
			fmt.Sprintf("Transfer %s was not cancelled: %s. It has been removed from Terraform state; the transfer itself is untouched.",
				transferID, strings.TrimPrefix(err.Error(), transfers.ErrCannotCancel.Error()+": ")))
	default:
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot cancel the transfer", err)
	}
}

func (r *transferResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	customerID, transferID := transferImportIDs(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), transferID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), true)...)
}

// setState writes t into state, keeping the resource-only arguments of
// model (wait_for_completion, adopt_orphaned_request, timeouts).
func (r *transferResource) setState(ctx context.Context, st stateSetter, t *partnercenter.Transfer, model transferResourceModel) diag.Diagnostics {
	out, diags := stateFrom(ctx, t, model)
	diags.Append(st.Set(ctx, &out)...)
	return diags
}

// setSubmittedState is setState during an update: the line items keep what
// the plan showed of them (keepPlannedLineItemDetails).
func (r *transferResource) setSubmittedState(ctx context.Context, st stateSetter, t *partnercenter.Transfer, plan transferResourceModel) diag.Diagnostics {
	out, diags := stateFrom(ctx, t, plan)
	items, d := keepPlannedLineItemDetails(ctx, plan.LineItems, out.LineItems)
	diags.Append(d...)
	out.LineItems = items
	// The plan kept the expiry it had (a submit is not known to change it);
	// the next refresh shows Partner Center's.
	if !plan.ExpirationTime.IsUnknown() {
		out.ExpirationTime = plan.ExpirationTime
	}
	diags.Append(st.Set(ctx, &out)...)
	return diags
}

func stateFrom(ctx context.Context, t *partnercenter.Transfer, model transferResourceModel) (transferResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	priorKeys := []string(nil)
	if have, d := lineItemProductTypes(ctx, model.LineItems); d == nil {
		priorKeys = sortedKeys(have)
	}
	flat, d := flattenTransfer(ctx, t, model.CustomerID.ValueString(), priorKeys)
	diags.Append(d...)
	flat, d = keepInputs(ctx, model.transferModel, flat)
	diags.Append(d...)
	out := transferResourceModel{transferModel: flat, WaitForCompletion: model.WaitForCompletion, SubmissionSummary: model.SubmissionSummary,
		RecreateExpired: model.RecreateExpired, AdoptOrphanedRequest: model.AdoptOrphanedRequest, Timeouts: model.Timeouts}
	// Arguments left unset stay null (unset wait_for_completion means true).
	for _, b := range []*types.Bool{&out.WaitForCompletion, &out.AdoptOrphanedRequest, &out.RecreateExpired} {
		if b.IsUnknown() {
			*b = types.BoolNull()
		}
	}
	if out.SubmissionSummary.IsUnknown() {
		out.SubmissionSummary = types.StringNull()
	}
	// A request nobody submitted has no line items: null, as its plan
	// showed, rather than an empty map on the target's side.
	if len(t.LineItems) == 0 && model.LineItems.IsNull() {
		out.LineItems = types.MapNull(lineItemObjectType)
	}
	// Keep the customer id as the user wrote it when the service echoes
	// another case of the same GUID.
	if !strings.EqualFold(out.CustomerID.ValueString(), model.CustomerID.ValueString()) {
		out.CustomerID = model.CustomerID
	}
	return out, diags
}

type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// waitForTransfer waits through the lifecycle and turns its outcome into
// diagnostics (the transfer and the acceptance resources alike). It returns the latest known transfer; nil only when no read
// succeeded at all (the state then keeps what it had).
func waitForTransfer(ctx context.Context, data *providerData, customerID, transferID string, current *transfers.Transfer, status string, submittedAt time.Time, timeout time.Duration, diags *diag.Diagnostics) *transfers.Transfer {
	waited, err := data.lifecycle().Wait(ctx, customerID, transferID, current, submittedAt, func(status string) {
		tflog.Info(ctx, "transfer status changed", map[string]any{"transfer_id": transferID, "status": status})
	})
	for _, w := range waited.ItemWarnings {
		diags.AddWarning("Line item error while the transfer is in progress", w)
	}
	tflog.Debug(ctx, "wait for transfer finished", map[string]any{"transfer_id": transferID, "polls": waited.Polls})
	if waited.Transfer != nil {
		status = waited.Transfer.Status
	}
	if err != nil {
		addWaitError(ctx, diags, err, transferID, status, timeout)
	}
	return waited.Transfer
}

// transferFromState is what the state knows of the transfer, enough to
// decide and send a cancel.
func transferFromState(state transferResourceModel) *transfers.Transfer {
	t := &transfers.Transfer{Transfer: partnercenter.Transfer{
		ID:                    state.ID.ValueString(),
		Status:                state.Status.ValueString(),
		SourcePartnerTenantID: state.SourcePartnerTenantID.ValueString(),
		TargetPartnerTenantID: state.TargetPartnerTenantID.ValueString(),
		CustomerName:          state.CustomerName.ValueString(),
		TransferDirection:     partnercenter.DirectionIncoming,
	}}
	if state.TransferDirection.ValueString() == "outgoing" {
		t.TransferDirection = partnercenter.DirectionOutgoing
	}
	for id := range state.LineItems.Elements() {
		t.LineItems = append(t.LineItems, partnercenter.TransferLineItem{SubscriptionID: id})
	}
	return t
}

// waitsForCompletion is wait_for_completion's meaning: unset is true.
func waitsForCompletion(v types.Bool) bool {
	return v.IsNull() || v.IsUnknown() || v.ValueBool()
}

// operationContext bounds ctx by an operation's timeout: the timeouts
// block's value, or def. ok is false when the block is invalid (then
// diagnosed).
func operationContext(ctx context.Context, timeoutOf func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, time.Duration, bool) {
	timeout, d := timeoutOf(ctx, def)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, 0, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout, true
}
