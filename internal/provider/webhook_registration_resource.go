// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/loopback"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ resource.Resource                = (*webhookRegistrationResource)(nil)
	_ resource.ResourceWithConfigure   = (*webhookRegistrationResource)(nil)
	_ resource.ResourceWithImportState = (*webhookRegistrationResource)(nil)
	_ resource.ResourceWithIdentity    = (*webhookRegistrationResource)(nil)
	// ValidateConfig is in webhook_registration_validation.go.
	_ resource.ResourceWithValidateConfig = (*webhookRegistrationResource)(nil)
)

// webhookRegistrationID is the resource ID and import ID: a partner has
// exactly one registration, so there is nothing else to name.
const webhookRegistrationID = "webhook-registration"

// otherWebhookEvents are the non-transfer event names Partner Center
// documents for webhook registrations (partner-center-webhook-events).
var otherWebhookEvents = []string{
	"test-created",
	"subscription-updated",
	"usagerecords-thresholdExceeded",
	"referral-created",
	"referral-updated",
	"related-referral-created",
	"related-referral-updated",
	"granular-admin-relationship-approved",
	"granular-admin-relationship-activated",
	"granular-admin-relationship-terminated",
	"granular-admin-relationship-expired",
	"granular-admin-access-assignment-created",
	"granular-admin-access-assignment-activated",
	"granular-admin-access-assignment-updated",
	"granular-admin-access-assignment-deleted",
	"reseller-relationship-accepted-by-customer",
	"dap-admin-relationship-approved",
	"dap-admin-relationship-terminated",
	"dap-admin-relationship-terminated-by-microsoft",
	"azure-fraud-event-detected",
	"invoice-ready",
}

// knownWebhookEvents is what `events` accepts: the transfer events, then
// the other documented names.
var knownWebhookEvents = append(slices.Clone(partnercenter.TransferEvents), otherWebhookEvents...)

// NewWebhookRegistrationResource returns the partnercenter_webhook_registration resource.
func NewWebhookRegistrationResource() resource.Resource { return &webhookRegistrationResource{} }

type webhookRegistrationResource struct {
	data *providerData
}

type webhookRegistrationModel struct {
	ID           types.String `tfsdk:"id"`
	URL          types.String `tfsdk:"url"`
	Events       types.Set    `tfsdk:"events"`
	SubscriberID types.String `tfsdk:"subscriber_id"`
	// ValidateDelivery and ValidationCorrelationID: see
	// webhook_registration_validation.go.
	ValidateDelivery        types.Bool   `tfsdk:"validate_delivery"`
	ValidationCorrelationID types.String `tfsdk:"validation_correlation_id"`
}

func (r *webhookRegistrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_registration"
}

func (r *webhookRegistrationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The partner's Partner Center webhook registration: the URL Partner Center POSTs event notifications to, and which events.\n\n" +
			"Transfer events: `create-transfer` (a request was created), `update-transfer` (submitted, canceled or expired), " +
			"`complete-transfer` and `fail-transfer`. Each notification names the customer and, in its `AuditUri`, the transfer; " +
			"it is signed (`Authorization: Signature ...`, `X-MS-Certificate-Url`, `X-MS-Signature-Algorithm: rsa-sha256`).\n\n" +
			"There is **one registration per partner** (the tenant the provider authenticates as). Creating this resource when the partner " +
			"already has a registration fails; import the existing one with the ID `" + webhookRegistrationID + "` instead. " +
			"Destroying the resource deletes the registration.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Always `" + webhookRegistrationID + "`: a partner has exactly one registration. Also the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"url": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The HTTPS URL Partner Center POSTs events to. `http://` is accepted only for loopback hosts " +
					"(`localhost`, `127.0.0.1`, `::1`), for local receivers in tests and rehearsals. " +
					"If the URL carries a key (for example in its query string), pass it from a sensitive variable.",
				Validators: []validator.String{webhookURLValidator{}},
			},
			"events": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Event names to receive, at least one. Transfer events: " + codeList(partnercenter.TransferEvents) +
					". Other documented Partner Center events: " + codeList(otherWebhookEvents) +
					". The `partnercenter_webhook_events` data source lists what the service offers.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(knownWebhookEvents...)),
				},
			},
			"subscriber_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The `SubscriberId` (GUID) Partner Center assigned to the registration.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"validate_delivery": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "When `true`, every create and update ends with Partner Center's validation: it sends a signed `test-created` " +
					"event to `url` (`POST /webhooks/v1/registration/validationEvents`), and the apply waits for the first delivery attempt and fails, " +
					"naming the receiver's answer, unless it was 2xx. `events` must then include `test-created`. Partner Center allows 2 test " +
					"events per minute per partner. A failed check on create leaves the resource tainted, so the next apply registers and tests again; " +
					"after a failed update, fix the receiver and apply with `-replace`. Default `false`.",
			},
			"validation_correlation_id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The correlation ID of the last validation event this resource sent (with `validate_delivery`), " +
					"for reading its delivery attempts (`GET /webhooks/v1/registration/validationEvents/{id}`) or for Microsoft support; " +
					"null when none was sent.",
			},
		},
	}
}

