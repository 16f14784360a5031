// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource              = (*customerSubscriptionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*customerSubscriptionsDataSource)(nil)
)

// subscriptionStatuses are the values the status filter accepts.
var subscriptionStatuses = []string{
	partnercenter.SubscriptionActive, partnercenter.SubscriptionPending, partnercenter.SubscriptionSuspended,
	partnercenter.SubscriptionExpired, partnercenter.SubscriptionDisabled, partnercenter.SubscriptionDeleted,
}

// NewCustomerSubscriptionsDataSource returns partnercenter_customer_subscriptions.
func NewCustomerSubscriptionsDataSource() datasource.DataSource {
	return &customerSubscriptionsDataSource{}
}

type customerSubscriptionsDataSource struct {
	data *providerData
}

type customerSubscriptionsModel struct {
	CustomerID    types.String `tfsdk:"customer_id"`
	Status        types.String `tfsdk:"status"`
	ProductTypes  types.Set    `tfsdk:"product_types"`
	IncludeAddOns types.Bool   `tfsdk:"include_add_ons"`
	Subscriptions types.List   `tfsdk:"subscriptions"`
	IDs           types.List   `tfsdk:"ids"`
}

var subscriptionAttrTypes = map[string]attr.Type{
	"id":                     types.StringType,
	"friendly_name":          types.StringType,
	"offer_id":               types.StringType,
	"offer_name":             types.StringType,
	"product_type":           types.StringType,
	"quantity":               types.Int64Type,
	"billing_cycle":          types.StringType,
	"term_duration":          types.StringType,
	"status":                 types.StringType,
	"commitment_end_date":    types.StringType,
	"auto_renew_enabled":     types.BoolType,
	"is_trial":               types.BoolType,
	"parent_subscription_id": types.StringType,
	"add_on_ids":             types.ListType{ElemType: types.StringType},
}

func (d *customerSubscriptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_subscriptions"
}

func (d *customerSubscriptionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the subscriptions the configured partner holds for one customer " +
			"(`GET /v1/customers/{customer_id}/subscriptions`, one request). A source partner chooses a transfer's " +
			"`line_items` from it instead of hard-coding subscription IDs, for example every active new-commerce license.\n\n" +
			"Subscriptions keep Partner Center's order: each base subscription, then its add-ons. Add-ons transfer with their " +
			"base subscription, so a transfer's `line_items` names base subscriptions only (`include_add_ons = false`).",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The customer's Microsoft Entra tenant ID (GUID).",
				Validators:          []validator.String{guidValidator()},
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only subscriptions in this status: `active`, `pending`, `suspended`, `expired`, `disabled` or `deleted`. " +
					"Only active subscriptions can be transferred.",
				Validators: []validator.String{stringvalidator.OneOf(subscriptionStatuses...)},
			},
			"product_types": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Only subscriptions of these transfer product types (`" + strings.Join(partnercenter.ProductTypes, "`, `") +
					"`), the vocabulary of a transfer's `line_items[*].product_type`. Legacy subscriptions (no product type) never match.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(partnercenter.ProductTypes...))},
			},
			"include_add_ons": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether add-on subscriptions (those with a `parent_subscription_id`) are listed. Default `true`. " +
					"Set `false` to choose transfer line items: add-ons move with their base.",
			},
			"subscriptions": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching subscriptions. Absent values are null. An empty list when nothing matches.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":            str("Subscription ID: the key of a transfer's `line_items`."),
					"friendly_name": str("Partner-set display name."),
					"offer_id":      str("Offer ID; new commerce: `productId:skuId:availabilityId`."),
					"offer_name":    str("Catalog offer name."),
					"product_type": str("Transfer product type (`OnlineServicesNCE`, `AzureSubscription`, `AzureReservation`, " +
						"`AzureSavingsPlan`, `Software`, `SaaS`), mapped from the subscription's product type; null for legacy subscriptions, " +
						"which new-commerce transfers cannot move."),
					"quantity":               schema.Int64Attribute{Computed: true, MarkdownDescription: "Seats (1 for Azure plans and savings plans)."},
					"billing_cycle":          str("Billing cycle: `monthly`, `annual`, `triennial`, `one_time`, `none`."),
					"term_duration":          str("Term as an ISO 8601 duration: `P1M`, `P1Y`, `P3Y`."),
					"status":                 str("Status: `active`, `pending`, `suspended`, `expired`, `disabled` or `deleted`."),
					"commitment_end_date":    str("End of the current term, as Partner Center sends it (ISO 8601)."),
					"auto_renew_enabled":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the term renews automatically."},
					"is_trial":               schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether this is a trial."},
					"parent_subscription_id": str("For an add-on, its base subscription's ID; null otherwise."),
					"add_on_ids": schema.ListAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "For a base subscription, the IDs of its add-ons (they move with it in a transfer), whatever `include_add_ons` says."},
				}},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "IDs of the matching subscriptions, in the order of `subscriptions`.",
			},
		},
	}
}

