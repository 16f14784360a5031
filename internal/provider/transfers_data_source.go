// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource              = (*transfersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*transfersDataSource)(nil)
)

// filterStatuses are the values the status filter accepts.
var filterStatuses = []string{
	partnercenter.StatusPending, partnercenter.StatusInProgress, partnercenter.StatusComplete,
	partnercenter.StatusFailed, partnercenter.StatusExpired, partnercenter.StatusCanceled,
}

// NewTransfersDataSource returns the partnercenter_transfers data source.
func NewTransfersDataSource() datasource.DataSource { return &transfersDataSource{} }

type transfersDataSource struct {
	data *providerData
}

type transfersDataSourceModel struct {
	CustomerID            types.String `tfsdk:"customer_id"`
	Status                types.String `tfsdk:"status"`
	Direction             types.String `tfsdk:"direction"`
	TransferType          types.Int64  `tfsdk:"transfer_type"`
	SourcePartnerTenantID types.String `tfsdk:"source_partner_tenant_id"`
	Transfers             types.List   `tfsdk:"transfers"`
	IDs                   types.List   `tfsdk:"ids"`
}

func (d *transfersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfers"
}

func (d *transfersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	const providerSide = " The Partner Center API has no filter parameters: the provider applies this filter while reading the list, page by page."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner-to-partner transfers of a customer that the configured partner is the source or target of, " +
			"with the same fields as the `partnercenter_transfer` resource, line items included.\n\n" +
			"Partner Center returns every transfer of the customer; the optional filters are applied by the provider while it streams " +
			"the pages, so only matching transfers are kept. Results are sorted by `created_time`, then `id`, so the output is stable.\n\n" +
			"A source partner uses it to discover the requests a target partner sent (`direction = \"outgoing\"`) and adopt them " +
			"with `import` blocks (see the adoption example).",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The customer's Microsoft Entra tenant ID (GUID).",
				Validators:          []validator.String{guidValidator()},
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers in this status: `Pending`, `InProgress`, `Complete`, `Failed`, `Expired` or `Canceled` " +
					"(which also matches the service's other spellings of a canceled transfer)." + providerSide,
				Validators: []validator.String{stringvalidator.OneOf(filterStatuses...)},
			},
			"direction": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers in this direction relative to the configured partner: `incoming` where it is the target " +
					"(gaining) partner, `outgoing` where it is the source (losing) partner." + providerSide,
				Validators: []validator.String{stringvalidator.OneOf("incoming", "outgoing")},
			},
			"transfer_type": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Only transfers of this Partner Center transfer type: `3` or `5`." + providerSide,
				Validators:          []validator.Int64{int64validator.OneOf(partnercenter.TransferTypeNewCommerce, partnercenter.TransferTypeNewCommerceAlt)},
			},
			"source_partner_tenant_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers whose source partner has this tenant ID (GUID, compared case-insensitively). " +
					"A target partner uses it to find its requests to one source partner." + providerSide,
				Validators: []validator.String{guidValidator()},
			},
			"transfers": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The matching transfers, sorted by `created_time`, then `id`. Each carries every field of the " +
					"`partnercenter_transfer` resource. An empty list when nothing matches.",
				NestedObject: schema.NestedAttributeObject{Attributes: transferDataSourceAttributes()},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "IDs of the matching transfers, in the order of `transfers`.",
			},
		},
	}
}

func (d *transfersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *transfersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := withCallDeadline(ctx)
	defer cancel()
	var config transfersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	customerID := config.CustomerID.ValueString()
	filter := transferFilter{
		status:                config.Status.ValueString(),
		direction:             config.Direction.ValueString(),
		transferType:          int(config.TransferType.ValueInt64()),
		sourcePartnerTenantID: config.SourcePartnerTenantID.ValueString(),
	}
	// Keep only matches while streaming: a customer may have thousands of
	// transfers, most of them irrelevant to this read.
	var matched []partnercenter.Transfer
	seen := 0
	err := d.data.client.ListTransfers(ctx, customerID, func(t partnercenter.Transfer) error {
		seen++
		if filter.matches(&t) {
			matched = append(matched, t)
		}
		return nil
	})
	if err != nil {
		addTransferReadError(&resp.Diagnostics, customerID, "", err)
		return
	}
	tflog.Debug(ctx, "listed transfers", map[string]any{"customer_id": customerID, "listed": seen, "matched": len(matched)})

	sortTransfers(matched)
	transfers, ids, diags := flattenTransferList(ctx, matched, customerID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	config.Transfers, config.IDs = transfers, ids
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// transferFilter holds the optional filters of partnercenter_transfers;
// zero values match everything.
type transferFilter struct {
	status                string
	direction             string
	transferType          int
	sourcePartnerTenantID string
}

func (f transferFilter) matches(t *partnercenter.Transfer) bool {
	switch {
	case f.status != "" && !statusMatches(t.Status, f.status):
		return false
	case f.direction != "" && directionName(t.TransferDirection) != f.direction:
		return false
	case f.transferType != 0 && t.TransferType != f.transferType:
		return false
	case f.sourcePartnerTenantID != "" && !strings.EqualFold(t.SourcePartnerTenantID, f.sourcePartnerTenantID):
		return false
	}
	return true
}

// statusMatches compares statuses ignoring case; Canceled also matches the
// service's other spellings of a canceled transfer.
func statusMatches(status, want string) bool {
	return strings.EqualFold(status, want) || (want == partnercenter.StatusCanceled && partnercenter.IsCanceled(status))
}

// sortTransfers orders by created time (unknown first), then id.
func sortTransfers(ts []partnercenter.Transfer) {
	slices.SortFunc(ts, func(a, b partnercenter.Transfer) int {
		switch {
		case a.CreatedTime == nil && b.CreatedTime != nil:
			return -1
		case a.CreatedTime != nil && b.CreatedTime == nil:
			return 1
		case a.CreatedTime != nil:
			if c := a.CreatedTime.Compare(*b.CreatedTime); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// flattenTransferList converts transfers into the transfers and ids lists;
// both are empty, never null, when there is nothing.
func flattenTransferList(ctx context.Context, ts []partnercenter.Transfer, customerID string) (transfers, ids types.List, diags diag.Diagnostics) {
	models := make([]transferModel, 0, len(ts))
	idValues := make([]string, 0, len(ts))
	for i := range ts {
		m, d := flattenTransfer(ctx, &ts[i], customerID, nil)
		diags.Append(d...)
		models = append(models, m)
		idValues = append(idValues, ts[i].ID)
	}
	transfers, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: transferAttrTypes}, models)
	diags.Append(d...)
	ids, d = types.ListValueFrom(ctx, types.StringType, idValues)
	diags.Append(d...)
	return transfers, ids, diags
}
