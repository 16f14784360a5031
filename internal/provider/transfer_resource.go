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
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

var (
	_ resource.Resource                   = (*transferResource)(nil)
	_ resource.ResourceWithConfigure      = (*transferResource)(nil)
	_ resource.ResourceWithImportState    = (*transferResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*transferResource)(nil)
	_ resource.ResourceWithValidateConfig = (*transferResource)(nil)
)

// Default timeouts: creating and cancelling are single requests (with
// retries); a submit waits for completion, which usually takes minutes but
// may take days, so its default stays well under CI and TFE apply limits and
// longer transfers are resumed by the next apply.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultUpdateTimeout = 2 * time.Hour
	defaultDeleteTimeout = 10 * time.Minute
	// recoveryTimeout bounds the read-back done after an interruption, on a
	// context that is no longer cancelled.
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
	WaitForCompletion types.Bool     `tfsdk:"wait_for_completion"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

func (r *transferResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer"
}

func (r *transferResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Create-time inputs are Optional+Computed: the target partner sets them,
	// while a source partner that adopts the request by import leaves them
	// out and still plans an in-place submit, never a replacement.
	createInput := func(desc string, validators ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			Computed:            true,
			MarkdownDescription: desc + " Set by the target partner when creating the request; changing it replaces the request." + echoedEmptierNote,
			Validators:          validators,
			PlanModifiers: []planmodifier.String{
				stringplanmodifier.UseStateForUnknown(),
				replaceUnlessEchoed(),
			},
		}
	}
	stable := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: desc,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A partner-to-partner transfer request of a customer's subscriptions (new commerce and Azure plan items).\n\n" +
			"The **target** (gaining) partner creates the request; the **source** (losing) partner adopts it with an `import` block and " +
			"submits `line_items`; Partner Center then moves the items asynchronously (minutes, up to 72 hours). " +
			"Destroying a pending request cancels it (target only); any other destroy only removes it from state.",
		Attributes: map[string]schema.Attribute{
			"id": stable("The transfer ID assigned by Partner Center (a GUID in every example; any other form is accepted as sent)."),
			"customer_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The customer's Microsoft Entra tenant ID (GUID). Changing it replaces the request.",
				Validators:          []validator.String{guidValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"source_partner_tenant_id": createInput("Tenant ID (GUID) of the source (current, losing) partner. Required when creating.", guidValidator()),
			"source_partner_name":      createInput("Organisation name of the source partner. Required when creating.", stringvalidator.LengthBetween(1, 256)),
			"customer_email":           createInput("E-mail address of the customer contact who receives transfer notifications. Required when creating.", emailValidator()),
			"customer_name":            createInput("Customer display name.", stringvalidator.LengthBetween(1, 256)),
			"target_partner_tenant_id": createInput("Tenant ID (GUID) of the target (gaining) partner. Defaults to the calling partner's tenant.", guidValidator()),
			"target_partner_email":     createInput("Contact e-mail (or reference text) of the target partner, stored and echoed by Partner Center.", stringvalidator.LengthBetween(1, 256)),
			"partner_of_record":        createInput("PartnerID (MPN ID) to become partner of record of the transferred items; for transfers to an indirect provider.", stringvalidator.LengthBetween(1, 64)),
			"transaction_reseller_id":  createInput("PartnerID (MPN ID) of the indirect reseller, sent as the `TransactionReseller` participant by an indirect provider.", stringvalidator.LengthBetween(1, 64)),
			"transfer_type": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Partner Center transfer type: `3` (new commerce, the create API's documented value and the default) or `5` " +
					"(NewCommerce on the resource page; also accepted). Changing it replaces the request. The state keeps the configured value when " +
					"Partner Center answers with the other of the two.",
				Validators: []validator.Int64{int64validator.OneOf(partnercenter.TransferTypeNewCommerce, partnercenter.TransferTypeNewCommerceAlt)},
				PlanModifiers: []planmodifier.Int64{
					int64planmodifier.UseStateForUnknown(),
					int64planmodifier.RequiresReplaceIfConfigured(),
				},
			},
			"target_product_types": schema.SetAttribute{
				Optional:    true,
				Computed:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Kinds of items the source partner may include: " + productTypesMarkdown() +
					". Unset means all. Changing it replaces the request." + echoedEmptierNote,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(partnercenter.ProductTypes...)),
				},
				PlanModifiers: []planmodifier.Set{
					setplanmodifier.UseStateForUnknown(),
					setplanmodifier.RequiresReplaceIfConfigured(),
				},
			},
			"line_items": schema.MapNestedAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Items to transfer, keyed by subscription ID (GUID). Only the **source** partner sets this: configuring it on a " +
					"`Pending` request submits the transfer. Items cannot change after submission. On the target side it is read from Partner Center.",
				Validators: []validator.Map{
					mapvalidator.SizeAtLeast(1),
					mapvalidator.KeysAre(guidValidator()),
				},
				PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						// Optional+Computed rather than Required: a required member
						// would make Terraform treat the target's read-only
						// line_items as removed from configuration on every plan.
						// ValidateConfig requires it in configured line items.
						"product_type": schema.StringAttribute{
							Optional:            true,
							Computed:            true,
							MarkdownDescription: "Kind of item (required in each configured line item): " + productTypesMarkdown() + ". License-based subscriptions are `OnlineServicesNCE`. " + productTypeEchoNote,
							Validators:          []validator.String{stringvalidator.OneOf(partnercenter.ProductTypes...)},
						},
						"line_item_id":           computed(lineItemIDDescription),
						"status":                 computed("Status of this item (for example `InProgress`, `Complete`, `Failed`)."),
						"friendly_name":          computed("Friendly name of the subscription."),
						"quantity":               schema.Int64Attribute{Computed: true, MarkdownDescription: "Seats or instances moved."},
						"billing_cycle":          computed("Billing cycle of the subscription (for example `monthly`, `annual`)."),
						"offer_id":               computed("Offer ID of the subscription."),
						"transfer_group_id":      computed("Group of items Partner Center processes into one order."),
						"order_id":               computed("Order created at the target partner once the item moved."),
						"target_subscription_id": computed("Subscription ID at the target partner after completion."),
						"error_code":             computed("Partner Center error code when this item failed."),
						"error_message":          computed("Partner Center error text when this item failed."),
						"add_ons": schema.ListNestedAttribute{
							Computed:            true,
							MarkdownDescription: "Add-on subscriptions that move with this item.",
							NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
								"subscription_id":        computed("Add-on subscription ID."),
								"friendly_name":          computed("Friendly name."),
								"quantity":               schema.Int64Attribute{Computed: true, MarkdownDescription: "Seats or instances."},
								"billing_cycle":          computed("Billing cycle."),
								"offer_id":               computed("Offer ID."),
								"status":                 computed("Status of the add-on."),
								"target_subscription_id": computed("Subscription ID at the target partner after completion."),
							}},
						},
					},
				},
			},
			"wait_for_completion": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Whether submitting waits until Partner Center finishes the transfer (`Complete`, `Failed`). Default `true`. " +
					"With `false` the apply returns once the transfer is `InProgress`; later refreshes show the final status. " +
					"A wait cut short by `timeouts.update` or an interrupt is resumed by the next apply; nothing is submitted twice.",
			},
			"timeouts": describedTimeouts(ctx, timeouts.Opts{
				Create:            true,
				Update:            true,
				Delete:            true,
				CreateDescription: "How long creating the request may take, including retries of throttled calls (default `10m`).",
				UpdateDescription: "How long submitting and waiting for completion may take (default `2h`). Go duration syntax: `90m`, `72h` (not `3d`).",
				DeleteDescription: "How long cancelling may take (default `10m`).",
			}),
			"status": computed("Transfer status: `Pending` (waiting for the source partner), `InProgress`, `Complete`, `Failed`, `Expired` " +
				"(30 days without submission) or `Canceled`."),
			"transfer_direction":  stable("`incoming` when the configured partner is the target, `outgoing` when it is the source."),
			"created_time":        stable("When the request was created (RFC 3339, UTC)."),
			"last_modified_time":  computed("When the request last changed (RFC 3339, UTC)."),
			"expiration_time":     computed("When a pending request expires (RFC 3339, UTC)."),
			"completed_time":      computed("When the transfer completed (RFC 3339, UTC), else null."),
			"target_partner_name": stable("Organisation name of the target partner."),
		},
	}
}

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
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	body, diags := expandCreateRequest(ctx, plan.transferModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	customerID := plan.CustomerID.ValueString()
	started := time.Now()
	createClaims.begin(customerID)
	created, err := r.data.client.CreateTransfer(ctx, customerID, body)
	if err == nil {
		createClaims.end(customerID, created.ID)
	} else {
		createClaims.end(customerID, "")
		// The request may have been committed even though its answer was
		// lost (timeout, interrupt, dropped connection). Look for it before
		// reporting failure, so a transfer that exists is never orphaned.
		found := r.findLostCreate(ctx, customerID, body, started, err)
		if found == nil {
			addAPIError(&resp.Diagnostics, path.Empty(), "Cannot create the transfer request", err)
			return
		}
		resp.Diagnostics.AddWarning("Recovered a transfer whose creation was not confirmed",
			fmt.Sprintf("Creating the request failed (%s), but transfer %s matching this configuration was found on Partner Center "+
				"and has been recorded in state, so it will not be created twice.", err, found.ID))
		created = found
	}
	tflog.Info(ctx, "created transfer request", map[string]any{"customer_id": customerID, "transfer_id": created.ID, "status": created.Status})
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, created, plan)...)
}

func (r *transferResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer func() { resp.Diagnostics.Append(setTransferIdentity(ctx, resp.State, resp.Identity)...) }()
	var state transferResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	t, err := r.data.client.GetTransfer(ctx, state.CustomerID.ValueString(), state.ID.ValueString())
	if partnercenter.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Transfer no longer exists",
			fmt.Sprintf("Transfer %s of customer %s was not found on Partner Center (or this partner can no longer see it); "+
				"it has been removed from state.", state.ID.ValueString(), state.CustomerID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot read the transfer", err)
		return
	}
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, t, state)...)
}

func (r *transferResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer func() { resp.Diagnostics.Append(setTransferIdentity(ctx, resp.State, resp.Identity)...) }()
	var plan, state transferResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
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

	var current *partnercenter.Transfer
	submittedAt := submittedTime(ctx, req.Private, state)
	if len(wanted) > 0 && len(submittedItems) == 0 && state.Status.ValueString() == partnercenter.StatusPending {
		items, d := expandSubmitLineItems(ctx, plan.LineItems)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		submitted, err := r.data.client.SubmitTransfer(ctx, customerID, transferID, items)
		if err != nil {
			submitted = r.confirmLostSubmit(ctx, customerID, transferID, err)
		}
		if submitted == nil {
			addSubmitError(&resp.Diagnostics, err, items)
			return
		}
		submittedAt = time.Now()
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateSubmittedAt, []byte(fmt.Sprintf("%q", submittedAt.UTC().Format(time.RFC3339Nano))))...)
		tflog.Info(ctx, "submitted transfer", map[string]any{"transfer_id": transferID, "line_items": len(items), "status": submitted.Status})
		current = submitted
		// Record the submission before waiting: if the wait is cut short,
		// the next apply resumes it instead of submitting again.
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, current, plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	status := state.Status.ValueString()
	if current != nil {
		status = current.Status
	}
	submitted := current != nil || len(submittedItems) > 0
	if plan.WaitForCompletion.ValueBool() && submitted && status != partnercenter.StatusPending && !partnercenter.IsTerminal(status) {
		current = r.waitForCompletion(ctx, customerID, transferID, current, status, submittedAt, timeout, &resp.Diagnostics)
	}
	if current == nil {
		// Nothing was sent: only Terraform-side arguments changed, or the
		// configuration fills in an input Partner Center echoed emptier.
		out := state
		out.WaitForCompletion, out.Timeouts = plan.WaitForCompletion, plan.Timeouts
		out.transferModel, d = keepConfiguredInputs(ctx, plan.transferModel, state.transferModel)
		resp.Diagnostics.Append(d...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
		return
	}
	resp.Diagnostics.Append(r.setState(ctx, &resp.State, current, plan)...)
	if current.Status == partnercenter.StatusFailed {
		addFailedLineItems(&resp.Diagnostics, current, sortedKeys(wanted))
	}
}

func (r *transferResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state transferResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// The destroy plan has just refreshed the state: decide from it without
	// another read. A stale state only makes the service refuse the cancel,
	// which is then checked below.
	customerID, transferID := state.CustomerID.ValueString(), state.ID.ValueString()
	known := transferFromState(state)
	if reason := cancelImpossible(known); reason != "" {
		resp.Diagnostics.AddWarning("Transfer removed from state only",
			fmt.Sprintf("Transfer %s was not cancelled because %s. It has been removed from Terraform state; the transfer itself is untouched.", transferID, reason))
		return
	}
	_, err := r.data.client.CancelTransfer(ctx, customerID, partnercenter.CancelTransferRequest{
		ID:                    transferID,
		TargetPartnerTenantID: known.TargetPartnerTenantID,
		SourcePartnerTenantID: known.SourcePartnerTenantID,
		CustomerName:          known.CustomerName,
	})
	if err == nil || partnercenter.IsNotFound(err) {
		tflog.Info(ctx, "cancelled transfer", map[string]any{"transfer_id": transferID})
		return
	}
	// The status may have changed between the read and the cancel (the
	// source submitted it meanwhile): report the truth rather than fail.
	recoveryCtx, cancelRecovery := detached(ctx)
	defer cancelRecovery()
	if after, getErr := r.data.client.GetTransfer(recoveryCtx, customerID, transferID); getErr == nil {
		if reason := cancelImpossible(after); reason != "" {
			resp.Diagnostics.AddWarning("Transfer removed from state only",
				fmt.Sprintf("Transfer %s could not be cancelled because %s. It has been removed from Terraform state; the transfer itself is untouched.", transferID, reason))
			return
		}
		if partnercenter.IsCanceled(after.Status) {
			return
		}
	}
	addAPIError(&resp.Diagnostics, path.Empty(), "Cannot cancel the transfer", err)
}

func (r *transferResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = transferImportID(ctx, req, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	customerID, transferID, err := parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), transferID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("wait_for_completion"), true)...)
}

// ValidateConfig checks rules that involve more than one attribute.
func (r *transferResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg transferResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !cfg.LineItems.IsNull() && !cfg.LineItems.IsUnknown() {
		var items map[string]lineItemModel
		resp.Diagnostics.Append(cfg.LineItems.ElementsAs(ctx, &items, false)...)
		seen := map[string]string{}
		for _, id := range sortedKeys(items) {
			if first, dup := seen[strings.ToLower(id)]; dup {
				resp.Diagnostics.AddAttributeError(path.Root("line_items").AtMapKey(id), "Duplicate subscription in line_items",
					fmt.Sprintf("%q and %q are the same subscription (GUIDs are not case-sensitive); keep one of them.", first, id))
			}
			seen[strings.ToLower(id)] = id
			if items[id].ProductType.IsNull() {
				resp.Diagnostics.AddAttributeError(path.Root("line_items").AtMapKey(id).AtName("product_type"), "Missing product_type",
					fmt.Sprintf("Line item %q needs product_type, one of %s; license-based subscriptions are \"OnlineServicesNCE\".", id, strings.Join(partnercenter.ProductTypes, ", ")))
			}
		}
	}
	r.validateTimeouts(ctx, cfg.Timeouts, resp)
	src, tgt := cfg.SourcePartnerTenantID, cfg.TargetPartnerTenantID
	if !src.IsNull() && !src.IsUnknown() && !tgt.IsNull() && !tgt.IsUnknown() && strings.EqualFold(src.ValueString(), tgt.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("target_partner_tenant_id"), "Source and target partner are the same",
			"target_partner_tenant_id equals source_partner_tenant_id. A transfer moves items from the source partner to a different target partner "+
				"(Partner Center error 900148); set source_partner_tenant_id to the partner that currently owns the subscriptions.")
	}
}

// maxTimeout bounds every timeout: a pending request expires after 30 days,
// so no single operation can usefully wait longer.
const maxTimeout = 30 * 24 * time.Hour

// validateTimeouts rejects timeouts the timeouts module accepts but that
// cannot work: zero or negative, or longer than a request can live.
func (r *transferResource) validateTimeouts(ctx context.Context, t timeouts.Value, resp *resource.ValidateConfigResponse) {
	if t.IsNull() || t.IsUnknown() {
		return
	}
	for name, get := range map[string]func(context.Context, time.Duration) (time.Duration, diag.Diagnostics){
		"create": t.Create, "update": t.Update, "delete": t.Delete,
	} {
		d, diags := get(ctx, time.Minute)
		if diags.HasError() {
			// The timeouts module's own message does not say which timeout.
			resp.Diagnostics.AddAttributeError(path.Root("timeouts").AtName(name), "Invalid timeout",
				fmt.Sprintf("timeouts.%s is not a Go duration. Use a number with a unit such as \"45m\" or \"72h\"; days (\"3d\") are not accepted.", name))
			continue
		}
		if d <= 0 || d > maxTimeout {
			resp.Diagnostics.AddAttributeError(path.Root("timeouts").AtName(name), "Impossible timeout",
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
	required := []struct {
		name  string
		value types.String
	}{
		{"source_partner_tenant_id", config.SourcePartnerTenantID},
		{"source_partner_name", config.SourcePartnerName},
		{"customer_email", config.CustomerEmail},
	}
	for _, a := range required {
		if a.value.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Missing argument for a new transfer request",
				fmt.Sprintf("%s is required when the target partner creates a transfer request. If you are the source partner adopting an "+
					"existing request, add an import block with id = \"<customer_id>/<transfer_id>\" instead of creating one.", a.name))
		}
	}
	if !config.LineItems.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "line_items cannot be set on a new transfer request",
			"Only the source partner submits line items, after the target partner has created the request. Remove line_items from the "+
				"target partner's configuration; the source partner adopts the request with an import block and sets line_items there.")
	}
	if !config.TransferType.IsNull() && !config.LineItems.IsNull() {
		return
	}
	// One write of the whole plan: each SetAttribute transforms the entire
	// planned object, which shows at hundreds of resources.
	if config.TransferType.IsNull() {
		plan.TransferType = types.Int64Value(partnercenter.TransferTypeNewCommerce)
	}
	if config.LineItems.IsNull() {
		empty, d := flattenLineItems(ctx, nil, nil)
		resp.Diagnostics.Append(d...)
		plan.LineItems = empty
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *transferResource) planUpdate(ctx context.Context, plan, config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	status := state.Status.ValueString()
	outgoing := state.TransferDirection.ValueString() == "outgoing"

	// A request the target can no longer use is replaced by a fresh one.
	if !outgoing && (status == partnercenter.StatusExpired || partnercenter.IsCanceled(status)) {
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), "Transfer request will be replaced",
			fmt.Sprintf("Transfer %s is %s (it expired after 30 days without submission, or was cancelled outside Terraform). "+
				"It can no longer be submitted, so Terraform plans a new request for the same customer and source partner.",
				state.ID.ValueString(), status))
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		return
	}

	if outgoing {
		r.checkSourceDoesNotSetCreateInputs(config, state, resp)
	}

	wanted, d := lineItemProductTypes(ctx, config.LineItems)
	resp.Diagnostics.Append(d...)
	have, d := lineItemProductTypes(ctx, state.LineItems)
	resp.Diagnostics.Append(d...)
	if config.LineItems.IsUnknown() || wanted == nil || sameLineItems(wanted, have) {
		if outgoing && status == partnercenter.StatusInProgress && len(have) > 0 && plan.WaitForCompletion.ValueBool() {
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

	switch {
	case outgoing && (status == partnercenter.StatusExpired || partnercenter.IsCanceled(status)):
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "The transfer request can no longer be submitted",
			fmt.Sprintf("Transfer %s is %s, so its line items cannot be submitted. Ask the target partner for a new request and adopt that one; "+
				"remove this resource from the configuration (it is only removed from state, the request itself is untouched).", state.ID.ValueString(), status))
	case !outgoing:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "Only the source partner can submit line items",
			"This provider configuration is the target partner of the transfer (transfer_direction = \"incoming\"). Line items are chosen and "+
				"submitted by the source partner; remove line_items here and let the source partner adopt the request with an import block.")
	case status != partnercenter.StatusPending:
		resp.Diagnostics.AddAttributeError(path.Root("line_items"), "Line items cannot change after submission",
			fmt.Sprintf("Transfer %s is %s: its line items were already submitted (%s) and Partner Center does not allow changing them. "+
				"Restore line_items to the submitted items; to move other subscriptions, ask the target partner for a new transfer request.",
				state.ID.ValueString(), status, strings.Join(sortedKeys(have), ", ")))
	}
}

// checkSourceDoesNotSetCreateInputs rejects create-time inputs in an adopted
// (source-side) configuration that differ from the request: the source
// cannot recreate the target's request.
func (r *transferResource) checkSourceDoesNotSetCreateInputs(config, state transferResourceModel, resp *resource.ModifyPlanResponse) {
	inputs := map[string][2]types.String{
		"source_partner_tenant_id": {config.SourcePartnerTenantID, state.SourcePartnerTenantID},
		"source_partner_name":      {config.SourcePartnerName, state.SourcePartnerName},
		"customer_email":           {config.CustomerEmail, state.CustomerEmail},
		"customer_name":            {config.CustomerName, state.CustomerName},
		"target_partner_tenant_id": {config.TargetPartnerTenantID, state.TargetPartnerTenantID},
		"target_partner_email":     {config.TargetPartnerEmail, state.TargetPartnerEmail},
		"partner_of_record":        {config.PartnerOfRecord, state.PartnerOfRecord},
		"transaction_reseller_id":  {config.TransactionResellerID, state.TransactionResellerID},
	}
	for _, name := range sortedKeys(inputs) {
		c, s := inputs[name][0], inputs[name][1]
		if c.IsNull() || c.IsUnknown() || c.ValueString() == s.ValueString() {
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root(name), "Argument belongs to the target partner",
			fmt.Sprintf("%s is set by the target partner when it creates the request (it is %q on Partner Center). As the source partner you "+
				"cannot change it; remove %s from this configuration.", name, s.ValueString(), name))
	}
	if !config.TransferType.IsNull() && !config.TransferType.IsUnknown() && config.TransferType.ValueInt64() != state.TransferType.ValueInt64() {
		resp.Diagnostics.AddAttributeError(path.Root("transfer_type"), "Argument belongs to the target partner",
			"transfer_type is chosen by the target partner when it creates the request; remove it from the source partner's configuration.")
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
	if reason := cancelImpossible(transferFromState(state)); reason != "" {
		resp.Diagnostics.AddWarning("Destroy will not cancel this transfer",
			fmt.Sprintf("Transfer %s will only be removed from Terraform state, because %s. The transfer itself is untouched.", state.ID.ValueString(), reason))
	}
}

// setState writes t into state, keeping the resource-only arguments of
// model (wait_for_completion, timeouts).
func (r *transferResource) setState(ctx context.Context, st stateSetter, t *partnercenter.Transfer, model transferResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	priorKeys := []string(nil)
	if have, d := lineItemProductTypes(ctx, model.LineItems); d == nil {
		priorKeys = sortedKeys(have)
	}
	flat, d := flattenTransfer(ctx, t, model.CustomerID.ValueString(), priorKeys)
	diags.Append(d...)
	flat, d = keepConfiguredInputs(ctx, model.transferModel, flat)
	diags.Append(d...)
	out := transferResourceModel{transferModel: flat, WaitForCompletion: model.WaitForCompletion, Timeouts: model.Timeouts}
	if out.WaitForCompletion.IsNull() || out.WaitForCompletion.IsUnknown() {
		out.WaitForCompletion = types.BoolValue(true)
	}
	// Keep the customer id as the user wrote it when the service echoes
	// another case of the same GUID.
	if !strings.EqualFold(out.CustomerID.ValueString(), model.CustomerID.ValueString()) {
		out.CustomerID = model.CustomerID
	}
	diags.Append(st.Set(ctx, &out)...)
	return diags
}

// unknownLineItemDetails plans line items whose product types are known and
// whose service-filled details will change during the apply.
func unknownLineItemDetails(productTypes map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(productTypes))
	for id, pt := range productTypes {
		attrs := make(map[string]attr.Value, len(lineItemAttrTypes))
		for name, typ := range lineItemAttrTypes {
			attrs[name] = unknownOf(typ)
		}
		attrs["product_type"] = types.StringValue(pt)
		elems[id] = types.ObjectValueMust(lineItemAttrTypes, attrs)
	}
	return types.MapValueMust(lineItemObjectType, elems)
}

func unknownOf(t attr.Type) attr.Value {
	switch t := t.(type) {
	case types.ListType:
		return types.ListUnknown(t.ElemType)
	case basetypes.Int64Type:
		return types.Int64Unknown()
	default:
		return types.StringUnknown()
	}
}

type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// waitForCompletion polls until a terminal status, the timeout, or an
// interrupt. It returns the latest known transfer, re-read on a context that
// is not cancelled when the wait was cut short; nil only when no read
// succeeded at all (the state then keeps what it had).
func (r *transferResource) waitForCompletion(ctx context.Context, customerID, transferID string, current *partnercenter.Transfer, status string, submittedAt time.Time, timeout time.Duration, diags *diag.Diagnostics) *partnercenter.Transfer {
	poll := func(ctx context.Context) (wait.Observation[*partnercenter.Transfer], error) {
		t, err := r.data.client.GetTransfer(ctx, customerID, transferID)
		if err != nil {
			return wait.Observation[*partnercenter.Transfer]{}, err
		}
		return wait.Observation[*partnercenter.Transfer]{Value: t, Status: t.Status, Done: partnercenter.IsTerminal(t.Status)}, nil
	}
	onChange := func(o wait.Observation[*partnercenter.Transfer]) {
		tflog.Info(ctx, "transfer status changed", map[string]any{"transfer_id": transferID, "status": o.Status})
	}
	last, polls, err := wait.Until(ctx, r.data.poller, submittedAt,
		wait.Observation[*partnercenter.Transfer]{Value: current, Status: status}, poll, onChange)
	tflog.Debug(ctx, "wait for transfer finished", map[string]any{"transfer_id": transferID, "polls": polls, "status": last.Status})
	if err == nil {
		return last.Value
	}
	latest := last.Value
	recoveryCtx, cancelRecovery := detached(ctx)
	defer cancelRecovery()
	if fresh, getErr := r.data.client.GetTransfer(recoveryCtx, customerID, transferID); getErr == nil {
		latest = fresh
	}
	if latest != nil {
		status = latest.Status
		if partnercenter.IsTerminal(status) {
			return latest
		}
	}
	switch {
	case errors.Is(err, wait.ErrTimeout):
		diags.AddError("Timed out waiting for the transfer to complete",
			fmt.Sprintf("Transfer %s is still %s after %s (timeouts.update). It was submitted and Partner Center keeps processing it (this can take up to 72 hours). "+
				"Its current status is saved in state; run terraform apply again to resume waiting (nothing is submitted twice), raise timeouts.update, "+
				"or set wait_for_completion = false to return without waiting.", transferID, status, timeout))
	case ctx.Err() != nil:
		diags.AddError("Wait for the transfer was interrupted",
			fmt.Sprintf("Transfer %s was submitted and is %s. Its current status is saved in state; run terraform apply again to resume waiting "+
				"(nothing is submitted twice).", transferID, status))
	default:
		addAPIError(diags, path.Empty(), fmt.Sprintf("Cannot poll transfer %s (status %s); run terraform apply again to resume waiting", transferID, status), err)
	}
	return latest
}

// findLostCreate looks for a transfer this call created but whose response
// was lost. Errors that prove nothing was created (every attempt refused
// with a 4xx) skip the search.
func (r *transferResource) findLostCreate(ctx context.Context, customerID string, body partnercenter.CreateTransferRequest, started time.Time, createErr error) *partnercenter.Transfer {
	if partnercenter.Refused(createErr) {
		return nil
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	// Parallel creates of identical requests (count, for_each) all match
	// the search: let the others get their answers and claim their own
	// transfers first, then claim one nobody holds.
	settleCtx, cancelSettle := context.WithTimeout(ctx, recoveryTimeout/3)
	createClaims.settle(settleCtx, customerID)
	cancelSettle()
	var candidates []partnercenter.Transfer
	err := r.data.client.ListTransfers(ctx, customerID, func(t partnercenter.Transfer) error {
		if t.Status != partnercenter.StatusPending || !strings.EqualFold(t.SourcePartnerTenantID, body.SourcePartnerTenantID) ||
			!sameEcho(body.CustomerEmailID, t.CustomerEmailID) || t.TransferDirection == partnercenter.DirectionOutgoing {
			return nil
		}
		// Allow for clock skew between this machine and the service.
		if t.CreatedTime != nil && t.CreatedTime.Before(started.Add(-5*time.Minute)) {
			return nil
		}
		candidates = append(candidates, t)
		return nil
	})
	if err != nil {
		tflog.Warn(ctx, "could not look for a transfer whose creation was not confirmed", map[string]any{"error": err.Error()})
		return nil
	}
	// Newest first: the lost create is most likely the latest request.
	slices.SortStableFunc(candidates, func(a, b partnercenter.Transfer) int {
		if a.CreatedTime == nil || b.CreatedTime == nil {
			return 0
		}
		return b.CreatedTime.Compare(*a.CreatedTime)
	})
	for i := range candidates {
		if createClaims.claim(candidates[i].ID) {
			return &candidates[i]
		}
	}
	return nil
}

// confirmLostSubmit checks whether a submit whose answer was lost went
// through, by reading the transfer back on a context that is not cancelled.
func (r *transferResource) confirmLostSubmit(ctx context.Context, customerID, transferID string, submitErr error) *partnercenter.Transfer {
	if partnercenter.Refused(submitErr) {
		return nil
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	t, err := r.data.client.GetTransfer(ctx, customerID, transferID)
	if err != nil || !isSubmitted(t) {
		return nil
	}
	return t
}

// isSubmitted reports whether the source partner has submitted t.
func isSubmitted(t *partnercenter.Transfer) bool {
	return t != nil && t.Status != partnercenter.StatusPending && len(t.LineItems) > 0
}

// transferFromState is what the state knows of the transfer, enough to
// decide and send a cancel.
func transferFromState(state transferResourceModel) *partnercenter.Transfer {
	t := &partnercenter.Transfer{
		ID:                    state.ID.ValueString(),
		Status:                state.Status.ValueString(),
		SourcePartnerTenantID: state.SourcePartnerTenantID.ValueString(),
		TargetPartnerTenantID: state.TargetPartnerTenantID.ValueString(),
		CustomerName:          state.CustomerName.ValueString(),
		TransferDirection:     partnercenter.DirectionIncoming,
	}
	if state.TransferDirection.ValueString() == "outgoing" {
		t.TransferDirection = partnercenter.DirectionOutgoing
	}
	return t
}

// cancelImpossible says why a transfer cannot be cancelled by this partner,
// or "" when it can.
func cancelImpossible(t *partnercenter.Transfer) string {
	switch {
	case t.TransferDirection == partnercenter.DirectionOutgoing:
		return "only the target partner that created the request can cancel it, and this is the source partner"
	case t.Status == partnercenter.StatusPending:
		return ""
	case partnercenter.IsCanceled(t.Status):
		return "it is already cancelled"
	case t.Status == partnercenter.StatusExpired:
		return "it expired (an expired request cannot be cancelled)"
	case t.Status == partnercenter.StatusInProgress:
		return "it was already submitted by the source partner and is in progress"
	default:
		return fmt.Sprintf("it is %s (only pending requests can be cancelled)", t.Status)
	}
}

func sameLineItems(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		found := false
		for bk, bv := range b {
			if strings.EqualFold(k, bk) && v == bv {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// submittedTime is when the transfer was submitted: recorded in private
// state by this provider, else the service's last change of a submitted
// transfer, else now. A resumed wait measures its age from it.
func submittedTime(ctx context.Context, private privateGetter, state transferResourceModel) time.Time {
	if raw, d := private.GetKey(ctx, privateSubmittedAt); !d.HasError() && len(raw) > 2 {
		if at, err := time.Parse(time.RFC3339Nano, strings.Trim(string(raw), `"`)); err == nil {
			return at
		}
	}
	if at, err := time.Parse(time.RFC3339, state.LastModifiedTime.ValueString()); err == nil && len(state.LineItems.Elements()) > 0 {
		return at
	}
	return time.Now()
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// detached returns a context that survives the cancellation of ctx (an
// interrupt or an expired timeout) for a short recovery call.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recoveryTimeout)
}