func (d *customerSubscriptionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customerSubscriptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config customerSubscriptionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	filter := subscriptionFilter{status: config.Status.ValueString(), includeAddOns: config.IncludeAddOns.IsNull() || config.IncludeAddOns.ValueBool()}
	if !config.ProductTypes.IsNull() {
		resp.Diagnostics.Append(config.ProductTypes.ElementsAs(ctx, &filter.productTypes, false)...)
	}
	customerID := config.CustomerID.ValueString()
	subs, err := d.data.subscriptionsOf(ctx, customerID) // shared with the submit checks of this plan
	if err != nil {
		addSubscriptionListError(&resp.Diagnostics, customerID, err)
		return
	}
	objs, ids, diags := flattenSubscriptions(subs, filter)
	resp.Diagnostics.Append(diags...)
	tflog.Debug(ctx, "listed subscriptions", map[string]any{"customer_id": customerID, "listed": len(subs), "matched": len(ids.Elements())})
	if resp.Diagnostics.HasError() {
		return
	}
	config.Subscriptions, config.IDs = objs, ids
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// listCustomerSubscriptions reads every subscription the partner holds for
// the customer (one request unless the service pages).
func listCustomerSubscriptions(ctx context.Context, client *partnercenter.Client, customerID string) ([]partnercenter.Subscription, error) {
	var subs []partnercenter.Subscription
	err := client.ListSubscriptions(ctx, customerID, func(s partnercenter.Subscription) error {
		subs = append(subs, s)
		return nil
	})
	return subs, err
}

func addSubscriptionListError(diags *diag.Diagnostics, customerID string, err error) {
	apiErr, _ := partnercenter.AsAPIError(err)
	switch {
	case partnercenter.IsForbidden(err) && apiErr.Code == "20002":
		addAPIError(diags, path.Root("customer_id"), fmt.Sprintf("No reseller relationship with customer %s", customerID), err)
	case partnercenter.IsForbidden(err) || partnercenter.IsNotFound(err):
		addAPIError(diags, path.Root("customer_id"), fmt.Sprintf("Cannot read the subscriptions of customer %s", customerID), err)
	default:
		addAPIError(diags, path.Empty(), fmt.Sprintf("Cannot list the subscriptions of customer %s", customerID), err)
	}
}

// subscriptionFilter holds the data source's optional filters.
type subscriptionFilter struct {
	status        string
	productTypes  []string
	includeAddOns bool
}

func (f subscriptionFilter) matches(s *partnercenter.Subscription) bool {
	switch {
	case f.status != "" && !strings.EqualFold(s.Status, f.status):
		return false
	case len(f.productTypes) > 0 && !slices.Contains(f.productTypes, s.TransferProductType()):
		return false
	case !f.includeAddOns && s.IsAddOn():
		return false
	}
	return true
}

// flattenSubscriptions builds the subscriptions and ids lists; add_on_ids
// come from the whole list, so filtering add-ons out still shows them.
func flattenSubscriptions(subs []partnercenter.Subscription, f subscriptionFilter) (types.List, types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	addOns := map[string][]attr.Value{}
	for _, s := range subs {
		if s.IsAddOn() {
			parent := strings.ToLower(s.ParentSubscriptionID)
			addOns[parent] = append(addOns[parent], types.StringValue(s.ID))
		}
	}
	objs := make([]attr.Value, 0, len(subs))
	ids := make([]attr.Value, 0, len(subs))
	for i := range subs {
		s := &subs[i]
		if !f.matches(s) {
			continue
		}
		addOnIDs, d := types.ListValue(types.StringType, append([]attr.Value{}, addOns[strings.ToLower(s.ID)]...))
		diags.Append(d...)
		obj, d := types.ObjectValue(subscriptionAttrTypes, map[string]attr.Value{
			"id":                     types.StringValue(s.ID),
			"friendly_name":          stringOrNull(s.FriendlyName),
			"offer_id":               stringOrNull(s.OfferID),
			"offer_name":             stringOrNull(s.OfferName),
			"product_type":           stringOrNull(s.TransferProductType()),
			"quantity":               types.Int64Value(s.Quantity),
			"billing_cycle":          stringOrNull(s.BillingCycle),
			"term_duration":          stringOrNull(s.TermDuration),
			"status":                 stringOrNull(s.Status),
			"commitment_end_date":    stringOrNull(s.CommitmentEndDate),
			"auto_renew_enabled":     types.BoolValue(s.AutoRenewEnabled),
			"is_trial":               types.BoolValue(s.IsTrial),
			"parent_subscription_id": stringOrNull(s.ParentSubscriptionID),
			"add_on_ids":             addOnIDs,
		})
		diags.Append(d...)
		objs = append(objs, obj)
		ids = append(ids, types.StringValue(s.ID))
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: subscriptionAttrTypes}, objs)
	diags.Append(d...)
	idList, d := types.ListValue(types.StringType, ids)
	diags.Append(d...)
	return list, idList, diags
}