func (r *webhookRegistrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *webhookRegistrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer func() { resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...) }()
	ctx, cancel := withCallDeadline(ctx, r.data)
	defer cancel()
	var plan webhookRegistrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, diags := expandWebhookRegistration(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.data.client.CreateWebhookRegistration(ctx, want)
	if err != nil {
		created = r.recoverCreate(ctx, want, err, &resp.Diagnostics)
		if created == nil {
			return
		}
	}
	tflog.Info(ctx, "registered webhook", map[string]any{"subscriber_id": created.SubscriberID, "events": created.WebhookEvents})
	plan.ValidationCorrelationID = types.StringNull()
	if plan.ValidateDelivery.ValueBool() {
		// The state is saved even when the check fails: the registration exists.
		plan.ValidationCorrelationID = r.validateDelivery(ctx, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(setWebhookRegistrationState(ctx, &resp.State, created, plan)...)
}

func (r *webhookRegistrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer func() { resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...) }()
	ctx, cancel := withCallDeadline(ctx, r.data)
	defer cancel()
	var state webhookRegistrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.data.client.GetWebhookRegistration(ctx)
	if partnercenter.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Webhook registration no longer exists",
			"Partner Center has no webhook registration for this partner any more (it was deleted outside Terraform); "+
				"it has been removed from state and the next apply registers it again.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot read the webhook registration", err)
		return
	}
	resp.Diagnostics.Append(setWebhookRegistrationState(ctx, &resp.State, got, state)...)
}

func (r *webhookRegistrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer func() { resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...) }()
	ctx, cancel := withCallDeadline(ctx, r.data)
	defer cancel()
	var plan, state webhookRegistrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, diags := expandWebhookRegistration(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	updated, err := r.data.client.UpdateWebhookRegistration(ctx, want)
	if partnercenter.IsNotFound(err) {
		// Deleted between the refresh and this apply: what the
		// configuration asks for is a registration, so make one.
		resp.Diagnostics.AddWarning("Webhook registration was deleted meanwhile",
			"The registration disappeared after the plan was made; it has been registered again with the planned settings and a new subscriber_id.")
		updated, err = r.data.client.CreateWebhookRegistration(ctx, want)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot update the webhook registration", err)
		return
	}
	tflog.Info(ctx, "updated webhook registration", map[string]any{"subscriber_id": updated.SubscriberID, "events": updated.WebhookEvents})
	prior := plan
	prior.SubscriberID = state.SubscriberID
	prior.ValidationCorrelationID = types.StringNull()
	if plan.ValidateDelivery.ValueBool() {
		prior.ValidationCorrelationID = r.validateDelivery(ctx, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(setWebhookRegistrationState(ctx, &resp.State, updated, prior)...)
}

func (r *webhookRegistrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := withCallDeadline(ctx, r.data)
	defer cancel()
	if err := r.data.client.DeleteWebhookRegistration(ctx); err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot delete the webhook registration", err)
		return
	}
	tflog.Info(ctx, "deleted webhook registration")
}

func (r *webhookRegistrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		r.importByIdentity(ctx, req, resp)
		return
	}
	if req.ID != webhookRegistrationID {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import the webhook registration with the ID %q, not %q. A partner has exactly one registration, so there is nothing "+
				"else to name; the provider configuration (its tenant) selects the partner.", webhookRegistrationID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), webhookRegistrationID)...)
}

