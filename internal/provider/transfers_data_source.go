// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

var (
	_ datasource.DataSource              = (*transfersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*transfersDataSource)(nil)
)

// filterStatuses are the values the status filter accepts: the domain's
// statuses. Transfers carry one spelling of each (the client's decoder maps
// "Completed", "Cancelled" and any letter case), so a plain comparison
// finds them.
var filterStatuses = func() []string {
	var out []string
	for _, s := range transfers.Statuses() {
		out = append(out, string(s))
	}
	return out
}()

// NewTransfersDataSource returns the partnercenter_transfers data source.
func NewTransfersDataSource() datasource.DataSource { return &transfersDataSource{} }

type transfersDataSource struct {
	data *providerData
}

type transfersDataSourceModel struct {
	CustomerID           types.String `tfsdk:"customer_id"`
	CustomerIDs          types.Set    `tfsdk:"customer_ids"`
	ScanConcurrency      types.Int64  `tfsdk:"scan_concurrency"`
	IncludeLineItems     types.Bool   `tfsdk:"include_line_items"`
	IDsOnly              types.Bool   `tfsdk:"ids_only"`
	CustomerIDByTransfer types.Map    `tfsdk:"customer_id_by_transfer"`
	transferFilterModel
	Transfers types.List `tfsdk:"transfers"`
	IDs       types.List `tfsdk:"ids"`
}

func (d *transfersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfers"
}

