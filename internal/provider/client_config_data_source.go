// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

var (
	_ datasource.DataSource              = (*clientConfigDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*clientConfigDataSource)(nil)
)

// NewClientConfigDataSource returns the partnercenter_client_config data
// source: who the provider is signed in as.
func NewClientConfigDataSource() datasource.DataSource { return &clientConfigDataSource{} }

type clientConfigDataSource struct {
	data *providerData
}

type clientConfigModel struct {
	TenantID    types.String `tfsdk:"tenant_id"`
	ClientID    types.String `tfsdk:"client_id"`
	PartnerName types.String `tfsdk:"partner_name"`
	Domain      types.String `tfsdk:"domain"`
	MpnID       types.String `tfsdk:"mpn_id"`
	AuthMethod  types.String `tfsdk:"auth_method"`
	Endpoint    types.String `tfsdk:"endpoint"`
}

func (d *clientConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_client_config"
}

func (d *clientConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The partner the provider is signed in as, like `azurerm_client_config`: check in a plan that a configuration runs " +
			"with the credentials of the partner it is written for (the source partner's configuration run with the target's credentials finds nothing to submit). " +
			"The tenant and name come from the organization profile the provider reads once when it is configured (`GET /v1/profiles/organization`, " +
			"its connection check); reading this data source adds one request, `GET /v1/profiles/mpn`, for the MPN ID. " +
			"Microsoft documents both profiles for App+User credentials: with app-only credentials Partner Center may withhold them, " +
			"and `partner_name`, `domain` and `mpn_id` are then null.",
		Attributes: map[string]schema.Attribute{
			"tenant_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The partner's Microsoft Entra tenant ID: the organization profile's `tenantId`, else the configured `tenant_id` (or an `access_token`'s `tid` claim).",
			},
			"client_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The application (client) ID the provider authenticates with (`client_id` or `client_id_file_path`); null for Azure CLI, a system-assigned managed identity or `access_token`.",
			},
			"partner_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The partner's company name (organization profile `companyName`); null when Partner Center withholds the profile.",
			},
			"domain": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The partner's domain (organization profile `domain`), e.g. `fabrikam.onmicrosoft.com`; null when withheld.",
			},
			"mpn_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The partner's MPN ID (PartnerID) from `GET /v1/profiles/mpn`; null when Partner Center has none for the caller or withholds it (401, 403 or 404).",
			},
			"auth_method": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The credential method in use: `client_secret`, `client_certificate`, `oidc`, `cli`, `msi` or `access_token`.",
			},
			"endpoint": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The Partner Center API base URL the provider calls.",
			},
		},
	}
}

func (d *clientConfigDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *clientConfigDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := withCallDeadline(ctx, d.data)
	defer cancel()
	if !dataSourceConfigured(d.data, &resp.Diagnostics) {
		return
	}
	m := clientConfigModel{
		TenantID:    stringOrNull(d.data.tenantID),
		ClientID:    stringOrNull(d.data.auth.AppClientID()),
		PartnerName: types.StringNull(),
		Domain:      types.StringNull(),
		MpnID:       types.StringNull(),
		AuthMethod:  types.StringValue(d.data.auth.Method()),
		Endpoint:    types.StringValue(d.data.auth.ResolvedEndpoint()),
	}
	if p := d.data.profile; p != nil {
		m.PartnerName, m.Domain = stringOrNull(p.CompanyName), stringOrNull(p.Domain)
		if p.TenantID != "" {
			m.TenantID = types.StringValue(p.TenantID)
		}
	}
	mpn, err := d.data.client.GetMpnProfile(ctx)
	switch {
	case err == nil:
		m.MpnID = stringOrNull(mpn.MpnID)
		if m.PartnerName.IsNull() {
			m.PartnerName = stringOrNull(mpn.PartnerName)
		}
	case isWithheld(err):
		// No MPN profile for this caller: mpn_id stays null.
	default:
		addAPIError(&resp.Diagnostics, path.Empty(), "Cannot read the partner's MPN profile", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// isWithheld reports an answer saying the caller may not or cannot have
// the profile (app-only credentials, no profile): 401, 403 or 404.
func isWithheld(err error) bool {
	apiErr, ok := partnercenter.AsAPIError(err)
	return ok && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden || apiErr.StatusCode == http.StatusNotFound)
}
