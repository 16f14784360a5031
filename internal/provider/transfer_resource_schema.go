// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

func (r *transferResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Create-time inputs are Optional+Computed: the target partner sets them,
	// while a source partner that adopts the request by import leaves them
	// out and still plans an in-place submit, never a replacement.
	// Their validation and echo rule are transfers.CreateInputs'.
	createInput := func(name, desc string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			Computed:            true,
			MarkdownDescription: desc + " Set by the target partner when creating the request; changing it replaces the request." + inputRuleNote,
			Validators:          []validator.String{inputValidator(name)},
			PlanModifiers:       []planmodifier.String{inputPlan(name)},
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
				MarkdownDescription: "The customer's Microsoft Entra tenant ID (GUID). Changing it in the resource replaces the request.",
				Validators:          []validator.String{guidValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"source_partner_tenant_id": createInput("source_partner_tenant_id", "Tenant ID (GUID) of the source (current, losing) partner. Required when creating; not the nil GUID, and not the provider's own tenant when `target_partner_tenant_id` is unset."),
			"source_partner_name":      createInput("source_partner_name", "Organisation name of the source partner (1 to 256 characters, not only spaces, no control characters). Required when creating."),
			"customer_email":           createInput("customer_email", "E-mail address of the customer contact who receives transfer notifications. Required when creating."),
			"customer_name":            createInput("customer_name", "Customer display name (1 to 256 characters, not only spaces, no control characters). When unset, Partner Center fills in the customer's name, so it is known only after apply."),
			"target_partner_tenant_id": createInput("target_partner_tenant_id", "Tenant ID (GUID) of the target (gaining) partner. Defaults to the calling partner's tenant, which the plan shows."),
			"target_partner_email":     createInput("target_partner_email", "Contact e-mail (or reference text) of the target partner, stored and echoed by Partner Center (1 to 256 characters, no control characters)."),
			"partner_of_record":        createInput("partner_of_record", "PartnerID (MPN ID) to become partner of record of the transferred items; for transfers to an indirect provider."),
			"transaction_reseller_id":  createInput("transaction_reseller_id", "PartnerID (MPN ID) of the indirect reseller, sent as the `TransactionReseller` participant by an indirect provider."),
			"transfer_type": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Partner Center transfer type: `3` (new commerce, the create API's documented value and the default) or `5` " +
					"(NewCommerce on the resource page; also accepted). Changing it replaces the request. The state keeps the configured value when " +
					"Partner Center answers with the other of the two.",
				Validators: []validator.Int64{inputValidator("transfer_type")},
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
					". Unset means all. Changing it replaces the request." + inputRuleNote,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(inputValidator("target_product_types")),
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
					"`Pending` request submits the transfer. Items cannot change after submission. On the target side it is read from Partner Center. " +
					"The submit plan reads the customer's subscriptions once and shows what will move (`friendly_name`, `offer_id`, `quantity`, " +
					"`billing_cycle`, `add_ons`); it fails on `line_items[\"<id>\"]` for a subscription this customer does not have with this partner, " +
					"one that is not active, of another product type, excluded by `target_product_types`, or a request that can no longer be submitted, " +
					"and warns about add-ons, trials, more than 25 items and a request expiring within 7 days. The apply writes the planned values; " +
					"a later refresh shows Partner Center's.",
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
				MarkdownDescription: "Whether submitting waits until Partner Center finishes the transfer (`Complete`, `Failed`). Unset means `true`. " +
					"With `false` the apply returns once the transfer is `InProgress`; later refreshes show the final status. " +
					"A wait cut short by `timeouts.update` or an interrupt is resumed by the next apply; nothing is submitted twice. " +
					"Changing it on a submitted or finished transfer plans only this attribute.",
			},
			"submission_summary": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "What the source partner's submit moves, known in the plan: subscriptions, add-ons, seats, customer, target " +
					"partner and tenant, and that it cannot be undone. Null until this configuration plans a submit; kept afterwards.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"recreate_expired_request": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether a request that expired (30 days without submission) or was cancelled is replaced by a new one on the " +
					"next apply. A new request e-mails the customer again, so the default (unset or `false`) plans no change and warns; set " +
					"`true` to re-request, or run `terraform apply -replace=<address>` once.",
			},
			"adopt_orphaned_request": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether creating this resource may adopt an existing request instead of sending a new one (default `false`). " +
					"By default a create never takes a request it did not make: the plan lists the customer's requests and, when a `Pending` " +
					"request this partner made with the same `source_partner_tenant_id`, `source_partner_name`, `customer_email`, " +
					"`target_partner_email` and `partner_of_record` exists that no resource of this state holds, names it with the `import` " +
					"block that adopts it (an error when the plan refreshed the state, a warning when it could not tell, as with an empty state " +
					"or `-refresh=false`). `true` adopts such a request automatically, with a warning naming it. **Risk:** the request may be " +
					"managed by another workspace, which then shares it with this one (its destroy cancels the request this resource holds), " +
					"and the apply, which Terraform plans again without refreshing, cannot see which requests other resources of this " +
					"configuration hold. Use `true` only in automation that is the only manager of the customer's requests and declares each " +
					"set of inputs once. See \"Adopting a request after a hard kill\" below.",
			},
			"timeouts": describedTimeouts(ctx, timeouts.Opts{
				Create:            true,
				Read:              true,
				Update:            true,
				Delete:            true,
				CreateDescription: "How long creating the request may take, including retries of throttled calls (default `10m`).",
				ReadDescription:   "How long one refresh of the transfer may take, including retries of throttled calls (default `5m`).",
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