// IdentitySchema names the registration by the partner tenant it belongs to:
// a partner has exactly one, so the tenant is all an identity needs.
func (r *webhookRegistrationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"tenant_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The partner's Microsoft Entra tenant ID (GUID): the tenant the provider authenticates as.",
			},
		},
	}
}

// webhookRegistrationIdentityModel is the identity object.
type webhookRegistrationIdentityModel struct {
	TenantID types.String `tfsdk:"tenant_id"`
}

// setIdentity records the configured tenant as the identity. identity is nil
// on CLIs without identity support (Terraform < 1.12), and the state is null
// after RemoveResource. An identity set by an import is kept as it is.
func (r *webhookRegistrationResource) setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	// The identity is the tenant, not read from state: a removed
	// registration keeps it too (the framework refuses a read without one).
	if identity == nil || r.data == nil {
		return nil
	}
	var diags diag.Diagnostics
	if r.data.tenantID == "" {
		var current webhookRegistrationIdentityModel
		if diags.Append(identity.Get(ctx, &current)...); current.TenantID.ValueString() != "" {
			return diags
		}
		diags.AddAttributeError(path.Root("tenant_id"), "Partner tenant unknown",
			"The webhook registration's identity is the partner's tenant ID, and this provider configuration does not say which tenant it is "+
				"(access_token without tenant_id, and the token carries no tid claim). Set tenant_id (or PARTNERCENTER_TENANT_ID) in the provider configuration.")
		return diags
	}
	diags.Append(identity.Set(ctx, webhookRegistrationIdentityModel{TenantID: types.StringValue(r.data.tenantID)})...)
	return diags
}

// importByIdentity handles `import { identity = { tenant_id = ... } }`. The
// provider can only reach its own tenant's registration, so a different
// tenant is refused rather than silently importing another partner's.
func (r *webhookRegistrationResource) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var id webhookRegistrationIdentityModel
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := id.TenantID.ValueString()
	if !isGUID(want) {
		resp.Diagnostics.AddAttributeError(path.Root("tenant_id"), "Invalid import identity",
			fmt.Sprintf("identity.tenant_id must be the partner's tenant ID (a GUID), not %q.", want))
		return
	}
	if r.data != nil && r.data.tenantID != "" && !strings.EqualFold(r.data.tenantID, want) {
		resp.Diagnostics.AddAttributeError(path.Root("tenant_id"), "Import identity names another partner",
			fmt.Sprintf("identity.tenant_id is %s, but this provider configuration authenticates as tenant %s and can only import "+
				"that partner's webhook registration. Use a provider configuration for tenant %s, or correct tenant_id.", want, r.data.tenantID, want))
		return
	}
	if r.data != nil && r.data.tenantID != "" {
		want = r.data.tenantID // the spelling Read records, so the identity does not change on refresh
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), webhookRegistrationID)...)
	resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("tenant_id"), want)...)
}

// recoverCreate handles a failed POST. A registration this apply made but
// whose answer was lost (a timeout, or a retried POST that the service
// answered 409) is adopted when it matches the plan; any other existing
// registration is reported with how to import it. It returns nil after
// adding an error.
func (r *webhookRegistrationResource) recoverCreate(ctx context.Context, want partnercenter.WebhookRegistration, err error, diags *diag.Diagnostics) *partnercenter.WebhookRegistration {
	apiErr, isAPIError := partnercenter.AsAPIError(err)
	conflict := partnercenter.IsConflict(err)
	maybeOurs := !isAPIError || (conflict && apiErr.Attempts > 1)
	if !conflict && !maybeOurs {
		addAPIError(diags, path.Empty(), "Cannot register the webhook", err)
		return nil
	}
	recoveryCtx, cancel := detached(ctx)
	defer cancel()
	existing, getErr := r.data.client.GetWebhookRegistration(recoveryCtx)
	if getErr == nil && maybeOurs && sameWebhookRegistration(*existing, want) {
		diags.AddWarning("Recovered a webhook registration whose creation was not confirmed",
			fmt.Sprintf("Registering failed (%s), but a registration with exactly this url and these events exists and has been recorded in state.", err))
		return existing
	}
	if conflict {
		detail := "This partner already has a webhook registration, and a partner can have only one."
		if getErr == nil {
			detail += fmt.Sprintf(" It sends %s to %s (subscriber_id %s).", strings.Join(existing.WebhookEvents, ", "), existing.WebhookURL, existing.SubscriberID)
		}
		diags.AddError("Webhook registration already exists", detail+
			"\n\nTo manage it with Terraform, import it (then apply to change it to this configuration):\n\n"+
			"import {\n  to = partnercenter_webhook_registration.<name>\n  id = \""+webhookRegistrationID+"\"\n}\n\n"+describeError(err))
		return nil
	}
	addAPIError(diags, path.Empty(), "Cannot register the webhook", err)
	return nil
}

