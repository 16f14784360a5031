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
	// The two ids are the lookup key: required, with the resource's descriptions.
	attrs["id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: attrs["id"].GetMarkdownDescription(),
		Validators:          []validator.String{serverIDValidator()},
	}
	attrs["customer_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: attrs["customer_id"].GetMarkdownDescription(),
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
	ctx, cancel := withCallDeadline(ctx, d.data)
	defer cancel()
	var config transferModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	customerID, transferID := config.CustomerID.ValueString(), config.ID.ValueString()
	t, err := d.data.lifecycle().Get(ctx, customerID, transferID)
	if err != nil {
		addTransferReadError(&resp.Diagnostics, customerID, transferID, err)
		return
	}
	flat, diags := flattenTransfer(ctx, &t.Transfer, customerID, nil)
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

// transferDataSourceAttributes is the read-only schema of one transfer,
// derived from the partnercenter_transfer resource's attributes: the same
// names, types and descriptions, every one computed.
func transferDataSourceAttributes() map[string]schema.Attribute {
	return readOnlyAttributes(transferFieldAttributes())
}