// parseImportID splits "<customer_id>/<transfer_id>".
func parseImportID(id string) (customerID, transferID string, err error) {
	parts := strings.Split(id, "/")
	if len(parts) != 2 || !isGUID(parts[0]) || !isServerID(parts[1]) {
		return "", "", fmt.Errorf("import ID %q must be \"<customer_id>/<transfer_id>\": the customer's GUID, a slash and the transfer's id, "+
			"for example 11111111-1111-1111-1111-111111111111/2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11", id)
	}
	return parts[0], parts[1], nil
}

// describedTimeouts is timeouts.Attributes with a description on the
// timeouts attribute itself, which the module leaves empty.
func describedTimeouts(ctx context.Context, opts timeouts.Opts) schema.Attribute {
	a := timeouts.Attributes(ctx, opts)
	if nested, ok := a.(schema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Limits for operations that may take long, as Go durations (`30s`, `45m`, `72h`)."
		// The module fills only the plain Description of each timeout.
		for name, child := range nested.Attributes {
			if str, ok := child.(schema.StringAttribute); ok && str.MarkdownDescription == "" {
				str.MarkdownDescription = str.Description
				nested.Attributes[name] = str
			}
		}
		return nested
	}
	return a
}

func productTypesMarkdown() string {
	quoted := make([]string, len(partnercenter.ProductTypes))
	for i, p := range partnercenter.ProductTypes {
		quoted[i] = "`" + p + "`"
	}
	return strings.Join(quoted, ", ")
}
