// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource              = (*customersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*customersDataSource)(nil)
)

// NewCustomersDataSource returns the partnercenter_customers data source.
func NewCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

type customersDataSource struct {
	data *providerData
}

type customersDataSourceModel struct {
	CompanyNamePrefix types.String `tfsdk:"company_name_prefix"`
	DomainPrefix      types.String `tfsdk:"domain_prefix"`
	Customers         types.List   `tfsdk:"customers"`
	IDs               types.List   `tfsdk:"ids"`
}

var customerAttrTypes = map[string]attr.Type{
	"id":                      types.StringType,
	"company_name":            types.StringType,
	"domain":                  types.StringType,
	"relationship_to_partner": types.StringType,
}

func (d *customersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customers"
}

func (d *customersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	const streamed = " Case-insensitive; applied by the provider while the pages stream, so only matching customers are kept in memory and state."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the customers of the configured partner (`GET /v1/customers`, up to 500 per page, following " +
			"continuation tokens). A source partner uses it to scan every customer for transfer requests; a target partner to " +
			"check a migration CSV against its customer base.\n\n" +
			"Results are sorted by `company_name` (case-insensitive), then `id`, so the output is stable.",
		Attributes: map[string]schema.Attribute{
			"company_name_prefix": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only customers whose company name starts with this text." + streamed,
			},
			"domain_prefix": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only customers whose domain (e.g. `contoso.onmicrosoft.com`) starts with this text." + streamed,
			},
			"customers": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching customers. An empty list when nothing matches.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The customer's Microsoft Entra tenant ID: the `customer_id` of its transfers."},
					"company_name": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Company name from the customer's company profile; null when Partner Center sends none."},
					"domain": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Default domain from the company profile (e.g. `contoso.onmicrosoft.com`); null when Partner Center sends none."},
					"relationship_to_partner": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The customer's relationship to the configured partner as Partner Center reports it: " +
							"`reseller`, `advisor`, `syndication`, `microsoft_support` or `none`; null when absent."},
				}},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "IDs of the matching customers, in the order of `customers`.",
			},
		},
	}
}

func (d *customersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config customersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	filter := customerFilter{namePrefix: config.CompanyNamePrefix.ValueString(), domainPrefix: config.DomainPrefix.ValueString()}
	var matched []partnercenter.Customer
	seen := 0
	err := d.data.client.ListCustomers(ctx, 0, func(c partnercenter.Customer) error {
		seen++
		if filter.matches(c) {
			matched = append(matched, c)
		}
		return nil
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot list the partner's customers", err)
		return
	}
	tflog.Debug(ctx, "listed customers", map[string]any{"listed": seen, "matched": len(matched)})
	sortCustomers(matched)
	objs := make([]attr.Value, 0, len(matched))
	ids := make([]attr.Value, 0, len(matched))
	for _, c := range matched {
		obj, diags := types.ObjectValue(customerAttrTypes, map[string]attr.Value{
			"id":                      types.StringValue(c.TenantID()),
			"company_name":            stringOrNull(c.CompanyName()),
			"domain":                  stringOrNull(c.Domain()),
			"relationship_to_partner": stringOrNull(c.RelationshipToPartner),
		})
		resp.Diagnostics.Append(diags...)
		objs = append(objs, obj)
		ids = append(ids, types.StringValue(c.TenantID()))
	}
	var diags diag.Diagnostics
	config.Customers, diags = types.ListValue(types.ObjectType{AttrTypes: customerAttrTypes}, objs)
	resp.Diagnostics.Append(diags...)
	config.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// customerFilter holds partnercenter_customers' optional prefixes.
type customerFilter struct {
	namePrefix   string
	domainPrefix string
}

func (f customerFilter) matches(c partnercenter.Customer) bool {
	return hasPrefixFold(c.CompanyName(), f.namePrefix) && hasPrefixFold(c.Domain(), f.domainPrefix)
}

func hasPrefixFold(s, prefix string) bool {
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}

// sortCustomers orders by company name ignoring case, then id.
func sortCustomers(cs []partnercenter.Customer) {
	slices.SortFunc(cs, func(a, b partnercenter.Customer) int {
		if c := cmp.Compare(strings.ToLower(a.CompanyName()), strings.ToLower(b.CompanyName())); c != 0 {
			return c
		}
		return cmp.Compare(a.TenantID(), b.TenantID())
	})
}

// stringOrNull is null for "", so absent values never show as "".
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