func (d *transfersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	const providerSide = " The Partner Center API has no filter parameters: the provider applies this filter while reading the list, page by page."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner-to-partner transfers that the configured partner is the source or target of, " +
			"with the same fields as the `partnercenter_transfer` resource, line items included unless `include_line_items = false`.\n\n" +
			"Partner Center lists transfers per customer. With `customer_id` one customer is read; with `customer_ids` those customers; " +
			"with neither, every customer of the partner (`partnercenter_customers`) is scanned: one request per customer page plus " +
			"one per customer (more only for customers with more than one page of transfers), `scan_concurrency` at a time, inside " +
			"the provider's retry and throttling budget. Progress is logged (`TF_LOG=INFO`). A customer that cannot be read fails " +
			"the read with an error naming it; nothing is silently skipped.\n\n" +
			"The optional filters are applied by the provider while it streams the pages, so only matching transfers are kept. " +
			"Each result carries its `customer_id`. Results are sorted by `created_time`, then `customer_id`, then `id`, so the output is stable.\n\n" +
			"A source partner uses it to discover the requests target partners sent (`direction = \"outgoing\"`) and adopt them " +
			"with `import` blocks (see the adoption and whole-partner examples).",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Read only this customer's transfers (the customer's Microsoft Entra tenant ID, a GUID). " +
					"Conflicts with `customer_ids`; with neither, every customer is scanned.",
				Validators: []validator.String{guidValidator(), stringvalidator.ConflictsWith(path.MatchRoot("customer_ids"))},
			},
			"customer_ids": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Scan only these customers (tenant ID GUIDs), for example one batch of a migration CSV. " +
					"Conflicts with `customer_id`.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(guidValidator())},
			},
			"scan_concurrency": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many customers are read at the same time in a multi-customer scan, 1 to %d "+
					"(default %d). Every request still goes through the provider's throttling budget, so a higher value only helps "+
					"while Partner Center answers slower than the budget allows.", maxScanConcurrency, defaultScanConcurrency),
				Validators: []validator.Int64{int64validator.Between(1, maxScanConcurrency)},
			},
			"include_line_items": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether each transfer's `line_items` are kept (default `true`). Set `false` to discover " +
					"thousands of requests with less memory and state: `line_items` is then null. The import of a discovered " +
					"request reads its line items anyway.",
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
			"ids_only": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "When `true`, only `ids` and `customer_id_by_transfer` are filled and `transfers` is null: discovery " +
					"of tens of thousands of requests at a fraction of the memory and state. Import each one by " +
					"`\"${customer_id}/${id}\"`; the import reads its details. Default `false`.",
			},
			"target_partner_tenant_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers whose target partner has this tenant ID (GUID, compared case-insensitively). " +
					"A source partner uses it to find the requests of one target partner." + providerSide,
				Validators: []validator.String{guidValidator()},
			},
			"customer_id_by_transfer": schema.MapAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The customer ID of each matching transfer, by transfer ID: ready for `import` blocks with `for_each`.",
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
	filter := config.filter()
	limitMemoryForLargeReads()
	customers, ok := d.scanTargets(ctx, &config, &resp.Diagnostics)
	if !ok {
		return
	}
	scan := transferScan{
		client: d.data.client, filter: filter, customers: customers,
		concurrency: int(config.ScanConcurrency.ValueInt64()),
		lineItems:   config.IncludeLineItems.IsNull() || config.IncludeLineItems.ValueBool(),
		idsOnly:     config.IDsOnly.ValueBool(),
	}
	matched, failures := scan.run(ctx)
	if len(failures) > 0 {
		reportScanFailures(&resp.Diagnostics, failures, config.CustomerID.ValueString() != "")
		return
	}
	byTransfer := customerIDByTransfer(matched)
	var models []transferModel
	var ids []string
	if scan.idsOnly {
		for _, m := range matched {
			ids = append(ids, m.transfer.ID)
		}
	} else {
		var diags diag.Diagnostics
		models, ids, diags = flattenScannedTransfers(ctx, matched, scan.lineItems)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	// Written as tftypes values directly: thousands of transfers through
	// the framework's reflection cost hundreds of MB (state_direct.go).
	list, idList, err := transferListTerraform(ctx, models, ids)
	if err == nil && scan.idsOnly {
		list = tftypes.NewValue(list.Type(), nil)
	}
	if err == nil {
		stateType, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if !ok {
			err = errors.New("the data source schema is not an object")
		} else {
			config.Transfers = types.ListNull(types.ObjectType{AttrTypes: transferAttrTypes})
			config.IDs = types.ListNull(types.StringType)
			config.CustomerIDByTransfer = types.MapNull(types.StringType)
			resp.State.Raw, err = modelToTerraform(ctx, &config, stateType,
				map[string]tftypes.Value{"transfers": list, "ids": idList, "customer_id_by_transfer": byTransfer})
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the list of transfers", err.Error()+"\n\nPlease report this issue.")
	}
}

// transferFilter holds the optional filters of partnercenter_transfers;
// zero values match everything.
// transferFilterModel is the filters the transfers data source and the
// transfer list resource share.
type transferFilterModel struct {
	Status                types.String `tfsdk:"status"`
	Direction             types.String `tfsdk:"direction"`
	TransferType          types.Int64  `tfsdk:"transfer_type"`
	SourcePartnerTenantID types.String `tfsdk:"source_partner_tenant_id"`
	TargetPartnerTenantID types.String `tfsdk:"target_partner_tenant_id"`
}

func (m transferFilterModel) filter() transferFilter {
	return transferFilter{
		status:                m.Status.ValueString(),
		direction:             m.Direction.ValueString(),
		transferType:          int(m.TransferType.ValueInt64()),
		sourcePartnerTenantID: m.SourcePartnerTenantID.ValueString(),
		targetPartnerTenantID: m.TargetPartnerTenantID.ValueString(),
	}
}

type transferFilter struct {
	status                string
	direction             string
	transferType          int
	sourcePartnerTenantID string
	targetPartnerTenantID string
}

func (f transferFilter) matches(t *partnercenter.Transfer) bool {
	switch {
	case f.status != "" && !strings.EqualFold(t.Status, f.status):
		return false
	case f.direction != "" && directionName(t.TransferDirection) != f.direction:
		return false
	case f.transferType != 0 && t.TransferType != f.transferType:
		return false
	case f.sourcePartnerTenantID != "" && !strings.EqualFold(t.SourcePartnerTenantID, f.sourcePartnerTenantID):
		return false
	case f.targetPartnerTenantID != "" && !strings.EqualFold(t.TargetPartnerTenantID, f.targetPartnerTenantID):
		return false
	}
	return true
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
