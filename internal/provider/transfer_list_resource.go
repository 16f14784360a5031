// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The partnercenter_transfer list resource serves `list` blocks in
// .tfquery.hcl files (Terraform 1.14+): `terraform query` shows the
// transfers that match, and `-generate-config-out` writes an import block
// (by identity) and a resource block for each one.

var (
	_ list.ListResource              = (*transferListResource)(nil)
	_ list.ListResourceWithConfigure = (*transferListResource)(nil)
)

// NewTransferListResource returns the partnercenter_transfer list resource.
func NewTransferListResource() list.ListResource { return &transferListResource{} }

type transferListResource struct {
	data *providerData
}

// transferListConfig is the `config` block of a list "partnercenter_transfer"
// block: the filters of the partnercenter_transfers data source.
type transferListConfig struct {
	CustomerID  types.String `tfsdk:"customer_id"`
	CustomerIDs types.List   `tfsdk:"customer_ids"`
	transferFilterModel
}

func (r *transferListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer"
}

func (r *transferListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	const providerSide = " Applied by the provider while it reads the list, page by page (the API has no filter parameters)."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds partner-to-partner transfers for `terraform query` (Terraform 1.14+), with the filters of the " +
			"`partnercenter_transfers` data source. Each result is named by its identity (`customer_id`, `id`) and displayed as " +
			"`<customer> · from|to <other partner> · <status>`. `terraform query -generate-config-out=adopt.tf` writes an `import` block " +
			"and a `partnercenter_transfer` resource block per result: a source partner adds `line_items` and applies to accept the request.",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The customer's Microsoft Entra tenant ID (GUID) whose transfers are listed. " +
					"Without it and without `customer_ids`, every customer of the partner is scanned, as the data source does.",
				Validators: []validator.String{guidValidator()},
			},
			"customer_ids": schema.ListAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Customers (tenant ID GUIDs) to scan instead of one `customer_id`; conflicts with it. Duplicates are read once.",
				Validators: []validator.List{
					listvalidator.ConflictsWith(path.MatchRoot("customer_id")),
					listvalidator.ValueStringsAre(guidValidator()),
				},
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers in this status: `Pending`, `InProgress`, `Complete`, `Failed`, `Expired` or `Canceled`." +
					providerSide,
				Validators: []validator.String{stringvalidator.OneOf(filterStatuses...)},
			},
			"direction": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers in this direction relative to the configured partner: `incoming` (it is the target) " +
					"or `outgoing` (it is the source; the requests a source partner adopts)." + providerSide,
				Validators: []validator.String{stringvalidator.OneOf("incoming", "outgoing")},
			},
			"transfer_type": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Only transfers of this Partner Center transfer type: `3` or `5`." + providerSide,
				Validators:          []validator.Int64{int64validator.OneOf(partnercenter.TransferTypeNewCommerce, partnercenter.TransferTypeNewCommerceAlt)},
			},
			"source_partner_tenant_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only transfers whose source partner has this tenant ID (GUID, compared case-insensitively)." + providerSide,
				Validators:          []validator.String{guidValidator()},
			},
			"target_partner_tenant_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only transfers whose target partner has this tenant ID (GUID, compared case-insensitively). " +
					"A source partner uses it to find the requests of one target partner." + providerSide,
				Validators: []validator.String{guidValidator()},
			},
		},
	}
}

func (r *transferListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *transferListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg transferListConfig
	diags := req.Config.Get(ctx, &cfg)
	if !diags.HasError() {
		dataSourceConfigured(r.data, &diags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	filter := cfg.filter()
	stream.Results = func(push func(list.ListResult) bool) {
		var ids []string
		if !cfg.CustomerIDs.IsNull() {
			diags.Append(cfg.CustomerIDs.ElementsAs(ctx, &ids, false)...)
		}
		customers, ok := scanCustomers(ctx, r.data.client, cfg.CustomerID.ValueString(), ids, !cfg.CustomerIDs.IsNull(), &diags)
		if !ok {
			push(list.ListResult{Diagnostics: diags})
			return
		}
		// The data source's scan: bounded concurrency inside the shared
		// throttling budget, a failing customer named, a stable order.
		scanned, failures := transferScan{client: r.data.client, filter: filter, customers: customers, lineItems: true}.run(ctx)
		if len(failures) > 0 {
			var d diag.Diagnostics
			reportScanFailures(&d, failures, len(customers) == 1)
			push(list.ListResult{Diagnostics: d})
			return
		}
		sortScannedTransfers(scanned)
		tflog.Debug(ctx, "listed transfers for query", map[string]any{"customers": len(customers), "matched": len(scanned)})
		for i := range scanned {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(transferListResult(ctx, req, &scanned[i].transfer, scanned[i].customerID)) {
				return
			}
		}
	}
}

// transferListResult is one result: identity, display name, and with
// include_resource the resource as a read after import would record it.
func transferListResult(ctx context.Context, req list.ListRequest, t *partnercenter.Transfer, customerID string) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = transferDisplayName(t)
	result.Diagnostics.Append(result.Identity.Set(ctx, transferIdentityModel{
		CustomerID: types.StringValue(customerID), ID: types.StringValue(t.ID),
	})...)
	if !req.IncludeResource {
		return result
	}
	flat, d := flattenTransfer(ctx, t, customerID, nil)
	result.Diagnostics.Append(d...)
	timeoutsType, d := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	result.Diagnostics.Append(d...)
	if result.Diagnostics.HasError() {
		return result
	}
	objectType, ok := timeoutsType.(timeouts.Type)
	if !ok {
		result.Diagnostics.AddError("Unexpected timeouts type", fmt.Sprintf("timeouts is %T, not an object. Please report this issue.", timeoutsType))
		return result
	}
	model := transferResourceModel{
		transferModel:     flat,
		WaitForCompletion: types.BoolValue(true),
		Timeouts:          timeouts.Value{Object: types.ObjectNull(objectType.AttrTypes)},
	}
	result.Diagnostics.Append(result.Resource.Set(ctx, model)...)
	return result
}

// transferDisplayName reads "<customer> · from|to <other partner> · <status>":
// the other partner is the source of an incoming transfer and the target of
// an outgoing one.
func transferDisplayName(t *partnercenter.Transfer) string {
	customer := firstNonEmpty(t.CustomerName, t.CustomerTenantID, "unknown customer")
	other := "from " + firstNonEmpty(t.SourcePartnerName, t.SourcePartnerTenantID, "unknown partner")
	if directionName(t.TransferDirection) == "outgoing" {
		other = "to " + firstNonEmpty(t.TargetPartnerName, t.TargetPartnerTenantID, "unknown partner")
	}
	return fmt.Sprintf("%s · %s · %s", customer, other, firstNonEmpty(t.Status, "unknown status"))
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
