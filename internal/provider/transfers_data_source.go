// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

var (
	_ datasource.DataSource              = (*transfersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*transfersDataSource)(nil)
)

// NewTransfersDataSource returns the partnercenter_transfers data source.
func NewTransfersDataSource() datasource.DataSource { return &transfersDataSource{} }

type transfersDataSource struct {
	data *providerData
}

type transfersDataSourceModel struct {
	transferQueryModel
	IncludeLineItems     types.Bool `tfsdk:"include_line_items"`
	IDsOnly              types.Bool `tfsdk:"ids_only"`
	CustomerIDByTransfer types.Map  `tfsdk:"customer_id_by_transfer"`
	Transfers            types.List `tfsdk:"transfers"`
	IDs                  types.List `tfsdk:"ids"`
}

func (d *transfersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfers"
}

func (d *transfersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := queryDataSourceAttributes()
	attrs["include_line_items"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "Whether each transfer's `line_items` are kept (default `true`). Set `false` to discover " +
			"thousands of requests with less memory and state: `line_items` is then null. The import of a discovered " +
			"request reads its line items anyway.",
	}
	attrs["ids_only"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "When `true`, only `ids` and `customer_id_by_transfer` are filled and `transfers` is null: discovery " +
			"of tens of thousands of requests at a fraction of the memory and state. Import each one by " +
			"`\"${customer_id}/${id}\"`; the import reads its details. Default `false`.",
	}
	attrs["customer_id_by_transfer"] = schema.MapAttribute{
		Computed:            true,
		ElementType:         types.StringType,
		MarkdownDescription: "The customer ID of each matching transfer, by transfer ID: ready for `import` blocks with `for_each`.",
	}
	attrs["transfers"] = schema.ListNestedAttribute{
		Computed: true,
		MarkdownDescription: "The matching transfers, sorted by `created_time`, then `customer_id`, then `id`. Each carries every field of the " +
			"`partnercenter_transfer` resource. An empty list when nothing matches.",
		NestedObject: schema.NestedAttributeObject{Attributes: transferDataSourceAttributes()},
	}
	attrs["ids"] = schema.ListAttribute{
		Computed:            true,
		ElementType:         types.StringType,
		MarkdownDescription: "IDs of the matching transfers, in the order of `transfers`.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the partner-to-partner transfers that the configured partner is the source or target of, " +
			"with the same fields as the `partnercenter_transfer` resource, line items included unless `include_line_items = false`. " +
			"It takes the same query attributes as the `partnercenter_transfer` list resource.\n\n" +
			"Partner Center lists transfers per customer. With `customer_id` one customer is read; with `customer_ids` those customers; " +
			"with neither, every customer of the partner (`partnercenter_customers`) is read: one request per customer page plus " +
			"one per customer (more only for customers with more than one page of transfers), `scan_concurrency` at a time, inside " +
			"the provider's retry and throttling budget. Progress is logged (`TF_LOG=INFO`). A customer that cannot be read fails " +
			"the read with an error naming it; nothing is silently skipped.\n\n" +
			"The optional filters are applied by the provider while it streams the pages, so only matching transfers are kept. " +
			"Each result carries its `customer_id`. Results are sorted by `created_time`, then `customer_id`, then `id`, so the output is stable.\n\n" +
			"A source partner uses it to discover the requests target partners sent (`direction = \"outgoing\"`) and adopt them " +
			"with `import` blocks (see the adoption and whole-partner examples).",
		Attributes: attrs,
	}
}

func (d *transfersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *transfersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := withCallDeadline(ctx, d.data)
	defer cancel()
	var config transfersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	q, diags := config.query(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	idsOnly := config.IDsOnly.ValueBool()
	q.WithoutLineItems = idsOnly || (!config.IncludeLineItems.IsNull() && !config.IncludeLineItems.ValueBool())
	q.OtherDirection = &atomic.Int64{}
	matched := 0

	// Each match becomes its Terraform value as it streams in: the wire
	// record is dropped at once (state_direct.go).
	result, err := newTransferListBuilder(ctx, idsOnly, q.WithoutLineItems)
	failures := listErrors{single: config.CustomerID.ValueString() != ""}
	progress := scanProgress{total: len(q.CustomerIDs)}
	for listed, listErr := range d.data.lifecycle().List(ctx, q) {
		switch {
		case listErr != nil:
			failures.add(listErr)
		case err == nil:
			progress.note(ctx, listed.CustomerID)
			matched++
			err = result.add(listed)
		}
	}
	if resp.Diagnostics.Append(failures.done()...); resp.Diagnostics.HasError() {
		return
	}
	if matched == 0 {
		warnOtherPartner(&resp.Diagnostics, d.data, string(q.Filter.Direction), int(q.OtherDirection.Load()))
	}
	if err == nil {
		var stateType tftypes.Object
		stateType, err = objectType(ctx, resp.State.Schema.Type())
		if err == nil {
			config.Transfers = types.ListNull(types.ObjectType{AttrTypes: transferAttrTypes})
			config.IDs = types.ListNull(types.StringType)
			config.CustomerIDByTransfer = types.MapNull(types.StringType)
			resp.State.Raw, err = modelToTerraform(ctx, &config, stateType, result.values())
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the list of transfers", err.Error()+"\n\nPlease report this issue.")
	}
}

// warnOtherPartner explains an empty result when transfers in the other
// direction matched every other filter: the configuration was most likely
// written for the other side of these transfers (the source partner's
// configuration run with the target partner's credentials, or the reverse).
func warnOtherPartner(diags *diag.Diagnostics, data *providerData, direction string, other int) {
	if other == 0 {
		return
	}
	opposite, side, otherSide := "incoming", "source", "target"
	if direction == string(transfers.Incoming) {
		opposite, side, otherSide = "outgoing", "target", "source"
	}
	diags.AddAttributeWarning(path.Root("direction"), "The credentials look like the other partner's",
		fmt.Sprintf("No transfer is %s for the partner the provider is signed in as (%s), but %d transfer(s) matching every other filter are %s: "+
			"this partner is their %s, while direction = %q looks for transfers where it is the %s. "+
			"The configuration is probably running with the other partner's credentials: check the provider's tenant_id, client_id and secret "+
			"(or its alias), and data.partnercenter_client_config for who is signed in.",
			direction, signedInAs(data), other, opposite, otherSide, direction, side))
}

// signedInAs names the signed-in partner for diagnostics: its name when
// the profile gave one, and its tenant.
func signedInAs(data *providerData) string {
	tenant := valueOr(data.tenantID, "unknown tenant")
	if data.profile != nil && data.profile.CompanyName != "" {
		return data.profile.CompanyName + ", tenant " + tenant
	}
	return "tenant " + tenant
}

// scanProgress logs how many customers a read has got through.
type scanProgress struct {
	total    int // 0 when every customer is read
	done     int
	customer string
}

func (p *scanProgress) note(ctx context.Context, customerID string) {
	if customerID == p.customer {
		return
	}
	p.customer = customerID
	p.done++
	step := 100
	if p.total > 0 {
		step = max(1, p.total/20)
	}
	if p.done%step == 0 {
		tflog.Info(ctx, "transfer scan progress", map[string]any{"customers_with_matches": p.done, "customers_total": p.total})
	}
}
