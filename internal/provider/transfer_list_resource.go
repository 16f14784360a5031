// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
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

func (r *transferListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transfer"
}

func (r *transferListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds partner-to-partner transfers for `terraform query` (Terraform 1.14+), with the query attributes of the " +
			"`partnercenter_transfers` data source. Each result is named by its identity (`customer_id`, `id`) and displayed as " +
			"`<customer> · from|to <other partner> · <status>`. Results stream in customer order (as given, or as Partner Center " +
			"lists the partner's customers), each customer's transfers in the order Partner Center lists them; the read stops as soon " +
			"as the query's `limit` is reached. `terraform query -generate-config-out=adopt.tf` writes an `import` block " +
			"and a `partnercenter_transfer` resource block per result: a source partner adds `line_items` and applies to accept the request.",
		Attributes: queryListAttributes(),
	}
}

func (r *transferListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *transferListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg transferQueryModel
	diags := req.Config.Get(ctx, &cfg)
	if !diags.HasError() {
		dataSourceConfigured(r.data, &diags)
	}
	q, d := cfg.query(ctx)
	if diags.Append(d...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		// Each match is pushed as it is read; at the limit, or when
		// Terraform stops reading, the scan stops: no further request.
		sent := int64(0)
		failures := listErrors{single: cfg.CustomerID.ValueString() != ""}
		for listed, err := range r.data.lifecycle().List(ctx, q) {
			if err != nil {
				failures.add(err)
				continue
			}
			if !push(transferListResult(ctx, req, listed)) {
				return
			}
			if sent++; req.Limit > 0 && sent >= req.Limit {
				return
			}
		}
		if d := failures.done(); d.HasError() {
			push(list.ListResult{Diagnostics: d})
		}
	}
}

// transferListResult is one result: identity, display name, and with
// include_resource the resource as a read after import would record it.
func transferListResult(ctx context.Context, req list.ListRequest, listed transfers.Listed) list.ListResult {
	t, customerID := &listed.Transfer.Transfer, listed.CustomerID
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
	// A request nobody submitted has no line items: null, not an empty map,
	// so the generated configuration leaves line_items out (an empty map
	// would fail its at-least-one-item check) and plans as a pure import;
	// the refresh after the import reads Partner Center's value.
	if len(t.LineItems) == 0 {
		flat.LineItems = types.MapNull(lineItemObjectType)
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
