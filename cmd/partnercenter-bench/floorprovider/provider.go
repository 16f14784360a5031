// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

type floorProvider struct{}

func newProvider() provider.Provider { return &floorProvider{} }

type providerModel struct {
	TenantID         types.String `tfsdk:"tenant_id"`
	ClientID         types.String `tfsdk:"client_id"`
	Endpoint         types.String `tfsdk:"endpoint"`
	AuthorityHost    types.String `tfsdk:"authority_host"`
	ListBeforeCreate types.Bool   `tfsdk:"list_before_create"`
}

// floorClient is what the resources share.
type floorClient struct {
	api              *partnercenter.Client
	listBeforeCreate bool
}

func (p *floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (p *floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"tenant_id":          schema.StringAttribute{Required: true},
		"client_id":          schema.StringAttribute{Required: true},
		"endpoint":           schema.StringAttribute{Required: true},
		"authority_host":     schema.StringAttribute{Required: true},
		"list_before_create": schema.BoolAttribute{Optional: true},
	}}
}

// Configure authenticates with a client secret from
// PARTNERCENTER_CLIENT_SECRET, as the bench's real provider does.
func (p *floorProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := auth.Config{
		TenantID: m.TenantID.ValueString(), ClientID: m.ClientID.ValueString(), ClientSecret: os.Getenv("PARTNERCENTER_CLIENT_SECRET"),
		Endpoint: m.Endpoint.ValueString(), AuthorityHost: m.AuthorityHost.ValueString(),
	}
	tokens, err := auth.NewTokenProvider(ctx, cfg, nil)
	if err != nil {
		resp.Diagnostics.AddError("authentication", err.Error())
		return
	}
	api, err := partnercenter.New(partnercenter.Options{Endpoint: cfg.ResolvedEndpoint(), Token: tokens, UserAgent: "partnercenter-bench-floor"})
	if err != nil {
		resp.Diagnostics.AddError("client", err.Error())
		return
	}
	resp.ResourceData = &floorClient{api: api, listBeforeCreate: m.ListBeforeCreate.ValueBool()}
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newTransferResource}
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
