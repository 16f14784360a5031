// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource              = (*transferDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*transferDataSource)(nil)
)

// NewTransferDataSource returns the partnercenter_transfer data source.
func NewTransferDataSource() datasource.DataSource { return &transferDataSource{} }

type transferDataSource struct {
	data *providerData
}

func (d *transferDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer"
}

func (d *transferDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := transferDataSourceAttributes()
	attrs["id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "The transfer ID assigned by Partner Center (a GUID in every example; any other form it assigns is accepted).",
		Validators:          []validator.String{serverIDValidator()},
	}
	attrs["customer_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "The customer's Microsoft Entra tenant ID (GUID).",
		Validators:          []validator.String{guidValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one partner-to-partner transfer of a customer, as the configured partner sees it " +
			"(`transfer_direction` is `incoming` for the target partner, `outgoing` for the source partner). " +
			"It exposes the same fields as the `partnercenter_transfer` resource, line items included. " +
			"Reading a transfer that does not exist, or that the configured partner is neither source nor target of, is an error.",
		Attributes: attrs,
	}
}

func (d *transferDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *transferDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := withCallDeadline(ctx)
	defer cancel()
	var config transferModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	customerID, transferID := config.CustomerID.ValueString(), config.ID.ValueString()
	t, err := d.data.client.GetTransfer(ctx, customerID, transferID)
	if err != nil {
		addTransferReadError(&resp.Diagnostics, customerID, transferID, err)
		return
	}
	flat, diags := flattenTransfer(ctx, t, customerID, nil)
	resp.Diagnostics.Append(diags...)
	// Keep both ids as written, so a service that echoes another letter
	// case does not make Terraform report an inconsistent result.
	flat.CustomerID, flat.ID = config.CustomerID, config.ID
	resp.Diagnostics.Append(resp.State.Set(ctx, &flat)...)
}

// dataSourceConfigured reports an error when a read runs without a
// configured provider.
func dataSourceConfigured(data *providerData, diags *diag.Diagnostics) bool {
	if data != nil && data.client != nil {
		return true
	}
	diags.AddError("Provider not configured", "The partnercenter provider was not configured before reading this data source. Please report this issue.")
	return false
}

// addTransferReadError explains a failed read of one transfer (transferID
// set) or of a customer's transfer list (transferID empty).
func addTransferReadError(diags *diag.Diagnostics, customerID, transferID string, err error) {
	apiErr, _ := partnercenter.AsAPIError(err)
	switch {
	case partnercenter.IsForbidden(err) && apiErr.Code == "20002":
		addAPIError(diags, path.Root("customer_id"),
			fmt.Sprintf("No reseller relationship with customer %s", customerID), err)
	case partnercenter.IsForbidden(err):
		addAPIError(diags, path.Root("customer_id"),
			fmt.Sprintf("Not allowed to read the transfers of customer %s", customerID), err)
	case transferID != "" && partnercenter.IsNotFound(err):
		diags.AddAttributeError(path.Root("id"), "Transfer not found",
			fmt.Sprintf("Transfer %s of customer %s does not exist, or the configured partner is neither its source nor its target. "+
				"Check id and customer_id, and that the provider authenticates as one of the two partners of the transfer.\n\n%s",
				transferID, customerID, describeError(err)))
	case transferID != "":
		addAPIError(diags, path.Empty(), fmt.Sprintf("Cannot read transfer %s of customer %s", transferID, customerID), err)
	default:
		addAPIError(diags, path.Empty(), fmt.Sprintf("Cannot list the transfers of customer %s", customerID), err)
	}
}

// transferDataSourceAttributes is the read-only schema of one transfer:
// every field the partnercenter_transfer resource exposes, with the same
// names and types as transferAttrTypes. Descriptions follow the resource's.
func transferDataSourceAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	return map[string]schema.Attribute{
		"id":                       str("The transfer ID (GUID) assigned by Partner Center."),
		"customer_id":              str("The customer's Microsoft Entra tenant ID (GUID)."),
		"source_partner_tenant_id": str("Tenant ID (GUID) of the source (current, losing) partner."),
		"source_partner_name":      str("Organization name of the source partner."),
		"customer_email":           str("E-mail address of the customer contact who receives transfer notifications, as Partner Center echoes it (its documented answers return it empty)."),
		"customer_name":            str("Customer display name."),
		"target_partner_tenant_id": str("Tenant ID (GUID) of the target (gaining) partner."),
		"target_partner_email":     str("Contact e-mail (or reference text) of the target partner, stored and echoed by Partner Center."),
		"target_partner_name":      str("Organization name of the target partner."),
		"partner_of_record":        str("PartnerID (MPN ID) to become partner of record of the transferred items; for transfers to an indirect provider."),
		"transaction_reseller_id":  str("PartnerID (MPN ID) of the indirect reseller, sent as the `TransactionReseller` participant by an indirect provider."),
		"transfer_type": num("Partner Center transfer type: `3` (new commerce, the create API's documented value) or `5` " +
			"(NewCommerce on the resource page)."),
		"target_product_types": schema.SetAttribute{
			Computed:            true,
			ElementType:         types.StringType,
			MarkdownDescription: "Kinds of items the source partner may include: " + productTypesMarkdown() + ". Null means all.",
		},
		"line_items": schema.MapNestedAttribute{
			Computed: true,
			MarkdownDescription: "Items of the transfer, keyed by subscription ID (GUID). Empty until the source partner submits the transfer; " +
				"then the submitted items with their per-item status.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"product_type":           str("Kind of item: " + productTypesMarkdown() + ". License-based subscriptions are `OnlineServicesNCE`. " + productTypeAsSentNote),
				"line_item_id":           str(lineItemIDDescription),
				"status":                 str("Status of this item (for example `InProgress`, `Complete`, `Failed`)."),
				"friendly_name":          str("Friendly name of the subscription."),
				"quantity":               num("Seats or instances moved."),
				"billing_cycle":          str("Billing cycle of the subscription (for example `monthly`, `annual`)."),
				"offer_id":               str("Offer ID of the subscription."),
				"transfer_group_id":      str("Group of items Partner Center processes into one order."),
				"order_id":               str("Order created at the target partner once the item moved."),
				"target_subscription_id": str("Subscription ID at the target partner after completion."),
				"error_code":             str("Partner Center error code when this item failed."),
				"error_message":          str("Partner Center error text when this item failed."),
				"add_ons": schema.ListNestedAttribute{
					Computed:            true,
					MarkdownDescription: "Add-on subscriptions that move with this item.",
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"subscription_id":        str("Add-on subscription ID."),
						"friendly_name":          str("Friendly name."),
						"quantity":               num("Seats or instances."),
						"billing_cycle":          str("Billing cycle."),
						"offer_id":               str("Offer ID."),
						"status":                 str("Status of the add-on."),
						"target_subscription_id": str("Subscription ID at the target partner after completion."),
					}},
				},
			}},
		},
		"status": str("Transfer status: `Pending` (waiting for the source partner), `InProgress`, `Complete`, `Failed`, `Expired` " +
			"(30 days without submission) or `Canceled`."),
		"transfer_direction": str("`incoming` when the configured partner is the target, `outgoing` when it is the source."),
		"created_time":       str("When the request was created (RFC 3339, UTC)."),
		"last_modified_time": str("When the request last changed (RFC 3339, UTC)."),
		"expiration_time":    str("When a pending request expires (RFC 3339, UTC)."),
		"completed_time":     str("When the transfer completed (RFC 3339, UTC), else null."),
	}
}