// expandWebhookRegistration turns the plan into the request body.
func expandWebhookRegistration(ctx context.Context, m webhookRegistrationModel) (partnercenter.WebhookRegistration, diag.Diagnostics) {
	var events []string
	diags := m.Events.ElementsAs(ctx, &events, false)
	slices.Sort(events) // A stable order keeps requests and logs reproducible.
	return partnercenter.WebhookRegistration{WebhookURL: m.URL.ValueString(), WebhookEvents: events}, diags
}

// setWebhookRegistrationState writes the service's view. The service may
// leave SubscriberId out of some answers; then the known one is kept.
func setWebhookRegistrationState(ctx context.Context, state *tfsdk.State, got *partnercenter.WebhookRegistration, prior webhookRegistrationModel) diag.Diagnostics {
	events, diags := types.SetValueFrom(ctx, types.StringType, got.WebhookEvents)
	if diags.HasError() {
		return diags
	}
	out := webhookRegistrationModel{
		ID:           types.StringValue(webhookRegistrationID),
		URL:          types.StringValue(got.WebhookURL),
		Events:       events,
		SubscriberID: types.StringValue(got.SubscriberID),
		// Configuration and this resource's own record, not the service's.
		ValidateDelivery:        prior.ValidateDelivery,
		ValidationCorrelationID: prior.ValidationCorrelationID,
	}
	if out.ValidationCorrelationID.IsUnknown() {
		out.ValidationCorrelationID = types.StringNull()
	}
	if got.SubscriberID == "" {
		out.SubscriberID = prior.SubscriberID
		if out.SubscriberID.IsUnknown() {
			out.SubscriberID = types.StringNull()
		}
	}
	diags.Append(state.Set(ctx, &out)...)
	return diags
}

func sameWebhookRegistration(a, b partnercenter.WebhookRegistration) bool {
	if a.WebhookURL != b.WebhookURL {
		return false
	}
	x, y := slices.Clone(a.WebhookEvents), slices.Clone(b.WebhookEvents)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// codeList renders names as a Markdown list of code spans: `a`, `b`.
func codeList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	return strings.Join(quoted, ", ")
}

// webhookURLValidator requires an absolute https URL, or http for a
// loopback host (a local receiver), at plan time.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "value must be an absolute https URL; http is accepted only for loopback hosts (localhost, 127.0.0.1, ::1)"
}

func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := webhookURLProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid webhook URL", problem)
	}
}

// webhookURLProblem explains what is wrong with raw, or returns "". The
// URL is shown without its query string, which may hold a key.
func webhookURLProblem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Hostname() == "" {
		return fmt.Sprintf("%q is not an absolute URL. Write the full address Partner Center should POST to, such as https://hooks.example.com/partnercenter.", withoutQuery(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return ""
	case "http":
		if loopback.Host(u.Hostname()) {
			return ""
		}
		return fmt.Sprintf("%q uses http. Partner Center delivers events only over https; http is accepted only for loopback hosts "+
			"(localhost, 127.0.0.1, ::1), i.e. a receiver on the machine running the local emulator.", withoutQuery(raw))
	default:
		return fmt.Sprintf("%q uses the %q scheme; webhook URLs must use https.", withoutQuery(raw), u.Scheme)
	}
}

func withoutQuery(raw string) string {
	if before, _, found := strings.Cut(raw, "?"); found {
		return before + "?…"
	}
	return raw
}
